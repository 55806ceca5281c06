"""The data-quality gate: committed GX context matches config/, and a bad table stops the run."""

from __future__ import annotations

import dataclasses
import difflib
import json
import re

import great_expectations as gx
import pandas as pd
import pytest

from jeugdmonitor import paths, quality, vocabulary
from jeugdmonitor.clean import build
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import load, rawdata

from ..conftest import REPO_ROOT


def _comparable(expectation) -> tuple:
    described = expectation.configuration.to_json_dict()
    return described["type"], json.dumps(described["kwargs"], sort_keys=True), json.dumps(described.get("meta"), sort_keys=True)


def test_committed_suites_match_the_definitions_from_config(cfg):
    context = gx.get_context(mode="file", project_root_dir=REPO_ROOT / "expectations")
    definitions = quality.suite_definitions(cfg)
    raw_definitions = {quality.RAW_PREFIX + k: v for k, v in quality.raw_suite_definitions(cfg).items()}
    assert sorted(s.name for s in context.suites.all()) == sorted([*vocabulary.CLEAN_TABLES, *raw_definitions])
    for table, expectations in {**definitions, **raw_definitions}.items():
        committed = sorted(_comparable(e) for e in context.suites.get(table).expectations)
        expected = sorted(_comparable(e) for e in expectations)
        assert committed == expected, f"suite {table} is stale: run `make expectations` and commit"


def test_checkpoint_validates_every_clean_table():
    context = gx.get_context(mode="file", project_root_dir=REPO_ROOT / "expectations")
    checkpoint = context.checkpoints.get(quality.CHECKPOINT)
    assert sorted(v.name for v in checkpoint.validation_definitions) == sorted(vocabulary.CLEAN_TABLES)


def test_every_expectation_has_a_severity(cfg):
    for table, expectations in {**quality.suite_definitions(cfg), **quality.raw_suite_definitions(cfg)}.items():
        for expectation in expectations:
            assert expectation.meta["ernst"] in {quality.CRITICAL, quality.WARNING}, (table, expectation)


def _stage(tables, name, frame):
    frame.to_parquet(paths.staging_table(2023, name), index=False)


def test_valid_data_pass_and_are_published_with_the_stamp(clean_tables):
    summary = quality.validate(2023, {"gecontroleerd": 0, "geslaagd": 0, "waarschuwingen": []})
    assert summary["gecontroleerd"] - summary["geslaagd"] == len(summary["waarschuwingen"])
    assert all(w["severity"] == quality.WARNING for w in summary["waarschuwingen"])
    stamp = quality.publish(2023, summary)
    assert json.loads(stamp.read_text())["jaar"] == 2023
    assert paths.clean_table(2023, "kpi_waarden").exists() and not paths.staging_dir(2023).exists()


def test_share_above_100_stops_the_run_and_names_table_column_and_values(clean_tables):
    kpis = clean_tables["kpi_waarden"].copy()
    row = kpis.index[(kpis["kpi"] == "jeugdhulp_aandeel") & (kpis["gebied_code"] == "GM0503") & (kpis["jaar"] == 2023)][0]
    kpis.loc[row, "waarde"] = 123.4
    _stage(clean_tables, "kpi_waarden", kpis)
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate(2023, {})
    message = str(error.value)
    assert "data/staging/2023/kpi_waarden.parquet" in message and "'waarde'" in message
    assert "expect_column_values_to_be_between" in message and "123.4" in message
    assert f"rijen [{row}]" in message
    assert "make expectations" not in message  # the suites match config/: bad data, not an old suite
    assert not paths.validation_stamp(2023).exists() and not paths.clean_dir(2023).exists()


