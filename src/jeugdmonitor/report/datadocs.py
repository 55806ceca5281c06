"""The Data Docs a report set publishes: the pages of the validation recorded in the stamp,
checked to be there, and their offline copy under reports/<year>/datadocs/ (no CDN, a plain
Dutch index, the fictitious-data label on every page).

Files only, no GX: the report runner checks and copies the pages without loading GX (seconds
of every run). `quality.gate` records which pages a validation made."""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path
from typing import Any

import jinja2

from jeugdmonitor import paths
from jeugdmonitor.errors import DataQualityError
from jeugdmonitor.paths import display_path

REMOTE_LOAD = re.compile(r"<(?:script|link|img)\b[^>]*?(?:src|href)=\"https?://[^>]*>(?:\s*</script>)?", re.S)


# GX marks results with Font Awesome icons; without that stylesheet they need a text stand-in
OFFLINE_STYLE = ('<style>.fa-check-circle::before{content:"\\2714  geslaagd";color:#0b5d1e}'
                 '.fa-times::before{content:"\\2718  mislukt";color:#8b0000}'
                 '.jm-fictief{background:#fff3cd;border:2px solid #8a6d00;padding:.5em 1em;font-weight:bold}</style>')


def recorded_data_docs(validation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The Data Docs pages that the validation stamp records, each checked to be there."""
    site = paths.gx_data_docs_site()
    year = validation["jaar"]
    stamp = display_path(paths.validation_stamp(year))
    # the stamp is up to date for make, so validating again means removing it first
    again = f"verwijder {stamp} en draai `make reports YEAR={year}` om opnieuw te valideren"
    pages = validation.get("datadocs")
    if not pages:
        raise DataQualityError(f"{stamp} noemt geen Data Docs-pagina's: {again}")
    missing = [entry["pagina"] for entry in pages.values() if not (site / entry["pagina"]).exists()]
    if missing:
        raise DataQualityError(f"de Data Docs-pagina's van de validatie in {stamp} zijn verdwenen uit {display_path(site)}: "
                               f"{missing[:3]}; {again}")
    return pages


def offline_data_docs(target: Path, validation: dict[str, Any], banner: str | None = None) -> Path:
    """Publish the Data Docs of the validation recorded in `validation` (the stamp of
    data/clean/<year>/) to `target`, so that they open with the network cut.

    Copied: GX's static files, the suite pages and the validation page of each clean table
    for this stamp, no other run (the working site in expectations/gx/uncommitted holds every
    run, including other years and failed ones). GX's own index fills its tables with
    JavaScript from a CDN and lists every run, so the copy gets a plain index of this run.
    GX's templates cannot be overridden (custom views only add templates), so the pages are
    post-processed: remote scripts, stylesheets and the logo are dropped (without Bootstrap
    they are plain HTML with GX's own stylesheet and every section visible), and `banner`
    (the fictitious-data label) is put at the top of every page."""
    site = paths.gx_data_docs_site()
    pages = recorded_data_docs(validation)
    shutil.copytree(site / "static", target / "static")
    for table, entry in pages.items():
        for page in (f"expectations/{table}.html", entry["pagina"]):
            (target / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site / page, target / page)
    (target / paths.INDEX_PAGE_NAME).write_text(_data_docs_index(validation, pages), encoding="utf-8")
    notice = f'<p class="jm-fictief">{escape(banner)}</p>' if banner else ""
    for page in target.rglob("*.html"):
        text = REMOTE_LOAD.sub("", page.read_text(encoding="utf-8"))
        text = text.replace("</head>", OFFLINE_STYLE + "</head>", 1)
        text = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + notice, text, count=1)
        if re.search(r"<(?:script|link|img)\b[^>]*?(?:src|href)=\"https?://", text):
            raise RuntimeError(f"{page} laadt nog een bron van buiten")
        page.write_text(text, encoding="utf-8")
    return target


TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(paths.DATA_DOCS_TEMPLATE_DIR),
    autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
INDEX_TEMPLATE = paths.DATA_DOCS_INDEX_TEMPLATE


def _data_docs_index(validation: dict[str, Any], pages: dict[str, dict[str, Any]]) -> str:
    """The plain index of the published Data Docs (templates/datadocs/index.html.j2)."""
    return TEMPLATES.get_template(INDEX_TEMPLATE).render(jaar=validation["jaar"], paginas=pages)
