"""`make lab`: JupyterLab on the project root, and as root with --allow-root (said so). Run with a
stand-in `jupyter` that prints its arguments, and a stand-in `id` for the user."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO_ROOT


def _make_lab(tmp_path: Path, uid: int) -> str:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    jupyter = venv / "bin" / "jupyter"
    jupyter.write_text('#!/bin/sh\necho "jupyter $*"\n')
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    user_id = fake_bin / "id"
    user_id.write_text(f'#!/bin/sh\n[ "$1" = "-u" ] && echo {uid}\n')
    for script in (jupyter, user_id):
        script.chmod(0o755)
    (venv / ".setup-klaar").write_text(str(REPO_ROOT))  # newer than requirements.lock: set up
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}", "JEUGDMONITOR_ROOT": str(REPO_ROOT)}
    env.pop("MAKEFLAGS", None)
    result = subprocess.run(["make", "--no-print-directory", "lab", f"VENV={venv}"], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    return result.stdout


@pytest.mark.parametrize("uid", [0, 1000])
def test_make_lab_opens_the_project_root(tmp_path, uid):
    started = [line for line in _make_lab(tmp_path, uid).splitlines() if line.startswith("jupyter ")]
    assert started and started[-1].split()[1:3] == ["lab", "--ServerApp.root_dir=."]


def test_make_lab_as_root_passes_allow_root_and_says_so(tmp_path):
    output = _make_lab(tmp_path, 0)
    assert "make lab draait als root: JupyterLab start met --allow-root" in output
    assert output.splitlines()[-1].endswith("--ServerApp.root_dir=. --allow-root")


def test_make_lab_as_another_user_does_not_allow_root(tmp_path):
    output = _make_lab(tmp_path, 1000)
    assert "--allow-root" not in output.splitlines()[-1] and "als root" not in output
