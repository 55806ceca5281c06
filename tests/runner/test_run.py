"""Tests for jeugdmonitor.runner.run: the plain progress lines and the manifest a build leaves, also
when it is interrupted, without running notebooks."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from jeugdmonitor.runner import manifest, run
from jeugdmonitor.runner.page import PageResult
from tests.runner.helpers import _entry, _page


def test_progress_without_a_terminal_is_one_plain_line_per_page(capsys):
    progress = run._Progress(12)
    progress.finished(_page(), PageResult("GM0503", True, 5.08, 1))
    progress.finished(_page("GM0518"), PageResult("GM0518", False, 61.0, 2, "ValueError: x"))
    progress.close()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "[ 1/12] GM0503 Delft                      5.1 s"
    assert lines[1].startswith("[ 2/12] GM0518 ") and lines[1].endswith("61.0 s  (2 pogingen)  MISLUKT")


class _FinishedPool:
    """Stands in for the worker pool: every page is done at once, `failing` failed, and `stop`
    interrupts the run there."""

    def __init__(self, failing: str | None = None, stop: str | None = None):
        self.failing, self.stop = failing, stop

    def submit(self, function, year, page, *args):
        future: Future = Future()
        if page.key == self.stop:
            future.set_exception(KeyboardInterrupt())
        elif page.key == self.failing:
            future.set_result(PageResult(page.key, False, 1.0, 1, "ValueError: x"))
        else:
            _entry(page, Path(args[0]), {})  # the page's files, as a worker writes them
            future.set_result(PageResult(page.key, True, 1.0, 1))
        return future

    def shutdown(self, **kwargs):
        pass


CHECKSUMS = {"tabellen": {}, "notebooks": {"03_gemeenterapport.ipynb": "n"}}


def _new_manifest() -> dict:
    return {"versie": manifest.MANIFEST_VERSION, "pagina's": {}}


def test_the_manifest_holds_every_finished_page_when_the_build_ends_within_the_write_interval(tmp_path, monkeypatch):
    # rewrites are spaced (MANIFEST_INTERVAL), but the last pages of a run are never left out
    monkeypatch.setattr(run, "MANIFEST_INTERVAL", 3600)
    todo = [_page("GM0503"), _page("GM0518"), _page("GM1916")]
    failures = run._build(_FinishedPool(failing="GM0518"), 2023, todo, tmp_path, None, CHECKSUMS, _new_manifest(),
                             None, 0)
    assert [page.key for page, _ in failures] == ["GM0518"]
    assert {key: entry["status"] for key, entry in manifest.read_manifest(tmp_path)["pagina's"].items()} == {
        "GM0503": "gebouwd", "GM0518": "mislukt", "GM1916": "gebouwd"}


def test_an_interrupted_build_leaves_the_manifest_of_the_pages_it_finished(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "MANIFEST_INTERVAL", 3600)
    todo = [_page("GM0503"), _page("GM1916"), _page("GM0034")]
    recorded = _new_manifest()
    with pytest.raises(KeyboardInterrupt):
        run._build(_FinishedPool(stop="GM1916"), 2023, todo, tmp_path, None, CHECKSUMS, recorded, None, 0)
    assert manifest.read_manifest(tmp_path) == recorded and "GM1916" not in recorded["pagina's"]


def test_a_build_records_the_checksum_of_every_output(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "MANIFEST_INTERVAL", 3600)
    run._build(_FinishedPool(), 2023, [_page()], tmp_path, None, CHECKSUMS, _new_manifest(), None, 0)
    entry = manifest.read_manifest(tmp_path)["pagina's"]["GM0503"]
    assert entry["uitvoer"] == manifest.output_checksums(_page(), tmp_path, 2023)
    assert set(entry["uitvoer"]) == set(_page().files(2023))
