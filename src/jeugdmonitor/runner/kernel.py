"""The batch kernel every notebook of a run executes in: its name, its arguments, its manager
(sockets and IPython's folder in a private folder), the page time limit, and the error a failed
notebook raises.

Kept apart from `runner` (warm workers, Altair, nbconvert) so that the cleaning and validation
stages, and the command line, start without loading what only the report pages need.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_path
from traitlets import Unicode, default
from traitlets.config import Config

from jeugdmonitor.errors import ConfigError

KERNEL_NAME = "jeugdmonitor"
DEFAULT_TIMEOUT = 300  # seconds per report page; a report takes about one
KERNEL_FOLDER_PREFIX = "jeugdmonitor-kernel-"
SOCKET_NAME = "kernel"  # a kernel's IPC sockets are <kernel folder>/kernel-<n>
# The longest socket path a Unix socket takes (sun_path: 108 bytes with its closing zero, on Linux)
SOCKET_PATH_MAX = 107
OWNER_FILE = "eigenaar.json"  # in each kernel folder: the pid and start time of the process it belongs to
log = logging.getLogger("jeugdmonitor")


def _start_time(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch), or None when there is no such process."""
    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return None


def _owner_gone(owner: Any) -> bool:
    """True only when the folder's recorded owner is certainly gone: no process has its pid, or the
    process with its pid started at another time (the pid was given to a later process)."""
    if not (isinstance(owner, dict) and isinstance(owner.get("pid"), int) and isinstance(owner.get("start"), int | float)):
        return False  # no readable record: its owner may live
    started = _start_time(owner["pid"])
    return started is None or abs(started - owner["start"]) > 1.0


def remove_stale_kernel_folders(temp_dir: Path | None = None) -> list[Path]:
    """Remove the kernel folders (`jeugdmonitor-kernel-*` in $TMPDIR) that a killed run left: only
    this user's, and only those whose recorded owner process is gone; a folder without a record
    (or whose owner lives) is left alone. Returns what was removed."""
    removed = []
    for folder in sorted(Path(temp_dir or tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
            continue
        try:
            owner = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _owner_gone(owner):
            try:
                shutil.rmtree(folder)
            except FileNotFoundError:  # another worker starting at the same moment removed it first
                continue
            removed.append(folder)
    if removed:
        log.info("%d kernelmap(pen) van afgebroken runs opgeruimd in %s", len(removed), removed[0].parent)
    return removed


def check_socket_room(temp_dir: str | None = None) -> None:
    """Refuse a temporary folder ($TMPDIR) so deep that a kernel's socket path would pass the
    length a Unix socket takes: without this check the kernel fails to start with a bare ZMQ error."""
    base = temp_dir or tempfile.gettempdir()
    # mkdtemp adds 8 characters to the prefix; a socket is kernel-<n>, n counting from 1 per channel
    longest = len(os.fsencode(os.path.join(base, f"{KERNEL_FOLDER_PREFIX}{'x' * 8}", f"{SOCKET_NAME}-99")))
    if longest > SOCKET_PATH_MAX:
        raise ConfigError(f"de map voor tijdelijke bestanden {base} (TMPDIR) is te diep: het pad van de sockets van een "
                          f"kernel wordt {longest} tekens, een socket neemt er ten hoogste {SOCKET_PATH_MAX}; "
                          f"kies een kortere TMPDIR, zoals /tmp")


def new_kernel_folder() -> Path:
    """A private folder (mode 0700) for a batch kernel's sockets, recording its owner (this
    process's pid and start time) so that a later run can remove it if this one is killed;
    stale folders of earlier runs are removed first."""
    check_socket_room()
    remove_stale_kernel_folders()
    folder = Path(tempfile.mkdtemp(prefix=KERNEL_FOLDER_PREFIX))
    record = {"pid": os.getpid(), "start": _start_time(os.getpid())}
    (folder / OWNER_FILE).write_text(json.dumps(record), encoding="utf-8")
    return folder


@contextlib.contextmanager
def kernel_folder() -> Iterator[Path]:
    """new_kernel_folder, removed when the block ends."""
    folder = new_kernel_folder()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class StageError(RuntimeError):
    """A notebook failed; the message carries the notebook's own error (file, column, rows).
    `ename` names the notebook's exception (the exit code follows from it)."""

    def __init__(self, message: str, ename: str | None = None):
        super().__init__(message)
        self.ename = ename


class BatchKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, writing nothing in the user's home. A kernel makes
    ~/.ipython/profile_default when it is not there: a batch kernel gets IPython's folder
    (IPYTHONDIR) `ipython_dir` in its private folder (kernel_config), removed with it; kept on
    restarts (jupyter_client starts a restarted kernel with the same arguments). The kernel is
    looked up where Jupyter keeps kernels, not also in the old ~/.ipython/kernels, whose lookup
    makes ~/.ipython."""

    ipython_dir = Unicode("", config=True, help="IPython's folder for the kernel; empty: the user's")

    @default("kernel_spec_manager")
    def _jupyter_kernel_specs(self) -> KernelSpecManager:
        return KernelSpecManager(data_dir=self.data_dir, kernel_dirs=jupyter_path("kernels"))

    async def start_kernel(self, **kw: Any) -> None:
        if self.ipython_dir and "env" not in kw:
            kw["env"] = {**os.environ, "IPYTHONDIR": self.ipython_dir}
        await super().start_kernel(**kw)


def kernel_config(socket_dir: Path) -> Config:
    """Kernel manager settings for a batch kernel: IPC sockets and the connection file in a private
    folder (mode 0700, removed with it) instead of TCP ports on localhost and a loose temporary
    file. No other user of the machine can reach the kernel, and ipykernel does not warn about
    unencrypted TCP in every run log. IPython's folder is there too (BatchKernelManager), and
    nbclient starts papermill's kernels with that manager."""
    return Config({"KernelManager": {"transport": "ipc", "ip": str(socket_dir / SOCKET_NAME),
                                     "connection_file": str(socket_dir / "kernel.json")},
                   "BatchKernelManager": {"ipython_dir": str(socket_dir / "ipython")},
                   "NotebookClient": {"kernel_manager_class": BatchKernelManager}})


# Batch kernels keep no input history: the executed notebook is the record of what ran, and
# IPython's history database lives in the user's home, outside the project (its writer thread
# also costs every cell). Passed as nbclient's `extra_arguments`.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
