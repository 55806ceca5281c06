"""Tests for jeugdmonitor.fetch.areas_download: the area tables (gemeente, jeugdregio, provincie)
fetched year by year, topics found by title though CBS renames groups and renumbers keys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import cbs_keys, raw

from .helpers import (
    FIXTURES,
    YOUTH_TABLE,
    csv_rows,
    dimension_path,
    patch_fixture,
    with_source,
)


# ---------------------------------------------------------------------------- the area table
def test_area_table_topics_are_found_by_title_and_read_back(cbs_server, tmp_path, cfg):
    from jeugdmonitor.sources import areas

    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_gebieden"], years=[2023], out_dir=out, cfg=cfg)

    assert [(f.key, f.table) for f in fetched] == [("cbs_gebieden", "85385NED")]
    data = out / "cbs" / "gebieden" / "85385NED_TypedDataSet.csv"
    meta = raw.verify(data)
    assert meta["onderwerpen"] == {"gemeentecode": "Code_1", "gemeentenaam": "Naam_2", "jeugdregio_code": "Code_18",
                                   "jeugdregio_naam": "Naam_19", "provincie_code": "Code_28", "provincie_naam": "Naam_29",
                                   "stedelijkheid": "Code_52"}  # the code of group Stedelijkheid, not of Gemeentegrootte
    assert meta["jaar"] == 2023 and meta["fictief"] is False and meta["licentie"] == "CC BY 4.0"
    assert csv_rows(data)[2]["Naam_2"].startswith("'s-Gravenhage  ")  # as CBS gives it, padding and all
    rows = areas.read_area_table(data)
    assert [(r.code, r.name, r.region, r.region_name, r.province_name, r.urbanisation) for r in rows] == [
        ("GM0363", "Amsterdam", "JZ13", "Amsterdam-Amstelland", "Noord-Holland", 1),
        ("GM0503", "Delft", "JZ24", "Haaglanden", "Zuid-Holland", 1),
        ("GM0518", "'s-Gravenhage", "JZ24", "Haaglanden", "Zuid-Holland", 1),
        ("GM0637", "Zoetermeer", "JZ24", "Haaglanden", "Zuid-Holland", 2)]
    assert {r["Key"].strip() for r in csv_rows(dimension_path(data, "RegioS"))} == {r.code for r in rows}


def test_area_table_without_a_configured_topic_title_lists_the_groups(cbs_server, tmp_path, cfg):
    topics = {**cfg.sources["cbs_gebieden"]["onderwerpen"], "jeugdregio_code": ["Jeugdzorgregio's", "Code"]}
    changed = with_source(cfg, "cbs_gebieden", onderwerpen=topics)

    with pytest.raises(fetch.FetchError, match="Jeugdzorgregio's.*Jeugdregio's"):
        fetch.fetch(["cbs_gebieden"], years=[2023], out_dir=tmp_path / "raw", cfg=changed)
    assert not (tmp_path / "raw").exists()


def test_area_table_of_an_unconfigured_year_is_a_configuration_error(cbs_server, tmp_path, cfg):
    with pytest.raises(config.ConfigError, match="cbs_gebieden.tabellen heeft geen tabel voor 2040"):
        fetch.fetch(["cbs_gebieden"], years=[2040], out_dir=tmp_path / "raw", cfg=cfg)


# ---------------------------------------------------------------------------- ten years: titles that change
# How CBS words the jeugdregio group of its area tables, year by year: "Jeugdzorgregio’s" with a
# typographic apostrophe in 2016 (its published metadata), "Jeugdregio's" later; the other years'
# variants (straight or typographic apostrophe, a trailing non-breaking space, lower case) are the
# variation the matching must absorb. Topic keys are numbered anew every year, as CBS does.
GROUP_TITLES = {2015: "Jeugdzorgregio's", 2016: "Jeugdzorgregio’s", 2017: "Jeugdregio’s", 2018: "Jeugdregio's\u00a0",
                2019: "jeugdregio's", 2020: "Jeugdregio's", 2021: "Jeugdregio's", 2022: "Jeugdregio's",
                2023: "Jeugdregio's", 2024: "Jeugdregio's"}
AREA_TEMPLATE = "85385NED"  # Gebieden in Nederland 2023, with the jeugdregio topics Code_18 and Naam_19


def area_tables_for(root: Path, cfg: config.Config, years: range) -> dict[int, str]:
    """Answers of the area table of every year in `root`, made from the 2023 one: the year's own table id
    and title, its wording of the jeugdregio group (GROUP_TITLES) and its own jeugdregio topic keys."""
    tables = {year: cfg.sources["cbs_gebieden"]["tabellen"][year] for year in years}
    for year, table in tables.items():
        code_key, name_key = f"Code_{year - 2000}", f"Naam_{year - 1999}"
        (root / table).mkdir(exist_ok=True)
        for source in sorted((FIXTURES / AREA_TEMPLATE).glob("*.json")):
            text = source.read_text(encoding="utf-8").replace(AREA_TEMPLATE, table)
            text = text.replace("Gebieden in Nederland 2023", f"Gebieden in Nederland {year}").replace('"Period": "2023"',
                                                                                                 f'"Period": "{year}"')
            text = text.replace('"Code_18"', f'"{code_key}"').replace('"Naam_19"', f'"{name_key}"')
            text = text.replace('"Title": "Jeugdregio\'s"', f'"Title": {json.dumps(GROUP_TITLES[year], ensure_ascii=False)}')
            if year == 2017:  # a table title with a non-breaking space and a trailing space
                text = text.replace('"Title": "Gebieden in Nederland 2017"', '"Title": "Gebieden in\\u00a0Nederland 2017 "')
            (root / table / source.name).write_text(text, encoding="utf-8")
    return tables


def test_ten_years_are_fetched_though_cbs_renames_groups_and_renumbers_keys_between_tables(cbs_server, tmp_path, cfg):
    from jeugdmonitor.sources import areas

    root = tmp_path / "odata"
    shutil.copytree(FIXTURES, root)
    cbs_server.root = root
    tables = area_tables_for(root, cfg, range(2015, 2025))
    # the older youth-care table writes some form titles with a non-breaking space, another case, a trailing space
    older_forms = root / "84134NED" / "VormenVanJeugdzorg.json"
    older_forms.write_text(older_forms.read_text(encoding="utf-8")
                           .replace('"JB 1 Totaal jeugdbescherming"', '"JB 1 Totaal\\u00a0jeugdbescherming"')
                           .replace('"JH 1 Totaal jeugdhulp"', '"JH 1 totaal jeugdhulp "'), encoding="utf-8")
    older_topics = root / "84134NED" / "DataProperties.json"
    older_topics.write_text(older_topics.read_text(encoding="utf-8").replace(
        '"Title": "Jongeren met jeugdzorg (relatief)"', '"Title": "Jongeren met Jeugdzorg\u00a0(relatief)"'), encoding="utf-8")
    out = tmp_path / "raw"

    fetched = fetch.fetch(["cbs_jeugdzorg", "cbs_gebieden"], years=list(range(2015, 2025)), out_dir=out, cfg=cfg)

    # every year from the newest youth-care table that has it (the fixtures hold rows for 2020 and 2022-2024)
    assert raw.read_sidecar(out / "cbs/84134NED_TypedDataSet.csv")["reeks"] == {
        "84134NED": [2015, 2016, 2017, 2018, 2019, 2020], YOUTH_TABLE: [2021, 2022, 2023, 2024]}
    assert [(f.table, f.years) for f in fetched if f.key == "cbs_jeugdzorg"] == [("84134NED", [2020]),
                                                                                 (YOUTH_TABLE, [2022, 2023, 2024])]
    assert [(f.table, f.years) for f in fetched if f.key == "cbs_gebieden"] == [(t, [y]) for y, t in tables.items()]
    assert [f.title for f in fetched if f.table == tables[2017]] == ["Gebieden in\u00a0Nederland 2017"]  # as CBS wrote it
    for year, table in tables.items():
        data = out / "cbs" / "gebieden" / f"{table}_TypedDataSet.csv"
        meta = raw.verify(data)
        # the keys of this year, and the titles as this year's table writes them
        assert (meta["onderwerpen"]["jeugdregio_code"], meta["onderwerpen"]["jeugdregio_naam"]) == (
            f"Code_{year - 2000}", f"Naam_{year - 1999}")
        assert meta["titels"]["jeugdregio_code"] == [" ".join(GROUP_TITLES[year].split()), "Code"]
        assert meta["titels"]["gemeentecode"] == ["Codes en namen van gemeenten", "Code"]
        assert [(r.code, r.region) for r in areas.read_area_table(data)] == [
            ("GM0363", "JZ13"), ("GM0503", "JZ24"), ("GM0518", "JZ24"), ("GM0637", "JZ24")]
    assert raw.read_sidecar(out / "cbs/gebieden/83287NED_TypedDataSet.csv")["titels"]["jeugdregio_naam"] == [
        "Jeugdzorgregio’s", "Naam"]

    # the youth-care sidecar records each table's own wording; the cleaning stage maps it to the configured title
    older = raw.read_sidecar(out / "cbs/84134NED_TypedDataSet.csv")["sleutels"]["VormenVanJeugdzorg"]
    assert older["A027919"] == "JB 1 Totaal\u00a0jeugdbescherming".replace("\u00a0", " ")
    assert older["A042502"] == "JH 1 totaal jeugdhulp"
    topics = raw.read_sidecar(out / "cbs/84134NED_TypedDataSet.csv")["sleutels"]
    assert topics["onderwerpen"]["jongeren_relatief"] == "JongerenMetJeugdzorgRelatief_2"
    assert topics["onderwerptitels"]["jongeren_relatief"] == "Jongeren met Jeugdzorg (relatief)"
    part = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])[0]
    title_of = cbs_keys.titles_of_keys(out / part.spec["bestand"], part.spec, "VormenVanJeugdzorg", "vormen")
    assert title_of["A042502"] == "JH 1 Totaal jeugdhulp" and title_of["A027919"] == "JB 1 Totaal jeugdbescherming"
    assert title_of["A028103"] == "JB 11 Totaal ondertoezichtstelling" and title_of["A028104"] == "JB 12 Totaal voogdij"


def test_a_group_title_whose_alternatives_match_two_groups_stops_listing_both(cbs_server, tmp_path, cfg):
    def second_group(values):
        values += [{**values[9], "ID": 30, "Key": "Jeugdzorgregios", "Title": "Jeugdzorgregio’s"},
                   {**values[10], "ID": 31, "ParentID": 30, "Key": "Code_40"},
                   {**values[11], "ID": 32, "ParentID": 30, "Key": "Naam_41"}]

    patch_fixture(cbs_server, tmp_path, AREA_TEMPLATE, "DataProperties", second_group)
    with pytest.raises(fetch.FetchError, match=r"85385NED .*DataProperties\): 2 onderwerpen \(Code_18 in de groep \"Jeugdregio's\", "
                                               r"Code_40 in de groep 'Jeugdzorgregio’s'\) voor het onderwerp 'Code' in de groep "
                                               r"\"Jeugdregio's\" of \"Jeugdzorgregio's\""):
        fetch.fetch(["cbs_gebieden"], years=[2023], out_dir=tmp_path / "raw", cfg=cfg)
    assert not (tmp_path / "raw").exists()
