"""Tests for jeugdmonitor.quality.context: `make expectations` builds the GX context from config/,
rewrites only what changed, and two builds are byte-identical."""

from __future__ import annotations

import difflib
import json
import re

import great_expectations as gx

from jeugdmonitor import paths, quality, vocabulary
from jeugdmonitor.definitions import config
from tests.quality.helpers import NEW_KPI

from ..conftest import REPO_ROOT


def test_checkpoint_validates_every_clean_table():
    context = gx.get_context(mode="file", project_root_dir=REPO_ROOT / "expectations")
    checkpoint = context.checkpoints.get(quality.CHECKPOINT)
    assert sorted(v.name for v in checkpoint.validation_definitions) == sorted(vocabulary.CLEAN_TABLES)


# ---------------------------------------------------------------------------- published Data Docs
def test_the_stamp_records_this_runs_data_docs_page_of_every_table(clean_tables):
    summary = quality.validate(2023, {})
    pages = summary["datadocs"]
    assert sorted(pages) == sorted(vocabulary.CLEAN_TABLES)
    site = paths.GX_DIR / "uncommitted" / "data_docs" / "local_site"
    for table, entry in pages.items():
        assert entry["pagina"].startswith(f"validations/{table}/rapportjaar_2023/"), entry
        assert (site / entry["pagina"]).is_file()
    assert pages["kpi_waarden"]["geslaagd"] is True


# ---------------------------------------------------------------------------- make expectations
def _committed_gx_files(root) -> dict[str, bytes]:
    gx_dir = root / "expectations" / "gx"
    return {p.relative_to(gx_dir).as_posix(): p.read_bytes() for p in gx_dir.rglob("*")
            if p.is_file() and "uncommitted" not in p.relative_to(gx_dir).parts}


def test_rebuilding_from_unchanged_config_rewrites_nothing(project):
    before = _committed_gx_files(project)
    kept = project / "expectations" / "gx" / "uncommitted" / "validations" / "vorige-run.json"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")
    assert quality.build_context() is False
    assert _committed_gx_files(project) == before  # not even GX's random ids
    assert kept.exists() and not list((project / "expectations").glob(".opbouw-*"))


def test_rebuilding_after_a_config_change_replaces_the_context_and_keeps_the_results(project):
    before = _committed_gx_files(project)
    kept = project / "expectations" / "gx" / "uncommitted" / "validations" / "vorige-run.json"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")
    kpis = project / "config" / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("max_jaarsprong_pct: 30", "max_jaarsprong_pct: 45"),
                    encoding="utf-8")
    config.load.cache_clear()
    assert quality.build_context() is True
    after = _committed_gx_files(project)
    assert sorted(after) == sorted(before) and after["expectations/kpi_waarden.json"] != before["expectations/kpi_waarden.json"]
    jumps = {e["kwargs"].get("max_value") for e in json.loads(after["expectations/kpi_waarden.json"])["expectations"]
             if e["kwargs"].get("column") == "verandering_pct"}
    assert jumps == {45.0}
    assert kept.exists() and not list((project / "expectations").glob(".opbouw-*"))
    context = gx.get_context(mode="file", project_root_dir=project / "expectations")
    assert sorted(v.name for v in context.checkpoints.get(quality.CHECKPOINT).validation_definitions) == sorted(vocabulary.CLEAN_TABLES)


def test_two_builds_from_the_same_config_are_byte_identical(project, tmp_path):
    """GX's random ids are replaced by ids derived from names: no build differs from another."""
    from jeugdmonitor.quality import context

    cfg = config.load()
    builds = []
    for name in ("eerste", "tweede"):
        built = context._build_context_in(tmp_path / name, cfg, quality.suite_definitions(cfg))
        context._stable_ids(built)
        builds.append(context._committed_files(built))
    assert builds[0] == builds[1]
    assert builds[0] == _committed_gx_files(project), "run `make expectations` and commit"


def _ids(text: str) -> set[str]:
    return set(re.findall(r'"id": "([0-9a-f-]{36})"', text))


def test_adding_a_kpi_only_adds_the_lines_that_list_it(project):
    before = _committed_gx_files(project)
    kpis = project / "config" / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("kpis:\n", NEW_KPI, 1), encoding="utf-8")
    config.load.cache_clear()
    assert quality.build_context() is True
    after = _committed_gx_files(project)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == ["expectations/kpi_waarden.json"] and sorted(after) == sorted(before)
    old, new = (files["expectations/kpi_waarden.json"].decode().splitlines() for files in (before, after))
    diff = list(difflib.ndiff(old, new))
    assert not [line for line in diff if line.startswith("- ")], "a line was removed or rewritten"
    added = [line[2:].strip() for line in diff if line.startswith("+ ")]
    assert added.count('"pleegzorg_per_1000",') == 2  # the KPI column's value set and the range check's list
    suite = json.loads(after["expectations/kpi_waarden.json"])
    (jump,) = [e for e in suite["expectations"] if e["kwargs"].get("row_condition", {}).get("parameter") == "pleegzorg_per_1000"]
    assert _ids("\n".join(new)) - _ids("\n".join(old)) == {jump["id"]}  # every other expectation kept its id
