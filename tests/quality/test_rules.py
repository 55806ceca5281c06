"""Tests for jeugdmonitor.quality.rules: the expectation suites of every raw source and clean table,
each expectation with its severity, and the committed suites matching them."""

from __future__ import annotations

import dataclasses
import json

import great_expectations as gx

from jeugdmonitor import quality, vocabulary

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


def test_every_expectation_has_a_severity(cfg):
    for table, expectations in {**quality.suite_definitions(cfg), **quality.raw_suite_definitions(cfg)}.items():
        for expectation in expectations:
            assert expectation.meta["ernst"] in {quality.CRITICAL, quality.WARNING}, (table, expectation)


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