def test_tables_checked_by_hand_are_validated_in_their_folder_and_never_published(clean_tables):
    scratch = paths.scratch_data_dir(2023)
    build.save_staged(clean_tables, 2023, scratch)
    for table in vocabulary.CLEAN_TABLES:  # only the scratch folder holds the tables
        paths.staging_table(2023, table).unlink()
    summary = quality.validate(2023, {"gecontroleerd": 0, "geslaagd": 0, "waarschuwingen": []}, tables_dir=scratch)
    assert summary["tabellen"] == sorted(vocabulary.CLEAN_TABLES)
    assert quality.save_validation(2023, summary, scratch) == scratch / "validatie.json"
    assert not paths.clean_dir(2023).exists() and (scratch / "kpi_waarden.parquet").exists()


def test_a_scratch_table_that_fails_names_its_own_file(clean_tables):
    scratch = paths.scratch_data_dir(2023)
    kpis = clean_tables["kpi_waarden"].copy()
    kpis.loc[kpis.index[0], "waarde"] = -1e9
    build.save_staged({**clean_tables, "kpi_waarden": kpis}, 2023, scratch)
    with pytest.raises(quality.DataQualityError, match="data/voorbeeld/2023/kpi_waarden.parquet"):
        quality.validate(2023, {}, tables_dir=scratch)


def test_a_warning_records_each_areas_own_rows_years_and_values(clean_tables):
    kpis = clean_tables["kpi_waarden"].copy()
    flagged = {}
    for code, year, change in (("GM0503", 2021, 250.0), ("GM0518", 2020, 310.0), ("GM0518", 2022, -90.0)):
        row = kpis.index[(kpis["kpi"] == "jeugdhulp_aandeel") & (kpis["gebied_code"] == code) & (kpis["jaar"] == year)][0]
        kpis.loc[row, "verandering_pct"] = change
        flagged.setdefault(code, []).append((year, change))
    _stage(clean_tables, "kpi_waarden", kpis)
    summary = quality.validate(2023, {"gecontroleerd": 0, "geslaagd": 0, "waarschuwingen": []})
    (warning,) = [w for w in summary["waarschuwingen"] if w["note"].startswith("Jongeren met jeugdhulp: verandering")]
    assert warning["per_area"] == {code: {"aantal": len(rows), "jaren": [y for y, _ in rows], "voorbeelden": [c for _, c in rows]}
                                   for code, rows in flagged.items()}
    json.dumps(summary, allow_nan=False)  # the stamp stays plain JSON


def test_a_failed_gate_leaves_the_previous_clean_data_in_place(clean_tables):
    previous = paths.clean_dir(2023)
    previous.mkdir(parents=True)
    (previous / "validatie.json").write_text('{"vorige": true}')
    youth = clean_tables["jeugdzorg"].copy()
    youth.loc[0, "jongeren"] = -5
    youth.loc[1, "gebied_code"] = "518"  # a code mangled into a number
    _stage(clean_tables, "jeugdzorg", youth)
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate(2023, {})
    message = str(error.value)
    assert "'jongeren'" in message and "-5" in message
    assert "'gebied_code'" in message and "'518'" in message
    assert json.loads((previous / "validatie.json").read_text()) == {"vorige": True}


def test_warning_does_not_stop_the_run(clean_tables):
    kpis = clean_tables["kpi_waarden"].copy()
    row = kpis.index[(kpis["kpi"] == "jeugdhulp_aandeel")][0]
    kpis.loc[row, "waarde"] = 30.0  # implausible but possible: a warning, not a stop
    _stage(clean_tables, "kpi_waarden", kpis)
    summary = quality.validate(2023, {})
    flagged = [w for w in summary["waarschuwingen"] if w["column"] == "waarde"]
    assert len(flagged) == 1 and flagged[0]["severity"] == quality.WARNING and flagged[0]["rows"] == [int(row)]


def test_raw_contract_failure_names_the_raw_file_and_its_lines(project):
    cfg = config.load()
    data = load.load_raw(cfg)
    budget = next(f for f in data.files if f.kind == "budget")
    budget.frame.loc[3, "gerealiseerd_euro"] = -1
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate_raw(data.files)
    message = str(error.value)
    assert f"{budget.path.relative_to(project).as_posix()}, kolom 'gerealiseerd_euro', regels 5" in message


