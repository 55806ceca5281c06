"""The report runner: every page of a report year, built by warm workers, resumable, rebuilding only what is stale.

Each worker process (runner.workers) keeps one Jupyter kernel running and a client connected to it (nbclient
`NotebookClient(km=..., kc=...)` through a papermill engine registered as ENGINE_NAME), so the
imports, the validated tables (cached in `report.inputs.load_inputs`) and the nbconvert exporter are
loaded once per worker instead of once per page. Every page is still one papermill execution of
its notebook with its own parameters, and its executed notebook is kept for audit. Before each
page the kernel's user namespace, working folder and execution counter are reset; a page that
fails or times out gets a fresh kernel and one retry.

The build manifest (runner.manifest, paths.BUILD_MANIFEST_NAME) records per page its status, duration, parameters
and the checksums of its inputs and of every file it wrote. A page whose inputs and parameters
equal those of the published manifest, and whose files are still those it wrote, is taken over
from the published set instead of rebuilt (a changed or missing file is named and rebuilt); a page finished in the staging
folder of an interrupted run is kept. The staging folder is published only when every page of
the set succeeded (publish.swap_into_place).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from jeugdmonitor import buildinfo, paths, publish
from jeugdmonitor.definitions import config
from jeugdmonitor.report import datadocs, figures, templates
from jeugdmonitor.report.inputs import FICTITIOUS_LABEL, Inputs, load_inputs
from jeugdmonitor.runner import pagefailure
from jeugdmonitor.runner.kernel import (
    DEFAULT_TIMEOUT,
    StageError,
)
from jeugdmonitor.runner.manifest import (
    MANIFEST_VERSION,
    STALE_STATUS,
    input_checksums,
    link_or_copy,
    output_checksums,
    page_inputs,
    read_manifest,
    write_manifest,
)
from jeugdmonitor.runner.page import Page, PageResult
from jeugdmonitor.runner.plan import Plan, choose_municipalities, pages_of_year, plan_run
from jeugdmonitor.runner.workers import KERNEL_PAGES, RETRIES, build_page, init_worker, worker_ready
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY

log = logging.getLogger("jeugdmonitor")


MANIFEST_INTERVAL = 1.0  # seconds between rewrites of the build manifest while pages finish




def _prepare_staging(staging: Path, keep: list[Page], year: int) -> None:
    """Keep the pages an interrupted run finished; remove every other file it left."""
    kept = {f for page in keep for f in page.files(year)}
    if not staging.exists():
        staging.mkdir(parents=True)
        return
    for path in sorted(staging.rglob("*"), reverse=True):
        relative = path.relative_to(staging).as_posix()
        if path.is_file() or path.is_symlink():
            if relative not in kept and path.name != paths.BUILD_MANIFEST_NAME:
                path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


class _Progress:
    """A tqdm bar on a terminal; otherwise one plain line per finished page (for logs)."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="pagina", file=sys.stderr, dynamic_ncols=True)

    def finished(self, page: Page, result: PageResult) -> None:
        self.done += 1
        status = "" if result.ok else "  MISLUKT"
        retried = f"  ({result.attempts} pogingen)" if result.attempts > 1 else ""
        if self.bar is not None:
            self.bar.set_postfix_str(f"{page.key} {page.name}"[:40], refresh=False)
            self.bar.update(1)
            if not result.ok:
                self.bar.write(f"{page.key} {page.name}: {result.error}", file=sys.stderr)
        else:
            width = len(str(self.total))
            print(f"[{self.done:>{width}}/{self.total}] {page.key} {page.name:<24} {result.seconds:5.1f} s{retried}{status}",
                  flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _entry(page: Page, inputs: dict[str, str], status: str, seconds: float, year: int, **extra: Any) -> dict[str, Any]:
    return {"soort": page.kind, "notebook": page.notebook, "parameters": page.parameters, "status": status,
            "seconden": round(seconds, 2), "invoer": inputs, "bestanden": page.files(year), **extra}


def _check_selection(cfg: config.Config, year: int, available: list[str], only: Sequence[str] | None,
                     limit: int | None) -> None:
    """Every municipality of --only has a report in `year`, and --limit is at least one."""
    for code in only or ():
        cfg.register.municipality(code)
        if code not in available:
            raise config.UnknownMunicipalityError(f"gemeente {code} heeft geen rapport in {year}")
    if limit is not None and limit < 1:
        raise config.ConfigError(f"--limit {limit}: geef een aantal gemeenten van 1 of meer")


def _start_manifest(year: int, plan: Plan, checksums: dict[str, dict[str, str]], published: dict[str, Any],
                    resumed: dict[str, Any], target: Path, staging: Path) -> dict[str, Any]:
    """The staging folder's manifest before any page is built: the pages kept from an interrupted
    run, and those taken over (unchanged or stale) from the published set, linked into staging."""
    _prepare_staging(staging, plan.keep, year)
    manifest: dict[str, Any] = {"versie": MANIFEST_VERSION, "jaar": year, "invoer": checksums, "pagina's": {}}
    for page in plan.keep:
        manifest["pagina's"][page.key] = {**resumed["pagina's"][page.key], "status": "hervat"}
    for pages, status in ((plan.take_over, "overgenomen"), (plan.stale, STALE_STATUS)):
        for page in pages:
            for name in page.files(year):
                link_or_copy(target / name, staging / name)
            manifest["pagina's"][page.key] = {**published["pagina's"][page.key], "status": status}
    write_manifest(staging, manifest)
    return manifest


def _stage_shared_files(inputs: Inputs, target: Path, staging: Path, banner: str | None) -> None:
    """The files every page of the set shares: the Data Docs of the validation that passed these
    data (they travel with the reports they vouch for; the index links to them) and the one chart
    runtime, the published one when it was bundled from the same versions and page script."""
    datadocs.offline_data_docs(staging / paths.DATA_DOCS_DIR_NAME, inputs.validation, banner)
    if (target / figures.RUNTIME_URL).is_file():
        link_or_copy(target / figures.RUNTIME_URL, staging / figures.RUNTIME_URL)
    figures.write_runtime(staging)


def _publish(year: int, plan: Plan, pages_of_set: list[Page], manifest: dict[str, Any], municipalities: list[str],
             regions: list[str], started: float, target: Path, staging: Path) -> None:
    """Record the finished run (manifest in register order, run record), publish the staging
    folder in place of the published set and say what was built, taken over and left stale."""
    built = [page.key for page in plan.build]
    manifest["pagina's"] = {page.key: manifest["pagina's"][page.key] for page in pages_of_set}  # in register order
    write_manifest(staging, manifest)
    paths.run_record(staging).write_text(json.dumps({
        "jaar": year, "gemeenten": municipalities, "regio's": regions, "gebouwd": built,
        "seconden": round(time.perf_counter() - started, 1), "commit": buildinfo.git_commit(),
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    publish.swap_into_place(staging, target)
    print(f"{len(municipalities)} rapporten, {len(regions)} regio-overzichten en index gepubliceerd in {target} "
          f"({len(built)} gebouwd, {len(plan.take_over)} overgenomen, {len(plan.keep)} hervat)", file=sys.stderr)
    if plan.stale:
        print(f"{len(plan.stale)} niet gekozen pagina's zijn verouderd (hun invoer is veranderd) en staan zo in "
              f"{paths.BUILD_MANIFEST_NAME}: een gewone `make reports` bouwt ze opnieuw", file=sys.stderr)


def run_reports(year: int, only: Sequence[str] | None = None, workers: int | None = None, *, limit: int | None = None,
                timeout: float | None = DEFAULT_TIMEOUT, retries: int = RETRIES, force: bool = False,
                pages_per_kernel: int = KERNEL_PAGES) -> Path:
    """Build the report set of `year`: every municipality's report (or a selection, keeping the
    other published reports), the region overviews and the index; publish only if all succeed."""
    started = time.perf_counter()
    templates.check_templates()  # a template's syntax error stops the run here, once, before any page
    inputs = load_inputs(year)  # fails early when the data did not pass validation
    cfg, areas = inputs.cfg, inputs.areas
    banner = FICTITIOUS_LABEL if inputs.fictitious else None  # on every page of the run
    available = areas.loc[areas["niveau"] == LEVEL_MUNICIPALITY, "gebied_code"].tolist()
    _check_selection(cfg, year, available, only, limit)
    target, staging = paths.report_dir(year), paths.report_staging_dir(year)
    published, resumed = read_manifest(target), read_manifest(staging)
    municipalities, selected = choose_municipalities(available, published, only, limit)
    regions = list(dict.fromkeys(areas.loc[areas["gebied_code"].isin(municipalities), "regio_code"]))
    pages_of_set = pages_of_year(cfg, year, municipalities, regions)
    checksums = input_checksums(year)
    plan = plan_run(year, pages_of_set, selected, checksums, published, resumed, staging, force,
                    everything=not only and limit is None)

    # the workers start their kernels now, while the rest of the run is prepared; they build
    # nothing before the checks below have passed
    with _pool(year, plan.build, workers, pages_per_kernel) as pool:
        datadocs.recorded_data_docs(inputs.validation)  # fails when the Data Docs are gone, before anything is written
        manifest = _start_manifest(year, plan, checksums, published, resumed, target, staging)
        log.info("rapporten %s: %d gemeenten en %d regio-overzichten; %d pagina's te bouwen, %d ongewijzigd overgenomen, "
                 "%d hervat", year, len(municipalities), len(regions), len(plan.build), len(plan.take_over), len(plan.keep))
        _stage_shared_files(inputs, target, staging, banner)
        failures = _build(pool, year, plan.build, staging, banner, checksums, manifest, timeout, retries)
    if failures:
        raise StageError(pagefailure.summary(failures, len(plan.build), paths.executed_notebook_dir(staging)),
                         ename=failures[0][1].ename)
    _publish(year, plan, pages_of_set, manifest, municipalities, regions, started, target, staging)
    return target


def default_workers() -> int:
    """One worker per core: a page's time is nearly all in its kernel, so a worker more than cores
    only warms another kernel to take turns on the same cores (measured: bench/README.md)."""
    return os.cpu_count() or 1


@contextlib.contextmanager
def _pool(year: int, todo: list[Page], workers: int | None, pages_per_kernel: int) -> Iterator[ProcessPoolExecutor | None]:
    """The warm workers for `todo` (None when there is nothing to build). They are started at once,
    each warming its kernel (warm_code), so that work overlaps with the rest of the preparation."""
    if not todo:
        yield None
        return
    workers = workers or min(len(todo), default_workers())
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(pages_per_kernel, year)) as pool:
        for _ in range(workers):
            pool.submit(worker_ready)  # the pool starts a worker per submitted task, up to max_workers
        yield pool


def _build(pool: ProcessPoolExecutor | None, year: int, todo: list[Page], staging: Path, banner: str | None,
           checksums: dict[str, dict[str, str]], manifest: dict[str, Any], timeout: float | None,
           retries: int) -> list[tuple[Page, PageResult]]:
    """Build the pages in the pool of warm workers; the manifest follows as pages finish, and holds
    every finished page when the build ends, fails or is interrupted."""
    if pool is None:
        return []
    progress = _Progress(len(todo))
    failures = []
    futures = {pool.submit(build_page, year, page, str(staging), banner, timeout, retries): page for page in todo}
    written = time.monotonic()
    try:
        for future in as_completed(futures):
            page, result = futures[future], future.result()
            progress.finished(page, result)
            if result.ok:
                entry = _entry(page, page_inputs(page, checksums), "gebouwd", result.seconds, year,
                               uitvoer=output_checksums(page, staging, year))
            else:
                failures.append((page, result))
                entry = _entry(page, page_inputs(page, checksums), "mislukt", result.seconds, year, fout=result.error)
            manifest["pagina's"][page.key] = {**entry, "pogingen": result.attempts}
            if pagefailure.is_shared(failures):  # the error of every page: stop instead of failing them all
                pool.shutdown(wait=False, cancel_futures=True)
                break
            # the whole manifest is rewritten (about 10 ms at national size), not after every page: a
            # run killed outright rebuilds on resume the pages of at most the last interval
            if time.monotonic() - written >= MANIFEST_INTERVAL:
                write_manifest(staging, manifest)
                written = time.monotonic()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # interrupted: the finished pages stay for a resume
        raise
    finally:
        progress.close()
        write_manifest(staging, manifest)
    return failures
