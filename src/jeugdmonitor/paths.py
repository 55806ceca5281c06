"""Every path the workbook reads or writes. Nothing else builds paths.

The project root is found from the package location (an editable install), or from
JEUGDMONITOR_ROOT, which tests use to run the pipeline on a copy of the project. A copied
project (`cp -r`) whose .venv still runs the original's code is refused by `check_project_tree`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT: Path
CONFIG_DIR: Path
NOTEBOOK_DIR: Path
RAW_DIR: Path
CLEAN_DIR: Path
STAGING_DIR: Path
EXPECTATIONS_DIR: Path
GX_DIR: Path
REPORTS_DIR: Path
LOG_DIR: Path


def use_root(root: Path | str) -> None:
    """Point every path at the project tree under `root` (tests use a copy of the project)."""
    global PROJECT_ROOT, CONFIG_DIR, NOTEBOOK_DIR, RAW_DIR, CLEAN_DIR, STAGING_DIR, EXPECTATIONS_DIR, GX_DIR, REPORTS_DIR, LOG_DIR
    PROJECT_ROOT = Path(root).resolve()
    CONFIG_DIR = PROJECT_ROOT / "config"
    NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
    RAW_DIR = PROJECT_ROOT / "data" / "raw"
    CLEAN_DIR = PROJECT_ROOT / "data" / "clean"
    STAGING_DIR = PROJECT_ROOT / "data" / "staging"
    EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
    GX_DIR = EXPECTATIONS_DIR / "gx"
    REPORTS_DIR = PROJECT_ROOT / "reports"
    LOG_DIR = PROJECT_ROOT / "logs"


ROOT_ENV = "JEUGDMONITOR_ROOT"
CODE_ROOT = Path(__file__).resolve().parents[2]  # the project tree holding the running code
use_root(os.environ.get(ROOT_ENV, CODE_ROOT))


def project_tree_of(folder: Path) -> Path | None:
    """The jeugdmonitor project tree `folder` lies in (its pyproject.toml names the package), or None."""
    for candidate in (folder, *folder.parents):
        marker = candidate / "pyproject.toml"
        if marker.is_file() and (candidate / "config").is_dir() and 'name = "jeugdmonitor"' in marker.read_text(encoding="utf-8"):
            return candidate.resolve()
    return None


def foreign_project_tree(cwd: Path | None = None, environ: os._Environ[str] | dict[str, str] | None = None) -> Path | None:
    """The project tree the command was started in when it is not the one the paths point at:
    a copy of the project whose .venv (an editable install) still runs the original's code. None
    when JEUGDMONITOR_ROOT says where to work, or the trees agree."""
    environ = os.environ if environ is None else environ
    if environ.get(ROOT_ENV):
        return None
    here = project_tree_of(Path.cwd() if cwd is None else cwd)
    # a tree that holds the running code, or that the paths were pointed at, is not foreign
    return here if here is not None and here not in (CODE_ROOT, PROJECT_ROOT) else None

CLEAN_NOTEBOOK_NAME = "01_opschonen.ipynb"
VALIDATE_NOTEBOOK_NAME = "02_valideren.ipynb"
REPORT_NOTEBOOK_NAME = "03_gemeenterapport.ipynb"
INDEX_NOTEBOOK_NAME = "04_overzicht.ipynb"
REGION_NOTEBOOK_NAME = "05_regio.ipynb"


def display_path(path: Path) -> str:
    """`path` as a message shows it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def notebook(name: str) -> Path:
    return NOTEBOOK_DIR / name


# templates ship with the package (not the project tree): nbconvert's page template and the
# Data Docs index
# the package folder: its templates and schemas are read from here
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
DATA_DOCS_TEMPLATE_DIR = TEMPLATE_DIR / "datadocs"
# the JSON schemas config/*.yaml is checked against (one per file, named after it)
SCHEMA_DIR = PACKAGE_DIR / "definitions" / "schemas"

