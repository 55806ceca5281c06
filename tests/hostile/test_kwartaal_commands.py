"""Hostile values for KWARTAAL: `make kwartaal` hands the value over as one argument and never runs it
(the recorder folder of test_commands: the real Makefile and shell, a recording python)."""

from __future__ import annotations

from .test_commands import folder, hostile_values, make  # noqa: F401  (folder is a fixture)


def test_kwartaal_arrives_as_one_argument_and_never_runs(folder):  # noqa: F811
    marker = folder / "GERAAKT"
    for text in hostile_values(marker):
        result, entries = make(folder, "kwartaal", f"KWARTAAL={text}")
        assert not marker.exists(), f"make kwartaal KWARTAAL={text!r} ran a command"
        assert result.returncode == 0, result.stderr
        assert entries[-1]["args"] == ["kwartaal", "--kwartaal", text], f"KWARTAAL={text!r} did not arrive intact"


def test_kwartaal_is_required(folder):  # noqa: F811
    result, _ = make(folder, "kwartaal")
    assert result.returncode != 0 and "KWARTAAL" in result.stderr
