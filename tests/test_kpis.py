"""Unit tests for jeugdmonitor.kpis: KPI values per area and year from the clean tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jeugdmonitor import clean, kpis

HOEKSCHE_WAARD = "GM1963"
WAITING_KPIS = ("wachttijd_dagen", "zorgelijk_wachtenden")


@pytest.fixture(scope="module")
def tables(cfg) -> dict[str, pd.DataFrame]:
    return clean.build_tables(cfg, clean.load_raw(cfg), 2023)


@pytest.fixture(scope="module")
def kpi(tables) -> pd.DataFrame:
    return tables["kpi_waarden"]


def _rows(kpi: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    rows = kpi[kpi["kpi"] == kpi_id]
    assert len(rows) > 0, kpi_id
    return rows


def _one(kpi: pd.DataFrame, kpi_id: str, code: str, year: int) -> pd.Series:
    row = kpi[(kpi["kpi"] == kpi_id) & (kpi["gebied_code"] == code) & (kpi["jaar"] == year)]
    assert len(row) == 1, (kpi_id, code, year)
    return row.iloc[0]


def _members(tables, region: str) -> list[str]:
    g = tables["gebieden"]
    return g.loc[(g["niveau"] == "gemeente") & (g["regio_code"] == region), "gebied_code"].tolist()


# ---------------------------------------------------------------------------- shape
def test_kpi_table_columns_and_types(kpi):
    assert list(kpi.columns) == kpis.KPI_COLUMNS
    assert str(kpi["waarde"].dtype) == "Float64"
    assert str(kpi["teller"].dtype) == "Float64"
    assert pd.api.types.is_string_dtype(kpi["gebied_code"])
    assert all(isinstance(code, str) for code in kpi["gebied_code"])


def test_every_configured_kpi_is_computed(cfg, kpi):
    assert set(kpi["kpi"]) == set(cfg.kpis)


def test_one_row_per_kpi_area_and_year(kpi):
    assert not kpi.duplicated(["kpi", "gebied_code", "jaar"]).any()


def test_kpi_years_stop_at_report_year(kpi):
    assert kpi["jaar"].max() == 2023
    assert 2024 not in set(kpi["jaar"])


def test_levels_match_gebieden(tables, kpi):
    levels = dict(zip(tables["gebieden"]["gebied_code"], tables["gebieden"]["niveau"], strict=True))
    assert (kpi["gebied_code"].map(levels) == kpi["niveau"]).all()


# ---------------------------------------------------------------------------- jeugdhulp_aandeel
def test_jeugdhulp_aandeel_is_teller_over_noemer_times_100(kpi):
    rows = _rows(kpi, "jeugdhulp_aandeel").dropna(subset=["teller", "noemer", "waarde"])
    assert len(rows) > 300
    expected = rows["teller"].to_numpy(dtype=float) / rows["noemer"].to_numpy(dtype=float) * 100
    np.testing.assert_allclose(rows["waarde"].to_numpy(dtype=float), expected, rtol=1e-12)
    assert rows["waarde"].between(1, 30).all()  # plausible percentages


def test_jeugdhulp_aandeel_inputs_for_hoeksche_waard_2018(tables, kpi):
    row = _one(kpi, "jeugdhulp_aandeel", HOEKSCHE_WAARD, 2018)
    jz = tables["jeugdzorg"]
    count = jz[(jz["gebied_code"] == HOEKSCHE_WAARD) & (jz["jaar"] == 2018) & (jz["vorm"] == "jeugdhulp")]["jongeren"]
    pop = tables["bevolking"]
    young = pop[(pop["gebied_code"] == HOEKSCHE_WAARD) & (pop["jaar"] == 2018) & pop["leeftijd"].between(0, 22)]
    assert len(young) == 23
    assert row["teller"] == float(count.iloc[0]) == 1845.0
    assert row["noemer"] == float(young["inwoners"].sum())
    assert row["waarde"] == pytest.approx(1845.0 / float(young["inwoners"].sum()) * 100)
    assert bool(row["samengesteld"]) is True
    assert row["niveau"] == "gemeente"


def test_kpi_without_denominator_is_teller_times_scale(kpi):
    rows = _rows(kpi, "jeugdhulpkosten_mln").dropna(subset=["teller"])
    assert rows["noemer"].isna().all()
    np.testing.assert_allclose(rows["waarde"].to_numpy(dtype=float), rows["teller"].to_numpy(dtype=float) * 1e-6)


# ---------------------------------------------------------------------------- region rows of regional exports
@pytest.mark.parametrize("kpi_id", WAITING_KPIS)
@pytest.mark.parametrize("region", ["JZ08", "JZ24", "JZ31", "JZ36"])
def test_region_waiting_kpis_are_sums_over_members(tables, kpi, kpi_id, region):
    members = _members(tables, region)
    rows = _rows(kpi, kpi_id)
    municipal = rows[rows["gebied_code"].isin(members)]
    regional = rows[rows["gebied_code"] == region].set_index("jaar")
    assert sorted(regional.index) == list(range(2019, 2024))
    assert set(regional["niveau"]) == {"jeugdregio"}
    for year, group in municipal.groupby("jaar"):
        assert sorted(group["gebied_code"]) == sorted(members)
        assert regional.loc[year, "teller"] == pytest.approx(float(group["teller"].sum()))
        if kpi_id == "wachttijd_dagen":
            assert regional.loc[year, "noemer"] == pytest.approx(float(group["noemer"].sum()))
            assert regional.loc[year, "waarde"] == pytest.approx(
                float(group["teller"].sum()) / float(group["noemer"].sum()))


def test_region_waiting_time_from_the_export_rows(tables, kpi):
    """JZ31 2023 waiting time: median waiting days weighted by the number waiting, summed over its 10 members."""
    w = tables["wachttijden"]
    rows = w[w["gebied_code"].isin(_members(tables, "JZ31")) & (w["peildatum"].dt.year == 2023)]
    assert len(rows) == 10 * 12
    teller = float((rows["mediaan_wachttijd_dagen"] * rows["aantal_wachtenden"]).sum())
    noemer = float(rows["aantal_wachtenden"].sum())
    row = _one(kpi, "wachttijd_dagen", "JZ31", 2023)
    assert row["teller"] == teller
    assert row["noemer"] == noemer
    assert row["waarde"] == pytest.approx(teller / noemer)


def test_zorgelijk_wachtenden_counts_december_only(tables, kpi):
    w = tables["wachttijden"]
    december = w[(w["gebied_code"] == "GM0505") & (w["peildatum"] == pd.Timestamp(2023, 12, 31))]
    assert len(december) == 1
    row = _one(kpi, "zorgelijk_wachtenden", "GM0505", 2023)
    assert row["teller"] == float(december["aantal_zorgelijk_wachtenden"].iloc[0])
    assert row["waarde"] == row["teller"]


def test_no_country_rows_for_regional_exports(kpi):
    for kpi_id in (*WAITING_KPIS, "instroom", "netto_instroom", "jeugdhulpkosten_mln"):
        assert "NL01" not in set(_rows(kpi, kpi_id)["gebied_code"])


def test_netto_instroom_is_instroom_minus_uitstroom(kpi):
    def series(kpi_id):
        return _rows(kpi, kpi_id).set_index(["gebied_code", "jaar"])["teller"]

    instroom, uitstroom, netto = series("instroom"), series("uitstroom"), series("netto_instroom")
    assert len(netto) > 100
    joined = pd.concat({"in": instroom, "uit": uitstroom, "netto": netto}, axis=1).dropna()
    assert len(joined) == len(netto)
    np.testing.assert_allclose(joined["netto"].to_numpy(dtype=float),
                               (joined["in"] - joined["uit"]).to_numpy(dtype=float))


# ---------------------------------------------------------------------------- status
def test_status_of_2023_is_nader_voorlopig(kpi):
    rows = _rows(kpi, "jeugdhulp_aandeel")
    assert set(rows.loc[rows["jaar"] == 2023, "status"]) == {"nader voorlopig"}
    assert set(rows.loc[rows["jaar"] == 2022, "status"]) == {"definitief"}
    assert _one(kpi, "jeugdhulp_aandeel", HOEKSCHE_WAARD, 2023)["status"] == "nader voorlopig"
    assert _one(kpi, "jeugdhulp_aandeel", "JZ31", 2023)["status"] == "nader voorlopig"
    assert _one(kpi, "jeugdhulp_aandeel", "NL01", 2023)["status"] == "nader voorlopig"


def test_leerdam_does_not_appear_in_kpis(kpi):
    assert not set(kpi["gebied_code"]) & {"GM0545", "GM0707", "GM0620", "GM1961"}


# ---------------------------------------------------------------------------- trajectory export period
def test_inflow_only_for_whole_years_inside_each_regions_export_period(cfg, tables):
    """A region whose export starts on 1 March 2020 has no inflow for 2019 or 2020, and
    counts 0 (not missing) for a member without any trajectory in a year inside it."""
    changed = dict(tables)
    trajectories = tables["trajecten"].copy()
    late = trajectories["regio_code"] == "JZ08"
    trajectories.loc[late, "export_van"] = pd.Timestamp(2020, 3, 1)
    quiet = trajectories["gebied_code"].eq("GM0184") & trajectories["startdatum"].dt.year.eq(2022)
    changed["trajecten"] = trajectories[~quiet]
    values = kpis.compute(cfg, changed, 2023)
    flevoland = set(_rows(values, "instroom").query("gebied_code in @_members(@tables, 'JZ08')")["jaar"])
    haaglanden = set(_rows(values, "instroom").query("gebied_code in @_members(@tables, 'JZ24')")["jaar"])
    assert flevoland == {2021, 2022, 2023} and haaglanden == {2019, 2020, 2021, 2022, 2023}
    assert _one(values, "instroom", "GM0184", 2022)["teller"] == 0
    assert _one(values, "instroom", "JZ08", 2021)["teller"] == _one(tables["kpi_waarden"], "instroom", "JZ08", 2021)["teller"]
