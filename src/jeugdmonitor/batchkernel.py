"""The batch kernel every notebook of a run executes in: its name, its arguments and socket
settings, the page time limit, and the error a failed notebook raises.

Kept apart from `runner` (warm workers, Altair, nbconvert) so that the cleaning and validation
stages, and the command line, start without loading what only the report pages need.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

KERNEL_NAME = "jeugdmonitor"
DEFAULT_TIMEOUT = 300  # seconds per report page; a report takes about one


class StageError(RuntimeError):
    """A notebook failed; the message carries the notebook's own error (file, column, rows).
    `ename` names the notebook's exception (the exit code follows from it)."""

    def __init__(self, message: str, ename: str | None = None):
        super().__init__(message)
        self.ename = ename


def kernel_config(socket_dir: Path) -> Config:
    """Kernel manager settings for a batch kernel: IPC sockets and the connection file in a private
    folder (mode 0700, removed with it) instead of TCP ports on localhost and a loose temporary
    file. No other user of the machine can reach the kernel, and ipykernel does not warn about
    unencrypted TCP in every run log."""
    return Config({"KernelManager": {"transport": "ipc", "ip": str(socket_dir / "kernel"),
                                     "connection_file": str(socket_dir / "kernel.json")}})


# Batch kernels keep no input history: the executed notebook is the record of what ran, and
# IPython's history database lives in the user's home, outside the project (its writer thread
# also costs every cell). Passed as nbclient's `extra_arguments`.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
