"""One run of a report year at a time (runlock): the second stops, touches nothing, and a killed
run leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from jeugdmonitor import errors, paths
from jeugdmonitor.runner import runlock


def test_a_second_run_of_the_same_year_stops_naming_the_first(project):
    with runlock.year_lock(2023, "reports"):
        busy = rf"er loopt al een run voor 2023 .*reports, proces {os.getpid()}"
        with pytest.raises(errors.RunBusyError, match=busy), runlock.year_lock(2023, "clean"):
            pass  # pragma: no cover - never reached
        with runlock.year_lock(2024, "reports"):  # another year is another run
            pass
    with runlock.year_lock(2023, "clean"):  # released after the first run
        pass
    assert errors.RunBusyError.exit_code == errors.EXIT_BUSY == 5


def test_the_command_line_exits_5_and_publishes_nothing_while_a_run_holds_the_year(project):
    env = {**os.environ, "JEUGDMONITOR_ROOT": str(project), "GX_ANALYTICS_ENABLED": "False"}
    with runlock.year_lock(2023, "reports"):
        before = sorted(p.relative_to(project) for p in project.rglob("*"))
        result = subprocess.run([sys.executable, "-m", "jeugdmonitor.cli", "reports", "--year", "2023"], env=env,
                                capture_output=True, text=True, timeout=120)
        after = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert result.returncode == 5, result.stderr
    assert "er loopt al een run voor 2023 in dit project" in result.stderr and "Traceback" not in result.stderr
    assert after == before  # nothing appeared beside the first run's lock file


def test_a_killed_run_leaves_no_stale_lock(project):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from jeugdmonitor.runner import runlock\n"
                               "with runlock.year_lock(2023, 'reports'):\n    print('vast', flush=True); time.sleep(60)"],
        env={**os.environ, "JEUGDMONITOR_ROOT": str(project)}, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "vast"
        with pytest.raises(errors.RunBusyError), runlock.year_lock(2023, "clean"):
            pass  # pragma: no cover - never reached
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    deadline = time.monotonic() + 10
    while True:  # the kernel drops the lock with the process
        try:
            with runlock.year_lock(2023, "clean"):
                break
        except errors.RunBusyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert paths.run_lock(2023).read_text(encoding="utf-8").startswith("clean, proces ")