def test_raw_contract_failure_in_a_later_file_of_a_source_names_that_file(project):
    # the files of one source are validated as one batch; a failure still names its own file and lines
    data = load.load_raw(config.load())
    budgets = [f for f in data.files if f.kind == "budget"]
    assert len(budgets) > 1
    budgets[-1].frame.loc[[2, 6], "begroot_euro"] = -5
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate_raw(data.files)
    message = str(error.value)
    assert f"{budgets[-1].path.relative_to(project).as_posix()}, kolom 'begroot_euro', regels 4, 8: " in message
    assert "1 kritieke fout(en)" in message


def test_raw_contract_judges_each_file_on_its_own_keys(project):
    # a trajectory number of one region may also be used by another region: unique per file
    data = load.load_raw(config.load())
    first, second = [f for f in data.files if f.kind == "trajecten"][:2]
    second.frame.loc[0, "trajectnummer"] = first.frame.loc[0, "trajectnummer"]
    summary = quality.validate_raw(data.files)
    assert summary["waarschuwingen"] == [] and summary["gecontroleerd"] == summary["geslaagd"]
    second.frame.loc[1, "trajectnummer"] = second.frame.loc[0, "trajectnummer"]
    with pytest.raises(quality.DataQualityError, match=re.escape(f"{second.path.name}, kolom 'trajectnummer', regels 2, 3:")):
        quality.validate_raw(data.files)


def test_raw_contract_counts_every_expectation_of_every_file(project):
    files = load.load_raw(config.load()).files
    each = [quality.validate_raw([f]) for f in files]
    assert quality.validate_raw(files)["gecontroleerd"] == sum(s["gecontroleerd"] for s in each)


def test_raw_contract_passes_on_the_bundled_data(project):
    summary = quality.validate_raw(load.load_raw(config.load()).files)
    assert summary["gecontroleerd"] == summary["geslaagd"] > 50


def test_changed_figures_are_listed_against_the_previous_run(clean_tables, tmp_path):
    kpis = clean_tables["kpi_waarden"]
    old = tmp_path / "old.parquet"
    altered = kpis.copy()
    altered.loc[0, "waarde"] = altered.loc[0, "waarde"] + 1
    altered.loc[1, "status"] = "voorlopig"
    altered.to_parquet(old, index=False)
    changed = quality.changed_figures(old, paths.staging_table(2023, "kpi_waarden"))
    assert [(c["gebied_code"], c["kpi"], c["jaar"]) for c in changed] == sorted(
        [(kpis.loc[i, "gebied_code"], kpis.loc[i, "kpi"], int(kpis.loc[i, "jaar"])) for i in (0, 1)])


def test_missing_clean_table_is_reported(project):
    paths.staging_dir(2023).mkdir(parents=True)
    pd.DataFrame({"x": [1]}).to_parquet(paths.staging_table(2023, "gebieden"))
    with pytest.raises(quality.DataQualityError, match="schone tabellen ontbreken"):
        quality.validate(2023, {})


