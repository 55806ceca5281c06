"""Tests for jeugdmonitor.fetch.statline: StatLine tables and their series of successor tables,
fetched page by page with the years and regions asked for."""

from __future__ import annotations

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.sources import cbs, cbs_keys, raw

from .helpers import (
    FEED,
    MISSING,
    YEARS,
    YOUTH_DATA,
    YOUTH_TABLE,
    csv_rows,
    dimension_path,
    fixture_rows,
    read_like_clean,
    with_source,
)


# ---------------------------------------------------------------------------- paging, keys, empty cells
def test_paging_is_followed(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)

    page1 = {str(r["ID"]) for r in fixture_rows(YOUTH_TABLE)}
    page2 = {str(r["ID"]) for r in fixture_rows(YOUTH_TABLE, "TypedDataSet.skiptoken-139")}
    assert page1 and page2 and not page1 & page2
    written = {row["ID"] for row in csv_rows(out / YOUTH_DATA)}
    assert written == page1 | page2
    assert any("$skiptoken" in query for query in cbs_server.data_requests(YOUTH_TABLE))
    assert cbs_server.data_requests("84134NED") == []  # it holds none of YEARS (read: its Perioden only)


def test_empty_cube_rows_of_merged_municipalities_are_left_out(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)
    path = out / cfg.sources["cbs_bevolking"]["bestand"]

    assert any(r["RegioS"] == "GM0585  " for r in fixture_rows("03759ned"))  # Binnenmaas, gone since 2019
    frame, dimensions = read_like_clean(cfg, "cbs_bevolking", out)
    assert set(frame["RegioS"]) == {"GM0503", "GM0518", "NL01"}
    assert frame["BevolkingOp1Januari_1"].notna().all()
    assert set(dimensions["Leeftijd"]["Key"]) == {"10000", "10010", "10110", "10210"}  # not the age group
    meta = raw.read_sidecar(path)
    assert "12 lege rijen" in meta["weggelaten_lege_rijen"]


def test_years_and_regions_are_requested_and_kept_exactly(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_jeugdzorg"], years=[2023], regions=["GM0518"], out_dir=out, cfg=cfg)
    path = out / YOUTH_DATA

    assert item.rows == 4 and item.years == [2023] and item.regions == ["GM0518"]
    assert {(r["RegioS"], r["Perioden"]) for r in csv_rows(path)} == {("GM0518  ", "2023JJ00")}
    assert [r["Key"] for r in csv_rows(dimension_path(path, "Perioden"))] == ["2023JJ00"]
    assert raw.read_sidecar(path)["perioden_status"] == {"2023": "Nader voorlopig"}
    first_page = [q for q in cbs_server.data_requests(YOUTH_TABLE) if "$skiptoken" not in q]
    assert len(first_page) == 1
    titles = {r["Title"]: r["Key"] for r in fixture_rows(YOUTH_TABLE, "VormenVanJeugdzorg")}
    forms = " or ".join(f"VormenVanJeugdzorg eq '{titles[title]}'" for title in cfg.sources["cbs_jeugdzorg"]["vormen"])
    assert first_page[0]["$filter"] == [f"Perioden eq '2023JJ00' and ({forms}) and startswith(RegioS,'GM0518')"]
    assert first_page[0]["$select"] == ["ID,VormenVanJeugdzorg,RegioS,Perioden,JongerenMetJeugdzorg_1,"
                                        "JongerenMetJeugdzorgRelatief_2,Jeugdzorgtrajecten_3"]


def test_a_topic_missing_from_the_table_names_the_table_and_url(cbs_server, tmp_path, cfg):
    topics = {**cfg.sources["cbs_jeugdzorg"]["onderwerpen"], "bestaat_niet": "Bestaat niet"}
    with pytest.raises(cbs_titles.TitleMatchError,
                       match=rf"{YOUTH_TABLE} .*/ODataFeed/odata/{YOUTH_TABLE}/DataProperties.*'Bestaat niet' komt niet voor"):
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw",
                    cfg=with_source(cfg, "cbs_jeugdzorg", onderwerpen=topics))
    assert not (tmp_path / "raw").exists()


