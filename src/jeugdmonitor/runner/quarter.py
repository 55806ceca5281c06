"""The quarter stage (`make kwartaal KWARTAAL=2024-K2`): gate, clean for the quarter, pages, publish.

The same machinery as a report year, for a period that is a quarter:
1. the gate: the monthly realisation files (which no report year reads) under their reader's
   contract and their GX suite ruw_realisatie_maand, then `make validate YEAR=<the quarter's year>`
   (the Makefile's own DAG, so an up-to-date year costs a check): every other raw file is checked
   under its contract and by the GX checkpoint;
2. the quarter's tables (jeugdmonitor.clean.quarter) are cleaned into data/staging/<kwartaal>/ and
   published to data/clean/<kwartaal>/ by exchange; a quarter the exports do not cover is refused
   before anything is written, naming the months that are missing;
3. a page per municipality and region of the regions that report per quarter, and the index, each
   one papermill execution of notebooks/06_kwartaal.ipynb rendered to HTML, in reports/.bouw-<kwartaal>/,
   all in one warm kernel reset before each page (runner.workers, as a report year's workers do);
   a page whose inputs and parameters equal those in the published build manifest, and whose files
   are still those it wrote, is taken over instead of rebuilt;
4. the finished folder replaces reports/<kwartaal>/ in one step (publish.swap_into_place): all or nothing;
   when the year has a published annual set, one line says that its index links the quarter after
   `make reports YEAR=<year>` (the annual index depends on the published quarters, not the reverse).
Nothing in a page or the manifest depends on the clock, so a rerun is byte for byte the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import papermill

from jeugdmonitor import paths, publish
from jeugdmonitor.clean import quarter as quarter_tables
from jeugdmonitor.definitions import config
from jeugdmonitor.period import Quarter, parse_quarter
from jeugdmonitor.report import export, templates
from jeugdmonitor.report import quarter as quarter_pages
from jeugdmonitor.runner import deps, runlock, workers
from jeugdmonitor.runner.kernel import StageError
from jeugdmonitor.sources import raw
from jeugdmonitor.sources.rawdata import RawFile

NOTEBOOK_NAME = "06_kwartaal.ipynb"
PAGE_KIND = "kwartaal"  # its templates: templates/pages/kwartaal/ and the shared ones (runner.deps)
INDEX = "index"
TIMING_KEYS = ("start_time", "end_time", "duration", "exception")
log = logging.getLogger("jeugdmonitor")


def run_gate(year: int) -> None:
    """The yearly gate on the raw files, through the Makefile (stale-only); StageError when it fails."""
    make = shutil.which("make")
    if make is None:
        raise StageError("make is niet gevonden: de kwaliteitspoort draait via `make validate`")
    result = subprocess.run([make, "--no-print-directory", "validate", f"YEAR={year}"], cwd=paths.PROJECT_ROOT, check=False)
    if result.returncode != 0:
        raise StageError(f"de kwaliteitspoort (make validate YEAR={year}) is niet geslaagd (exit {result.returncode}); "
                         f"er is niets gepubliceerd")


def check_monthly_spending(files: list[RawFile]) -> None:
    """The GX suite ruw_realisatie_maand on each region's monthly realisation as read: the yearly
    gate does not read these files. A critical failure stops the quarter (DataQualityError, exit 3)
    naming the file, the column and its lines, before anything is written; a warning is printed."""
    from jeugdmonitor import quality  # GX takes seconds to import: only the quarter stage loads it here
    for line in quality.warning_lines(quality.validate_raw(files)):
        print(line, flush=True)


def clean_quarter(quarter: Quarter, tables: dict[str, Any]) -> Path:
    """The quarter's tables, staged and then published to data/clean/<kwartaal>/ in one step."""
    staging = paths.staging_dir(quarter)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for name, frame in sorted(tables.items()):
        frame.to_parquet(staging / paths.table_filename(name), index=False)
    return publish.swap_into_place(staging, paths.clean_dir(quarter))


