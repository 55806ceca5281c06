"""Publish by rename: the finished folder replaces the published one; files move data first."""

from __future__ import annotations

import os
from pathlib import Path

from jeugdmonitor import publish


def test_swap_replaces_the_published_folder_and_leaves_no_previous(tmp_path: Path):
    target, staging = tmp_path / "2023", tmp_path / ".bouw-2023"
    target.mkdir()
    (target / "oud.html").write_text("oud")
    staging.mkdir()
    (staging / "nieuw.html").write_text("nieuw")
    publish.previous_dir(target).mkdir()  # left by an interrupted swap
    (publish.previous_dir(target) / "resten.html").write_text("x")

    assert publish.swap_into_place(staging, target) == target

    assert sorted(p.name for p in target.iterdir()) == ["nieuw.html"]
    assert not staging.exists() and not publish.previous_dir(target).exists()


def test_swap_into_a_place_that_does_not_exist_yet(tmp_path: Path):
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "a.parquet").write_text("a")
    target = tmp_path / "clean" / "2023"
    publish.swap_into_place(staging, target)
    assert (target / "a.parquet").read_text() == "a"


def test_files_move_into_a_shared_folder_data_before_sidecars(tmp_path: Path, monkeypatch):
    staging, target = tmp_path / "ophalen", tmp_path / "raw"
    (staging / "cbs").mkdir(parents=True)
    (staging / "cbs" / "t.csv.meta.json").write_text("{}")
    (staging / "cbs" / "t.csv").write_text("data")
    (target / "regio").mkdir(parents=True)
    (target / "regio" / "budget.csv").write_text("blijft")
    order = []
    real_replace = os.replace

    def recording_replace(source, destination):
        order.append(Path(destination).name)
        real_replace(source, destination)

    monkeypatch.setattr(publish.os, "replace", recording_replace)
    moved = publish.move_files_into(staging, target)

    assert order == ["t.csv", "t.csv.meta.json"]
    assert moved == [target / "cbs" / "t.csv", target / "cbs" / "t.csv.meta.json"]
    assert (target / "regio" / "budget.csv").read_text() == "blijft"
    assert (target / "cbs" / "t.csv").read_text() == "data"
