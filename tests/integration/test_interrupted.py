"""A run killed half-way leaves the previous reports and clean data intact and usable."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from .conftest import YEAR, make_copy, project_env, run

pytestmark = pytest.mark.integration


def test_killed_report_run_leaves_previous_reports_and_data(tmp_path, short_tmp):
    root = make_copy(tmp_path / "project")
    python = ".venv/bin/python"
    run(root, python, "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR))
    run(root, python, "-m", "jeugdmonitor.cli", "validate", "--year", str(YEAR))
    run(root, python, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), "--gemeente", "GM0503")
    published = root / "reports" / str(YEAR)
    before = {p.name: p.read_bytes() for p in published.glob("*.html")}
    clean_before = {p.name: p.read_bytes() for p in (root / "data" / "clean" / str(YEAR)).glob("*.parquet")}

    # a run killed outright cannot remove its kernels' private folders: they go in the test's own
    # temporary folder, not the machine's
    scratch = short_tmp
    process = subprocess.Popen([python, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR)], cwd=root,
                               env={**project_env(root), "TMPDIR": str(scratch)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    staging = root / "reports" / f".bouw-{YEAR}"
    deadline = time.monotonic() + 120
    while not list(staging.glob("GM*.html")) and time.monotonic() < deadline:
        time.sleep(0.5)  # wait until the run is really under way
    assert list(staging.glob("GM*.html")), "the run never got going"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    subprocess.run(["pkill", "-KILL", "-s", str(process.pid)], check=False)  # its kernels and workers

    assert {p.name: p.read_bytes() for p in published.glob("*.html")} == before
    assert {p.name: p.read_bytes() for p in (root / "data" / "clean" / str(YEAR)).glob("*.parquet")} == clean_before
    assert list(scratch.glob("jeugdmonitor-kernel-*")), "the killed run left its kernel folders"
    # and the next run cleans up the interrupted one (its staging and its kernel folders, whose
    # owners are gone) and publishes normally
    run(root, python, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), "--gemeente", "GM0518",
        env={"TMPDIR": str(scratch)})
    assert (published / "GM0518.html").exists() and not staging.exists()
    assert not list(scratch.iterdir()), "kernel folders of the killed run are removed"