def _digest(parts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def input_checksums(quarter: Quarter) -> dict[str, str]:
    """sha256 of every input of the quarter's pages: its tables, config/, the notebook, the templates
    and package modules a quarter page uses (derived as for a report year's pages, runner.deps: an
    annual report template or a fetch module is no input), and which annual set the pages link (a
    newer one published makes every page stale)."""
    modules = deps.page_modules(str(paths.notebook(NOTEBOOK_NAME)), "runner.quarter")
    used = {paths.TEMPLATE_DIR: lambda relative: deps.page_uses_template(PAGE_KIND, relative),
            paths.PACKAGE_DIR: lambda relative: relative in modules}
    folders = [(paths.clean_dir(quarter), "*"), (paths.CONFIG_DIR, "*"), (paths.TEMPLATE_DIR, "*"), (paths.PACKAGE_DIR, "*.py")]
    result = {paths.display_path(p): raw.sha256(p) for folder, pattern in folders
              for p in sorted(folder.rglob(pattern)) if p.is_file() and "__pycache__" not in p.parts
              and used.get(folder, lambda _: True)(p.relative_to(folder).as_posix())}
    result[NOTEBOOK_NAME] = raw.sha256(paths.notebook(NOTEBOOK_NAME))
    result["jaarrapport"] = str(publish.latest_annual_set(quarter.year))  # the annual set the pages link
    return result


def _scrub(notebook: nbformat.NotebookNode, executed: Path) -> None:
    """Remove what papermill records of the clock (and the random id of the cell it adds) from the
    executed notebook, and save it as `executed`, so that it is reproducible."""
    for meta in [notebook.metadata.get("papermill", {}), *(c.metadata.get("papermill", {}) for c in notebook.cells)]:
        for key in TIMING_KEYS:
            meta.pop(key, None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", ()):
            cell.id = "ingevoegde-parameters"  # papermill gives the cell it adds a random id
    nbformat.write(notebook, executed)


def warm_code() -> str:
    """Run once in the stage's kernel: the imports every page of a quarter needs (the tables are
    read by the first page and kept by report.quarter.load_tables, which the reset between pages keeps)."""
    return "from jeugdmonitor.report import quarter as _jm_quarter\ndel _jm_quarter"


def _build_page(worker: workers.Worker, quarter: Quarter, code: str, title: str, staging: Path,
                banner: str | None) -> list[str]:
    """One page: the notebook executed with its parameters in the stage's warm kernel (reset before
    each page, as the report year's workers do), then its HTML; the files it wrote."""
    page, executed = (staging / name for name in page_files(code))
    try:
        notebook = workers.execute_in(worker, NOTEBOOK_NAME, executed, {"kwartaal": str(quarter), "gebied": code})
    except papermill.PapermillExecutionError as error:  # the stage stops: its kernel with it
        raise StageError(f"{NOTEBOOK_NAME} ({code}, {quarter}) is mislukt: {error.ename}: {error.evalue}\n"
                         f"uitgevoerd notebook bewaard om na te kijken: {executed}") from error
    _scrub(notebook, executed)
    export.node_to_html(notebook, executed, page, title, banner)
    return page_files(code)


def page_files(code: str) -> list[str]:
    """The files page `code` writes, relative to its set's folder: its HTML (index.html,
    regio-JZ08.html or GM0034.html) and its executed notebook."""
    page = (paths.INDEX_PAGE_NAME if code == INDEX
            else paths.region_page_name(code) if code.startswith("JZ") else paths.report_page_name(code))
    return [page, f"{paths.EXECUTED_NOTEBOOK_DIR_NAME}/{code}.ipynb"]


def _published(quarter: Quarter) -> dict[str, Any]:
    """The published set's pages as its build manifest records them ({} when there is none). A
    manifest that cannot be read, or is not of this shape, is named in a warning and every page
    is rebuilt: it is never trusted, and never stops the quarter."""
    manifest = paths.build_manifest(paths.report_dir(quarter))
    if not manifest.is_file():
        return {}
    try:
        pages = json.loads(manifest.read_text(encoding="utf-8")).get("paginas")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError) as error:
        return _unreadable(manifest, f"geen leesbaar bouwmanifest ({type(error).__name__})")
    if not isinstance(pages, dict) or not all(
            isinstance(e, dict) and isinstance(e.get("invoer"), str) and isinstance(e.get("uitvoer"), dict)
            and all(isinstance(f, str) and isinstance(sha, str) for f, sha in e["uitvoer"].items())
            for e in pages.values()):
        return _unreadable(manifest, "niet de vorm van een bouwmanifest")
    return pages


def _unreadable(manifest: Path, reason: str) -> dict[str, Any]:
    print(f"waarschuwing: {paths.display_path(manifest)}: {reason}; alle pagina's worden opnieuw gebouwd", flush=True)
    return {}


def _take_over(entry: dict[str, Any] | None, digest: str, quarter: Quarter, code: str, staging: Path) -> bool:
    """Copy a page's files from the published set when its inputs are the same and its files unchanged.
    Only the files the page writes are copied: a manifest naming others (edited by hand, or a path
    out of the folder) is not trusted, and the page is rebuilt."""
    if not entry or entry.get("invoer") != digest or sorted(entry["uitvoer"]) != sorted(page_files(code)):
        return False
    source = paths.report_dir(quarter)
    if any(not (source / f).is_file() or raw.sha256(source / f) != sha for f, sha in entry["uitvoer"].items()):
        return False
    for name in entry["uitvoer"]:
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, staging / name)
    return True


