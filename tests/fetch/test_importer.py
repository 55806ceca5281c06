"""Tests for jeugdmonitor.fetch.importer (`make import`): a region's export as Dutch spreadsheets write
it is checked with the cleaning stage's checks and placed in data/raw/regio/ with its sidecar."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor import cli, paths
from jeugdmonitor.definitions import config
from jeugdmonitor.fetch import importer
from jeugdmonitor.sources import exports, raw


def region_dir(root: Path, region: str = "JZ31") -> Path:
    return root / "data" / "raw" / "regio" / region


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): raw.sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def as_spreadsheet_csv(text: str, encoding: str, bom: bool) -> bytes:
    """What Excel's "CSV (puntkomma-gescheiden)" gives: CRLF, dates without leading zeros,
    whole amounts with thousands dots and ",00", an empty last column."""
    def dutch(match: re.Match[str]) -> str:
        return f"{int(match.group(0)):,}".replace(",", ".") + ",00"

    lines = []
    for number, line in enumerate(text.splitlines()):
        if number:
            line = re.sub(r"\b0(\d)-0?(\d{1,2})-(\d{4})\b", lambda m: f"{m.group(1)}-{int(m.group(2))}-{m.group(3)}", line)
            line = re.sub(r"(?<=;)\d{4,}(?=;|$)", dutch, line)
        lines.append(line)
    data = (";\r\n".join(lines) + ";\r\n").encode(encoding)  # and an empty column at the end of every line
    return (b"\xef\xbb\xbf" + data) if bom else data


def test_an_excel_workbook_is_checked_and_placed_with_its_sidecar(project, tmp_path, capsys):
    stored_csv = region_dir(project) / "wachttijden.csv"
    frame = pd.read_csv(stored_csv, sep=";", dtype=str)
    frame["peildatum"] = pd.to_datetime(frame["peildatum"], format="%d-%m-%Y")  # real date cells
    for column in ("aantal_wachtenden", "mediaan_wachttijd_dagen", "aantal_zorgelijk_wachtenden"):
        frame[column] = frame[column].astype(int)
    workbook = tmp_path / "Wachttijden ZHZ 2019-2024.xlsx"
    frame.to_excel(workbook, index=False)

    assert cli.main(["import", "--regio", "JZ31", "--soort", "wachttijden", "--bestand", str(workbook)]) == 0

    stored = region_dir(project) / "wachttijden.xlsx"
    assert stored.read_bytes() == workbook.read_bytes()
    assert not stored_csv.exists() and not paths.raw_sidecar(stored_csv).exists()  # one file per contract
    meta = raw.verify(stored)
    assert meta["origineel"] == {"bestand": workbook.name, "sha256": raw.sha256(workbook)}
    assert meta["wachtnorm_dagen"] == 63 and meta["fictief"] is False and meta["opgehaald"] == dt.date.today().isoformat()
    assert {"bron", "tabel", "titel", "url", "licentie"} <= set(meta)
    assert len(exports.check_region_export(config.load(), "JZ31", "wachttijden", stored)[0]) == len(frame)
    assert "wachttijden.csv (met sidecar) vervangen door wachttijden.xlsx" in capsys.readouterr().out


@pytest.mark.parametrize(("kind", "encoding", "bom"), [("budget", "cp1252", False), ("trajecten", "utf-8", True)])
def test_a_spreadsheet_csv_is_stored_in_the_contracts_form(project, tmp_path, kind, encoding, bom):
    stored = region_dir(project) / f"{kind}.csv"
    contract_text = stored.read_text(encoding="utf-8")
    if kind == "budget":  # a name only Windows-1252 spells: the stored file is UTF-8 again
        contract_text = contract_text.replace("Jeugdbescherming en jeugdreclassering", "Jeugdbescherming en coördinatie")
    export = tmp_path / f"{kind} export.csv"
    export.write_bytes(as_spreadsheet_csv(contract_text, encoding, bom))
    assert b"\r\n" in export.read_bytes() and export.read_bytes() != contract_text.encode("utf-8")

    result = importer.import_export(config.load(), "JZ31", kind, export, retrieved=dt.date(2026, 12, 1))

    assert stored.read_text(encoding="utf-8") == contract_text  # `;`, UTF-8, LF, whole numbers, dd-mm-yyyy
    meta = raw.verify(stored)
    assert meta["origineel"] == {"bestand": export.name, "sha256": raw.sha256(export)}
    assert meta["opgehaald"] == "2026-12-01"
    if kind == "trajecten":  # derived from the data, as the sample's sidecar has it
        assert meta["periode"] == {"van": "2019-01-01", "tot": "2024-12-31"} and result.period[0] == dt.date(2019, 1, 1)
        assert any("afgeleid uit de data" in note for note in result.notes)
    else:
        assert any("cp1252" in note for note in result.notes)


def test_the_period_of_a_trajectory_export_can_be_given(project):
    stored = region_dir(project) / "trajecten.csv"
    source = project / "trajecten.csv"
    source.write_bytes(stored.read_bytes())

    importer.import_export(config.load(), "JZ31", "trajecten", source, importer.parse_period("2019-01-01:2025-06-30"))

    assert json.loads(paths.raw_sidecar(stored).read_text(encoding="utf-8"))["periode"] == {"van": "2019-01-01",
                                                                                               "tot": "2025-06-30"}
    with pytest.raises(config.ConfigError, match="PERIODE"):
        importer.parse_period("2024-2019")


def test_an_export_that_fails_its_contract_is_refused_and_nothing_is_placed(project, tmp_path, capsys):
    exports = project / "data" / "raw" / "regio"
    before = snapshot(exports)
    text = (region_dir(project) / "trajecten.csv").read_text(encoding="utf-8")
    bad = tmp_path / "trajecten.csv"
    bad.write_text(text.replace(";GM0505;", ";GM0999;"), encoding="utf-8")
    bad_rows = [n for n, line in enumerate(text.splitlines(), start=1) if ";GM0505;" in line]

    assert cli.main(["import", "--regio", "JZ31", "--soort", "trajecten", "--bestand", str(bad)]) == 2

    err = capsys.readouterr().err
    assert f"{bad}, kolom 'gemeentecode', regels {', '.join(str(r) for r in bad_rows[:5])}" in err and "GM0999" in err
    assert snapshot(exports) == before
    assert sorted(p.name for p in exports.iterdir()) == ["JZ08", "JZ24", "JZ31", "JZ36"]  # no staging left behind


def test_a_region_not_in_the_register_says_how_to_add_it(project, tmp_path, capsys):
    source = tmp_path / "budget.csv"
    source.write_text("jaar;gemeentecode\n", encoding="utf-8")

    assert cli.main(["import", "--regio", "JZ13", "--soort", "budget", "--bestand", str(source)]) == 2

    assert "make regio JZ=JZ13" in capsys.readouterr().err
    assert not (project / "data" / "raw" / "regio" / "JZ13").exists()
