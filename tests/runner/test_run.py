"""The report runner's choices without running notebooks: which municipalities a selection
builds and keeps, which pages are stale, the plain progress lines, and the manifest a build leaves."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from jeugdmonitor import paths
from jeugdmonitor.runner import manifest, plan, run, workers
from jeugdmonitor.runner.page import INDEX_KEY, Page, PageResult

AVAILABLE = ["GM0503", "GM0518", "GM1916", "GM0034"]


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


def _page(code: str = "GM0503") -> Page:
    return Page(code, "gemeente", "03_gemeenterapport.ipynb", {"gemeente": code}, f"{code}.html", "t", "Delft")


def _entry(page: Page, folder: Path, inputs: dict) -> dict:
    for name in page.files(2023):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    return {"status": "gebouwd", "invoer": inputs, "parameters": page.parameters,
            "uitvoer": manifest.output_checksums(page, folder, 2023)}


def test_a_page_is_current_only_with_equal_inputs_parameters_and_all_its_files(tmp_path):
    page, inputs = _page(), {"tabellen": "a", "notebook": "b"}
    entry = _entry(page, tmp_path, inputs)
    assert manifest.is_current(entry, page, inputs, tmp_path, 2023)
    assert not manifest.is_current(entry, page, {**inputs, "tabellen": "c"}, tmp_path, 2023)
    assert not manifest.is_current({**entry, "parameters": {"gemeente": "GM0518"}}, page, inputs, tmp_path, 2023)
    assert not manifest.is_current({**entry, "status": "mislukt"}, page, inputs, tmp_path, 2023)
    (tmp_path / "GM0503_cijfers.csv").unlink()
    assert not manifest.is_current(entry, page, inputs, tmp_path, 2023)


def test_progress_without_a_terminal_is_one_plain_line_per_page(capsys):
    progress = run._Progress(12)
    progress.finished(_page(), PageResult("GM0503", True, 5.08, 1))
    progress.finished(_page("GM0518"), PageResult("GM0518", False, 61.0, 2, "ValueError: x"))
    progress.close()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "[ 1/12] GM0503 Delft                      5.1 s"
    assert lines[1].startswith("[ 2/12] GM0518 ") and lines[1].endswith("61.0 s  (2 pogingen)  MISLUKT")


def test_the_reset_between_pages_clears_the_namespace_folder_and_counter():
    code = workers.reset_code(Path("/proj/notebooks"))
    assert "'reset', '-f'" in code and "chdir('/proj/notebooks')" in code and "execution_count = 1" in code
    assert code.index("'reset'") < code.index(".freeze()"), "what survives the reset is frozen, after it"
    compile(code, "reset", "exec")


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


def test_the_index_page_owns_its_filter_script_so_a_taken_over_index_keeps_it():
    index = Page(INDEX_KEY, "index", "04_overzicht.ipynb", {"gemeenten": []}, "index.html", "t", "t")
    assert index.files(2023)[:3] == ["index.html", "overzicht_2023.csv", paths.INDEX_SCRIPT_NAME]


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


def test_a_build_records_the_checksum_of_every_output(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "MANIFEST_INTERVAL", 3600)
    run._build(_FinishedPool(), 2023, [_page()], tmp_path, None, CHECKSUMS, _new_manifest(), None, 0)
    entry = manifest.read_manifest(tmp_path)["pagina's"]["GM0503"]
    assert entry["uitvoer"] == manifest.output_checksums(_page(), tmp_path, 2023)
    assert set(entry["uitvoer"]) == set(_page().files(2023))


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


def _checksums(**changed: str) -> dict:
    """Checksum groups as input_checksums gives them; `changed` replaces a file's sha."""
    groups = {
        "tabellen": {"jeugdzorg.parquet": "t"},
        "config": {"kpis.yaml": "k"},
        "sjablonen": {"pages/gemeente/kop.html.j2": "g", "pages/regio/overzicht.html.j2": "r",
                      "pages/index.html.j2": "i", "pages/macros.html.j2": "m", "jeugdmonitor/index.html.j2": "n"},
        "code": {"report.py": "p", "overview.py": "o", "sample_data.py": "s", "importer.py": "imp"},
        "notebooks": {"03_gemeenterapport.ipynb": "3", "05_regio.ipynb": "5", "04_overzicht.ipynb": "4"},
    }
    for name, sha in changed.items():
        group = next(g for g, files in groups.items() if name in files)
        groups[group][name] = sha
    return groups


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
    ("pages/macros.html.j2", {"gemeente", "regio", "index"}),  # shared by every page
    ("jeugdmonitor/index.html.j2", {"gemeente", "regio", "index"}),  # the HTML export of every page
    ("report.py", {"gemeente", "regio", "index"}),  # every report notebook imports it
    ("sample_data.py", set()),  # no page imports it
    ("importer.py", set()),
    ("kpis.yaml", {"gemeente", "regio", "index"}),
])
def test_a_page_kind_is_stale_only_for_the_templates_and_modules_it_uses(name, kinds):
    assert _changed_kinds(name) == kinds


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


def test_a_stale_page_whose_inputs_are_back_to_its_own_is_current_again(tmp_path):
    page, inputs = _page(), {"tabellen": "a", "notebook": "b"}
    entry = {**_entry(page, tmp_path, inputs), "status": manifest.STALE_STATUS}
    assert manifest.is_current(entry, page, inputs, tmp_path, 2023)
    assert not manifest.is_current(entry, page, {**inputs, "tabellen": "c"}, tmp_path, 2023)
