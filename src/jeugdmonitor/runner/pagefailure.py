"""What the runner says when pages fail: the cause once, where it happened, and when to stop.

A notebook error (papermill's PapermillExecutionError) is described by its exception, the first
line of the notebook cell that raised it and the last line of the package it passed through
(`src/jeugdmonitor/report.py, regel 195`), so the cause is visible without opening the executed
notebook. The same error in the first pages (SAME_ERROR_PAGES) is an error of every page: the run
stops instead of building (and failing) all of them; only timeouts and dead kernels are retried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jeugdmonitor import paths

SAME_ERROR_PAGES = 2  # this many pages failing with one error stop the run
# failures another attempt in a fresh kernel may cure: a cell over its time limit, a kernel that died
RETRIED = ("TimeoutError", "DeadKernelError", "RuntimeError")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"File (\S+?\.py):(\d+)")
PACKAGE_DIR = paths.PACKAGE_DIR


def describe(failure: Any) -> str:
    """One page's notebook error: `ValueError: boom`, then the cell and the package line."""
    text = f"{failure.ename}: {failure.evalue}"
    lines = [line for line in (failure.source or "").splitlines() if line.strip()]
    if lines:
        text += f"\n    in cel {failure.exec_count}: {lines[0].strip()}"
    where = package_line(failure.traceback or [])
    if where:
        text += f"\n    uit {where}"
    return text


def package_line(traceback: Sequence[str]) -> str | None:
    """The deepest frame of the traceback in the package's own code, as `file, regel N`."""
    found = None
    for match in _FRAME.finditer(_ANSI.sub("", "\n".join(traceback))):
        path = Path(match.group(1))
        if PACKAGE_DIR in path.parents:
            found = f"{paths.display_path(path)}, regel {match.group(2)}"
    return found


def is_shared(failures: Sequence[tuple[Any, Any]]) -> bool:
    """True when the first SAME_ERROR_PAGES failed pages failed with one error that another
    attempt does not cure: the error of every page, so the run stops."""
    first = [result for _, result in failures[:SAME_ERROR_PAGES]]
    return (len(first) == SAME_ERROR_PAGES and first[0].ename not in RETRIED
            and all(result.error == first[0].error for result in first))


def summary(failures: Sequence[tuple[Any, Any]], total: int, executed_dir: Path) -> str:
    """The message of a run with failed pages: a shared error once, else one line per page."""
    notebooks = ", ".join(paths.display_path(executed_dir / page.executed_name) for page, _ in failures[:3])
    if is_shared(failures):
        names = ", ".join(f"{page.key} {page.name}" for page, _ in failures)
        return (f"dezelfde fout in {len(failures)} pagina's ({names}); de run is gestopt, de andere van de {total} "
                f"pagina's zijn niet gebouwd en er is niets gepubliceerd:\n  {failures[0][1].error}\n"
                f"  uitgevoerd notebook: {notebooks}")
    lines = "\n".join(f"  {page.key} {page.name}: {result.error}\n    uitgevoerd notebook: "
                      f"{paths.display_path(executed_dir / page.executed_name)}" for page, result in failures)
    return f"{len(failures)} van de {total} pagina's zijn mislukt; er is niets gepubliceerd:\n{lines}"
