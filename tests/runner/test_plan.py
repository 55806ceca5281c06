"""Tests for jeugdmonitor.runner.plan: which municipalities a selection builds and keeps, and which
pages an --only build marks stale."""

from __future__ import annotations

from jeugdmonitor import paths
from jeugdmonitor.runner import manifest, plan
from tests.runner.helpers import AVAILABLE, _checksums, _entry, _page


def _published(*codes: str) -> dict:
    return {"pagina's": {code: {"soort": "gemeente", "status": "gebouwd", "parameters": {"gemeente": code}} for code in codes}}


def test_without_a_selection_every_municipality_is_in_the_set_and_selected():
    assert plan.choose_municipalities(AVAILABLE, _published(), None, None) == (AVAILABLE, set(AVAILABLE))


def test_a_selection_keeps_the_published_municipalities_in_register_order():
    chosen, selected = plan.choose_municipalities(AVAILABLE, _published("GM0034", "GM0518"), ["GM1916"], None)
    assert chosen == ["GM0518", "GM1916", "GM0034"] and selected == {"GM1916"}


def test_limit_takes_the_first_municipalities_of_the_register():
    chosen, selected = plan.choose_municipalities(AVAILABLE, _published(), None, 2)
    assert chosen == ["GM0503", "GM0518"] and selected == {"GM0503", "GM0518"}


def _plan(tmp_path, monkeypatch, published: dict, selected: set[str], everything: bool) -> plan.Plan:
    monkeypatch.setattr(paths, "report_dir", lambda year: tmp_path / "gepubliceerd")
    return plan.plan_run(2023, [_page("GM0503"), _page("GM0518")], selected, _checksums(**{"pages/gemeente/kop.html.j2": "nieuw"}),
                           published, {"pagina's": {}}, tmp_path / "bouw", False, everything)


def _published_before_a_template_change(tmp_path) -> dict:
    folder = tmp_path / "gepubliceerd"
    return {"pagina's": {code: {**_entry(_page(code), folder, manifest.page_inputs(_page(code), _checksums())),
                                "soort": "gemeente"} for code in ("GM0503", "GM0518")}}


def test_an_only_build_after_a_change_builds_the_selection_and_marks_the_others_stale(tmp_path, monkeypatch):
    planned = _plan(tmp_path, monkeypatch, _published_before_a_template_change(tmp_path), {"GM0503"}, everything=False)
    assert [p.key for p in planned.build] == ["GM0503"]
    assert [p.key for p in planned.stale] == ["GM0518"] and not planned.take_over


def test_the_next_full_build_rebuilds_the_pages_an_only_build_marked_stale(tmp_path, monkeypatch):
    published = _published_before_a_template_change(tmp_path)
    published["pagina's"]["GM0518"]["status"] = manifest.STALE_STATUS
    assert plan.choose_municipalities(["GM0503", "GM0518"], published, ["GM0503"], None)[0] == ["GM0503", "GM0518"]
    again = _plan(tmp_path, monkeypatch, published, {"GM0503"}, everything=False)
    assert [p.key for p in again.stale] == ["GM0518"]  # a second --only build keeps it marked
    full = _plan(tmp_path, monkeypatch, published, {"GM0503", "GM0518"}, everything=True)
    assert sorted(p.key for p in full.build) == ["GM0503", "GM0518"] and not full.stale
