"""The report runner: every page of a report year, built by warm workers, resumable, rebuilding only what is stale.

Each worker process keeps one Jupyter kernel running and a client connected to it (nbclient
`NotebookClient(km=..., kc=...)` through a papermill engine registered as ENGINE_NAME), so the
imports, the validated tables (cached in `municipality.load_inputs`) and the nbconvert exporter are
loaded once per worker instead of once per page. Every page is still one papermill execution of
its notebook with its own parameters, and its executed notebook is kept for audit. Before each
page the kernel's user namespace, working folder and execution counter are reset; a page that
fails or times out gets a fresh kernel and one retry.

The build manifest (paths.BUILD_MANIFEST_NAME) records per page its status, duration, parameters
and the checksums of its inputs and of every file it wrote. A page whose inputs and parameters
equal those of the published manifest, and whose files are still those it wrote, is taken over
from the published set instead of rebuilt (a changed or missing file is named and rebuilt); a page finished in the staging
folder of an interrupted run is kept. The staging folder is published only when every page of
the set succeeded (publish.swap_into_place).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import multiprocessing.util
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import papermill
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from jeugdmonitor import buildinfo, paths, publish
from jeugdmonitor.definitions import config
from jeugdmonitor.report import charts, datadocs, export, municipality, templates
from jeugdmonitor.runner import deps, pagefailure
from jeugdmonitor.runner.kernel import (
    DEFAULT_TIMEOUT,
    KERNEL_ARGUMENTS,
    KERNEL_NAME,
    BatchKernelManager,
    StageError,
    kernel_config,
    new_kernel_folder,
)
from jeugdmonitor.sources import raw
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY

ENGINE_NAME = "jeugdmonitor-warm"
RETRIES = 1
# a worker's kernel is restarted after this many pages, so that its memory stays bounded. A kernel
# grew by about 0.05 MiB a page once warm (measured over 160 national pages), while a restart costs
# a page some 8 s of imports and tables: a national run (about 130 pages per worker) needs none.
KERNEL_PAGES = 1000
MANIFEST_VERSION = 2  # 2: the sha256 of every output file ("uitvoer")
MANIFEST_INTERVAL = 1.0  # seconds between rewrites of the build manifest while pages finish
OK_STATUSES = ("gebouwd", "overgenomen", "hervat")
# a published page an --only run kept although its inputs changed: the next full run rebuilds it
STALE_STATUS = "verouderd"
log = logging.getLogger("jeugdmonitor")


# ------------------------------------------------------------------------------ the warm engine
def reset_code(cwd: Path) -> str:
    """Run in the kernel before each page: what one page leaves behind must not reach the next.
    The user namespace and output history go, the working folder and the execution counter are
    those of a fresh kernel, and warnings shown once are shown again. Imported modules stay: they
    are what makes the kernel warm."""
    return "\n".join([
        "get_ipython().run_line_magic('reset', '-f')",
        "import os as _jm_os, warnings as _jm_warnings",
        f"_jm_os.chdir({str(cwd)!r})",
        "_jm_warnings.onceregistry.clear()",
        "getattr(_jm_warnings, '_filters_mutated', lambda: None)()",
        "del _jm_os, _jm_warnings",
        "get_ipython().execution_count = 1",
        # what survives the reset (imports, cached tables) lives as long as the kernel: frozen, the
        # garbage collector no longer walks it, in the reset's own collections nor during the page
        "import gc as _jm_gc",
        "_jm_gc.freeze()",
        "del _jm_gc",
    ])


class WarmNotebookClient(PapermillNotebookClient):
    """papermill's client on a kernel that outlives the notebook: the kernel manager and kernel
    client are the worker's, so nbclient starts the kernel (and connects to it) only when it is
    not running, and never shuts it down. Reusing the connected client spares each page the
    client's wait for a ready kernel, which ends by listening 0.2 s for stray messages; nbclient
    reads only the replies to its own requests, so nothing of an earlier page is taken for this
    one's."""

    def __init__(self, nb_man, km, kc, cwd: Path, deadline: float | None, **kw):
        timeout_func = None
        if deadline is not None:
            # one time limit for the whole page: each cell gets what is left of it
            def timeout_func(cell) -> int:
                return max(1, int(deadline - time.monotonic()))
        super().__init__(nb_man, km=km, timeout_func=timeout_func, **kw)
        self.kc = kc  # None: nbclient connects a new one (setup_kernel)
        self._reset = reset_code(cwd)

    def execute(self, **kwargs):
        self.reset_execution_trackers()
        with self.setup_kernel(cleanup_kc=False, **kwargs):
            reply = self.wait_for_reply(self.kc.execute(self._reset, silent=True, store_history=False))
            if reply is None or reply["content"]["status"] != "ok":  # a kernel that cannot be reset is not reused
                raise DeadKernelError(f"de kernel kon niet worden leeggemaakt: {reply and reply['content']}")
            self.papermill_execute_cells()
            info_msg = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
            self.set_widgets_metadata()
        return self.nb


