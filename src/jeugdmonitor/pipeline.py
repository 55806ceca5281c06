"""Runs the notebooks with papermill: cleaning, validation, and one report per municipality.

Reports are built in a staging folder and published (moved into reports/<year>/) only when
every report of the run succeeded, so a failed or interrupted run leaves the previous
reports in place.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import papermill
from traitlets.config import Config

from jeugdmonitor import charts, config, pages, paths, publish, render, report
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY

KERNEL_NAME = "jeugdmonitor"
DATA_DOCS_DIR = paths.DATA_DOCS_DIR_NAME  # inside reports/<year>/
log = logging.getLogger("jeugdmonitor")


class StageError(RuntimeError):
    """A notebook failed; the message carries the notebook's own error (file, column, rows)."""


def kernel_config(socket_dir: Path) -> Config:
    """Kernel manager settings for a batch kernel: IPC sockets in a private folder instead of
    TCP ports on localhost. No other user of the machine can reach the kernel, and ipykernel
    does not warn about unencrypted TCP in every run log."""
    return Config({"KernelManager": {"transport": "ipc", "ip": str(socket_dir / "kernel")}})


def _execute(notebook: Path, output: Path, parameters: dict[str, Any]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="jeugdmonitor-kernel-") as socket_dir:  # mode 0700
            papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters, kernel_name=KERNEL_NAME,
                progress_bar=False, cwd=str(paths.NOTEBOOK_DIR), report_mode=False,
                config=kernel_config(Path(socket_dir)),  # passed on to nbclient's kernel manager
            )
    except papermill.PapermillExecutionError as error:
        raise StageError(f"{notebook.name} ({parameters}) is mislukt: {error.ename}: {error.evalue}\n"
                         f"uitgevoerd notebook bewaard om na te kijken: {output}") from error


def run_clean(year: int) -> Path:
    """Cleaning notebook: raw files checked and cleaned into data/staging/<year>/."""
    out = paths.staging_dir(year)
    paths.staging_marker(year).unlink(missing_ok=True)
    executed = paths.executed_notebook_dir(out) / paths.CLEAN_NOTEBOOK_NAME
    _execute(paths.notebook(paths.CLEAN_NOTEBOOK_NAME), executed, {"jaar": year})
    return out


def run_validate(year: int) -> Path:
    """Validation notebook: the gate; on success the tables are published to data/clean/<year>/."""
    if not paths.staging_dir(year).exists():
        raise FileNotFoundError(f"{paths.staging_dir(year)} bestaat niet: voer eerst `make clean-data YEAR={year}` uit")
    # executed outside the staging folder, which the notebook moves when the gate passes
    executed = paths.STAGING_DIR / f"{year}-{paths.VALIDATE_NOTEBOOK_NAME}"
    _execute(paths.notebook(paths.VALIDATE_NOTEBOOK_NAME), executed, {"jaar": year})
    audit = paths.executed_notebook_dir(paths.clean_dir(year))
    audit.mkdir(parents=True, exist_ok=True)
    executed.replace(audit / paths.VALIDATE_NOTEBOOK_NAME)
    return paths.validation_stamp(year)


def _one_page(year: int, job: tuple[str, str, dict[str, Any], str, str], staging: str,
              banner: str | None) -> tuple[str, float]:
    """Execute one page's notebook with its parameters and render it; (page code, seconds)."""
    started = time.perf_counter()
    code, notebook_name, parameters, page_name, title = job
    staging_dir = Path(staging)
    executed = paths.executed_notebook_dir(staging_dir) / f"{code}.ipynb"
    _execute(paths.notebook(notebook_name), executed, {**parameters, "jaar": year, "uitvoer_map": str(staging_dir)})
    render.notebook_to_html(executed, staging_dir / page_name, title, banner)
    return code, time.perf_counter() - started


def _page_jobs(cfg: config.Config, year: int, municipalities: list[str],
               regions: list[str]) -> list[tuple[str, str, dict[str, Any], str, str]]:
    """(code, notebook, parameters, output page, title) of every page of a report run."""
    register = cfg.register
    jobs = [(code, paths.REPORT_NOTEBOOK_NAME, {"gemeente": code}, report.report_filename(code),
             pages.word("titel_gemeente", register.municipality(code).name, year)) for code in municipalities]
    jobs += [(code, paths.REGION_NOTEBOOK_NAME, {"regio": code}, report.region_filename(code),
              pages.word("titel_regio", register.region(code).name, year)) for code in regions]
    return jobs


def _publish(staging: Path, target: Path) -> None:
    """Swap the finished staging folder into place; the old reports survive until then."""
    publish.swap_into_place(staging, target)


def run_reports(year: int, municipalities: Sequence[str] | None = None, workers: int | None = None) -> Path:
    """Build every municipality's report and the index page; publish only if all succeed."""
    from jeugdmonitor import quality  # imports GX; only this step needs it

    inputs = report.load_inputs(year)  # fails early when the data did not pass validation
    quality.recorded_data_docs(inputs.validation)  # and when its Data Docs are gone, before any report is built
    cfg = inputs.cfg
    areas = inputs.areas
    banner = report.FICTITIOUS_LABEL if inputs.fictitious else None  # on every page of the run
    available = areas.loc[areas["niveau"] == LEVEL_MUNICIPALITY, "gebied_code"].tolist()
    chosen = list(municipalities) if municipalities else available
    for code in chosen:
        cfg.register.municipality(code)
        if code not in available:
            raise config.UnknownMunicipalityError(f"gemeente {code} heeft geen rapport in {year}")
    staging = paths.report_staging_dir(year)
    if staging.exists():
        shutil.rmtree(staging)  # left by an interrupted run
    staging.mkdir(parents=True)
    regions = list(dict.fromkeys(areas.loc[areas["gebied_code"].isin(chosen), "regio_code"]))
    jobs = _page_jobs(cfg, year, chosen, regions)
    workers = workers or max(1, min(len(jobs), os.cpu_count() or 1))
    log.info("rapporten %s: %d gemeenten en %d regio-overzichten, %d tegelijk", year, len(chosen), len(regions), workers)
    names = {**{code: cfg.register.municipality(code).name for code in chosen},
             **{code: cfg.register.region(code).name for code in regions}}
    done = 0
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_one_page, year, job, str(staging), banner): job[0] for job in jobs}
        try:
            for future in as_completed(futures):
                code, seconds = future.result()  # the first failure stops the run, nothing is published
                done += 1
                print(f"[{done:>2}/{len(jobs)}] {code} {names[code]:<24} {seconds:5.1f} s", flush=True)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # do not build the rest of a failed run
            raise
    # the validation that passed these data travels with the reports it vouches for
    quality.offline_data_docs(staging / DATA_DOCS_DIR, inputs.validation, banner)
    charts.write_runtime(staging)  # the one chart runtime of the set, beside the pages that load it
    executed = paths.executed_notebook_dir(staging) / paths.INDEX_NOTEBOOK_NAME
    _execute(paths.notebook(paths.INDEX_NOTEBOOK_NAME), executed, {"jaar": year, "gemeenten": chosen, "uitvoer_map": str(staging)})
    render.notebook_to_html(executed, paths.report_index(staging), pages.word("titel_index", year), banner)
    paths.run_record(staging).write_text(json.dumps({
        "jaar": year, "gemeenten": chosen, "regio's": regions, "seconden": round(time.perf_counter() - started, 1),
        "commit": report.git_commit(),
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    target = paths.report_dir(year)
    _publish(staging, target)
    print(f"{len(chosen)} rapporten, {len(regions)} regio-overzichten en index gepubliceerd in {target}", file=sys.stderr)
    return target