# ---------------------------------------------------------------------------- successor tables, keys by title
def test_two_successive_tables_give_each_year_from_the_newest_with_keys_resolved_by_title(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=[2020, 2021, 2022, 2023, 2024], out_dir=out, cfg=cfg)

    # 84134NED holds 2015-2021, 85099NED 2021-2024: 2021 comes from the newer table (which has no rows for it here)
    assert [(f.table, f.years) for f in fetched] == [("84134NED", [2020]), (YOUTH_TABLE, [2022, 2023, 2024])]
    choice = {"84134NED": [2020], YOUTH_TABLE: [2021, 2022, 2023, 2024]}
    older, newer = (raw.read_sidecar(out / f"cbs/{t}_TypedDataSet.csv") for t in ("84134NED", YOUTH_TABLE))
    assert older["reeks"] == newer["reeks"] == choice
    asked = {t: " ".join(q.get("$filter", [""])[0] for q in cbs_server.data_requests(t)) for t in choice}
    assert "Perioden eq '2020JJ00'" in asked["84134NED"] and "2021JJ00" not in asked["84134NED"]
    assert "2020JJ00" not in asked[YOUTH_TABLE] and "Perioden eq '2021JJ00'" in asked[YOUTH_TABLE]
    # the same title, another key in each table; both recorded
    assert older["sleutels"]["VormenVanJeugdzorg"]["T001203"] == newer["sleutels"]["VormenVanJeugdzorg"]["A045561"] \
        == "JZ Totaal jeugdzorg"
    assert older["sleutels"]["onderwerpen"] == newer["sleutels"]["onderwerpen"] == {
        "jongeren": "JongerenMetJeugdzorg_1", "jongeren_relatief": "JongerenMetJeugdzorgRelatief_2",
        "trajecten": "Jeugdzorgtrajecten_3"}
    assert {r["VormenVanJeugdzorg"] for r in csv_rows(out / "cbs/84134NED_TypedDataSet.csv")} == {
        "T001203", "A042502", "A027918", "A027919"}

    # the cleaning stage maps each table's keys to the same workbook names, from the recorded resolution
    forms = {}
    for part in config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"]):
        path = out / part.spec["bestand"]
        assert cbs_keys.topic_columns(path, part.spec)["jongeren_relatief"] == "JongerenMetJeugdzorgRelatief_2"
        title_of = cbs_keys.titles_of_keys(path, part.spec, "VormenVanJeugdzorg", "vormen")
        frame, _ = read_like_clean(cfg, "cbs_jeugdzorg", out, part.spec["tabel"])
        forms[part.spec["tabel"]] = set(frame["VormenVanJeugdzorg"].map(title_of).map(part.spec["vormen"]))
    assert forms["84134NED"] == forms[YOUTH_TABLE] == {"jeugdzorg_totaal", "jeugdhulp", "jeugdhulp_met_verblijf",
                                                       "jeugdbescherming"}


def test_cleaning_refuses_a_year_that_two_tables_of_the_series_supply(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=[2020, 2021, 2022, 2023, 2024], out_dir=out, cfg=cfg)
    register = cfg.register
    parts = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])
    frame, _ = read_like_clean(cfg, "cbs_jeugdzorg", out, YOUTH_TABLE)
    dims = parts[1].spec["dimensies"]
    with pytest.raises(raw.RawDataError, match=r"jaren \[2022\] staan ook in 84134NED"):
        cbs._check_series_part(out / YOUTH_DATA, frame, dims, "cbs_jeugdzorg", parts[1], {"84134NED": {2020, 2022}},
                                 register)


def test_a_successor_holding_every_year_leaves_the_older_table_unfetched(cbs_server, tmp_path, cfg):
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=[2022, 2023], out_dir=tmp_path / "raw", cfg=cfg)
    assert [(f.table, f.years) for f in fetched] == [(YOUTH_TABLE, [2022, 2023])]
    assert not (tmp_path / "raw/cbs/84134NED_TypedDataSet.csv").exists()
    assert [path for path, _ in cbs_server.requests if "84134NED" in path] == [f"{FEED}84134NED/Perioden"]


def test_the_table_by_age_keeps_the_configured_age_groups_and_whole_years(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_jeugdzorg_leeftijd"], years=YEARS, out_dir=out, cfg=cfg)

    assert [(f.table, f.years) for f in fetched] == [("85100NED", [2022, 2023, 2024])]  # 84135NED ends in 2020
    rows = csv_rows(out / "cbs" / "85100NED_TypedDataSet.csv")
    assert {r["Persoonskenmerken"] for r in rows} == {"T009002", "71090", "71091", "71092", "71093"}  # no sex, no origin
    assert {r["Perioden"] for r in rows} == {"2022JJ00", "2023JJ00", "2024JJ00"}  # no half year
    assert {r["VormenVanJeugdzorg"] for r in rows} == {"A045560", "A027918"}  # JH 1, JH 122 (by title)
    suppressed = [r for r in rows if r["RegioS"] == "GM0503  " and r["Perioden"] == "2024JJ00"
                  and r["VormenVanJeugdzorg"] == "A027918" and r["Persoonskenmerken"] == "71090"]
    assert [r["TotaalJongerenMetJeugdzorg_1"] for r in suppressed] == [MISSING]
    titles = {r["Key"]: r["Title"] for r in csv_rows(dimension_path(out / "cbs" / "85100NED_TypedDataSet.csv",
                                                                    "Persoonskenmerken"))}
    assert titles["71091"] == "Leeftijd: 4 tot 12 jaar"
    meta = raw.verify(out / "cbs" / "85100NED_TypedDataSet.csv")
    assert meta["perioden_status"] == {"2022": "Definitief", "2023": "Nader voorlopig", "2024": "Voorlopig"}
