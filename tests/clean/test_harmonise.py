"""Tests for jeugdmonitor.clean.harmonise: municipalities merged or left on the report year's
boundaries, and regions summed from their municipalities."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor.clean import harmonise
from tests.raw_helpers import AREA_TABLES, HOEKSCHE_WAARD, HOEKSCHE_WAARD_PREDECESSORS, OUTSIDE_2023


def _raw_count(raw_data, code: str, year: int, form: str):
    yc = raw_data.youth_care
    row = yc[(yc["gebied_code"] == code) & (yc["jaar"] == year) & (yc["vorm"] == form)]
    assert len(row) == 1, (code, year, form)
    return row["jongeren"].iloc[0]


def _clean_row(tables, code: str, year: int, form: str) -> pd.Series:
    jz = tables["jeugdzorg"]
    row = jz[(jz["gebied_code"] == code) & (jz["jaar"] == year) & (jz["vorm"] == form)]
    assert len(row) == 1, (code, year, form)
    return row.iloc[0]


# ---------------------------------------------------------------------------- harmonisation
def test_hoeksche_waard_2018_is_sum_of_its_predecessors(raw_data, tables):
    predecessors = [_raw_count(raw_data, code, 2018, "jeugdhulp") for code in HOEKSCHE_WAARD_PREDECESSORS]
    assert all(not pd.isna(v) for v in predecessors)
    row = _clean_row(tables, HOEKSCHE_WAARD, 2018, "jeugdhulp")
    assert row["jongeren"] == sum(int(v) for v in predecessors) == 1845
    assert bool(row["samengesteld"]) is True
    assert row["niveau"] == "gemeente"


def test_hoeksche_waard_after_the_merger_is_its_own_count(raw_data, tables):
    row = _clean_row(tables, HOEKSCHE_WAARD, 2019, "jeugdhulp")
    assert row["jongeren"] == _raw_count(raw_data, HOEKSCHE_WAARD, 2019, "jeugdhulp")
    assert bool(row["samengesteld"]) is False


def test_suppressed_predecessor_makes_harmonised_sum_missing(raw_data, tables):
    # 2018 pleegzorg: some predecessors published, some suppressed
    values = [_raw_count(raw_data, code, 2018, "pleegzorg") for code in HOEKSCHE_WAARD_PREDECESSORS]
    assert any(pd.isna(v) for v in values)
    assert any(not pd.isna(v) for v in values)
    row = _clean_row(tables, HOEKSCHE_WAARD, 2018, "pleegzorg")
    assert row["jongeren"] is pd.NA
    assert bool(row["samengesteld"]) is True


def test_harmonise_suppressed_cell_on_a_tiny_frame(cfg):
    frame = pd.DataFrame({
        "gebied_code": pd.array(["GM0585", "GM0611", "GM0588", "GM0584", "GM0617",
                                 "GM0585", "GM0611", "GM0588", "GM0584", "GM0617", "GM0034"], dtype="string"),
        "jaar": [2018] * 5 + [2017] * 5 + [2018],
        "vorm": ["jeugdhulp"] * 11,
        "jongeren": pd.array([100, 200, 50, 25, None, 100, 200, 50, 25, 10, 3000], dtype="Int64"),
        "status": ["definitief"] * 11,
    })
    result = harmonise.harmonise(frame, cfg.register, 2023, ["jaar", "vorm"], ["jongeren"])
    result = result.set_index(["gebied_code", "jaar"])
    assert result.loc[(HOEKSCHE_WAARD, 2018), "jongeren"] is pd.NA  # not 375: the suppressed cell stays hidden
    assert result.loc[(HOEKSCHE_WAARD, 2017), "jongeren"] == 385
    assert bool(result.loc[(HOEKSCHE_WAARD, 2017), "samengesteld"]) is True
    assert result.loc[("GM0034", 2018), "jongeren"] == 3000
    assert bool(result.loc[("GM0034", 2018), "samengesteld"]) is False
    assert set(result["niveau"]) == {"gemeente"}


def test_harmonise_takes_least_final_status(cfg):
    frame = pd.DataFrame({
        "gebied_code": pd.array(["GM0689", "GM1927"], dtype="string"),
        "jaar": [2018, 2018],
        "vorm": ["jeugdhulp", "jeugdhulp"],
        "jongeren": pd.array([10, 20], dtype="Int64"),
        "status": ["definitief", "voorlopig"],
    })
    result = harmonise.harmonise(frame, cfg.register, 2023, ["jaar", "vorm"], ["jongeren"])
    assert result["gebied_code"].tolist() == ["GM1978"]
    assert result["jongeren"].tolist() == [30]
    assert result["status"].tolist() == ["voorlopig"]


def test_harmonise_drops_codes_that_leave_the_bundled_regions(cfg):
    frame = pd.DataFrame({
        "gebied_code": pd.array(["GM0545", "GM0707", "GM0482"], dtype="string"),
        "jaar": [2018, 2018, 2018],
        "vorm": ["jeugdhulp"] * 3,
        "jongeren": pd.array([100, 50, 200], dtype="Int64"),
    })
    result = harmonise.harmonise(frame, cfg.register, 2023, ["jaar", "vorm"], ["jongeren"])
    assert result["gebied_code"].tolist() == ["GM0482"]
    assert result["jongeren"].tolist() == [200]


def test_region_rows_of_changed_region_are_sums_on_report_year_boundaries(raw_data, tables):
    """JZ31 lost Leerdam and Zederik in 2019: its 2018 row is the sum of the 2023 members, not CBS's row."""
    jz = tables["jeugdzorg"]
    members = jz[(jz["niveau"] == "gemeente") & (jz["jaar"] == 2018) & (jz["vorm"] == "jeugdhulp")
                 & jz["gebied_code"].isin(tables["gebieden"].query("regio_code == 'JZ31'")["gebied_code"])]
    assert len(members) == 10
    region = _clean_row(tables, "JZ31", 2018, "jeugdhulp")
    assert region["jongeren"] == members["jongeren"].sum()
    assert region["jongeren"] != _raw_count(raw_data, "JZ31", 2018, "jeugdhulp")
    assert bool(region["samengesteld"]) is True