class WarmEngine(NBClientEngine):
    """papermill engine that runs the notebook in the running kernel of `worker` (a _Worker)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, worker=None, kernel_cwd=None, deadline=None,
                                 **kwargs):
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(kwargs, startup_timeout=start_timeout, kernel_name=kernel_name,
                                    log=logging.getLogger("papermill"), log_output=log_output,
                                    stdout_file=stdout_file, stderr_file=stderr_file)
        client = WarmNotebookClient(nb_man, worker.km, worker.kc, Path(kernel_cwd), deadline, **final_kwargs)
        try:
            return client.execute()
        finally:
            worker.kc = client.kc  # the client nbclient connected, kept for the next page


papermill_engines.register(ENGINE_NAME, WarmEngine)


# ------------------------------------------------------------------------------ pages and their files
@dataclass(frozen=True)
class Page:
    key: str  # GM0503, JZ24, or INDEX_KEY
    kind: str  # "gemeente", "regio" or "index"
    notebook: str
    parameters: dict[str, Any]
    page: str  # the HTML file
    title: str
    name: str  # for the progress lines
    # (cell tag, HTML file, title) of each page made of the notebook's cells with that tag
    other_pages: tuple[tuple[str, str, str], ...] = ()

    def files(self, year: int) -> list[str]:
        """Every file the page writes, relative to the report folder (the executed notebook last)."""
        produced = [self.page, *(file for _, file, _ in self.other_pages)]
        if self.kind == LEVEL_MUNICIPALITY:
            produced += [paths.figures_csv_name(self.key), paths.local_table_name(self.key, "csv"),
                         paths.local_table_name(self.key, "xlsx")]
        elif self.kind == "index":
            produced += [paths.overview_csv_name(year), paths.INDEX_SCRIPT_NAME]
        return [*produced, f"{paths.EXECUTED_NOTEBOOK_DIR_NAME}/{self.executed_name}"]

    @property
    def executed_name(self) -> str:
        return paths.INDEX_NOTEBOOK_NAME if self.kind == "index" else f"{self.key}.ipynb"


INDEX_KEY = "index"


@dataclass
class PageResult:
    key: str
    ok: bool
    seconds: float
    attempts: int
    error: str | None = None
    ename: str | None = None


# ------------------------------------------------------------------------------ the worker
@dataclass
class _Worker:
    """What a worker process keeps between pages: its kernel, a client connected to it, and the
    number of pages it ran."""
    km: BatchKernelManager
    socket_dir: Path
    pages: int = 0
    pages_per_kernel: int = KERNEL_PAGES
    kc: AsyncKernelClient | None = None

    def warm(self, code: str) -> None:
        """Start the kernel (as nbclient would for the first page) and run `code` in it. A kernel
        that fails here is replaced by a fresh one: the first page then starts it and reports
        the notebook's own error."""
        run_sync(self.km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=str(paths.NOTEBOOK_DIR))
        client = self.km.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=60)
            reply = run_sync(client.execute_interactive)(code, silent=True, store_history=False, timeout=DEFAULT_TIMEOUT)
            ok = reply["content"]["status"] == "ok"
        except (RuntimeError, TimeoutError) as failure:  # the kernel died or did not answer in time
            log.warning("kernel niet voorbereid: %s", failure)
            ok = False
        if ok:
            client.allow_stdin = False  # as nbclient sets it on the clients it connects
            self.kc = client  # the pages use this client (WarmNotebookClient)
        else:
            client.stop_channels()
            self.restart()

    def shut_down(self) -> None:
        """Disconnect the client and stop the kernel, if they are there."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)

    def restart(self) -> None:
        """A fresh kernel for the next page (nbclient starts it when the page begins). A kernel
        manager that shut its kernel down has closed its sockets' context: a new one takes over."""
        self.shut_down()
        self.km = _kernel_manager(self.socket_dir)
        self.pages = 0