def test_each_table_of_a_series_gets_its_own_raw_suite_on_its_own_columns(cfg):
    youth = cfg.sources["cbs_jeugdzorg"]
    assert {"cbs_jeugdzorg", "cbs_jeugdzorg_85099NED"} <= set(quality.raw_suite_definitions(cfg))
    sources = {**cfg.sources, "cbs_jeugdzorg": {**youth, "opvolgers": [
        {"tabel": "90001NED", "bestand": "cbs/90001NED_TypedDataSet.csv", "dimensies": {**youth["dimensies"], "vorm": "Zorgvormen"},
         "vormen": {"JH Jeugdhulp": "jeugdhulp"}}]}}
    definitions = quality.raw_suite_definitions(dataclasses.replace(cfg, sources=sources))
    assert {"cbs_jeugdzorg", "cbs_jeugdzorg_90001NED"} <= set(definitions)
    columns = {kind: {e.column for e in definitions[kind] if hasattr(e, "column")} for kind in ("cbs_jeugdzorg", "cbs_jeugdzorg_90001NED")}
    assert "VormenVanJeugdzorg" in columns["cbs_jeugdzorg"] and "Zorgvormen" not in columns["cbs_jeugdzorg"]
    assert "Zorgvormen" in columns["cbs_jeugdzorg_90001NED"]
    # topics by the workbook's names: CBS's topic keys differ per table (rawdata.RawFile renames them)
    assert {"jongeren", "jongeren_relatief", "trajecten"} <= columns["cbs_jeugdzorg"] & columns["cbs_jeugdzorg_90001NED"]
    forms = [e for e in definitions["cbs_jeugdzorg_90001NED"] if getattr(e, "column", None) == "Zorgvormen"]
    assert [e.value_set for e in forms] == [["jeugdhulp"]]


def test_a_raw_file_without_its_suite_asks_for_make_expectations(project):
    youth_care = load.load_raw(config.load()).files[0]
    unknown = rawdata.RawFile("cbs_jeugdzorg_90001NED", youth_care.path, youth_care.frame)
    with pytest.raises(quality.DataQualityError, match=r"84134NED_TypedDataSet\.csv: geen suite voor ruwe data "
                                                       r"ruw_cbs_jeugdzorg_90001NED.*make expectations"):
        quality.validate_raw([unknown])


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


NEW_KPI = """kpis:
  pleegzorg_per_1000:
    naam: Pleegzorg
    omschrijving: "Jongeren in pleegzorg per 1.000 jongeren van 0 tot 23 jaar."
    teller: {bron: jeugdzorg, vorm: pleegzorg}
    noemer: {bron: bevolking, leeftijd: [0, 22]}
    schaal: 1000
    eenheid: "per 1.000 jongeren"
    richting: neutraal
    decimalen: 1
    marge: 0.5
"""


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


def test_a_gate_failure_from_a_suite_older_than_config_asks_for_make_expectations(project):
    kpis = project / "config" / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("kpis:\n", NEW_KPI, 1), encoding="utf-8")
    config.load.cache_clear()
    cfg = config.load()
    build.save_staged(build.build_tables(cfg, load.load_raw(cfg), 2023), 2023)
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate(2023, {})
    message = str(error.value)
    assert re.search(r"de suites kpi_waarden in expectations/gx zijn ouder dan config/.*Draai `make expectations`", message)
    assert "pleegzorg_per_1000" in message  # and the failure itself still follows
    assert quality.build_context() is True  # what the message asks for
    quality.validate(2023, {})  # then the gate passes


def test_the_age_table_has_a_raw_suite_per_table_and_a_clean_suite(cfg):
    raw_suites = quality.raw_suite_definitions(cfg)
    assert {"cbs_jeugdzorg_leeftijd", "cbs_jeugdzorg_leeftijd_85100NED"} <= set(raw_suites)
    columns = {e.column for e in raw_suites["cbs_jeugdzorg_leeftijd"] if hasattr(e, "column")}
    assert {"Persoonskenmerken", "VormenVanJeugdzorg", "jongeren"} <= columns  # topics by the workbook's name
    titles = [e.value_set for e in raw_suites["cbs_jeugdzorg_leeftijd"] if getattr(e, "column", None) == "Persoonskenmerken"]
    assert titles == [sorted(cfg.sources["cbs_jeugdzorg_leeftijd"]["leeftijdsgroepen"])]
    clean_suite = quality.suite_definitions(cfg)["jeugdzorg_leeftijd"]
    regexes = [e for e in clean_suite if e.expectation_type == "expect_column_values_to_match_regex"
               and e.column == "jongeren"]
    assert regexes, "published counts by age keep the disclosure rules"
