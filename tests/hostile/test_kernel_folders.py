"""Kernel folders a killed run left in $TMPDIR are removed by a later run, never while their owner lives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jeugdmonitor import cli
from jeugdmonitor.errors import ConfigError
from jeugdmonitor.runner import kernel


def _folder(tmp: Path, name: str, owner: object | None) -> Path:
    folder = tmp / f"{kernel.KERNEL_FOLDER_PREFIX}{name}"
    folder.mkdir()
    (folder / "kernel.json").write_text("{}")
    if owner is not None:
        (folder / kernel.OWNER_FILE).write_text(json.dumps(owner))
    return folder


@pytest.fixture
def gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_folders_whose_owner_is_gone_are_removed(tmp_path, gone_pid):
    me = {"pid": os.getpid(), "start": kernel._start_time(os.getpid())}
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        other = {"pid": living.pid, "start": kernel._start_time(living.pid)}
        kept = [_folder(tmp_path, "eigen", me), _folder(tmp_path, "levend", other),
                _folder(tmp_path, "zonder-eigenaar", None), _folder(tmp_path, "onleesbaar", "geen record")]
        stale = [_folder(tmp_path, "weg", {"pid": gone_pid, "start": 1.0}),
                 _folder(tmp_path, "pid-hergebruikt", {**me, "start": me["start"] - 3600})]
        other_name = tmp_path / "iets-anders"
        other_name.mkdir()
        removed = kernel.remove_stale_kernel_folders(tmp_path)
        assert sorted(removed) == sorted(stale)
        assert all(f.exists() for f in kept) and other_name.exists()
        assert not any(f.exists() for f in stale)
    finally:
        living.kill()
        living.wait()


def test_a_new_kernel_folder_records_its_owner_and_clears_stale_ones(short_tmp, monkeypatch, gone_pid):
    tmp_path = short_tmp
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(kernel.tempfile, "tempdir", None)  # read TMPDIR again
    stale = _folder(tmp_path, "weg", {"pid": gone_pid, "start": 1.0})
    with kernel.kernel_folder() as folder:
        assert folder.parent == tmp_path and oct(folder.stat().st_mode & 0o777) == "0o700"
        owner = json.loads((folder / kernel.OWNER_FILE).read_text())
        assert owner["pid"] == os.getpid() and owner["start"] == kernel._start_time(os.getpid())
        assert not stale.exists()
        assert kernel.remove_stale_kernel_folders(tmp_path) == [], "never while its owner lives"
    assert not folder.exists()


def test_two_workers_clearing_the_same_stale_folder_do_not_fail(tmp_path, monkeypatch, gone_pid):
    stale = _folder(tmp_path, "weg", {"pid": gone_pid, "start": 1.0})
    real_rmtree = kernel.shutil.rmtree

    def removed_by_the_other_worker_first(path, *args, **kwargs):
        real_rmtree(path)
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(kernel.shutil, "rmtree", removed_by_the_other_worker_first)
    assert kernel.remove_stale_kernel_folders(tmp_path) == []
    assert not stale.exists()


def test_a_temporary_folder_too_deep_for_a_kernel_socket_is_refused_by_name(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setenv("TMPDIR", str(deep))
    monkeypatch.setattr(kernel.tempfile, "tempdir", None)
    with pytest.raises(ConfigError, match=r"TMPDIR\) is te diep: .* ten hoogste 107"):
        kernel.new_kernel_folder()
    assert not list(deep.iterdir()), "nothing made in the folder it refused"
    kernel.check_socket_room(str(tmp_path.parent.parent))  # a shorter one is fine


def test_the_command_line_refuses_a_deep_temporary_folder_once_with_exit_2(project, tmp_path, monkeypatch, capsys):
    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setenv("TMPDIR", str(deep))
    monkeypatch.setattr(kernel.tempfile, "tempdir", None)
    assert cli.main(["clean", "--year", "2023"]) == 2
    err = capsys.readouterr().err
    assert err.count("FOUT:") == 1 and "is te diep" in err and str(deep) in err
