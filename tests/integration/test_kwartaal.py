"""`make kwartaal KWARTAAL=2024-K2` on a copy of the project, built once per session: the figures
backtested with the csv module against data/raw/, the pages as a reader sees them (axe-core, no
clipped text at 390 px, PDF), a refused quarter, and a rerun that changes no byte."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import shutil
from html import unescape
from pathlib import Path

import pypdf
import pytest

from jeugdmonitor.devtools import browser as browser_module

from .conftest import make_copy, run

pytestmark = pytest.mark.integration

QUARTER = "2024-K2"
START, END = dt.date(2024, 4, 1), dt.date(2024, 6, 30)
MUNICIPALITY, NAME = "GM0034", "Almere"
PAGES = (f"{MUNICIPALITY}.html", "regio-JZ08.html", "regio-JZ31.html", "GM0505.html", "index.html")


@pytest.fixture(scope="session")
def quarter_built(tmp_path_factory) -> Path:
    """The project copy after one `make kwartaal`; JEUGDMONITOR_TEST_KWARTAAL=<folder> keeps and reuses it."""
    keep = os.environ.get("JEUGDMONITOR_TEST_KWARTAAL")
    if keep and (Path(keep) / "reports" / QUARTER / "index.html").exists():
        return Path(keep)
    if keep and Path(keep).exists():
        shutil.rmtree(keep)
    root = make_copy(Path(keep) if keep else tmp_path_factory.mktemp("kwartaal"))
    result = run(root, "make", "kwartaal", f"KWARTAAL={QUARTER}")
    (root / "make-output.txt").write_text(result.stdout + result.stderr)
    return root


def _text(page: Path) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())


def _rows(root: Path, name: str) -> list[dict[str, str]]:
    with (root / "data" / "raw" / "regio" / "JZ08" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d-%m-%Y").date()


def _dutch(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def test_every_page_of_the_quarter_is_published(quarter_built):
    out = quarter_built / "reports" / QUARTER
    for page in PAGES:
        assert (out / page).is_file(), page
    assert len(list(out.glob("GM*.html"))) == 16  # Flevoland (6) and Zuid-Holland Zuid (10)
    assert not list((quarter_built / "reports").glob(".bouw-*"))


def test_backtest_against_the_raw_exports_with_the_csv_module(quarter_built):
    text = _text(quarter_built / "reports" / QUARTER / f"{MUNICIPALITY}.html")
    started = sum(1 for r in _rows(quarter_built, "trajecten.csv")
                  if r["gemeentecode"] == MUNICIPALITY and START <= _date(r["startdatum"]) <= END)
    assert f"begonnen {_dutch(started)} trajecten" in text
    end_of_quarter = next(r for r in _rows(quarter_built, "wachttijden.csv")
                          if r["gemeentecode"] == MUNICIPALITY and r["peildatum"] == "30-06-2024")
    assert (f"wachtten {_dutch(int(end_of_quarter['aantal_wachtenden']))} jongeren op jeugdhulp, van wie "
            f"{_dutch(int(end_of_quarter['aantal_zorgelijk_wachtenden']))} (") in text
    spent = sum(int(r["gerealiseerd_euro"]) for r in _rows(quarter_built, "realisatie_maand.csv")
                if r["gemeentecode"] == MUNICIPALITY and dt.date(2024, 1, 1) <= _date(r["peildatum"]) <= END)
    assert f"Tot en met juni 2024 is € {_dutch(spent)} uitgegeven" in text
    assert f"{NAME}: kwartaalrapportage" in text


def test_a_quarter_the_data_do_not_cover_is_refused_and_nothing_is_published(quarter_built):
    result = run(quarter_built, "make", "kwartaal", "KWARTAAL=2025-K2", check=False)
    assert result.returncode != 0
    assert "januari 2025" in result.stderr and "juni 2025" in result.stderr and "niets gepubliceerd" in result.stderr
    assert not (quarter_built / "reports" / "2025-K2").exists()
    bad = run(quarter_built, "make", "kwartaal", "KWARTAAL=2024-K2;touch gehackt", check=False)
    assert bad.returncode != 0 and "geen kwartaal" in bad.stderr
    assert not (quarter_built / "gehackt").exists()


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rerun_takes_every_page_over_and_changes_no_byte(quarter_built):
    out = quarter_built / "reports" / QUARTER
    before = _checksums(out)
    result = run(quarter_built, "make", "kwartaal", f"KWARTAAL={QUARTER}")
    assert "0 pagina's gebouwd" in result.stdout and "make reports" not in result.stdout  # no annual set 2024
    assert _checksums(out) == before
    (out / f"{MUNICIPALITY}.html").write_text("kapot", encoding="utf-8")  # a damaged page is rebuilt
    annual = quarter_built / "reports" / "2024"
    annual.mkdir()
    try:  # with an annual set of the year published, the command says how its index comes to link the quarter
        (annual / "index.html").write_text("<html></html>", encoding="utf-8")
        result = run(quarter_built, "make", "kwartaal", f"KWARTAAL={QUARTER}")
    finally:
        shutil.rmtree(annual)
    assert "1 pagina's gebouwd" in result.stdout and _checksums(out) == before
    assert "linkt naar het 2e kwartaal 2024 na `make reports YEAR=2024`" in result.stdout


@pytest.fixture(scope="module")
def reader(quarter_built):
    with browser_module.OfflineBrowser() as chromium:
        yield chromium


@pytest.mark.parametrize("page", PAGES)
def test_pages_pass_axe_and_nothing_is_clipped_on_a_phone(quarter_built, reader, page):
    path = quarter_built / "reports" / QUARTER / page
    visit = reader.visit(path)
    assert visit.violations == [], visit.describe_violations()
    assert not visit.console_errors and not visit.outside_requests
    assert "Fictieve voorbeelddata" in visit.visible_text
    seen = reader.reading(path, 390)
    assert seen["clipped"] == [], f"{page}: clipped text {seen['clipped'][:5]}"
    assert seen["pageWidth"] <= seen["width"]


def test_a_quarter_page_prints_to_a_tagged_pdf(quarter_built, tmp_path):
    from jeugdmonitor.report import pdf
    out = quarter_built / "reports" / QUARTER
    target = pdf.convert(out / f"{MUNICIPALITY}.html", tmp_path / f"{MUNICIPALITY}.pdf", out)
    reader = pypdf.PdfReader(target)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "kwartaalrapportage" in text and "Wachtenden" in text and len(reader.pages) <= 4
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("nl")
