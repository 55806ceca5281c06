"""Tests for jeugdmonitor.runner.manifest: when a published page is current or stale, and a corrupt
manifest set aside."""

from __future__ import annotations

import pytest

from jeugdmonitor import paths
from jeugdmonitor.runner import manifest, plan
from jeugdmonitor.runner.page import INDEX_KEY, Page
from tests.runner.helpers import AVAILABLE, _checksums, _entry, _page


def test_a_page_is_current_only_with_equal_inputs_parameters_and_all_its_files(tmp_path):
    page, inputs = _page(), {"tabellen": "a", "notebook": "b"}
    entry = _entry(page, tmp_path, inputs)
    assert manifest.is_current(entry, page, inputs, tmp_path, 2023)
    assert not manifest.is_current(entry, page, {**inputs, "tabellen": "c"}, tmp_path, 2023)
    assert not manifest.is_current({**entry, "parameters": {"gemeente": "GM0518"}}, page, inputs, tmp_path, 2023)
    assert not manifest.is_current({**entry, "status": "mislukt"}, page, inputs, tmp_path, 2023)
    (tmp_path / "GM0503_cijfers.csv").unlink()
    assert not manifest.is_current(entry, page, inputs, tmp_path, 2023)


def test_a_page_whose_published_file_changed_or_disappeared_is_rebuilt_and_named(tmp_path, caplog):
    page, inputs = _page(), {"tabellen": "a", "notebook": "b"}
    entry = _entry(page, tmp_path, inputs)
    assert manifest.is_current(entry, page, inputs, tmp_path, 2023)
    (tmp_path / "GM0503.html").write_text("in place bewerkt")
    assert not manifest.is_current(entry, page, inputs, tmp_path, 2023)
    assert "GM0503.html is veranderd sinds de bouw" in caplog.text
    (tmp_path / "GM0503.html").write_text("x")
    (tmp_path / "GM0503_cijfers.csv").unlink()
    assert not manifest.is_current(entry, page, inputs, tmp_path, 2023)
    assert "GM0503_cijfers.csv ontbreekt" in caplog.text
    without = {key: value for key, value in entry.items() if key != "uitvoer"}
    (tmp_path / "GM0503_cijfers.csv").write_text("x")
    assert not manifest.is_current(without, page, inputs, tmp_path, 2023), "no recorded checksum: never trusted"


@pytest.mark.parametrize("content", [b"[]", b"\xff\xfe niet utf-8", b'{"versie": 2, "pagina\'s": []}',
                                     b'{"versie": 2, "pagina\'s": {"GM0503": 1}}', b"", b'"tekst"',
                                     b'{"versie": 2, "pagina\'s": {"GM0503": {"parameters": []}}}'])
def test_a_corrupt_manifest_is_set_aside_with_a_warning(tmp_path, caplog, content):
    path = tmp_path / "bouwmanifest.json"
    path.write_bytes(content)
    assert manifest.read_manifest(tmp_path) == {"pagina's": {}}
    assert not path.exists() and (tmp_path / "bouwmanifest.json.onleesbaar").read_bytes() == content
    assert "bouwmanifest.json is onleesbaar" in caplog.text and "opzij gezet" in caplog.text
    assert plan.choose_municipalities(AVAILABLE, manifest.read_manifest(tmp_path), ["GM0503"], None)[0] == ["GM0503"]


PAGES_OF_EACH_KIND = (
    _page(),
    Page("JZ24", "regio", "05_regio.ipynb", {"regio": "JZ24"}, "regio-JZ24.html", "t", "Haaglanden"),
    Page(INDEX_KEY, "index", "04_overzicht.ipynb", {"gemeenten": []}, "index.html", "t", "index"),
)


def _changed_kinds(name: str) -> set[str]:
    before, after = _checksums(), _checksums(**{name: "veranderd"})
    return {page.kind for page in PAGES_OF_EACH_KIND if manifest.page_inputs(page, before) != manifest.page_inputs(page, after)}


@pytest.mark.parametrize(("name", "kinds"), [
    ("pages/gemeente/kop.html.j2", {"gemeente"}),
    ("pages/regio/overzicht.html.j2", {"regio"}),
    ("pages/kwartaal/pagina.html.j2", set()),  # the quarter pages only, which the yearly runner does not build
    ("pages/macros.html.j2", {"gemeente", "regio", "index"}),  # shared by every page
    ("jeugdmonitor/index.html.j2", {"gemeente", "regio", "index"}),  # the HTML export of every page
    ("report/inputs.py", {"gemeente", "regio", "index"}),  # every report notebook imports it
    ("devtools/sample_data.py", set()),  # no page imports it
    ("fetch/importer.py", set()),
    ("kpis.yaml", {"gemeente", "regio", "index"}),
    ("2023-K1/index.html", {"index"}),  # a published quarter: only the annual index links it
])
def test_a_page_kind_is_stale_only_for_the_templates_and_modules_it_uses(name, kinds):
    assert _changed_kinds(name) == kinds


def test_publishing_a_quarter_makes_the_annual_index_stale_and_no_other_page(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)

    def changed(before: dict) -> set[str]:
        after = manifest.input_checksums(2023)
        return {p.kind for p in PAGES_OF_EACH_KIND if manifest.page_inputs(p, before) != manifest.page_inputs(p, after)}

    def publish(quarter: str, html: str) -> None:
        folder = tmp_path / quarter
        folder.mkdir(exist_ok=True)
        (folder / "index.html").write_text(html, encoding="utf-8")

    before = manifest.input_checksums(2023)
    publish("2023-K2", "eerste bouw")
    assert changed(before) == {"index"}
    before = manifest.input_checksums(2023)
    publish("2023-K2", "opnieuw gebouwd")  # a quarter replaced later
    assert changed(before) == {"index"}
    before = manifest.input_checksums(2023)
    publish("2024-K1", "ander jaar")  # another year's quarter, and a folder without its index
    (tmp_path / "2023-K3").mkdir()
    assert changed(before) == set()
    assert set(before[manifest.QUARTERS_GROUP]) == {"2023-K2/index.html"}


def test_a_stale_page_whose_inputs_are_back_to_its_own_is_current_again(tmp_path):
    page, inputs = _page(), {"tabellen": "a", "notebook": "b"}
    entry = {**_entry(page, tmp_path, inputs), "status": manifest.STALE_STATUS}
    assert manifest.is_current(entry, page, inputs, tmp_path, 2023)
    assert not manifest.is_current(entry, page, {**inputs, "tabellen": "c"}, tmp_path, 2023)
