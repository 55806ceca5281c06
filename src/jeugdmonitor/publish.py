"""Publish by rename: a finished folder replaces the published one in one step, so a failed or
killed run leaves either the old or the new files in place, never a mix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jeugdmonitor import paths


def previous_dir(target: Path) -> Path:
    """Where the published folder waits while its successor is moved in (`.vorige-<name>`)."""
    return target.with_name(f".vorige-{target.name}")


def swap_into_place(staging: Path, target: Path) -> Path:
    """Replace `target` by the finished folder `staging`: two renames on the same file system.
    The old folder survives until the new one is in place, and is then removed."""
    previous = previous_dir(target)
    if previous.exists():
        shutil.rmtree(previous)  # left by an interrupted swap
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    if previous.exists():
        shutil.rmtree(previous)
    return target


def move_files_into(staging: Path, target: Path) -> list[Path]:
    """Move every file under `staging` to the same place under `target` (a folder holding other
    files too, such as data/raw/), each by a rename. Data files go first, then their sidecars
    (`<file>.meta.json`): an interruption in between leaves a checksum mismatch that the
    cleaning stage refuses, never a silently inconsistent pair."""
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    moved = []
    for path in sorted(files, key=lambda p: p.name.endswith(paths.SIDECAR_SUFFIX)):
        destination = target / path.relative_to(staging)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
        moved.append(destination)
    return moved
