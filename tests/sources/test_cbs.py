"""Tests for jeugdmonitor.sources.cbs: the CBS tables (youth care, its series of successor tables,
Iv3 spending) read and checked."""

from __future__ import annotations

import pytest

from jeugdmonitor import vocabulary
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import load, raw
from tests.raw_helpers import _rewrite_sidecar


# ---------------------------------------------------------------------------- Iv3 tables
def _iv3_path(root, year: int, part: str = "TypedDataSet"):
    table = config.load().sources["cbs_iv3"]["tabellen"][year]
    return root / "data" / "raw" / "cbs" / "iv3" / f"{table}_{part}.csv"


def test_iv3_spending_uses_the_newest_plaatsing_and_sums_the_whole_country(raw_data):
    spending = raw_data.spending
    assert sorted(spending["jaar"].unique()) == list(range(2017, 2025))
    status = {int(year): set(group.astype(str)) for year, group in spending.groupby("jaar")["status"]}
    assert status[2023] == {"nader voorlopig"} and status[2024] == {"voorlopig"}  # 2024: 1e plaatsing only
    # only the workbook's municipalities and the country; the fictitious rest counts in NL01 alone
    assert not spending["gebied_code"].str.startswith("GM99").any()
    nl = spending[(spending["gebied_code"] == vocabulary.NL_CODE) & (spending["jaar"] == 2023)].set_index("taakveld")
    municipal = spending[(spending["gebied_code"] != vocabulary.NL_CODE) & (spending["jaar"] == 2023)]
    assert (nl["lasten_euro"] > municipal.groupby("taakveld")["lasten_euro"].sum()).all()


def test_iv3_tables_mixing_sample_and_fetched_figures_are_refused(cfg, project):
    _rewrite_sidecar(_iv3_path(project, 2023), fictief=False)
    with pytest.raises(raw.RawDataError, match=r"mengen fictieve voorbeelddata \(45038NED.*met opgehaalde cijfers \(45063NED\)"):
        load.load_raw(config.load())


def test_iv3_status_that_disagrees_with_the_sidecar_is_refused(project):
    _rewrite_sidecar(_iv3_path(project, 2024), perioden_status={"2024": "Nader voorlopig"})
    with pytest.raises(raw.RawDataError, match=r"45067NED_TypedDataSet\.csv.*'Voorlopig'.*sidecar legde 'Nader voorlopig' vast"):
        load.load_raw(config.load())


def test_iv3_table_without_a_bundled_municipality_is_refused(project):
    path = _iv3_path(project, 2023, "Gemeenten")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith('"GM0518')), encoding="utf-8")
    _rewrite_sidecar(path)
    with pytest.raises(raw.RawDataError, match=r"45063NED_Gemeenten\.csv.*in 2023 bestonden, ontbreken in de tabel: \['GM0518'\]"):
        load.load_raw(config.load())


# ---------------------------------------------------------------------------- successor tables
def test_the_sample_series_is_84134ned_continued_by_85099ned(raw_data):
    youth = raw_data.youth_care
    assert sorted(youth["jaar"].unique()) == list(range(2015, 2025))
    assert {p["tabel"] for p in raw_data.provenance} >= {"84134NED", "85099NED"}
    assert {f.kind for f in raw_data.files} >= {"cbs_jeugdzorg", "cbs_jeugdzorg_85099NED"}
    # each table's own keys, mapped through the titles onto the same workbook names
    forms = {int(year): set(group) for year, group in youth.groupby("jaar")["vorm"]}
    assert forms[2020] == forms[2021] == set(config.load().sources["cbs_jeugdzorg"]["vormen"].values())
    assert set(youth.loc[youth["jaar"] == 2023, "status"].astype(str)) == {"nader voorlopig"}


def _move_year_into_successor(root, year: int, keep_series: bool) -> None:
    """Copy `year` of 84134NED into 85099NED as well (its keys turned into 85099NED's by title)."""
    cbs = root / "data" / "raw" / "cbs"
    older, newer = cbs / "84134NED_TypedDataSet.csv", cbs / "85099NED_TypedDataSet.csv"
    key_of = {t: k for k, t in raw.read_sidecar(newer)["sleutels"]["VormenVanJeugdzorg"].items()}
    newer_key = {k: key_of[t] for k, t in raw.read_sidecar(older)["sleutels"]["VormenVanJeugdzorg"].items()}
    rows = [line.split(";") for line in older.read_text(encoding="utf-8").splitlines()[1:]
            if f'"{year}JJ00"' in line]
    moved = "".join(";".join([fields[0], f'"{newer_key[fields[1].strip(chr(34))]}"', *fields[2:]]) + "\n" for fields in rows)
    newer.write_text(newer.read_text(encoding="utf-8") + moved, encoding="utf-8")
    dropped = {"bestand", "sha256"} | (set() if keep_series else {"reeks"})
    raw.write_sidecar(newer, {k: v for k, v in raw.read_sidecar(newer).items() if k not in dropped})
    periods = cbs / "85099NED_Perioden.csv"
    header, *lines = periods.read_text(encoding="utf-8").splitlines(keepends=True)
    periods.write_text(header + f'"{year}JJ00";"{year}";"Definitief"\n' + "".join(lines), encoding="utf-8")
    _rewrite_sidecar(periods)


def test_a_year_in_the_table_and_in_its_successor_is_refused(project):
    _move_year_into_successor(project, 2020, keep_series=False)  # a hand-made successor file, no recorded choice
    with pytest.raises(raw.RawDataError, match=r"85099NED_TypedDataSet\.csv, kolom 'Perioden', regels \d+.*jaren \[2020\] "
                                               r"staan ook in 84134NED"):
        load.load_raw(config.load())


def test_a_year_the_recorded_choice_gives_to_another_table_is_refused(project):
    _move_year_into_successor(project, 2020, keep_series=True)
    with pytest.raises(raw.RawDataError, match=r"85099NED_TypedDataSet\.csv, kolom 'Perioden'.*jaren \[2020\] horen volgens "
                                               r"de sidecar \(reeks: 84134NED 2015-2020, 85099NED 2021-2024\)"):
        load.load_raw(config.load())
