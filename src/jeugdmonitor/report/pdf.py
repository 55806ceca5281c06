"""Printable PDFs of a year's published pages: reports/<year>/pdf/<code>.pdf (`make pdf YEAR=...`).

One job: lay out each municipality report (GM….html) and each region overview (regio-….html)
of reports/<year>/ for print with WeasyPrint, one PDF per page. The pages' own print styles
do the layout (template index.html.j2: A4, "pagina n van m" at the bottom, the
fictitious-data label in the top margin of every page, no chart or table cut across pages);
PRINT_CSS adds that only the static SVG charts are printed (an interactive chart view is
hidden). WeasyPrint may read files inside reports/<year>/ and data: URLs only, so a page
that needs anything else stops the run. PDFs are written to reports/<year>/.pdf-bouw/ and
replace reports/<year>/pdf/ only when every page converted; nothing is written elsewhere.
A page that does not convert stops the run with an error naming it (exit 4 from the CLI).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jeugdmonitor import paths
from jeugdmonitor.errors import PdfError

PDF_DIR = "pdf"  # inside reports/<year>/
# output names from validated codes only: reports, their bijlagen, region overviews, the index and the verantwoording
PAGE_NAME = re.compile(r"^(GM\d{4}(-bijlage)?|regio-[A-Z]{2}\d{2,4}|index|verantwoording)\.html$")
PDF_VARIANT = "pdf/ua-1"  # tagged for screen readers (PDF/UA): structure, language and title
PRINT_CSS = """
@media print {
  .jm-grafiek-interactief { display: none !important; }
  figure.jm-grafiek, .jm-grafiek-statisch img, .jm-kpi table, .jm-tabel { break-inside: avoid; }
}
"""
log = logging.getLogger("jeugdmonitor")



def pages(year: int, codes: Sequence[str] | None = None) -> list[Path]:
    """The pages of reports/<year>/ that get a PDF: every municipality report and region
    overview, or only those of `codes` (GM0503, regio-JZ31 or JZ31)."""
    report_dir = paths.report_dir(year)
    if not (report_dir / "index.html").exists():
        raise PdfError(f"{report_dir}/index.html ontbreekt: geen gepubliceerde rapporten voor {year} "
                       f"(voer `make reports YEAR={year}` uit)")
    found = sorted(p for p in report_dir.glob("*.html") if PAGE_NAME.match(p.name))
    if codes:
        wanted = {c if c.startswith(("GM", "regio-")) or c in ("index", "verantwoording") else f"regio-{c}" for c in codes}
        appendices = {f"{c}-bijlage" for c in wanted if c.startswith("GM")}  # a report prints with its bijlage
        chosen = [p for p in found if p.stem in wanted | appendices]
        missing = sorted(wanted - {p.stem for p in chosen})
        if missing:
            raise PdfError(f"geen pagina voor {', '.join(missing)} in {report_dir}")
        return chosen
    if not found:
        raise PdfError(f"{report_dir} bevat geen gemeenterapport (GM….html)")
    return found


def _fetcher(page: Path, root: Path):  # noqa: ANN202 - a weasyprint.URLFetcher
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        """data: URLs and files inside `root`; anything else stops the conversion."""

        def fetch(self, url: str, headers: dict[str, str] | None = None):  # noqa: ANN201
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                target = Path(unquote(parts.path)).resolve()
                if target.is_relative_to(root):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"{page}: verwijst naar {url}, buiten {root} (een geprinte pagina mag alleen de bestanden "
                                        "van haar eigen jaar gebruiken)")

    return LocalOnly()


def convert(page: Path, target: Path, root: Path) -> Path:
    """One page to one PDF; PdfError naming the page when it does not convert."""
    try:
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError
    except OSError as error:  # WeasyPrint loads Debian's Pango with cffi at import
        raise PdfError(f"WeasyPrint kan Pango niet laden ({error}): apt-get install libpango-1.0-0 libpangoft2-1.0-0") from error
    try:
        document = weasyprint.HTML(filename=str(page), url_fetcher=_fetcher(page, root), media_type="print")
        document.write_pdf(target, stylesheets=[weasyprint.CSS(string=PRINT_CSS)], pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as error:
        raise PdfError(f"{page} is niet naar PDF omgezet: {error}") from None
    except Exception as error:  # whatever stops WeasyPrint, re-raised naming the page
        raise PdfError(f"{page} is niet naar PDF omgezet: {type(error).__name__}: {error}") from error
    if not target.exists() or target.stat().st_size == 0:
        raise PdfError(f"{page} is niet naar PDF omgezet: {target} is leeg")
    return target


def run_pdf(year: int, codes: Sequence[str] | None = None) -> Path:
    """PDFs of the chosen pages of `year` in reports/<year>/pdf/; all or nothing."""
    report_dir = paths.report_dir(year).resolve()
    chosen = pages(year, codes)
    staging = report_dir / f".{PDF_DIR}-bouw"
    if staging.exists():
        shutil.rmtree(staging)  # left by an interrupted run
    staging.mkdir()
    try:
        for number, page in enumerate(chosen, start=1):
            convert(page, staging / f"{page.stem}.pdf", report_dir)
            print(f"[{number:>2}/{len(chosen)}] {page.stem}.pdf", flush=True)
    except BaseException:
        shutil.rmtree(staging)
        raise
    target = report_dir / PDF_DIR
    if codes:  # a subset: replace only its own PDFs
        target.mkdir(exist_ok=True)
        for made in sorted(staging.iterdir()):
            made.replace(target / made.name)
        staging.rmdir()
        return target
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target