_worker: _Worker | None = None


def _kernel_manager(socket_dir: Path) -> BatchKernelManager:
    return BatchKernelManager(kernel_name=KERNEL_NAME, config=kernel_config(socket_dir))


def warm_code(year: int) -> str:
    """Run in a worker's new kernel before its first page: the imports and the validated tables
    every page of `year` uses (municipality.load_inputs caches them in the module, which the reset
    between pages keeps), and vl-convert's runtime, which starts on its first call."""
    return "\n".join([
        "from jeugdmonitor import report as _jm_report",
        f"_jm_report.load_inputs({year})",
        "import vl_convert as _jm_vl_convert",
        "_jm_vl_convert.vegalite_to_vega({'mark': 'point'})  # starts vl-convert's JavaScript runtime and compiler",
        "del _jm_report, _jm_vl_convert",
    ])


def _start_worker(pages_per_kernel: int, year: int | None = None) -> None:
    """Process pool initializer: one kernel manager per worker, its kernel shut down when the
    worker ends. With `year`, the kernel is started and warmed (warm_code) at once, while the
    main process still prepares the run."""
    global _worker
    # the worker's inherited heap (imports, cached tables) outlives every page: frozen, the garbage
    # collector does not walk it again each time rendering a page fills the young generations
    gc.freeze()
    socket_dir = new_kernel_folder()  # mode 0700, its owner recorded
    _worker = _Worker(km=_kernel_manager(socket_dir), socket_dir=socket_dir, pages_per_kernel=pages_per_kernel)
    multiprocessing.util.Finalize(_worker, _stop_worker, args=(_worker,), exitpriority=10)
    if year is not None:
        export.exporter()  # its templates, set up while the kernel starts
        _worker.warm(warm_code(year))


def start_worker(year: int) -> None:
    """Make this process a worker with a warmed kernel (for one page outside a pool: the preview)."""
    _start_worker(KERNEL_PAGES, year)


def stop_worker() -> None:
    """Stop this process's kernel, started by start_worker."""
    global _worker
    if _worker is not None:
        _stop_worker(_worker)
        _worker = None


def _ready() -> None:
    """A task that does nothing: submitted once per worker, it makes the pool start its workers."""


def _stop_worker(worker: _Worker) -> None:
    worker.shut_down()
    shutil.rmtree(worker.socket_dir, ignore_errors=True)


def _worker_state() -> _Worker:
    if _worker is None:  # called outside a pool (tests, one page): this process is the worker
        _start_worker(KERNEL_PAGES)
    assert _worker is not None
    return _worker


