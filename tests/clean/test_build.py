"""Tests for jeugdmonitor.clean.build: raw sources to clean tables on the report year's boundaries."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor import errors, vocabulary
from jeugdmonitor.clean import build
from tests.raw_helpers import AREA_TABLES, HOEKSCHE_WAARD, HOEKSCHE_WAARD_PREDECESSORS, OUTSIDE_2023


# ---------------------------------------------------------------------------- tables
def test_all_clean_tables_are_built(tables):
    assert set(tables) == set(vocabulary.CLEAN_TABLES)
    for name, frame in tables.items():
        assert len(frame) > 0, name


def test_tables_stop_at_the_report_year(tables):
    for name in ("jeugdzorg", "bevolking", "uitgaven", "wachttijden", "budget", "kpi_waarden"):
        assert tables[name]["jaar"].max() == 2023, name
    assert tables["trajecten"]["startdatum"].dt.year.max() == 2023


def test_gebieden_hold_35_municipalities_4_regions_and_nl(tables):
    g = tables["gebieden"]
    assert (g["niveau"] == "gemeente").sum() == 35
    assert sorted(g.loc[g["niveau"] == "jeugdregio", "gebied_code"]) == ["JZ08", "JZ24", "JZ31", "JZ36"]
    assert g.loc[g["niveau"] == "land", "gebied_code"].tolist() == ["NL01"]
    assert g["gebied_code"].is_unique


def test_gebieden_carry_each_municipalitys_stedelijkheid_from_cbs_area_table(tables):
    g = tables["gebieden"].set_index("gebied_code")
    municipal = g["niveau"] == "gemeente"
    assert str(g["stedelijkheid"].dtype) == "Int64"
    assert g.loc[municipal, "stedelijkheid"].between(1, 5).all()  # every one of the 35 is in the 2023 table
    assert g.loc[~municipal, "stedelijkheid"].isna().all()  # a region and the country have none
    assert (g.loc["GM0503", "stedelijkheid"], g.loc["GM1978", "stedelijkheid"]) == (1, 5)  # Delft, Molenlanden


@pytest.mark.parametrize("table", AREA_TABLES)
def test_municipality_codes_are_strings(tables, table):
    column = tables[table]["gebied_code"]
    assert pd.api.types.is_string_dtype(column)
    assert all(isinstance(code, str) for code in column.dropna())
    assert "GM0034" in set(column)


def test_municipality_codes_keep_leading_zeros(tables):
    codes = set(tables["jeugdzorg"]["gebied_code"])
    assert {"GM0034", "GM0050", "GM0482"} <= codes
    assert all(len(c) == 6 for c in codes if c.startswith("GM"))


def test_clean_count_columns_are_nullable_integers(tables):
    assert str(tables["jeugdzorg"]["jongeren"].dtype) == "Int64"
    assert str(tables["bevolking"]["inwoners"].dtype) == "Int64"
    assert str(tables["uitgaven"]["lasten_euro"].dtype) == "Int64"


# ---------------------------------------------------------------------------- status
def test_status_of_2023_is_nader_voorlopig(tables):
    jz = tables["jeugdzorg"]
    assert set(jz.loc[jz["jaar"] == 2023, "status"]) == {"nader voorlopig"}
    assert set(jz.loc[jz["jaar"] == 2022, "status"]) == {"definitief"}


# ---------------------------------------------------------------------------- report year
@pytest.mark.parametrize("year", [2030, 2014])
def test_report_year_outside_the_data_raises(cfg, raw_data, year):
    with pytest.raises(errors.ReportYearError, match=str(year)) as excinfo:
        build.build_tables(cfg, raw_data, year)
    assert "2015-2024" in str(excinfo.value)


def test_report_year_before_region_exports_raises(cfg, raw_data):
    with pytest.raises(errors.ReportYearError, match="2019-2024"):
        build.check_report_year(cfg, raw_data, 2018)


# ---------------------------------------------------------------------------- youth care by age (84135NED, 85100NED)
def _by_age(frame: pd.DataFrame, code: str, year: int, form: str = "jeugdhulp_met_verblijf") -> pd.DataFrame:
    return frame[(frame["gebied_code"] == code) & (frame["jaar"] == year) & (frame["vorm"] == form)]


def test_youth_care_by_age_is_a_clean_table_on_the_report_years_boundaries(raw_data, tables):
    by_age = tables["jeugdzorg_leeftijd"]
    assert list(by_age.columns) == ["gebied_code", "niveau", "jaar", "vorm", "leeftijd_van", "leeftijd_tot", "jongeren",
                                    "samengesteld", "status"]
    assert str(by_age["jongeren"].dtype) == "Int64"
    groups = sorted(set(zip(by_age["leeftijd_van"], by_age["leeftijd_tot"], strict=True)))
    assert groups == [(0, 3), (4, 11), (12, 17), (18, 22)]  # the total is not a group
    assert sorted(by_age["jaar"].unique()) == list(range(2015, 2024))  # both tables of the series, up to 2023
    assert not by_age["gebied_code"].isin(OUTSIDE_2023 | set(HOEKSCHE_WAARD_PREDECESSORS)).any()
    assert set(by_age.loc[by_age["jaar"] == 2023, "status"]) == {"nader voorlopig"}
    # Hoeksche Waard in 2018: the sum of its predecessors (missing when one of them is suppressed)
    row = _by_age(by_age, HOEKSCHE_WAARD, 2018, "jeugdhulp").set_index("leeftijd_van").loc[4]
    predecessors = raw_data.youth_care_by_age
    predecessors = predecessors[predecessors["gebied_code"].isin(HOEKSCHE_WAARD_PREDECESSORS)
                                & (predecessors["jaar"] == 2018) & (predecessors["vorm"] == "jeugdhulp")
                                & (predecessors["leeftijd_van"] == 4)]
    assert len(predecessors) == 5
    assert bool(row["samengesteld"]) and row["jongeren"] == predecessors["jongeren"].sum(min_count=5, skipna=False)


def test_youth_care_by_age_regions_are_cbs_rows_where_unchanged(raw_data, tables):
    clean_rows = _by_age(tables["jeugdzorg_leeftijd"], "JZ24", 2020).set_index("leeftijd_van")["jongeren"]
    cbs_rows = _by_age(raw_data.youth_care_by_age, "JZ24", 2020).set_index("leeftijd_van")["jongeren"]
    pd.testing.assert_series_equal(clean_rows.sort_index(), cbs_rows.sort_index())
