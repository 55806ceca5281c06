"""Tests for jeugdmonitor.quality.gate: raw files validated as read, the checkpoint over the staged
tables, and publishing only what passed."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from jeugdmonitor import paths, quality, vocabulary
from jeugdmonitor.clean import build
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import load, rawdata
from tests.quality.helpers import NEW_KPI, _stage


def test_valid_data_pass_and_are_published_with_the_stamp(clean_tables):
    summary = quality.validate(2023, {"gecontroleerd": 0, "geslaagd": 0, "waarschuwingen": []})
    assert summary["gecontroleerd"] - summary["geslaagd"] == len(summary["waarschuwingen"])
    assert all(w["severity"] == quality.WARNING for w in summary["waarschuwingen"])
    stamp = quality.publish(2023, summary)
    assert json.loads(stamp.read_text())["jaar"] == 2023
    assert paths.clean_table(2023, "kpi_waarden").exists() and not paths.staging_dir(2023).exists()


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


def test_a_raw_file_without_its_suite_asks_for_make_expectations(project):
    youth_care = load.load_raw(config.load()).files[0]
    unknown = rawdata.RawFile("cbs_jeugdzorg_90001NED", youth_care.path, youth_care.frame)
    with pytest.raises(quality.DataQualityError, match=r"84134NED_TypedDataSet\.csv: geen suite voor ruwe data "
                                                       r"ruw_cbs_jeugdzorg_90001NED.*make expectations"):
        quality.validate_raw([unknown])


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
