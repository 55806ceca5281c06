"""Faults while publishing: a run killed at any step leaves the published folder complete."""

from __future__ import annotations

from pathlib import Path

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