def test_region_rows_of_unchanged_region_are_cbs_rows(raw_data, tables):
    region = _clean_row(tables, "JZ24", 2018, "jeugdhulp")
    assert region["jongeren"] == _raw_count(raw_data, "JZ24", 2018, "jeugdhulp")
    assert bool(region["samengesteld"]) is False
    region = _clean_row(tables, "JZ31", 2019, "jeugdhulp")
    assert region["jongeren"] == _raw_count(raw_data, "JZ31", 2019, "jeugdhulp")


def test_harmonisation_table_documents_leerdam(tables):
    h = tables["harmonisatie"]
    leerdam = h[(h["oude_code"] == "GM0545") & (h["jaar"] == 2018)]
    assert len(leerdam) == 1
    assert leerdam["nieuwe_code"].iloc[0] == "GM1961"
    assert leerdam["actie"].iloc[0] == "valt buiten de jeugdregio's van het rapportjaar"
    binnenmaas = h[(h["oude_code"] == "GM0585") & (h["jaar"] == 2018)]
    assert binnenmaas["nieuwe_code"].tolist() == [HOEKSCHE_WAARD]
    assert binnenmaas["actie"].tolist() == ["opgeteld bij"]


# ---------------------------------------------------------------------------- areas and codes
@pytest.mark.parametrize("table", AREA_TABLES)
def test_leerdam_and_other_leavers_do_not_appear_in_2023_tables(tables, table):
    codes = set(tables[table]["gebied_code"].dropna())
    assert codes
    assert not codes & OUTSIDE_2023
    assert not codes & set(HOEKSCHE_WAARD_PREDECESSORS)
