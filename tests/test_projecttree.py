"""A copied project (`cp -r`, .venv included) works on itself only: its commands refuse to run on
the original's tree, and `make` sets the copy up anew; the original is never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jeugdmonitor import paths, projecttree
from jeugdmonitor.errors import ProjectCopyError

from .conftest import REPO_ROOT, copy_project


def copied_project(target: Path) -> Path:
    """The project as `cp -r` leaves it, cheaply: the copied .venv is a folder whose python and
    site-packages (with the editable install pointing at the original src/) are the original's,
    and whose setup stamp names the original folder."""
    copy_project(target)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(REPO_ROOT / name, target / name)
    shutil.copytree(REPO_ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    venv = target / ".venv"
    (venv / "bin").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / ".venv" / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "bin" / "python").symlink_to(Path(sys.executable))
    (venv / "lib").symlink_to(REPO_ROOT / ".venv" / "lib")
    (venv / ".setup-klaar").write_text(f"{REPO_ROOT}\n", encoding="utf-8")
    return target


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file the commands could write in the original."""
    found = {}
    for folder in ("config", "data", "expectations", "reports", "logs"):
        for path in sorted((root / folder).rglob("*")) if (root / folder).exists() else []:
            if path.is_file() and "uncommitted" not in path.parts:
                stat = path.stat()
                found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def environment_without_root() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (paths.ROOT_ENV, "MAKEFLAGS", "MAKELEVEL")}
    return {**env, "GX_ANALYTICS_ENABLED": "False"}


def test_the_check_names_the_copy_and_how_to_set_it_up(tmp_path):
    copy = copied_project(tmp_path / "kopie")

    with pytest.raises(ProjectCopyError) as error:
        projecttree.check_project_tree(cwd=copy / "notebooks", environ={})
    assert error.value.exit_code == 2
    assert f"draait in {copy.resolve()}" in str(error.value) and "make setup" in str(error.value)
    assert str(paths.CODE_ROOT) in str(error.value)
    projecttree.check_project_tree(cwd=copy, environ={paths.ROOT_ENV: str(copy)})  # the tests' way: told where
    projecttree.check_project_tree(cwd=REPO_ROOT, environ={})
    projecttree.check_project_tree(cwd=tmp_path, environ={})  # outside any project tree


def test_a_command_in_the_copy_refuses_and_leaves_the_original_alone(tmp_path):
    copy = copied_project(tmp_path / "kopie")
    before = tree_state(REPO_ROOT)

    for command in (["-m", "jeugdmonitor.cli", "expectations"], ["-m", "jeugdmonitor.cli", "regio", "--jeugdregio", "JZ98"],
                    ["-m", "jeugdmonitor.fetch", "--jaren", "2023"]):
        result = subprocess.run([str(copy / ".venv" / "bin" / "python"), *command], cwd=copy, env=environment_without_root(),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "dit project is gekopieerd" in result.stderr and "make setup" in result.stderr

    assert tree_state(REPO_ROOT) == before
    assert "JZ98" not in (copy / "config" / "gemeenten.yaml").read_text(encoding="utf-8")


def test_make_in_the_copy_sets_it_up_anew_instead_of_using_the_original(tmp_path):
    copy = copied_project(tmp_path / "kopie")

    dry_run = subprocess.run(["make", "-n", "setup"], cwd=copy, env=environment_without_root(), capture_output=True,
                             text=True, timeout=120)
    assert dry_run.returncode == 0, dry_run.stderr
    assert f".venv is gemaakt voor {REPO_ROOT}, niet voor {copy}" in dry_run.stdout
    assert "rm -rf .venv" in dry_run.stdout and "-m venv .venv" in dry_run.stdout
    assert f'echo "{copy}" > .venv/.setup-klaar' in dry_run.stdout  # the stamp then names the copy

    shown = subprocess.run(["make", "help"], cwd=copy, env=environment_without_root(), capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0 and "regio" in shown.stdout and "import" in shown.stdout
    assert (copy / ".venv" / "lib").is_symlink()  # a dry run and `make help` change nothing

    told = subprocess.run(["make", "-n", "setup"], cwd=copy, env={**environment_without_root(), paths.ROOT_ENV: str(copy)},
                          capture_output=True, text=True, timeout=120)
    assert "gemaakt voor" not in told.stdout  # JEUGDMONITOR_ROOT (the tests' copies) skips the check


def test_a_stamp_from_before_the_record_is_told_apart_by_the_venvs_activate_script(tmp_path):
    copy = copied_project(tmp_path / "kopie")
    (copy / ".venv" / ".setup-klaar").write_text("", encoding="utf-8")  # `touch`ed by an older Makefile
    (copy / ".venv" / "bin" / "activate").write_text(f'VIRTUAL_ENV="{REPO_ROOT}/.venv"\nexport VIRTUAL_ENV\n',
                                                     encoding="utf-8")

    dry_run = subprocess.run(["make", "-n", "setup"], cwd=copy, env=environment_without_root(), capture_output=True,
                             text=True, timeout=120)

    assert f".venv is gemaakt voor {REPO_ROOT}, niet voor {copy}" in dry_run.stdout and "rm -rf .venv" in dry_run.stdout
