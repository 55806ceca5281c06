"""Hostile values for every make variable: no value ever runs as a command.

Each target that takes a variable is run by the real Makefile and the real shell, in a folder
whose `.venv/bin/python` is a recorder: it notes the arguments make handed over (after
jeugdmonitor.makeargs turned the exported variables into arguments) and exits. A value holding
`;`, quotes, backticks, `$( )`, spaces or a newline must arrive as one intact argument, and the
marker file that the value tries to create must not exist afterwards. YEAR and N are refused by
make itself (exit 2) before any recipe runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jeugdmonitor import makeargs

from ..conftest import REPO_ROOT

RECORDER = '''
import json, os, sys
from jeugdmonitor import makeargs
entry = {"argv": sys.argv[1:]}
if sys.argv[1:3] == ["-m", "jeugdmonitor.makeargs"]:
    try:
        entry["args"] = makeargs.arguments(sys.argv[3])
    except SystemExit as stop:
        entry["exit"] = stop.code
with open(os.environ["RECORD"], "a") as log:
    log.write(json.dumps(entry) + "\\n")
sys.exit(entry.get("exit", 0))
'''


def hostile_values(marker: Path) -> list[str]:
    """Values that would create `marker` if any shell or make ever ran them as text."""
    return [f"JZ08;touch {marker};", f'x.csv"; touch {marker}; echo "', f"x.csv'; touch {marker}; echo '",
            f"`touch {marker}`x.csv", f"$(touch {marker})x.csv", f"$(shell touch {marker})", f"a b && touch {marker}",
            f"x\ntouch {marker}", f"x | touch {marker}", f"x & touch {marker} #"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A project folder with the real Makefile, empty stage inputs and a recording python."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    for name in ("01_opschonen", "02_valideren", "03_gemeenterapport", "04_overzicht", "05_regio"):
        (root / "notebooks" / f"{name}.ipynb").write_text("{}")
    shutil.copy2(REPO_ROOT / "Makefile", root / "Makefile")
    for name in ("requirements.lock", "pyproject.toml"):
        (root / name).write_text("")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / "recorder.py").write_text(RECORDER)
    python = root / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{root / "recorder.py"}" "$@"\n')
    python.chmod(0o755)
    stamp = root / ".venv" / ".setup-klaar"
    stamp.write_text(f"{root}\n")
    later = (root / "pyproject.toml").stat().st_mtime + 10
    os.utime(stamp, (later, later))
    return root


def make(root: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    record = root / "record.jsonl"
    record.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", makeargs.PREFIX))}
    result = subprocess.run(["make", "--no-print-directory", *args], cwd=root, capture_output=True, text=True,
                            env={**env, "RECORD": str(record), "JEUGDMONITOR_ROOT": str(root)}, timeout=120)
    entries = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    return result, entries


# (target, the variable under attack, the other variables it needs, where the value must arrive)
CASES = [
    ("fetch", "JAREN", {}, lambda v: ["--jaren", v]),
    ("fetch", "TABEL", {"JAREN": "2023"}, lambda v: ["--jaren", "2023", "--tabel", v]),
    ("regio", "JZ", {}, lambda v: ["regio", "--jeugdregio", v]),
    ("regio", "JAAR", {"JZ": "JZ24"}, lambda v: ["regio", "--jeugdregio", "JZ24", "--jaar", v]),
    ("import", "REGIO", {"SOORT": "budget", "BESTAND": "b.csv"},
     lambda v: ["import", "--regio", v, "--soort", "budget", "--bestand", "b.csv"]),
    ("import", "SOORT", {"REGIO": "JZ08", "BESTAND": "b.csv"},
     lambda v: ["import", "--regio", "JZ08", "--soort", v, "--bestand", "b.csv"]),
    ("import", "BESTAND", {"REGIO": "JZ08", "SOORT": "budget"},
     lambda v: ["import", "--regio", "JZ08", "--soort", "budget", "--bestand", v]),
    ("import", "PERIODE", {"REGIO": "JZ08", "SOORT": "trajecten", "BESTAND": "t.csv"},
     lambda v: ["import", "--regio", "JZ08", "--soort", "trajecten", "--bestand", "t.csv", "--periode", v]),
    ("sample-data", "SCHAAL", {}, lambda v: ["sample-data", "--schaal", v]),
    ("sample-data", "DOEL", {}, lambda v: ["sample-data", "--schaal", "voorbeeld", "--doel", v]),
    ("voorbeeld", "GEMEENTE", {}, lambda v: ["voorbeeld", "--year", "2023", "--gemeente", v]),
    ("voorbeeld", "REGIO", {}, lambda v: ["voorbeeld", "--year", "2023", "--regio", v]),
]


@pytest.mark.parametrize(("target", "name", "others", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_value_arrives_as_one_argument_and_never_runs(folder, target, name, others, expected):
    marker = folder / "GERAAKT"
    for text in hostile_values(marker):
        result, entries = make(folder, target, *(f"{k}={v}" for k, v in others.items()), f"{name}={text}")
        assert not marker.exists(), f"make {target} {name}={text!r} ran a command"
        assert result.returncode == 0, result.stderr
        assert entries[-1]["args"] == expected(text), f"{name}={text!r} did not arrive intact"


@pytest.mark.parametrize("target", ["reports", "yearly"])  # yearly hands the options to a make of its own
def test_report_options_are_split_as_words_not_run(folder, target):
    marker = folder / "GERAAKT"
    for text in hostile_values(marker):
        result, entries = make(folder, target, f"REPORT_OPTIONS=--only {text}")
        assert not marker.exists(), f"REPORT_OPTIONS={text!r} ran a command"
        last = entries[-1]
        if "exit" in last:  # an unbalanced quote: refused before the runner starts
            assert last["exit"] == 2 and result.returncode == 2 and "REPORT_OPTIONS" in result.stderr
        else:
            assert last["args"][:4] == ["reports", "--year", "2023", "--only"]


@pytest.mark.parametrize("name", ["YEAR", "N"])
@pytest.mark.parametrize("target", ["reports", "voorbeeld", "clean-data", "validate", "pdf", "yearly", "bench", "screenshots",
                                    "help"])
def test_a_number_variable_that_is_not_a_number_stops_make_before_any_recipe(folder, target, name):
    marker = folder / "GERAAKT"
    for text in [*hostile_values(marker), "", "2023 2024", "-1"]:
        result, entries = make(folder, target, f"{name}={text}")
        assert not marker.exists() and entries == [], f"make {target} {name}={text!r} ran something"
        assert result.returncode == 2, result.stderr
        assert f"{name} moet" in result.stderr


def test_a_missing_variable_is_named(folder):
    result, entries = make(folder, "import", "REGIO=JZ08")
    assert result.returncode == 2 and entries[-1]["exit"] == 2
    assert "geef SOORT" in result.stderr


def test_a_file_name_with_spaces_under_raw_does_not_break_make(folder):
    odd = folder / "data" / "raw" / "regio" / "JZ08" / "kopie van budget; $(x).csv"
    odd.parent.mkdir(parents=True)
    odd.write_text("x")
    result, entries = make(folder, "clean-data")
    assert result.returncode == 0, result.stderr
    assert entries[-1]["argv"] == ["-m", "jeugdmonitor.cli", "clean", "--year", "2023"]


def test_the_cleaning_stage_refuses_a_name_make_cannot_follow(project):
    from jeugdmonitor import errors, paths
    from jeugdmonitor.sources import raw
    raw.check_file_names(paths.RAW_DIR)  # the bundled names are all fine
    odd = paths.RAW_DIR / "regio" / "JZ08" / "kopie van budget.csv"
    odd.write_text("x")
    with pytest.raises(errors.RawDataError, match="kopie van budget.csv.*hernoem") as caught:
        raw.check_file_names(paths.RAW_DIR)
    assert caught.value.exit_code == errors.EXIT_BAD_INPUT


@pytest.mark.parametrize("name", ["REGIO", "SOORT", "BESTAND", "PERIODE"])
def test_a_hostile_import_value_is_refused_by_the_command_line(project, monkeypatch, capsys, name):
    """The real command line, as make calls it: a hostile value is an invalid value (exit 2, a
    message naming it), and nothing is stored in data/raw/."""
    marker = project / "GERAAKT"
    before = sorted(p.relative_to(project).as_posix() for p in (project / "data" / "raw").rglob("*"))
    good = {"REGIO": "JZ08", "SOORT": "trajecten", "BESTAND": str(project / "geen.csv"), "PERIODE": "2019-2024"}
    for text in hostile_values(marker):
        for key, value in {**good, name: text}.items():
            monkeypatch.setenv(makeargs.PREFIX + key, value)
        try:
            code = makeargs.main(["import"])
        except SystemExit as stop:  # argparse refuses a value it does not accept
            code = stop.code
        assert code == 2, f"{name}={text!r}"
        assert not marker.exists()
        err = capsys.readouterr().err
        assert "Traceback" not in err
    after = sorted(p.relative_to(project).as_posix() for p in (project / "data" / "raw").rglob("*"))
    assert after == before
