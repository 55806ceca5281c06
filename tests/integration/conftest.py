"""End-to-end fixtures: run the real Makefile DAG and notebooks on a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import REPO_ROOT, copy_project

YEAR = 2023
# One run date for every page the session builds: a page printed before midnight and its rebuild
# after it would otherwise differ in "gemaakt op" (a session may start late in the day).
SESSION_EPOCH = os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time())))


def project_env(root: Path) -> dict[str, str]:
    env = {"SOURCE_DATE_EPOCH": SESSION_EPOCH, **os.environ, "JEUGDMONITOR_ROOT": str(root), "GX_ANALYTICS_ENABLED": "False"}
    env.pop("MAKEFLAGS", None)
    return env


def make_copy(root: Path) -> Path:
    copy_project(root)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(REPO_ROOT / name, root / name)
    shutil.copytree(REPO_ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (root / ".venv").symlink_to(REPO_ROOT / ".venv")  # set up by `make test` before the tests run
    return root


def run(root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command in the project copy `root` (`env`: variables added to the project's)."""
    result = subprocess.run(list(args), cwd=root, env={**project_env(root), **(env or {})}, capture_output=True, text=True,
                            timeout=1800)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}\nstdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The main job on the bundled data: `make reports` for every municipality of YEAR.

    JEUGDMONITOR_TEST_BUILT=<folder> keeps the built copy there and reuses it in the next
    session (for working on the tests; it is not rebuilt when the code changes)."""
    keep = os.environ.get("JEUGDMONITOR_TEST_BUILT")
    if keep and (Path(keep) / "reports" / str(YEAR) / "index.html").exists():
        return Path(keep)
    if keep and Path(keep).exists():
        shutil.rmtree(keep)  # a build that did not finish
    root = make_copy(Path(keep) if keep else tmp_path_factory.mktemp("workbook"))
    # an empty home and temporary folder of its own: test_pipeline checks the run left them empty
    outside = {name: root.parent / f"{root.name}-{name}" for name in ("HOME", "TMPDIR")}
    for folder in outside.values():
        folder.mkdir(exist_ok=True)
    result = run(root, "make", "reports", f"YEAR={YEAR}", env={name: str(folder) for name, folder in outside.items()})
    (root / "make-output.txt").write_text(result.stdout + result.stderr)
    return root
