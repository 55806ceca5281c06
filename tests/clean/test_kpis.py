"""Unit tests for jeugdmonitor.clean.kpis: KPI values per area and year from the clean tables."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from jeugdmonitor.clean import build, kpis
from jeugdmonitor.sources import exports, load

HOEKSCHE_WAARD = "GM1963"
WAITING_KPIS = ("wachttijd_dagen", "zorgelijk_wachtenden")


@pytest.fixture(scope="module")
def tables(cfg) -> dict[str, pd.DataFrame]:
    return build.build_tables(cfg, load.load_raw(cfg), 2023)


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


# ---------------------------------------------------------------------------- the regiovisie goals' KPIs
def test_children_under_12_in_residential_care_sum_two_cbs_age_groups(tables, kpi):
    by_age = tables["jeugdzorg_leeftijd"]
    rows = by_age[(by_age["gebied_code"] == "JZ24") & (by_age["jaar"] == 2022) & (by_age["vorm"] == "jeugdhulp_met_verblijf")
                  & (by_age["leeftijd_tot"] <= 11)]
    assert len(rows) == 2
    count = _one(kpi, "jeugdhulp_met_verblijf_0_11_aantal", "JZ24", 2022)
    assert count["waarde"] == rows["jongeren"].sum() and pd.isna(count["noemer"])
    pop = tables["bevolking"]
    children = pop[(pop["gebied_code"] == "JZ24") & (pop["jaar"] == 2022) & pop["leeftijd"].between(0, 11)]["inwoners"].sum()
    rate = _one(kpi, "jeugdhulp_met_verblijf_0_11_per_1000", "JZ24", 2022)
    assert rate["noemer"] == children
    assert rate["waarde"] == pytest.approx(1000 * rows["jongeren"].sum() / children)
    # the Haaglanden regiovisie: children under 12 in principle not in residential care
    series = _rows(kpi, "jeugdhulp_met_verblijf_0_11_per_1000")
    haaglanden = series[series["gebied_code"] == "JZ24"].set_index("jaar")["waarde"]
    assert haaglanden.loc[2018:].is_monotonic_decreasing


def test_a_suppressed_age_group_makes_the_under_12_count_missing(tables, kpi):
    by_age = tables["jeugdzorg_leeftijd"]
    suppressed = by_age[(by_age["vorm"] == "jeugdhulp_met_verblijf") & (by_age["leeftijd_van"] == 0)
                        & by_age["jongeren"].isna() & (by_age["niveau"] == "gemeente")]
    assert len(suppressed) > 0
    code, year = suppressed.iloc[0][["gebied_code", "jaar"]]
    assert pd.isna(_one(kpi, "jeugdhulp_met_verblijf_0_11_aantal", code, year)["waarde"])


def test_inhabitants_are_the_total_population(tables, kpi):
    pop = tables["bevolking"]
    for code in ("GM0518", "JZ24", "NL01"):
        total = pop[(pop["gebied_code"] == code) & (pop["jaar"] == 2023) & pop["leeftijd"].isna()]["inwoners"]
        assert _one(kpi, "inwoners", code, 2023)["waarde"] == total.iloc[0]
    members = _members(tables, "JZ31")
    summed = sum(_one(kpi, "inwoners", code, 2023)["waarde"] for code in members)
    assert _one(kpi, "inwoners", "JZ31", 2023)["waarde"] == summed


def test_transformatiefonds_per_budget_line(tables, kpi):
    budget = tables["budget"]
    fund = budget[budget["begrotingspost"].str.startswith("Transformatiefonds: ")]
    planned = fund[fund["jaar"] == 2020]["begroot_euro"].sum()
    spent = fund[fund["jaar"] == 2020]["gerealiseerd_euro"].sum()
    assert _one(kpi, "transformatiefonds_begroot_mln", "JZ24", 2020)["waarde"] == pytest.approx(planned / 1e6)
    assert _one(kpi, "transformatiefonds_besteed_mln", "JZ24", 2020)["waarde"] == pytest.approx(spent / 1e6)
    assert _one(kpi, "transformatiefonds_besteed_pct", "GM0503", 2020)["waarde"] < 100
    assert _one(kpi, "transformatiefonds_besteed_pct", "JZ24", 2020)["waarde"] == pytest.approx(100 * spent / planned)
    assert 2.3 < planned / 1e6 < 2.5
    fund_rows = _rows(kpi, "transformatiefonds_begroot_mln")
    assert set(fund_rows["jaar"]) == {2019, 2020, 2021}  # the fund's years only
    assert set(fund_rows["gebied_code"]) == set(_members(tables, "JZ24")) | {"JZ24"}


def test_realised_youth_care_costs_leave_the_transformatiefonds_out(tables, kpi):
    budget = tables["budget"]
    rows = budget[(budget["gebied_code"] == "GM0518") & (budget["jaar"] == 2019)]
    care = rows[~rows["begrotingspost"].str.startswith("Transformatiefonds")]["gerealiseerd_euro"].sum()
    assert care < rows["gerealiseerd_euro"].sum()
    assert _one(kpi, "jeugdhulpkosten_mln", "GM0518", 2019)["waarde"] == pytest.approx(care / 1e6)
    assert "Transformatiefonds" in kpis.config.load().kpis["jeugdhulpkosten_mln"].description


def test_budget_lines_can_be_chosen_by_pattern_or_list():
    lines = pd.Series(["Transformatiefonds: A", "Specialistische jeugdhulp", "Oud Transformatiefonds: B"])
    assert exports.budget_line_filter({"posten": "^Transformatiefonds: "}, lines).tolist() == [True, False, False]
    assert exports.budget_line_filter({"posten": "Transformatiefonds: "}, lines).tolist() == [True, False, False]  # from the start
    assert exports.budget_line_filter({"behalve_posten": ["Specialistische jeugdhulp"]}, lines).tolist() == [True, False, True]
    assert exports.budget_line_filter({}, lines).all()
    with pytest.raises(kpis.config.ConfigError, match="posten.*reguliere expressie"):
        exports.budget_line_filter({"posten": "(["}, lines)
    with pytest.raises(kpis.config.ConfigError, match="behalve_posten"):
        exports.budget_line_filter({"behalve_posten": []}, lines)


def test_ambulant_share_of_started_trajectories(tables, kpi):
    trajectories = tables["trajecten"]
    flevoland = trajectories[(trajectories["regio_code"] == "JZ08") & (trajectories["startdatum"].dt.year == 2022)]
    share = _one(kpi, "ambulant_aandeel", "JZ08", 2022)
    assert share["teller"] == (flevoland["zorgvorm"] == "ambulant").sum() and share["noemer"] == len(flevoland)
    series = _rows(kpi, "ambulant_aandeel")
    assert series[series["gebied_code"] == "JZ08"].set_index("jaar")["waarde"].loc[2019:].is_monotonic_increasing
    assert _one(kpi, "instroom", "JZ08", 2022)["waarde"] == len(flevoland)  # the unfiltered count is unchanged


def test_an_unknown_care_form_in_a_kpi_is_a_config_error(cfg, tables):
    kpi = cfg.kpis["ambulant_aandeel"]
    misspelt = dataclasses.replace(kpi, numerator={**kpi.numerator, "zorgvormen": ["ambulannt"]})
    wrong = dataclasses.replace(cfg, kpis={kpi.id: misspelt})
    with pytest.raises(kpis.config.ConfigError, match=r"ambulant_aandeel telt zorgvormen \['ambulannt'\]"):
        kpis.compute(wrong, tables, 2023)


def test_age_groups_that_do_not_make_up_the_ages_are_a_config_error(tables):
    with pytest.raises(kpis.config.ConfigError, match=r"leeftijd 0-9 .*0-3, 4-11"):
        kpis._part({"bron": "jeugdzorg_leeftijd", "vorm": "jeugdhulp", "leeftijd": [0, 9]}, tables)


def test_share_waiting_beyond_the_norm_on_31_december(tables, kpi):
    waiting = tables["wachttijden"]
    december = waiting[(waiting["gebied_code"] == "GM0518") & (waiting["peildatum"] == "2022-12-31")].iloc[0]
    row = _one(kpi, "lang_wachtenden_aandeel", "GM0518", 2022)
    assert row["waarde"] == pytest.approx(100 * december["aantal_zorgelijk_wachtenden"] / december["aantal_wachtenden"])
    region = waiting[(waiting["regio_code"] == "JZ24") & (waiting["peildatum"] == "2022-12-31")]
    assert _one(kpi, "lang_wachtenden_aandeel", "JZ24", 2022)["waarde"] == pytest.approx(
        100 * region["aantal_zorgelijk_wachtenden"].sum() / region["aantal_wachtenden"].sum())
