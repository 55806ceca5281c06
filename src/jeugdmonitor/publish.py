"""Publish by exchange: a finished folder takes the published folder's place in one step, so a
reader, or a run killed at any instant, sees the complete old set or the complete new set under
the published path (reports/<year>/, data/clean/<year>/), never a mix and never nothing.

How: the kernel swaps the two folders atomically (Linux `renameat2` with RENAME_EXCHANGE, macOS
`renamex_np` with RENAME_SWAP, both through ctypes). The published path stays a real folder, so
every reader (the runner's hard links from the published set, the PDF step, Data Docs links, a
researcher's file browser) works as before; a published symbolic link onto versioned folders
would have been atomic too, but every reader and `make clean` would have had to learn about it.
Where neither call exists (another system, a file system without the exchange) the swap falls back
to two renames and says so: between them the published path is briefly missing.

Steps, each one atomic, with `STEP_HOOK` called before each (tests inject a kill there):
1. `rename`  the finished folder to `.nieuw-<name>` beside the published one (same folder, so the
   exchange below never crosses a file system, and a leftover is recognisably not published);
2. `exchange` `.nieuw-<name>` with `<name>` (or `rename`, when nothing was published yet);
3. `rename`  the old set, now at `.nieuw-<name>`, to `.vorige-<name>`;
4. `remove`  `.vorige-<name>`.
A kill after 1, 2 or 3 leaves a `.nieuw-`/`.vorige-` folder that the next publish removes first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.period import Quarter

LOG = logging.getLogger(__name__)
SCRATCH_SUFFIX = ".tmp"  # a file being written beside its final name (the runner's manifest)
AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS sys/stdio.h

# called as STEP_HOOK(step, path) before each step of a publish; tests raise from it to simulate a kill
STEP_HOOK: Callable[[str, Path], None] = lambda step, path: None  # noqa: E731


def previous_dir(target: Path) -> Path:
    """Where the replaced published folder waits to be removed (`.vorige-<name>`)."""
    return target.with_name(f".vorige-{target.name}")


def incoming_dir(target: Path) -> Path:
    """Where the finished folder waits beside the published one for the exchange (`.nieuw-<name>`)."""
    return target.with_name(f".nieuw-{target.name}")


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders `a` and `b` in one atomic step; False when this system or file system
    cannot (then nothing happened). Any other failure is raised as OSError naming both."""
    libc = _libc()
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _remove_leftovers(target: Path) -> None:
    """Remove what an interrupted publish left beside `target`: never the published folder."""
    for leftover in (incoming_dir(target), previous_dir(target)):
        if leftover.exists():
            STEP_HOOK("remove", leftover)
            shutil.rmtree(leftover)


def swap_into_place(staging: Path, target: Path) -> Path:
    """Replace `target` by the finished folder `staging`, atomically at every instant (see the
    module's docstring for the steps). The old folder is removed once the new one is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    incoming, previous = incoming_dir(target), previous_dir(target)
    STEP_HOOK("rename", incoming)
    staging.rename(incoming)
    if not target.exists():
        STEP_HOOK("rename", target)
        incoming.rename(target)
        return target
    STEP_HOOK("exchange", target)
    if not exchange(incoming, target):
        LOG.warning("dit bestandssysteem kan %s niet in één stap verwisselen: het wordt in twee stappen vervangen", target)
        STEP_HOOK("rename", previous)
        target.rename(previous)
        STEP_HOOK("rename", target)
        incoming.rename(target)
    else:
        STEP_HOOK("rename", previous)
        incoming.rename(previous)
    STEP_HOOK("remove", previous)
    shutil.rmtree(previous)
    return target


def remove_unfinished(year: int | None) -> list[Path]:
    """Remove what an unfinished run of `year` left half-written (after a full disk): the report
    staging folder, the staged tables, a publish's `.nieuw-`/`.vorige-` folders and manifest
    scratch files. The published folders themselves are never touched. Returns what was removed."""
    if year is None:
        return []
    candidates = [paths.report_staging_dir(year), paths.staging_dir(year)]
    for published in (paths.report_dir(year), paths.clean_dir(year)):
        candidates += [incoming_dir(published), previous_dir(published)]
        candidates += list(published.glob(f"*{SCRATCH_SUFFIX}")) if published.is_dir() else []
    removed = []
    for path in candidates:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        else:
            continue
        removed.append(path)
    return removed


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


def published_quarters(year: int) -> list[Quarter]:
    """The quarters of `year` whose report set is published: reports/<year>-K<q>/index.html exists
    (`make kwartaal` writes it last). The annual index links these and no others, so no link is dead."""
    return [q for q in (Quarter(year, n) for n in range(1, 5)) if paths.report_index(paths.report_dir(q)).is_file()]


def latest_annual_set(before: int) -> int | None:
    """The newest report year before `before` whose annual set is published (reports/<year>/index.html),
    or None. A quarter page links this one, so its link to 'the last annual report' is never dead."""
    years = [int(folder.name) for folder in paths.REPORTS_DIR.glob("[0-9][0-9][0-9][0-9]")
             if int(folder.name) < before and paths.report_index(folder).is_file()]
    return max(years, default=None)