def _run_page(year: int, page: Page, staging_dir: Path, banner: str | None, timeout: float | None) -> None:
    """One papermill execution of the page's notebook in the warm kernel, then its HTML."""
    worker = _worker_state()
    if worker.pages >= worker.pages_per_kernel:
        worker.restart()
    worker.pages += 1
    executed = paths.executed_notebook_dir(staging_dir) / page.executed_name
    executed.parent.mkdir(parents=True, exist_ok=True)
    parameters = {**page.parameters, "jaar": year, "uitvoer_map": str(staging_dir)}
    deadline = time.monotonic() + timeout if timeout else None
    notebook = papermill.execute_notebook(
        str(paths.notebook(page.notebook)), str(executed), parameters=parameters, engine_name=ENGINE_NAME,
        kernel_name=KERNEL_NAME, progress_bar=False, report_mode=False, cwd=str(paths.NOTEBOOK_DIR),
        request_save_on_cell_execute=False,  # written once at the end (and on error), not after every cell
        worker=worker, kernel_cwd=paths.NOTEBOOK_DIR, deadline=deadline, extra_arguments=KERNEL_ARGUMENTS,
    )
    export.node_to_html(notebook, executed, staging_dir / page.page, page.title, banner,
                        [(tag, staging_dir / file, title) for tag, file, title in page.other_pages])


def build_page(year: int, page: Page, staging: str, banner: str | None, timeout: float | None,
               retries: int = RETRIES) -> PageResult:
    """Build one page; after a timeout or a kernel that died, another attempt in a fresh kernel.
    An error of the notebook or its HTML is not retried: it would only happen again."""
    started = time.perf_counter()
    staging_dir = Path(staging)
    error, ename = None, None
    for attempt in range(1, retries + 2):
        try:
            _run_page(year, page, staging_dir, banner, timeout)
            return PageResult(page.key, True, time.perf_counter() - started, attempt)
        except papermill.PapermillExecutionError as failure:
            _worker_state().restart()  # whatever the failed page left in the kernel goes with it
            return PageResult(page.key, False, time.perf_counter() - started, attempt,
                              pagefailure.describe(failure), failure.ename)
        except CellTimeoutError:
            error, ename = f"tijdslimiet van {timeout:g} s overschreden", "TimeoutError"
        except DeadKernelError as failure:
            error, ename = f"de kernel is gestopt: {failure}", "DeadKernelError"
        except export.RenderError as failure:
            return PageResult(page.key, False, time.perf_counter() - started, attempt, str(failure), "RenderError")
        except RuntimeError as failure:  # nbclient: the kernel did not start or died before replying
            error, ename = f"de kernel werkte niet: {failure}", "RuntimeError"
        _worker_state().restart()  # whatever the failed page left in the kernel goes with it
    return PageResult(page.key, False, time.perf_counter() - started, retries + 1, error, ename)


# ------------------------------------------------------------------------------ checksums and manifest
def _files_under(folder: Path, pattern: str, skip: Sequence[str] = ()) -> Iterator[Path]:
    for path in sorted(folder.rglob(pattern)):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and not any(relative.startswith(s) for s in skip):
            yield path


def input_checksums(year: int) -> dict[str, dict[str, str]]:
    """sha256 per input file of a report run, by group: the validated tables and their stamp, the
    definitions in config/, the notebooks, the templates and the package code."""
    package = paths.PACKAGE_DIR
    groups = {
        "tabellen": (paths.clean_dir(year), "*", (paths.EXECUTED_NOTEBOOK_DIR_NAME,)),
        "config": (paths.CONFIG_DIR, "*", ()),
        "sjablonen": (paths.TEMPLATE_DIR, "*", ()),
        "code": (package, "*.py", ()),
    }
    result = {group: {p.relative_to(folder).as_posix(): raw.sha256(p) for p in _files_under(folder, pattern, skip)}
              for group, (folder, pattern, skip) in groups.items()}
    result["notebooks"] = {name: raw.sha256(paths.notebook(name))
                           for name in (paths.REPORT_NOTEBOOK_NAME, paths.REGION_NOTEBOOK_NAME, paths.INDEX_NOTEBOOK_NAME)}
    return result


