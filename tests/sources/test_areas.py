"""Tests for jeugdmonitor.sources.areas: a jeugdregio written from CBS's area table into a copy of
config/gemeenten.yaml (the bundled sample table, plus tables written here for other years)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jeugdmonitor import cli, paths
from jeugdmonitor.definitions import config
from jeugdmonitor.devtools import sample_areas
from jeugdmonitor.sources import areas, raw

HEADER = ["ID", "RegioS", *sample_areas.SAMPLE_TOPICS.values()]


def write_area_table(cfg: config.Config, year: int, rows: list[tuple[str, str, str, str]]) -> Path:
    """An area table for `year` in the copy's data/raw/ (code, name, jeugdregio, its name)."""
    area = areas.settings(cfg)
    path = areas.area_file(area, year)
    raw.write_csv(path, HEADER, [[str(i), code, code, name, region, region_name, "PV28", "Zuid-Holland", "3"]
                                 for i, (code, name, region, region_name) in enumerate(rows)], quote_all=True)
    raw.write_sidecar(path, {"bron": "test", "tabel": area.tables[year], "titel": area.title.format(jaar=year),
                             "url": "test", "opgehaald": "2026-01-01", "licentie": "CC BY 4.0", "jaar": year,
                             "dimensie": "RegioS", "onderwerpen": sample_areas.SAMPLE_TOPICS})
    return path


def register_text(root: Path) -> str:
    return (root / "config" / "gemeenten.yaml").read_text(encoding="utf-8")


def test_a_region_is_written_from_the_area_table_keeping_every_line_of_the_register(project, capsys):
    before = register_text(project)

    assert cli.main(["regio", "--jeugdregio", "jz99"]) == 0

    after = register_text(project)
    kept = [line for line in after.splitlines() if line in before.splitlines()]
    assert kept == before.splitlines()  # every line (comments too) still there, in its order
    assert "  JZ99:\n    naam: Proefregio\n    regiovisie: Regiovisie jeugdhulp Proefregio\ngemeenten:\n" in after
    # van: the first of the sample's tables (2015, 2023) that lists the municipality
    assert after.endswith("  # Proefregio (JZ99), uit CBS Gebieden in Nederland 2023 (tabel 85385NED)\n"
                          "  - {code: GM9901, naam: Proefstad, regio: JZ99, van: 2015}\n"
                          "  - {code: GM9902, naam: \"'t Proefdorp\", regio: JZ99, van: 2015}\n")
    config.load.cache_clear()
    register = config.load().register
    assert register.region("JZ99").name == "Proefregio"
    assert register.members("JZ99", 2015) == register.members("JZ99", 2023) == ["GM9901", "GM9902"]
    assert register.municipality("GM9902").name == "'t Proefdorp"  # exactly as CBS gives it
    printed = capsys.readouterr().out
    assert "2 gemeenten toegevoegd" in printed and "let op" not in printed and "make import REGIO=JZ99" in printed


def test_a_region_already_in_the_register_is_not_duplicated(project, capsys):
    before = register_text(project)

    assert cli.main(["regio", "--jeugdregio", "JZ24"]) == 0

    assert register_text(project) == before
    assert "JZ24 Haaglanden en haar gemeenten staan al in config/gemeenten.yaml" in capsys.readouterr().out


def test_an_unknown_region_stops_listing_the_known_ones(project, capsys):
    before = register_text(project)

    assert cli.main(["regio", "--jeugdregio", "JZ77"]) == 2

    err = capsys.readouterr().err
    assert "jeugdregio 'JZ77' staat niet in de gebiedentabel 85385NED" in err
    assert "JZ08 Flevoland, JZ24 Haaglanden, JZ31 Zuid-Holland Zuid, JZ36 West-Brabant West, JZ99 Proefregio" in err
    assert register_text(project) == before


