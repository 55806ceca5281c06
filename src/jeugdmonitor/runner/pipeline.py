"""Runs the notebooks with papermill: cleaning, validation, and (jeugdmonitor.runner.run) the report pages.

Reports are built in a staging folder and published (moved into reports/<year>/) only when
every report of the run succeeded, so a failed or interrupted run leaves the previous
reports in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import papermill

from jeugdmonitor import paths
from jeugdmonitor.runner.kernel import KERNEL_ARGUMENTS, KERNEL_NAME, StageError, kernel_config, kernel_folder
from jeugdmonitor.sources import raw

__all__ = ["KERNEL_NAME", "StageError", "kernel_config", "run_clean", "run_reports", "run_validate"]


def _execute(notebook: Path, output: Path, parameters: dict[str, Any]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        with kernel_folder() as socket_dir:  # mode 0700, its owner recorded
            papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters, kernel_name=KERNEL_NAME,
                progress_bar=False, cwd=str(paths.NOTEBOOK_DIR), report_mode=False,
                config=kernel_config(Path(socket_dir)),  # passed on to nbclient's kernel manager
                extra_arguments=KERNEL_ARGUMENTS,
            )
    except papermill.PapermillExecutionError as error:
        raise StageError(f"{notebook.name} ({parameters}) is mislukt: {error.ename}: {error.evalue}\n"
                         f"uitgevoerd notebook bewaard om na te kijken: {output}") from error


def run_clean(year: int) -> Path:
    """Cleaning notebook: raw files checked and cleaned into data/staging/<year>/."""
    out = paths.staging_dir(year)
    raw.check_file_names(paths.RAW_DIR)  # before anything is cleaned: a name make cannot follow
    paths.staging_marker(year).unlink(missing_ok=True)
    executed = paths.executed_notebook_dir(out) / paths.CLEAN_NOTEBOOK_NAME
    # the stage names its folder: a notebook without `uitvoer_map` (run by hand) writes to data/voorbeeld/
    _execute(paths.notebook(paths.CLEAN_NOTEBOOK_NAME), executed, {"jaar": year, "uitvoer_map": str(out)})
    return out


def run_validate(year: int) -> Path:
    """Validation notebook: the gate; on success the tables are published to data/clean/<year>/."""
    if not paths.staging_dir(year).exists():
        raise FileNotFoundError(f"{paths.staging_dir(year)} bestaat niet: voer eerst `make clean-data YEAR={year}` uit")
    # executed outside the staging folder, which the notebook moves when the gate passes
    executed = paths.STAGING_DIR / f"{year}-{paths.VALIDATE_NOTEBOOK_NAME}"
    # publishing into data/clean/<year>/ happens only when the stage names that folder
    _execute(paths.notebook(paths.VALIDATE_NOTEBOOK_NAME), executed, {"jaar": year, "uitvoer_map": str(paths.clean_dir(year))})
    audit = paths.executed_notebook_dir(paths.clean_dir(year))
    audit.mkdir(parents=True, exist_ok=True)
    executed.replace(audit / paths.VALIDATE_NOTEBOOK_NAME)
    return paths.validation_stamp(year)


def run_reports(year: int, *args: Any, **kwargs: Any) -> Path:
    """The report pages of `year` (jeugdmonitor.runner.run.run_reports), imported only when reports are
    built: the runner loads Altair and nbconvert, which cleaning and validation do not need."""
    from jeugdmonitor.runner.run import run_reports as build_report_set

    return build_report_set(year, *args, **kwargs)