def _group_digest(files: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{name}\0{sha}\n" for name, sha in sorted(files.items())).encode()).hexdigest()


def _used_by(page: Page, group: str, files: dict[str, str]) -> dict[str, str]:
    """The files of a checksum group a page of this kind uses: of the templates those of its own
    kind and the shared ones, of the package code the modules its notebook and the worker import
    (jeugdmonitor.runner.deps), so that a municipality template rebuilds municipality pages only."""
    if group == "sjablonen":
        return {name: sha for name, sha in files.items() if deps.page_uses_template(page.kind, name)}
    if group == "code":
        used = deps.page_modules(str(paths.notebook(page.notebook)))
        return {name: sha for name, sha in files.items() if name in used}
    return files


def page_inputs(page: Page, checksums: dict[str, dict[str, str]]) -> dict[str, str]:
    """The checksums a page depends on: one digest per group, its own notebook, and the fixed
    build date when SOURCE_DATE_EPOCH sets it (it is printed on the page)."""
    inputs = {group: _group_digest(_used_by(page, group, files)) for group, files in checksums.items()
              if group != "notebooks"}
    inputs["notebook"] = checksums["notebooks"][page.notebook]
    epoch = os.environ.get(buildinfo.ENV_VAR)
    if epoch is not None:
        inputs[buildinfo.ENV_VAR] = epoch
    return inputs


def read_manifest(folder: Path) -> dict[str, Any]:
    """A report folder's build manifest, or an empty one when there is none (or not of this
    version). A manifest that cannot be read (bad UTF-8, not JSON, not a manifest's shape) is set
    aside as `<name>.onleesbaar` with a warning naming it, and the pages are rebuilt."""
    path = paths.build_manifest(folder)
    if not path.exists():
        return {"pagina's": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _set_aside(path, f"geen leesbare JSON ({error})")
    if not _manifest_shape(manifest):
        return _set_aside(path, "niet de vorm van een bouwmanifest")
    if manifest.get("versie") != MANIFEST_VERSION:
        return {"pagina's": {}}
    return manifest


def _manifest_shape(manifest: Any) -> bool:
    """True when `manifest` has the shape the runner reads: an object whose "pagina's" maps each
    page to an object with its parameters."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("pagina's", {}), dict):
        return False
    return all(isinstance(entry, dict) and isinstance(entry.get("parameters"), dict)
               and isinstance(entry.get("uitvoer", {}), dict) for entry in manifest.get("pagina's", {}).values())


def _set_aside(path: Path, reason: str) -> dict[str, Any]:
    aside = path.with_name(path.name + ".onleesbaar")
    os.replace(path, aside)
    log.warning("WAARSCHUWING: bouwmanifest %s is onleesbaar (%s): opzij gezet als %s; alle pagina's worden opnieuw "
                "gebouwd", paths.display_path(path), reason, aside.name)
    return {"pagina's": {}}


def output_checksums(page: Page, folder: Path, year: int) -> dict[str, str]:
    """sha256 of every file the page wrote in `folder`: recorded in the manifest, so that a page
    edited, damaged or deleted after publishing is noticed and rebuilt, never taken over."""
    return {name: raw.sha256(folder / name) for name in page.files(year)}


def _outputs_intact(entry: dict[str, Any], page: Page, folder: Path, year: int) -> bool:
    """True when every file of the page in `folder` is there with the checksum the manifest
    recorded; otherwise a warning names the first file that changed or disappeared."""
    recorded = entry.get("uitvoer") or {}
    for name in page.files(year):
        path = folder / name
        if not path.is_file():
            problem = "ontbreekt"
        elif recorded.get(name) != raw.sha256(path):
            problem = "is veranderd sinds de bouw" if name in recorded else "heeft geen controlegetal in het bouwmanifest"
        else:
            continue
        log.warning("WAARSCHUWING: %s %s: de pagina %s wordt opnieuw gebouwd", paths.display_path(path), problem, page.key)
        return False
    return True


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Written next to the pages as they finish (replaced in one rename), so a killed run leaves a
    manifest that matches pages it finished."""
    path = paths.build_manifest(folder)
    scratch = path.with_name(path.name + publish.SCRATCH_SUFFIX)
    try:
        scratch.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(scratch, path)
    except OSError:
        scratch.unlink(missing_ok=True)  # a full disk leaves no empty scratch file behind
        raise


def _is_current(entry: dict[str, Any] | None, page: Page, inputs: dict[str, str], folder: Path, year: int) -> bool:
    """True when the page in `folder` was built from these inputs and parameters and its files
    are still exactly what was built (checked by sha256 before they are trusted). A page marked
    stale is current again when its inputs are back to those it was built from."""
    return (entry is not None and entry.get("status") in (*OK_STATUSES, STALE_STATUS) and entry.get("invoer") == inputs
            and entry.get("parameters") == page.parameters and _outputs_intact(entry, page, folder, year))


def _is_published(entry: dict[str, Any] | None, page: Page, folder: Path, year: int) -> bool:
    """True when the page in `folder` is intact as its entry records it (current or stale): a
    page an --only run may keep although its inputs changed since."""
    return (entry is not None and entry.get("status") in (*OK_STATUSES, STALE_STATUS)
            and entry.get("parameters") == page.parameters and _outputs_intact(entry, page, folder, year))


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)  # the published file is never written again: sharing it is safe
    except OSError:
        shutil.copy2(source, target)


# ------------------------------------------------------------------------------ the run
@dataclass
class Plan:
    """What a run does with each page of the set."""
    keep: list[Page] = field(default_factory=list)  # finished in the staging folder of an interrupted run
    take_over: list[Page] = field(default_factory=list)  # unchanged: from the published set
    stale: list[Page] = field(default_factory=list)  # not selected, inputs changed: kept, marked STALE_STATUS
    build: list[Page] = field(default_factory=list)


def page_of(cfg: config.Config, year: int, kind: str, code: str) -> Page:
    """The page of one municipality (kind LEVEL_MUNICIPALITY) or region ("regio")."""
    register = cfg.register
    if kind == LEVEL_MUNICIPALITY:
        name = register.municipality(code).name
        return Page(code, LEVEL_MUNICIPALITY, paths.REPORT_NOTEBOOK_NAME, {"gemeente": code}, municipality.report_filename(code),
                    templates.word("titel_gemeente", name, year), name,
                    ((paths.APPENDIX_TAG, paths.appendix_page_name(code), templates.word("titel_bijlage", name, year)),))
    name = register.region(code).name
    return Page(code, "regio", paths.REGION_NOTEBOOK_NAME, {"regio": code}, municipality.region_filename(code),
                templates.word("titel_regio", name, year), name)


def _pages(cfg: config.Config, year: int, municipalities: list[str], regions: list[str]) -> list[Page]:
    result = [page_of(cfg, year, LEVEL_MUNICIPALITY, code) for code in municipalities]
    result += [page_of(cfg, year, "regio", code) for code in regions]
    result.append(Page(INDEX_KEY, "index", paths.INDEX_NOTEBOOK_NAME, {"gemeenten": municipalities},
                       paths.INDEX_PAGE_NAME, templates.word("titel_index", year), templates.word("titel_index", year),
                       ((paths.ACCOUNTABILITY_TAG, paths.ACCOUNTABILITY_PAGE_NAME,
                         templates.word("titel_verantwoording", year)),)))
    return result


def choose_municipalities(available: list[str], published: dict[str, Any], only: Sequence[str] | None,
                          limit: int | None) -> tuple[list[str], set[str]]:
    """(the municipalities of the report set, those selected for this run). Without a selection
    the set is every municipality of the year; with one (--only, --limit) it is the selection
    plus every municipality already published, whose pages are kept."""
    if not only and limit is None:
        return list(available), set(available)
    selected = set(only or ())
    if limit is not None:
        selected |= set(available[:limit])
    published_codes = {entry["parameters"].get("gemeente") for entry in published["pagina's"].values()
                       if entry.get("soort") == LEVEL_MUNICIPALITY and entry.get("status") in (*OK_STATUSES, STALE_STATUS)}
    return [code for code in available if code in selected or code in published_codes], selected


def plan_run(year: int, pages_of_set: list[Page], selected: set[str], inputs: dict[str, dict[str, str]],
             published: dict[str, Any], resumed: dict[str, Any], staging: Path, force: bool, everything: bool) -> Plan:
    """Keep, take over or build each page. `force` builds the selected municipalities (and, when
    `everything` is selected, every page) even when unchanged; region pages and the index follow
    their inputs."""
    plan = Plan()
    target = paths.report_dir(year)
    for page in pages_of_set:
        own_inputs = page_inputs(page, inputs)
        chosen = page.kind != LEVEL_MUNICIPALITY or page.key in selected
        if _is_current(resumed["pagina's"].get(page.key), page, own_inputs, staging, year):
            plan.keep.append(page)
        elif force and (page.key in selected or everything):
            plan.build.append(page)
        elif _is_current(published["pagina's"].get(page.key), page, own_inputs, target, year):
            plan.take_over.append(page)
        elif not chosen and _is_published(published["pagina's"].get(page.key), page, target, year):
            plan.stale.append(page)  # not selected: the published page stays until a full run rebuilds it
        else:
            plan.build.append(page)
    return plan


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


def run_reports(year: int, only: Sequence[str] | None = None, workers: int | None = None, *, limit: int | None = None,
                timeout: float | None = DEFAULT_TIMEOUT, retries: int = RETRIES, force: bool = False,
                pages_per_kernel: int = KERNEL_PAGES) -> Path:
    """Build the report set of `year`: every municipality's report (or a selection, keeping the
    other published reports), the region overviews and the index; publish only if all succeed."""
    started = time.perf_counter()
    templates.check_templates()  # a template's syntax error stops the run here, once, before any page
    inputs = municipality.load_inputs(year)  # fails early when the data did not pass validation
    cfg, areas = inputs.cfg, inputs.areas
    banner = municipality.FICTITIOUS_LABEL if inputs.fictitious else None  # on every page of the run
    available = areas.loc[areas["niveau"] == LEVEL_MUNICIPALITY, "gebied_code"].tolist()
    for code in only or ():
        cfg.register.municipality(code)
        if code not in available:
            raise config.UnknownMunicipalityError(f"gemeente {code} heeft geen rapport in {year}")
    if limit is not None and limit < 1:
        raise config.ConfigError(f"--limit {limit}: geef een aantal gemeenten van 1 of meer")
    target, staging = paths.report_dir(year), paths.report_staging_dir(year)
    published, resumed = read_manifest(target), read_manifest(staging)
    municipalities, selected = choose_municipalities(available, published, only, limit)
    regions = list(dict.fromkeys(areas.loc[areas["gebied_code"].isin(municipalities), "regio_code"]))
    pages_of_set = _pages(cfg, year, municipalities, regions)
    checksums = input_checksums(year)
    plan = plan_run(year, pages_of_set, selected, checksums, published, resumed, staging, force,
                    everything=not only and limit is None)

    # the workers start their kernels now, while the rest of the run is prepared; they build
    # nothing before the checks below have passed
    with _pool(year, plan.build, workers, pages_per_kernel) as pool:
        datadocs.recorded_data_docs(inputs.validation)  # fails when the Data Docs are gone, before anything is written
        _prepare_staging(staging, plan.keep, year)
        manifest: dict[str, Any] = {"versie": MANIFEST_VERSION, "jaar": year, "invoer": checksums, "pagina's": {}}
        for page in plan.keep:
            manifest["pagina's"][page.key] = {**resumed["pagina's"][page.key], "status": "hervat"}
        for page in plan.take_over:
            for name in page.files(year):
                _link_or_copy(target / name, staging / name)
            manifest["pagina's"][page.key] = {**published["pagina's"][page.key], "status": "overgenomen"}
        for page in plan.stale:
            for name in page.files(year):
                _link_or_copy(target / name, staging / name)
            manifest["pagina's"][page.key] = {**published["pagina's"][page.key], "status": STALE_STATUS}
        write_manifest(staging, manifest)
        log.info("rapporten %s: %d gemeenten en %d regio-overzichten; %d pagina's te bouwen, %d ongewijzigd overgenomen, "
                 "%d hervat", year, len(municipalities), len(regions), len(plan.build), len(plan.take_over), len(plan.keep))
        # the validation that passed these data travels with the reports it vouches for; the index links to it
        datadocs.offline_data_docs(staging / paths.DATA_DOCS_DIR_NAME, inputs.validation, banner)
        # the one chart runtime of the set, beside the pages that load it: the published one when
        # it was bundled from the same versions and page script
        if (target / charts.RUNTIME_URL).is_file():
            _link_or_copy(target / charts.RUNTIME_URL, staging / charts.RUNTIME_URL)
        charts.write_runtime(staging)
        failures = _build(pool, year, plan.build, staging, banner, checksums, manifest, timeout, retries)
    if failures:
        raise StageError(pagefailure.summary(failures, len(plan.build), paths.executed_notebook_dir(staging)),
                         ename=failures[0][1].ename)
    built = [page.key for page in plan.build]
    manifest["pagina's"] = {page.key: manifest["pagina's"][page.key] for page in pages_of_set}  # in register order
    write_manifest(staging, manifest)
    paths.run_record(staging).write_text(json.dumps({
        "jaar": year, "gemeenten": municipalities, "regio's": regions, "gebouwd": built,
        "seconden": round(time.perf_counter() - started, 1), "commit": municipality.git_commit(),
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    publish.swap_into_place(staging, target)
    print(f"{len(municipalities)} rapporten, {len(regions)} regio-overzichten en index gepubliceerd in {target} "
          f"({len(built)} gebouwd, {len(plan.take_over)} overgenomen, {len(plan.keep)} hervat)", file=sys.stderr)
    if plan.stale:
        print(f"{len(plan.stale)} niet gekozen pagina's zijn verouderd (hun invoer is veranderd) en staan zo in "
              f"{paths.BUILD_MANIFEST_NAME}: een gewone `make reports` bouwt ze opnieuw", file=sys.stderr)
    return target


def default_workers() -> int:
    """One worker per core. A page's time is nearly all in its kernel (its HTML takes the worker a
    tenth of it), so a worker more than cores does not fill gaps: it warms a kernel more and the
    kernels take turns on the cores (on 2 cores, run alternately: 20 national reports in 18.9 and
    19.8 s with 2 workers, 20.9 and 22.2 s with 3; 100 in 67 and 60 s against 78 and 65 s; all 385
    national pages in 245.7 and 260.1 s against 248.9 and 298.4 s; the 40 sample pages in 25.3 and
    26.2 s against 29.3 and 27.0 s)."""
    return os.cpu_count() or 1


@contextlib.contextmanager
def _pool(year: int, todo: list[Page], workers: int | None, pages_per_kernel: int) -> Iterator[ProcessPoolExecutor | None]:
    """The warm workers for `todo` (None when there is nothing to build). They are started at once,
    each warming its kernel (warm_code), so that work overlaps with the rest of the preparation."""
    if not todo:
        yield None
        return
    workers = workers or min(len(todo), default_workers())
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(pages_per_kernel, year)) as pool:
        for _ in range(workers):
            pool.submit(_ready)  # the pool starts a worker per submitted task, up to max_workers
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

