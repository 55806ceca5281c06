"""Tests for jeugdmonitor.fetch.cli: `make fetch`'s command line, what it prints and its exit codes."""

from __future__ import annotations

import pytest

from jeugdmonitor import fetch

from .helpers import (
    IV3_DATA,
    IV3_TABLE,
    YOUTH_DATA,
    YOUTH_TABLE,
    closed_port,
    csv_rows,
)


def test_command_line_writes_and_reports(cbs_server, tmp_path, capsys):
    out = tmp_path / "raw"
    assert fetch.main(["--jaren", "2023", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for table in (YOUTH_TABLE, "85100NED", "03759ned", IV3_TABLE):
        assert table in printed
    assert "Gemeenten 2023 onbewerkte Iv3-data" in printed
    assert str(out / YOUTH_DATA) in printed
    assert f"{out / IV3_DATA}  12 rijen, jaren 2023, 3 gebieden" in printed
    assert "Gebieden in Nederland 2023" in printed  # the area table, fetched by default too
    assert "22 bestanden" in printed  # 4 + 5 + 6 + 5 (Iv3: data and four dimensions) + 2 (area table and RegioS)
    assert "--regio" not in printed
    assert fetch.main(["--jaren", "2023", "--regio", "GM0518", "--tabel", "cbs_jeugdzorg", "--out", str(out)]) == 0
    assert {r["RegioS"] for r in csv_rows(out / YOUTH_DATA)} == {"GM0518  "}


def test_command_line_without_network_exits_non_zero(tmp_path, monkeypatch, capsys):
    out = tmp_path / "raw"
    port = closed_port()
    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{port}")
    assert fetch.main(["--jaren", "2015-2024", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "FOUT" in err and f"127.0.0.1:{port}" in err and "ongewijzigd" in err
    assert not out.exists()
    with pytest.raises(SystemExit) as exit_info:
        fetch.main(["--jaren", "2024-2015"])
    assert exit_info.value.code == 2