def test_van_and_tot_come_from_the_earlier_tables_and_registered_mergers_stay(project):
    cfg = config.load()
    # 2018: two municipalities of a new region that merge on 1-1-2019, and Binnenmaas (JZ31, merged away,
    # already in the register with its `tot`)
    write_area_table(cfg, 2018, [("GM0585", "Binnenmaas", "JZ31", "Zuid-Holland Zuid"),
                                 ("GM9971", "Oostdorp", "JZ97", "Proefregio"), ("GM9972", "Westdorp", "JZ97", "Proefregio")])
    write_area_table(cfg, 2019, [("GM1963", "Hoeksche Waard", "JZ31", "Zuid-Holland Zuid"),
                                 ("GM9973", "Oost-West", "JZ97", "Proefregio")])
    write_area_table(cfg, 2020, [("GM1963", "Hoeksche Waard", "JZ31", "Zuid-Holland Zuid"),
                                 ("GM9973", "Oost-West", "JZ97", "Proefregio")])
    before = register_text(project)

    plan = areas.write_region(cfg, "JZ97", 2020)

    assert plan.added == [{"code": "GM9973", "naam": "Oost-West", "regio": "JZ97", "van": 2019},
                          {"code": "GM9971", "naam": "Oostdorp", "regio": "JZ97", "van": 2018, "tot": 2018},
                          {"code": "GM9972", "naam": "Westdorp", "regio": "JZ97", "van": 2018, "tot": 2018}]
    assert any("GM9971 Oostdorp bestaat tot 2018: leg de herindeling vast in config/herindelingen.yaml" in n for n in plan.notes)
    assert any(n.startswith("GM9971 Oostdorp: van 2018 is het eerste jaar") for n in plan.notes)  # no 2017 table
    assert not any(n.startswith("GM9973") for n in plan.notes)  # 2018's table is there: 2019 is its first year
    assert register_text(project).startswith(before.split("gemeenten:\n")[0])

    jz31 = areas.plan_region(cfg, "JZ31", 2020)  # Binnenmaas is present (with tot 2018): not added again
    assert "GM0585" in jz31.present and jz31.added == []
    config.load.cache_clear()
    assert config.load().register.municipality("GM0585").last_year == 2018


def test_an_area_file_that_does_not_match_its_sidecar_is_refused(project):
    cfg = config.load()
    path = areas.area_file(areas.settings(cfg), 2023)
    path.write_text(path.read_text(encoding="utf-8").replace("Delft", "Delf"), encoding="utf-8")

    with pytest.raises(raw.RawDataError, match="controlegetal"):
        areas.plan_region(cfg, "JZ24")


def test_no_area_table_says_how_to_fetch_one(project):
    cfg = config.load()
    for year in areas.available_years(areas.settings(cfg)):
        areas.area_file(areas.settings(cfg), year).unlink()

    with pytest.raises(config.ConfigError, match="make fetch"):
        areas.plan_region(cfg, "JZ24")
    assert paths.PROJECT_ROOT == project.resolve()


def test_a_municipality_without_region_gets_it_and_one_in_another_region_is_left_alone(project):
    cfg = config.load()
    write_area_table(cfg, 2024, [("GM1961", "Vijfheerenlanden", "JZ96", "Proefregio"),
                                 ("GM0503", "Delft", "JZ96", "Proefregio"), ("GM9961", "Nieuwstad", "JZ96", "Proefregio")])
    before = register_text(project)

    plan = areas.write_region(cfg, "JZ96", 2024)

    after = register_text(project)
    assert plan.filled == ["GM1961"] and [e["code"] for e in plan.added] == ["GM9961"]
    assert "  - {code: GM1961, naam: Vijfheerenlanden, regio: JZ96, van: 2019}\n" in after
    assert after.count("code: GM1961") == 1 and after.count("code: GM0503") == 1
    assert "  - {code: GM0503, naam: Delft, regio: JZ24, van: 2015}\n" in after
    assert any("GM0503 Delft staat in config/gemeenten.yaml bij JZ24" in note for note in plan.notes)
    changed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert changed == ["  - {code: GM1961, naam: Vijfheerenlanden, regio: null, van: 2019}"]


def test_a_stedelijkheid_outside_the_five_classes_is_refused_naming_file_column_and_row(project):
    cfg = config.load()
    path = write_area_table(cfg, 2018, [("GM0503", "Delft", "JZ24", "Haaglanden")])
    path.write_text(path.read_text(encoding="utf-8").replace('"3"', '"6"'), encoding="utf-8")
    raw.write_sidecar(path, raw.read_sidecar(path))  # the checksum of the changed file
    with pytest.raises(raw.RawDataError, match=r"stedelijkheid '6' van GM0503 is niet een klasse 1 tot en met 5") as caught:
        areas.read_area_table(path)
    assert "Code_52" in str(caught.value) and "85385NED" not in str(caught.value)  # the 2018 table, its column


def test_each_municipality_takes_its_class_from_the_nearest_table_that_lists_it():
    tables = {2015: {"GM0585": 5, "GM0503": 2}, 2023: {"GM0503": 1, "GM1963": 4}}
    assert areas.urbanisation_in(tables, 2022) == {"GM0503": 1, "GM1963": 4, "GM0585": 5}
    assert areas.urbanisation_in(tables, 2016)["GM0503"] == 2
    assert areas.urbanisation_in(tables, 2019)["GM0503"] == 2  # four years from both: the earlier table
    assert areas.urbanisation_in({}, 2023) == {}