# ---- file names the workbook writes (one place, so a name is changed once)
TABLE_SUFFIX = ".parquet"
SIDECAR_SUFFIX = ".meta.json"  # a raw file's provenance: `<file>.meta.json`
DATA_DOCS_INDEX_TEMPLATE = "index.html.j2"  # in DATA_DOCS_TEMPLATE_DIR
VALIDATION_STAMP_NAME = "validatie.json"
RAW_SUMMARY_NAME = "ruwe_validatie.json"
MANIFEST_NAME = "manifest.json"
STAGING_MARKER_SUFFIX = ".klaar.json"
INDEX_PAGE_NAME = "index.html"
INDEX_SCRIPT_NAME = "zoeken.js"  # the index's filter and search, beside the index page
ACCOUNTABILITY_PAGE_NAME = "verantwoording.html"  # the year's sources, checks and quality log
# notebook cells with these tags make a page of their own from the same executed notebook
APPENDIX_TAG = "bijlage"  # 03_gemeenterapport: the municipality's bijlage
ACCOUNTABILITY_TAG = "verantwoording"  # 04_overzicht: the year's verantwoording page
RUN_RECORD_NAME = "run.json"
BUILD_MANIFEST_NAME = "bouwmanifest.json"  # per page: status, seconds, parameters, input checksums
DATA_DOCS_DIR_NAME = "datadocs"  # inside reports/<year>/
EXECUTED_NOTEBOOK_DIR_NAME = "uitgevoerde-notebooks"
GX_UNCOMMITTED_NAME = "uncommitted"  # results and Data Docs inside expectations/gx/
GX_BUILD_PLACEHOLDER_NAME = ".gx-opbouw"


def table_filename(table: str) -> str:
    """The file of a clean table (`kpi_waarden` -> `kpi_waarden.parquet`)."""
    return f"{table}{TABLE_SUFFIX}"


def report_page_name(municipality: str) -> str:
    """A municipality's report page: from its code only (GM + 4 digits), never from a name, so
    no data value can steer a path outside reports/."""
    if not (len(municipality) == 6 and municipality.startswith("GM") and municipality[2:].isdigit()):
        raise ValueError(f"geen gemeentecode: {municipality!r}")
    return f"{municipality}.html"


def appendix_page_name(municipality: str) -> str:
    """A municipality's bijlage (the figures per indicator); the caller passes a validated code only."""
    return f"{municipality}-bijlage.html"


def region_page_name(region: str) -> str:
    """A jeugdregio's overview page: from its code only (JZ + 2 digits)."""
    if not (len(region) == 4 and region.startswith("JZ") and region[2:].isdigit()):
        raise ValueError(f"geen jeugdregiocode: {region!r}")
    return f"regio-{region}.html"


def figures_csv_name(municipality: str) -> str:
    """A report's figures as CSV, beside its page."""
    return f"{municipality}_cijfers.csv"


def overview_csv_name(year: int) -> str:
    """All areas' key figures of a year, beside the index page."""
    return f"overzicht_{year}.csv"


def gx_uncommitted_dir() -> Path:
    return GX_DIR / GX_UNCOMMITTED_NAME


GX_DATA_DOCS_SITE = "local_site"  # the name of the Data Docs site in the GX context


def gx_data_docs_site() -> Path:
    """The working Data Docs site of the GX context (every run: other years, failed runs)."""
    return gx_uncommitted_dir() / "data_docs" / GX_DATA_DOCS_SITE


def gx_build_placeholder() -> Path:
    """Placed in data/staging/ while the GX context is built (GX wants a file in an asset's folder)."""
    return STAGING_DIR / GX_BUILD_PLACEHOLDER_NAME

# GX resolves the data source's relative base directory against the working directory;
# jeugdmonitor.quality runs checkpoints from PROJECT_ROOT so this relative path is stable. The gate
# validates the staged tables; only tables that pass are moved to data/clean/.
GX_STAGING_BASE_RELATIVE = "data/staging"


def clean_dir(year: int | object) -> Path:
    """Clean tables for one report period: a year (harmonised to its boundaries) or a quarter (2024-K2)."""
    return CLEAN_DIR / str(year)


