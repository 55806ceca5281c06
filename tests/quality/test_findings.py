"""Tests for jeugdmonitor.quality.findings: a failed expectation names the file or table, the column,
the rows (file lines for raw files) and the values."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from jeugdmonitor import paths, quality
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import load
from tests.quality.helpers import _stage


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


def test_a_warning_of_a_raw_file_is_one_line_naming_file_column_and_lines():
    finding = quality.Finding("data/raw/x.csv", "bedrag", "expect_column_values_to_be_between", quality.WARNING, 1, [-5],
                              [7], True, "een correctie")
    summary = {"waarschuwingen": [dataclasses.asdict(finding)]}
    assert quality.warning_lines(summary) == [
        "waarschuwing: data/raw/x.csv, kolom 'bedrag', regels 7: expect_column_values_to_be_between faalt — "
        "1 afwijkende waarden, voorbeelden [-5] (een correctie)"]
    assert quality.warning_lines({"waarschuwingen": []}) == []
