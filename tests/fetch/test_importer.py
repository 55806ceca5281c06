"""Tests for jeugdmonitor.fetch.importer (`make import`): a region's export as Dutch spreadsheets write
it is checked with the cleaning stage's checks and placed in data/raw/regio/ with its sidecar."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor import cli, paths, vocabulary
from jeugdmonitor.definitions import config
from jeugdmonitor.fetch import importer
from jeugdmonitor.sources import exports, quarter_exports, raw


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


# ------------------------------------------------------------------ the monthly realisation (quarter reports)
def monthly_text(project: Path, region: str = "JZ08") -> str:
    return (region_dir(project, region) / "realisatie_maand.csv").read_text(encoding="utf-8")


def test_a_monthly_realisation_is_stored_in_the_contracts_form_with_its_period(project, tmp_path):
    contract_text = monthly_text(project).replace("Jeugdbescherming en jeugdreclassering", "Jeugdbescherming en coördinatie")
    export = tmp_path / "Realisatie per maand Flevoland.csv"
    export.write_bytes(as_spreadsheet_csv(contract_text, "cp1252", False))
    assert b"\r\n" in export.read_bytes() and b";331.824,00;" in export.read_bytes()

    result = importer.import_export(config.load(), "JZ08", "realisatie_maand", export, retrieved=dt.date(2026, 12, 1))

    stored = region_dir(project, "JZ08") / "realisatie_maand.csv"
    assert stored.read_bytes() == contract_text.encode("utf-8")  # `;`, UTF-8, LF, whole numbers, dd-mm-yyyy
    meta = raw.verify(stored)
    assert meta["origineel"] == {"bestand": export.name, "sha256": raw.sha256(export)}
    assert meta["periode"] == {"van": "2019-01-01", "tot": "2024-12-31"}  # from the file's first and last month
    assert meta["tabel"] == "regio-export realisatie per maand" and meta["titel"] == "realisatie per maand, Flevoland"
    assert meta["opgehaald"] == "2026-12-01" and meta["fictief"] is False and {"bron", "url", "licentie"} <= set(meta)
    assert result.period == (dt.date(2019, 1, 1), dt.date(2024, 12, 31)) and result.rows == len(contract_text.splitlines()) - 1
    assert any("afgeleid uit de data (eerste en laatste maand)" in note for note in result.notes)
    assert len(quarter_exports.read_monthly_spending(config.load(), "JZ08")) == result.rows  # the quarter reads it


def test_a_monthly_realisation_workbook_is_placed_as_it_is_with_the_given_period(project, tmp_path):
    frame = pd.read_csv(region_dir(project, "JZ08") / "realisatie_maand.csv", sep=";", dtype=str)
    frame["peildatum"] = pd.to_datetime(frame["peildatum"], format="%d-%m-%Y")
    frame["gerealiseerd_euro"] = frame["gerealiseerd_euro"].astype(int)
    workbook = tmp_path / "realisatie.xlsx"
    frame.to_excel(workbook, index=False)

    assert cli.main(["import", "--regio", "JZ08", "--soort", "realisatie_maand", "--bestand", str(workbook),
                     "--periode", "2019-2025"]) == 0

    stored = region_dir(project, "JZ08") / "realisatie_maand.xlsx"
    assert stored.read_bytes() == workbook.read_bytes()
    assert not (region_dir(project, "JZ08") / "realisatie_maand.csv").exists()
    assert raw.verify(stored)["periode"] == {"van": "2019-01-01", "tot": "2025-12-31"}


def _drop_status(text: str) -> str:
    return "\n".join(line.rsplit(";", 1)[0] for line in text.splitlines()) + "\n"


@pytest.mark.parametrize(("case", "column"), [
    ("missing_column", "status"),
    ("unknown_status", "status"),
    ("outside_region", "gemeentecode"),
    ("text_amount", "gerealiseerd_euro"),
    ("outside_period", "peildatum"),
    ("empty_date", "peildatum"),
    ("month_twice", "peildatum"),
])
def test_a_bad_monthly_realisation_is_refused_naming_file_column_and_rows(project, tmp_path, capsys, case, column):
    text = monthly_text(project)
    lines = text.splitlines()
    bad_rows = [5, 9]
    changed = {
        "unknown_status": lambda line: line.replace(";definitief", ";afgesloten"),
        "outside_region": lambda line: line.replace(";GM0034;", ";GM0482;"),  # Alblasserdam, Zuid-Holland Zuid
        "text_amount": lambda line: re.sub(r";\d+;(\w+)$", r";onbekend;\1", line),
        "outside_period": lambda line: line,
        "empty_date": lambda line: ";" + line.split(";", 1)[1],  # no peildatum
        "month_twice": lambda line: "15-01-2019;" + line.split(";", 1)[1],  # April and August 2019 become January
    }
    if case == "missing_column":
        bad_text, bad_rows = _drop_status(text), []
    else:
        bad_text = "\n".join(changed[case](line) if n in bad_rows else line for n, line in enumerate(lines, start=1)) + "\n"
        assert bad_text != text or case == "outside_period"
    source = tmp_path / "realisatie_maand export.csv"
    source.write_text(bad_text, encoding="utf-8")
    folder = project / "data" / "raw"
    before = snapshot(folder)
    period = ["--periode", "2019-01-01:2019-03-31"] if case == "outside_period" else []

    assert cli.main(["import", "--regio", "JZ08", "--soort", "realisatie_maand", "--bestand", str(source), *period]) == 2

    err = capsys.readouterr().err
    where = f"{source}, kolom {column!r}"
    if case == "outside_period":  # every row after March 2019
        assert f"{where}, regels 5, 6, 7, 8, 9 (en " in err and "buiten de periode 2019-01-01 - 2019-03-31" in err
    elif bad_rows:
        named = [2, *bad_rows] if case == "month_twice" else bad_rows  # row 2 is January 2019 of the same line
        assert f"{where}, regels {', '.join(str(r) for r in named)}:" in err
    else:
        assert where in err and "ontbrekende kolom" in err
    assert snapshot(folder) == before
    assert sorted(p.name for p in (folder / "regio").iterdir()) == ["JZ08", "JZ24", "JZ31", "JZ36"]


def _monthly_with(project: Path, tmp_path: Path, rows: list[int], change) -> Path:  # noqa: ANN001
    lines = monthly_text(project).splitlines()
    source = tmp_path / "realisatie_maand export.csv"
    source.write_text("\n".join(change(line) if n in rows else line for n, line in enumerate(lines, start=1)) + "\n",
                      encoding="utf-8")
    return source


def test_a_monthly_realisation_with_markup_fails_its_gx_suite_and_nothing_is_placed(project, tmp_path, capsys):
    """The suite ruw_realisatie_maand runs after the reader: markup in a budget line is critical (exit 3)."""
    source = _monthly_with(project, tmp_path, [4, 7], lambda line: line.replace(";Jeugdbescherming", ";<b>Jeugdbescherming</b>", 1))
    assert source.read_text(encoding="utf-8").count("<b>") == 2
    before = snapshot(project / "data" / "raw")

    assert cli.main(["import", "--regio", "JZ08", "--soort", "realisatie_maand", "--bestand", str(source)]) == 3

    err = capsys.readouterr().err
    assert f"{source}, kolom 'begrotingspost', regels 4, 7:" in err and "opmaakcode (HTML)" in err
    assert snapshot(project / "data" / "raw") == before


def test_a_negative_month_is_placed_with_a_warning_naming_file_column_and_line(project, tmp_path, capsys):
    """A correction (a negative amount in a month) is rare but real: a warning, not a refusal."""
    source = _monthly_with(project, tmp_path, [6], lambda line: re.sub(r";(\d+);(\w+)$", r";-\1;\2", line))

    assert cli.main(["import", "--regio", "JZ08", "--soort", "realisatie_maand", "--bestand", str(source)]) == 0

    out = capsys.readouterr().out
    assert f"waarschuwing: {source}, kolom 'gerealiseerd_euro', regels 6:" in out and "correctie" in out


def test_a_monthly_realisation_is_refused_for_a_region_that_does_not_report_per_quarter(project, tmp_path, capsys):
    source = tmp_path / "realisatie_maand.csv"
    source.write_bytes((region_dir(project, "JZ24") / "realisatie_maand.csv").read_bytes())
    before = snapshot(project / "data" / "raw")

    assert cli.main(["import", "--regio", "JZ24", "--soort", "realisatie_maand", "--bestand", str(source)]) == 2

    err = capsys.readouterr().err
    assert "JZ24" in err and "rapporteert niet per kwartaal" in err and "config/kwartaal.yaml (wel JZ08, JZ31)" in err
    assert snapshot(project / "data" / "raw") == before


def test_the_command_line_offers_every_kind_the_importer_takes():
    parser = cli._parser()
    import_command = next(a for a in parser._subparsers._group_actions[0].choices["import"]._actions
                          if "--soort" in a.option_strings)
    assert tuple(import_command.choices) == importer.KINDS == vocabulary.EXPORT_KINDS