def clean_table(year: int, table: str) -> Path:
    return clean_dir(year) / table_filename(table)


def staging_dir(year: int | object) -> Path:
    """The cleaning stage writes here (per year or quarter); the data-quality gate moves the tables to clean_dir."""
    return STAGING_DIR / str(year)


def staging_table(year: int, table: str) -> Path:
    return staging_dir(year) / table_filename(table)


def staging_manifest(year: int) -> Path:
    """What the cleaning stage wrote (tables, checksums); copied into the staging marker."""
    return staging_dir(year) / MANIFEST_NAME


def raw_summary(year: int) -> Path:
    """The result of the raw-source checks, written by the cleaning stage beside its tables
    (and moved with them into data/clean/<year>/ by the gate)."""
    return staging_dir(year) / RAW_SUMMARY_NAME


def staging_marker(year: int) -> Path:
    """Written last by the cleaning stage, beside (not inside) the staging folder that the
    gate moves away: the Makefile target of the cleaning stage."""
    return STAGING_DIR / f"{year}{STAGING_MARKER_SUFFIX}"


def validation_stamp(year: int) -> Path:
    """Written only when every critical expectation passed for the year."""
    return clean_dir(year) / VALIDATION_STAMP_NAME


def report_dir(year: int | object) -> Path:
    """The published pages of a report period: a year, or a quarter (2024-K2)."""
    return REPORTS_DIR / str(year)


def report_index(base: Path) -> Path:
    """The index page of a report folder (reports/<year>/ or its staging folder)."""
    return base / INDEX_PAGE_NAME


def run_record(base: Path) -> Path:
    """What a report run built: municipalities, duration, commit."""
    return base / RUN_RECORD_NAME


def build_manifest(base: Path) -> Path:
    """What a report run built per page, with the checksums of its inputs (drives rebuilding only what is stale)."""
    return base / BUILD_MANIFEST_NAME


def data_docs_dir(base: Path) -> Path:
    """The offline Data Docs of the validation behind a report folder's figures."""
    return base / DATA_DOCS_DIR_NAME


def report_staging_dir(year: int | object) -> Path:
    """Reports (of a year or a quarter) are built here and moved to report_dir only when the whole run succeeded."""
    return REPORTS_DIR / f".bouw-{year}"


def executed_notebook_dir(base: Path) -> Path:
    """Executed notebooks are kept beside the outputs they produced, for audit."""
    return base / EXECUTED_NOTEBOOK_DIR_NAME


def run_lock(year: int) -> Path:
    """Held by the one run of a report year at a time (clean, validate, reports, pdf)."""
    return STAGING_DIR / f".run-{year}.lock"


def raw_sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def region_export_dir(region_code: str) -> Path:
    return RAW_DIR / "regio" / region_code


def local_table_name(municipality: str, extension: str) -> str:
    """The file name of a municipality's lokale paragraaf (csv or xlsx), beside its report."""
    return f"{municipality}_lokale_paragraaf.{extension}"


# ---- a notebook run by hand (JupyterLab, default parameters: `uitvoer_map = None`) writes into
# these scratch folders, never into data/staging/, data/clean/ or reports/<year>/: only the batch
# stages publish (jeugdmonitor.runner.interactive)
SCRATCH_DIR_NAME = "voorbeeld"


def scratch_data_dir(year: int) -> Path:
    """Tables of `year` cleaned, and checked, by a notebook run by hand (data/voorbeeld/<year>/)."""
    return PROJECT_ROOT / "data" / SCRATCH_DIR_NAME / str(year)


def boundary_dir(raw_dir: Path | None = None) -> Path:
    """The municipal boundaries per year (gemeente_<jaar>.topojson or .geojson) under data/raw/."""
    return (raw_dir or RAW_DIR) / "geo"


def scratch_report_dir() -> Path:
    """Files of a report notebook run by hand (reports/voorbeeld/)."""
    return REPORTS_DIR / SCRATCH_DIR_NAME
