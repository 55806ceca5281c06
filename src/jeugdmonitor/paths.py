"""Every path the workbook reads or writes. Nothing else builds paths.

The project root is found from the package location (an editable install), or from
JEUGDMONITOR_ROOT, which tests use to run the pipeline on a copy of the project.
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


use_root(os.environ.get("JEUGDMONITOR_ROOT", Path(__file__).resolve().parents[2]))

CLEAN_NOTEBOOK_NAME = "01_opschonen.ipynb"
VALIDATE_NOTEBOOK_NAME = "02_valideren.ipynb"
REPORT_NOTEBOOK_NAME = "03_gemeenterapport.ipynb"
INDEX_NOTEBOOK_NAME = "04_overzicht.ipynb"
REGION_NOTEBOOK_NAME = "05_regio.ipynb"


def notebook(name: str) -> Path:
    return NOTEBOOK_DIR / name

# GX resolves the data source's relative base directory against the working directory;
# quality.py runs checkpoints from PROJECT_ROOT so this relative path is stable. The gate
# validates the staged tables; only tables that pass are moved to data/clean/.
GX_STAGING_BASE_RELATIVE = "data/staging"


def clean_dir(year: int) -> Path:
    """Clean tables for one report year (harmonised to that year's boundaries)."""
    return CLEAN_DIR / str(year)


def clean_table(year: int, table: str) -> Path:
    return clean_dir(year) / f"{table}.parquet"


def staging_dir(year: int) -> Path:
    """The cleaning stage writes here; the data-quality gate moves the tables to clean_dir."""
    return STAGING_DIR / str(year)


def staging_table(year: int, table: str) -> Path:
    return staging_dir(year) / f"{table}.parquet"


def staging_marker(year: int) -> Path:
    """Written last by the cleaning stage, beside (not inside) the staging folder that the
    gate moves away: the Makefile target of the cleaning stage."""
    return STAGING_DIR / f"{year}.klaar.json"


def validation_stamp(year: int) -> Path:
    """Written only when every critical expectation passed for the year."""
    return clean_dir(year) / "validatie.json"


def report_dir(year: int) -> Path:
    return REPORTS_DIR / str(year)


def report_staging_dir(year: int) -> Path:
    """Reports are built here and moved to report_dir only when the whole run succeeded."""
    return REPORTS_DIR / f".bouw-{year}"


def executed_notebook_dir(base: Path) -> Path:
    """Executed notebooks are kept beside the outputs they produced, for audit."""
    return base / "uitgevoerde-notebooks"


def log_dir(year: int) -> Path:
    return LOG_DIR / str(year)


def raw_sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def region_export_dir(region_code: str) -> Path:
    return RAW_DIR / "regio" / region_code


def local_table_name(municipality: str, extension: str) -> str:
    """The file name of a municipality's lokale paragraaf (csv or xlsx), beside its report."""
    return f"{municipality}_lokale_paragraaf.{extension}"
