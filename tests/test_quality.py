"""The data-quality gate: committed GX context matches config/, and a bad table stops the run."""

from __future__ import annotations

import json

import great_expectations as gx
import pandas as pd
import pytest

from jeugdmonitor import clean, config, paths, quality

from .conftest import REPO_ROOT


def _comparable(expectation) -> tuple:
    described = expectation.configuration.to_json_dict()
    return described["type"], json.dumps(described["kwargs"], sort_keys=True), json.dumps(described.get("meta"), sort_keys=True)


def test_committed_suites_match_the_definitions_from_config(cfg):
    context = gx.get_context(mode="file", project_root_dir=REPO_ROOT / "expectations")
    definitions = quality.suite_definitions(cfg)
    assert sorted(s.name for s in context.suites.all()) == sorted(clean.CLEAN_TABLES)
    for table, expectations in definitions.items():
        committed = sorted(_comparable(e) for e in context.suites.get(table).expectations)
        expected = sorted(_comparable(e) for e in expectations)
        assert committed == expected, f"suite {table} is stale: run `make expectations` and commit"


def test_checkpoint_validates_every_clean_table():
    context = gx.get_context(mode="file", project_root_dir=REPO_ROOT / "expectations")
    checkpoint = context.checkpoints.get(quality.CHECKPOINT)
    assert sorted(v.name for v in checkpoint.validation_definitions) == sorted(clean.CLEAN_TABLES)


def test_every_expectation_has_a_severity(cfg):
    for table, expectations in quality.suite_definitions(cfg).items():
        for expectation in expectations:
            assert expectation.meta["ernst"] in {quality.CRITICAL, quality.WARNING}, (table, expectation)


@pytest.fixture
def clean_tables(project):
    cfg = config.load()
    tables = clean.build_tables(cfg, clean.load_raw(cfg), 2023)
    clean.write_tables(tables, paths.clean_dir(2023))
    return tables


def test_valid_data_pass_and_the_stamp_is_written(clean_tables):
    summary = quality.validate(2023)
    assert summary["gecontroleerd"] == summary["geslaagd"] > 50
    stamp = quality.write_stamp(2023, summary)
    assert json.loads(stamp.read_text())["jaar"] == 2023


def test_share_above_100_stops_the_run_and_names_table_column_and_values(clean_tables):
    kpis = clean_tables["kpi_waarden"].copy()
    row = kpis.index[(kpis["kpi"] == "jeugdhulp_aandeel") & (kpis["gebied_code"] == "GM0503") & (kpis["jaar"] == 2023)][0]
    kpis.loc[row, "waarde"] = 123.4
    kpis.to_parquet(paths.clean_table(2023, "kpi_waarden"), index=False)
    paths.validation_stamp(2023).write_text("{}")  # a stale pass must not survive a failed run
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate(2023)
    message = str(error.value)
    assert "'kpi_waarden'" in message and "'waarde'" in message
    assert "expect_column_values_to_be_between" in message and "123.4" in message
    assert f"rijen [{row}]" in message
    assert not paths.validation_stamp(2023).exists()


def test_negative_count_and_unknown_code_are_critical(clean_tables):
    youth = clean_tables["jeugdzorg"].copy()
    youth.loc[0, "jongeren"] = -5
    youth.loc[1, "gebied_code"] = "518"  # a code mangled into a number
    youth.to_parquet(paths.clean_table(2023, "jeugdzorg"), index=False)
    with pytest.raises(quality.DataQualityError) as error:
        quality.validate(2023)
    message = str(error.value)
    assert "'jongeren'" in message and "-5" in message
    assert "'gebied_code'" in message and "'518'" in message


def test_warning_does_not_stop_the_run(clean_tables):
    kpis = clean_tables["kpi_waarden"].copy()
    row = kpis.index[(kpis["kpi"] == "jeugdhulp_aandeel")][0]
    kpis.loc[row, "waarde"] = 30.0  # implausible but possible: a warning, not a stop
    kpis.to_parquet(paths.clean_table(2023, "kpi_waarden"), index=False)
    summary = quality.validate(2023)
    assert [w["column"] for w in summary["waarschuwingen"]] == ["waarde"]
    assert summary["waarschuwingen"][0]["severity"] == quality.WARNING


def test_missing_clean_table_is_reported(project):
    paths.clean_dir(2023).mkdir(parents=True)
    pd.DataFrame({"x": [1]}).to_parquet(paths.clean_table(2023, "gebieden"))
    with pytest.raises(quality.DataQualityError, match="clean tables missing"):
        quality.validate(2023)