def build_pages(quarter: Quarter, force: bool = False) -> Path:
    """Every page of the quarter in a staging folder, then published in one step."""
    staging = paths.report_staging_dir(quarter)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    inputs = _digest(input_checksums(quarter))
    published = {} if force else _published(quarter)
    entries: dict[str, Any] = {}
    # the fictitious-data banner on every page when the exports are the bundled sample
    banner = templates.word("label_fictief") if quarter_pages.fictitious() else None
    todo = [(code, f"{name}: kwartaalrapportage {quarter.label}") for code, _, name in quarter_pages.page_codes(str(quarter))]
    todo.append((INDEX, f"Kwartaalrapportages jeugdhulp, {quarter.label}"))
    with contextlib.ExitStack() as stack:
        worker = None  # the kernel starts with the first page to build: taking every page over needs none
        for number, (code, title) in enumerate(todo, start=1):
            digest = _digest({"invoer": inputs, "parameters": {"kwartaal": str(quarter), "gebied": code}})
            if _take_over(published.get(code), digest, quarter, code, staging):  # its checksums verified there
                status, outputs = "overgenomen", published[code]["uitvoer"]
            else:
                worker = worker or stack.enter_context(workers.warm_kernel(warm_code()))
                files = _build_page(worker, quarter, code, title, staging, banner)
                status, outputs = "gebouwd", {f: raw.sha256(staging / f) for f in files}
            entries[code] = {"invoer": digest, "status": status, "uitvoer": outputs}
            print(f"[{number:>2}/{len(todo)}] {code} {status}", flush=True)
    manifest = {"kwartaal": str(quarter), "paginas": {k: {key: v for key, v in e.items() if key != "status"}
                                                      for k, e in entries.items()}}
    paths.build_manifest(staging).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    built = sum(e["status"] == "gebouwd" for e in entries.values())
    target = publish.swap_into_place(staging, paths.report_dir(quarter))
    print(f"kwartaal {quarter}: {built} pagina's gebouwd, {len(entries) - built} ongewijzigd overgenomen, "
          f"gepubliceerd in {paths.display_path(target)}")
    return target


def run(text: str, force: bool = False) -> Path:
    """`make kwartaal`: the quarter named by `text` ('2024-K2'), from the gate to the published templates."""
    quarter = parse_quarter(text)  # a malformed value stops here, before anything runs
    # an uncovered quarter is refused (naming its missing months) before the gate or anything else runs
    files: list[RawFile] = []
    tables = quarter_tables.build_tables(config.load(), quarter, files)
    check_monthly_spending(files)
    run_gate(quarter.year)
    with runlock.year_lock(str(quarter), "kwartaal"):  # type: ignore[arg-type]  # the lock file is named by the period
        clean_quarter(quarter, tables)
        target = build_pages(quarter, force)
    note_annual_index(quarter)
    return target


def note_annual_index(quarter: Quarter) -> None:
    """Tell the user that the published annual set of the quarter's year links the quarter only
    after its next build: the annual run is never started from here (nor read as an input)."""
    annual = paths.report_index(paths.report_dir(quarter.year))
    if annual.is_file():
        print(f"de index van de jaarrapportage {quarter.year} ({paths.display_path(annual)}) linkt naar het "
              f"{quarter.label} na `make reports YEAR={quarter.year}`", flush=True)
