"""One run of a report year at a time: a scheduled run and a researcher's never mix.

Every stage of a year (clean, validate, reports, pdf) holds an exclusive lock on
paths.run_lock(year) while it runs. A second run of the same year stops at once with a message
naming the run that holds the lock (exit 5) and touches nothing. The lock is the operating
system's (flock on an open file): it ends with the process that held it, so a killed run never
leaves a stale lock behind, whatever is left in the file.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from jeugdmonitor import paths
from jeugdmonitor.errors import RunBusyError


@contextmanager
def year_lock(year: int, what: str) -> Iterator[None]:
    """Hold the lock of `year` for the stage `what`; RunBusyError when another run holds it."""
    path = paths.run_lock(year)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "een andere run"
            raise RunBusyError(f"er loopt al een run voor {year} in dit project ({holder}); wacht tot die klaar is "
                               f"en start dan opnieuw. Er is niets veranderd.") from None
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now().isoformat(timespec="seconds")
        handle.write(f"{what}, proces {os.getpid()}, gestart {started}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
