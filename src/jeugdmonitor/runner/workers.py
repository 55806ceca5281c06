"""Warm workers: each worker process keeps one Jupyter kernel and a client connected to it (a
papermill engine over nbclient), so imports, tables and the exporter load once per worker.
Before each page the kernel's namespace, folder and counter are reset; a page that fails or
times out gets a fresh kernel and one retry."""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing.util
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import papermill
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from jeugdmonitor import paths
from jeugdmonitor.report import export
from jeugdmonitor.runner import pagefailure
from jeugdmonitor.runner.kernel import (
    DEFAULT_TIMEOUT,
    KERNEL_ARGUMENTS,
    KERNEL_NAME,
    BatchKernelManager,
    kernel_config,
    new_kernel_folder,
)
from jeugdmonitor.runner.page import Page, PageResult

log = logging.getLogger("jeugdmonitor")


ENGINE_NAME = "jeugdmonitor-warm"


RETRIES = 1


# a worker's kernel is restarted after this many pages, so that its memory stays bounded. A kernel
# grew by about 0.05 MiB a page once warm (measured over 160 national pages), while a restart costs
# a page some 8 s of imports and tables: a national run (about 130 pages per worker) needs none.
KERNEL_PAGES = 1000


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
    """papermill engine that runs the notebook in the running kernel of `worker` (a Worker)."""

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


# ------------------------------------------------------------------------------ the worker
@dataclass
class Worker:
    """What a worker process keeps between pages: its kernel, a client connected to it, and the
    number of pages it ran."""
    km: BatchKernelManager
    socket_dir: Path
    pages: int = 0
    pages_per_kernel: int = KERNEL_PAGES
    kc: AsyncKernelClient | None = None

    @classmethod
    def in_new_folder(cls, pages_per_kernel: int = KERNEL_PAGES) -> Worker:
        """A worker whose kernel's sockets live in a new private folder (mode 0700, its owner
        recorded); its kernel starts when warmed or when the first page runs."""
        socket_dir = new_kernel_folder()
        return cls(km=_kernel_manager(socket_dir), socket_dir=socket_dir, pages_per_kernel=pages_per_kernel)

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


_worker: Worker | None = None


def _kernel_manager(socket_dir: Path) -> BatchKernelManager:
    return BatchKernelManager(kernel_name=KERNEL_NAME, config=kernel_config(socket_dir))


def warm_code(year: int) -> str:
    """Run in a worker's new kernel before its first page: the imports and the validated tables
    every page of `year` uses (report.inputs.load_inputs caches them in the module, which the reset
    between pages keeps), and vl-convert's runtime, which starts on its first call."""
    return "\n".join([
        "from jeugdmonitor.report import accountability as _jm_1, appendix as _jm_2, local as _jm_3, municipal as _jm_4",
        "from jeugdmonitor.report.inputs import load_inputs as _jm_load_inputs",
        f"_jm_load_inputs({year})",
        "import vl_convert as _jm_vl_convert",
        "_jm_vl_convert.vegalite_to_vega({'mark': 'point'})  # starts vl-convert's JavaScript runtime and compiler",
        "del _jm_1, _jm_2, _jm_3, _jm_4, _jm_load_inputs, _jm_vl_convert",
    ])


def init_worker(pages_per_kernel: int, year: int | None = None) -> None:
    """Process pool initializer: one kernel manager per worker, its kernel shut down when the
    worker ends. With `year`, the kernel is started and warmed (warm_code) at once, while the
    main process still prepares the run."""
    global _worker
    # the worker's inherited heap (imports, cached tables) outlives every page: frozen, the garbage
    # collector does not walk it again each time rendering a page fills the young generations
    gc.freeze()
    _worker = Worker.in_new_folder(pages_per_kernel)
    multiprocessing.util.Finalize(_worker, _stop_worker, args=(_worker,), exitpriority=10)
    if year is not None:
        export.exporter()  # its templates, set up while the kernel starts
        _worker.warm(warm_code(year))


def start_worker(year: int) -> None:
    """Make this process a worker with a warmed kernel (for one page outside a pool: the preview)."""
    init_worker(KERNEL_PAGES, year)


def stop_worker() -> None:
    """Stop this process's kernel, started by start_worker."""
    global _worker
    if _worker is not None:
        _stop_worker(_worker)
        _worker = None


def worker_ready() -> None:
    """A task that does nothing: submitted once per worker, it makes the pool start its workers."""


def _stop_worker(worker: Worker) -> None:
    worker.shut_down()
    shutil.rmtree(worker.socket_dir, ignore_errors=True)


def _worker_state() -> Worker:
    if _worker is None:  # called outside a pool (tests, one page): this process is the worker
        init_worker(KERNEL_PAGES)
    assert _worker is not None
    return _worker


def execute_in(worker: Worker, notebook: str, executed: Path, parameters: dict, timeout: float | None = None):  # noqa: ANN201
    """One papermill execution of `notebook` (a name in notebooks/) in the worker's warm kernel,
    reset before it, written to `executed`; returns the executed notebook."""
    if worker.pages >= worker.pages_per_kernel:
        worker.restart()
    worker.pages += 1
    executed.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout if timeout else None
    return papermill.execute_notebook(
        str(paths.notebook(notebook)), str(executed), parameters=parameters, engine_name=ENGINE_NAME,
        kernel_name=KERNEL_NAME, progress_bar=False, report_mode=False, cwd=str(paths.NOTEBOOK_DIR),
        request_save_on_cell_execute=False,  # written once at the end (and on error), not after every cell
        worker=worker, kernel_cwd=paths.NOTEBOOK_DIR, deadline=deadline, extra_arguments=KERNEL_ARGUMENTS,
    )


@contextlib.contextmanager
def warm_kernel(code: str) -> Iterator[Worker]:
    """One warm kernel for pages run one after another in this process (the quarter stage): started
    and given `code` (the imports every page needs) at once, stopped and its socket folder removed
    when the block ends."""
    worker = Worker.in_new_folder()
    try:
        worker.warm(code)
        yield worker
    finally:
        _stop_worker(worker)


def _run_page(year: int, page: Page, staging_dir: Path, banner: str | None, timeout: float | None) -> None:
    """One papermill execution of the page's notebook in the warm kernel, then its HTML."""
    executed = paths.executed_notebook_dir(staging_dir) / page.executed_name
    parameters = {**page.parameters, "jaar": year, "uitvoer_map": str(staging_dir)}
    notebook = execute_in(_worker_state(), page.notebook, executed, parameters, timeout)
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
