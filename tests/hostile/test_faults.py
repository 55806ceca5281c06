"""Faults while publishing: a run killed at any step leaves the published folder complete."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor import publish

OLD = {"index.html": "oud", "GM0503.html": "oud", "bouwmanifest.json": "{}"}
NEW = {"index.html": "nieuw", "GM0503.html": "nieuw", "GM0518.html": "nieuw", "bouwmanifest.json": "{}"}


class Killed(BaseException):
    """A kill: not an Exception, so no handler in the code under test can swallow it."""


def _fill(folder: Path, files: dict[str, str]) -> Path:
    (folder / "sub").mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
        (folder / "sub" / name).write_text(text)
    return folder


def _content(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def _steps(tmp_path: Path, monkeypatch) -> list[tuple[str, str]]:
    """The steps of one undisturbed publish over an existing folder, with leftovers to clear."""
    seen: list[tuple[str, str]] = []
    target = _fill(tmp_path / "ref" / "2023", OLD)
    _fill(publish.previous_dir(target), {"resten.html": "x"})
    monkeypatch.setattr(publish, "STEP_HOOK", lambda step, path: seen.append((step, path.name)))
    publish.swap_into_place(_fill(tmp_path / "ref" / ".bouw-2023", NEW), target)
    monkeypatch.setattr(publish, "STEP_HOOK", lambda step, path: None)
    return seen


def test_publishing_uses_one_exchange(tmp_path, monkeypatch):
    steps = _steps(tmp_path, monkeypatch)
    assert [s for s, _ in steps] == ["remove", "rename", "exchange", "rename", "remove"]


@pytest.mark.parametrize("published_before", [True, False])
def test_a_kill_at_any_step_leaves_the_published_folder_complete(tmp_path, monkeypatch, published_before):
    count = len(_steps(tmp_path, monkeypatch)) if published_before else 2
    for kill_at in range(count + 1):
        root = tmp_path / f"run{kill_at}-{published_before}"
        target = root / "2023"
        if published_before:
            _fill(target, OLD)
            _fill(publish.previous_dir(target), {"resten.html": "x"})
        staging = _fill(root / ".bouw-2023", NEW)
        calls = []

        def hook(step, path, kill_at=kill_at, calls=calls):
            calls.append(step)
            if len(calls) == kill_at + 1:
                raise Killed(step)

        monkeypatch.setattr(publish, "STEP_HOOK", hook)
        killed = False
        try:
            publish.swap_into_place(staging, target)
        except Killed:
            killed = True
        monkeypatch.setattr(publish, "STEP_HOOK", lambda step, path: None)
        assert killed == (kill_at < count)
        if target.exists() or published_before:
            assert _content(target) in (OLD, NEW), f"killed before step {kill_at}: the published folder is a mix"
            assert _content(target / "sub") == _content(target)
        # the next run publishes and clears what the killed one left
        publish.swap_into_place(_fill(root / ".bouw-2023-opnieuw", NEW), target)
        assert _content(target) == NEW
        left = [".bouw-2023"] if staging.exists() else []  # killed before the first rename: the run's own staging
        assert sorted(p.name for p in root.iterdir()) == sorted([*left, "2023"])


def test_without_an_exchange_it_still_publishes_and_says_so(tmp_path, monkeypatch, caplog):
    target = _fill(tmp_path / "2023", OLD)
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    publish.swap_into_place(_fill(tmp_path / ".bouw-2023", NEW), target)
    assert _content(target) == NEW and "twee stappen" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]


def test_exchange_swaps_two_folders(tmp_path):
    a, b = _fill(tmp_path / "a", OLD), _fill(tmp_path / "b", NEW)
    assert publish.exchange(a, b)
    assert _content(a) == NEW and _content(b) == OLD


# ------------------------------------------------------------------------------ every failure a message
def _published_reports(project: Path) -> dict[str, str]:
    out = project / "reports" / "2023"
    _fill(out, OLD)
    return _content(out)


def _run_cli(capsys, *argv: str) -> tuple[int, str]:
    from jeugdmonitor import cli
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize("epoch", ["4354819200", "99999999999"])  # 2108-01-01, year 5138
def test_a_source_date_epoch_beyond_2107_stops_before_anything_is_written(project, capsys, monkeypatch, epoch):
    before = _published_reports(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, err = _run_cli(capsys, "reports", "--year", "2023")
    assert code == 2 and "SOURCE_DATE_EPOCH" in err and epoch in err and "2107" in err
    assert _content(project / "reports" / "2023") == before
    assert not (project / "reports" / ".bouw-2023").exists()


def test_a_truncated_clean_table_is_named(project, capsys):
    from jeugdmonitor import paths
    clean = paths.clean_dir(2023)
    clean.mkdir(parents=True)
    (clean / paths.VALIDATION_STAMP_NAME).write_text("{}")
    whole = pd.DataFrame({"gebied_code": ["GM0503"] * 100}).to_parquet()
    paths.clean_table(2023, "gebieden").write_bytes(whole[: len(whole) // 2])
    before = _published_reports(project)
    code, err = _run_cli(capsys, "reports", "--year", "2023")
    assert code == 2 and "gebieden.parquet is beschadigd of afgebroken" in err
    assert _content(project / "reports" / "2023") == before


def _failing_run(project: Path, error: OSError):
    """A report run that writes a half-built staging folder and a manifest scratch file, then fails."""
    def run(year, *args, **kwargs):
        staging = project / "reports" / f".bouw-{year}"
        _fill(staging, NEW)
        (staging / "bouwmanifest.json.tmp").write_text("")
        raise error
    return run


def test_a_full_disk_is_a_message_and_leaves_nothing_half_built(project, capsys, monkeypatch):
    import errno

    from jeugdmonitor.runner import pipeline
    before = _published_reports(project)
    full = OSError(errno.ENOSPC, "No space left on device", str(project / "reports" / ".bouw-2023" / "GM0503.html"))
    monkeypatch.setattr(pipeline, "run_reports", _failing_run(project, full))
    code, err = _run_cli(capsys, "reports", "--year", "2023")
    assert code == 1 and "schijf is vol" in err and "GM0503.html" in err and "niets gepubliceerd" in err
    assert not (project / "reports" / ".bouw-2023").exists() and "reports/.bouw-2023" in err
    assert _content(project / "reports" / "2023") == before


def test_a_read_only_folder_is_a_message(project, capsys, monkeypatch):
    import errno

    from jeugdmonitor.runner import pipeline
    before = _published_reports(project)
    denied = PermissionError(errno.EACCES, "Permission denied", str(project / "reports" / ".bouw-2023"))
    monkeypatch.setattr(pipeline, "run_reports", _failing_run(project, denied))
    code, err = _run_cli(capsys, "reports", "--year", "2023")
    assert code == 1 and "geen schrijfrechten op" in err and ".bouw-2023" in err
    assert _content(project / "reports" / "2023") == before


def test_a_manifest_that_cannot_be_written_leaves_no_scratch_file(tmp_path, monkeypatch):
    import errno

    from jeugdmonitor.runner import manifest

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(manifest.os, "replace", full)
    with pytest.raises(OSError):
        manifest.write_manifest(tmp_path, {"pagina's": {}})
    assert list(tmp_path.iterdir()) == []


def test_a_notebook_that_meets_a_full_disk_leaves_no_staging(project, capsys, monkeypatch):
    from jeugdmonitor import paths
    from jeugdmonitor.runner import pipeline

    def run_clean(year):
        _fill(paths.staging_dir(year), NEW)
        raise pipeline.StageError("01_opschonen.ipynb ({'jaar': 2023}) is mislukt: OSError: [Errno 28] No space left on "
                                  "device: 'data/staging/2023/kpi_waarden.parquet'", ename="OSError")

    monkeypatch.setattr(pipeline, "run_clean", run_clean)
    code, err = _run_cli(capsys, "clean", "--year", "2023")
    assert code == 4 and "kpi_waarden.parquet" in err and "de schijf is vol" in err and "data/staging/2023" in err
    assert not paths.staging_dir(2023).exists()


def test_the_validation_stamp_is_in_the_set_before_it_is_published(clean_tables, monkeypatch):
    """A publish killed right after the exchange still leaves tables with their stamp."""
    from jeugdmonitor import paths
    from jeugdmonitor.quality import gate
    seen = {}
    real_swap = gate.swap_into_place

    def swap(staging, target):
        seen["stamp"] = (staging / paths.VALIDATION_STAMP_NAME).is_file()
        return real_swap(staging, target)

    monkeypatch.setattr(gate, "swap_into_place", swap)
    assert gate.publish(2023, {"geslaagd": True}) == paths.validation_stamp(2023)
    assert seen == {"stamp": True} and paths.validation_stamp(2023).is_file()
