"""`make pdf`: a built page becomes an A4 PDF with page numbers and the label on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
import pytest

from ..conftest import REPO_ROOT
from .conftest import YEAR, run

pytestmark = pytest.mark.integration

MUNICIPALITY = "GM1963"
FICTITIOUS = "Fictieve voorbeelddata"
A4_POINTS = (595.28, 841.89)
PYTHON = str(REPO_ROOT / ".venv" / "bin" / "python")


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def printed(built, tmp_path_factory):
    """The published pages of the main job, copied; `cli pdf` for one municipality."""
    root = tmp_path_factory.mktemp("pdf") / "project"
    shutil.copytree(built / "reports" / str(YEAR), root / "reports" / str(YEAR),
                    ignore=shutil.ignore_patterns("uitgevoerde-notebooks", "pdf"))
    before = files_under(root)
    result = run(root, PYTHON, "-m", "jeugdmonitor.cli", "pdf", "--year", str(YEAR), "--gemeente", MUNICIPALITY)
    return root, before, result


def test_pdf_is_a4_with_page_numbers_and_the_label_on_every_page(printed):
    root, _, _ = printed
    path = root / "reports" / str(YEAR) / "pdf" / f"{MUNICIPALITY}.pdf"
    assert path.read_bytes()[:5] == b"%PDF-"
    reader = pypdf.PdfReader(path)
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == tuple(round(x) for x in A4_POINTS), f"page {number}: {width}x{height} pt"
        text = " ".join(page.extract_text().split())
        assert FICTITIOUS in text, f"page {number} of {path.name} lacks the label"
        assert f"pagina {number} van {pages}" in text, f"page {number} of {path.name} lacks its page number"
    whole = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Hoeksche Waard" in whole and "Over deze cijfers" in whole and "Lijngrafiek van" in whole


def test_pdf_writes_nothing_but_its_own_file(printed):
    root, before, result = printed
    lock = f"data/staging/.run-{YEAR}.lock"  # every stage of a year holds the year's lock (runlock)
    assert files_under(root) - before == {f"reports/{YEAR}/pdf/{MUNICIPALITY}.pdf",
                                         f"reports/{YEAR}/pdf/{MUNICIPALITY}-bijlage.pdf", lock}
    assert f"{MUNICIPALITY}.pdf" in result.stdout


def test_a_page_that_does_not_convert_stops_the_run_naming_it(printed):
    root, _, _ = printed
    report_dir = root / "reports" / str(YEAR)
    bad = report_dir / "GM0001.html"  # loads an image from outside reports/<year>/
    bad.write_text('<!DOCTYPE html><html lang="nl"><body><p>kapot</p><img src="https://voorbeeld.invalid/x.png" alt="x">'
                   "</body></html>", encoding="utf-8")
    try:
        result = run(root, PYTHON, "-m", "jeugdmonitor.cli", "pdf", "--year", str(YEAR), "--gemeente", "GM0001", check=False)
    finally:
        bad.unlink()
    assert result.returncode == 4, result.stderr
    assert "GM0001.html" in result.stderr and "https://voorbeeld.invalid/x.png" in result.stderr
    assert not (report_dir / "pdf" / "GM0001.pdf").exists() and not (report_dir / ".pdf-bouw").exists()
    assert (report_dir / "pdf" / f"{MUNICIPALITY}.pdf").exists(), "the earlier PDF is left alone"


def test_an_unknown_page_is_refused(printed):
    root, _, _ = printed
    result = run(root, PYTHON, "-m", "jeugdmonitor.cli", "pdf", "--year", str(YEAR), "--gemeente", "GM9998", check=False)
    assert result.returncode == 4 and "GM9998" in result.stderr
