"""Tests for jeugdmonitor.fetch.odata4: reading StatLine tables from CBS's OData 4 service (the
fallback between the services: test_services.py). The local server of tests/fetch/conftest.py
serves the recorded OData 4 answers of tests/fixtures/odata4 (84134NED and 85099NED, built from
the OData 3 answers with tests/fixtures/odata4/build.py, so both hold the same figures)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from jeugdmonitor import fetch, paths
from jeugdmonitor.definitions import config
from jeugdmonitor.fetch import odata4
from jeugdmonitor.sources import cbs, raw, rawdata

from .helpers import (
    FIXTURES4,
    MISSING,
    ODATA4,
    POPULATION,
    POPULATION_DATA,
    SERIES_YEARS,
    YEARS,
    YOUTH_DATA,
    YOUTH_TABLE,
    csv_rows,
    dimension_path,
    on_service,
    with_source,
)

TOPICS4 = ["M004501", "M004502", "M004503"]  # 85099NED's measure codes of the three configured titles


def clean_youth_care(cfg: config.Config, raw_dir, monkeypatch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cleaning stage's youth-care table from the raw files in `raw_dir`, and every topic of
    the raw files as it read them (workbook names), both in one fixed order."""
    monkeypatch.setattr(paths, "RAW_DIR", raw_dir)
    # the fixtures hold four areas, not every municipality of config/gemeenten.yaml: only that check is left out
    monkeypatch.setattr(cbs, "check_complete", lambda *args: None)
    files: list[rawdata.RawFile] = []
    table = cbs.load_youth_care(cfg, files, [])
    keys = ["gebied_code", "jaar", "vorm"]
    read = pd.concat([f.frame.drop(columns="ID", errors="ignore").assign(RegioS=f.frame["RegioS"].str.strip()) for f in files])
    return (table.sort_values(keys).reset_index(drop=True),
            read.sort_values(["VormenVanJeugdzorg", "RegioS", "Perioden"]).reset_index(drop=True))


# ---------------------------------------------------------------------------- same clean tables from both
@pytest.mark.parametrize(("kind", "successor"), [("odata4", None), ("odata3", "odata4")])
def test_both_services_give_the_same_clean_youth_care_table(cbs_server, tmp_path, cfg, monkeypatch, kind, successor):
    fetch.fetch(["cbs_jeugdzorg"], years=SERIES_YEARS, out_dir=tmp_path / "odata3", cfg=cfg)
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=SERIES_YEARS, out_dir=tmp_path / "odata4",
                          cfg=on_service(cfg, kind, successor))

    assert [(f.table, f.years) for f in fetched] == [("84134NED", [2020]), (YOUTH_TABLE, [2022, 2023, 2024])]
    assert cbs_server.observation_requests(YOUTH_TABLE)
    assert bool(cbs_server.observation_requests("84134NED")) == (kind == "odata4")
    from_3, read_3 = clean_youth_care(cfg, tmp_path / "odata3", monkeypatch)
    from_4, read_4 = clean_youth_care(cfg, tmp_path / "odata4", monkeypatch)
    assert len(from_3) == 48 + 16 and from_3["jongeren"].isna().sum() == 1
    pd.testing.assert_frame_equal(from_4, from_3)
    pd.testing.assert_frame_equal(read_4, read_3)  # every topic, the forms' workbook names, keys and periods


def test_odata4_files_have_the_odata3_layout_with_the_tables_own_measure_codes(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=on_service(cfg, "odata4"))
    path = out / YOUTH_DATA

    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == '"ID";"VormenVanJeugdzorg";"RegioS";"Perioden";' + ";".join(f'"{m}"' for m in TOPICS4)
    meta = raw.read_sidecar(path)
    assert meta["sleutels"]["onderwerpen"] == dict(zip(["jongeren", "jongeren_relatief", "trajecten"], TOPICS4, strict=True))
    assert meta["sleutels"]["VormenVanJeugdzorg"]["A045561"] == "JZ Totaal jeugdzorg"
    assert meta["rijen"] == 48
    assert {r["RegioS"] for r in csv_rows(path)} == {"NL01", "JZ24", "GM0503", "GM0518"}  # OData 4 codes carry no padding
    assert [r["Key"] for r in csv_rows(dimension_path(path, "Perioden"))] == ["2022JJ00", "2023JJ00", "2024JJ00"]


def test_suppressed_cells_absent_or_marked_and_provisional_years_come_through(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=on_service(cfg, "odata4"))
    rows = {(r["VormenVanJeugdzorg"], r["RegioS"], r["Perioden"]): r for r in csv_rows(out / YOUTH_DATA)}

    observations = [json.loads(line.rstrip(",")) for page in FIXTURES4.glob(f"{YOUTH_TABLE}/Observations*.json")
                    for line in page.read_text(encoding="utf-8").splitlines() if line.startswith('{"Id"')]
    marked = [o for o in observations if o["ValueAttribute"] != "None"]
    assert marked and all(o["Value"] is None for o in marked)
    assert [rows[("A027919", "GM0503", "2024JJ00")][m] for m in TOPICS4] == [MISSING] * 3  # ValueAttribute Confidential
    partly = rows[("A027918", "GM0503", "2024JJ00")]  # its trajecten observation is absent
    assert [partly[m] for m in TOPICS4] == ["265".rjust(9), "0.9".rjust(9), MISSING]
    meta = raw.read_sidecar(out / YOUTH_DATA)
    assert meta["perioden_status"] == {"2022": "Definitief", "2023": "Nader voorlopig", "2024": "Voorlopig"}
    assert {r["Key"]: r["Status"] for r in csv_rows(dimension_path(out / YOUTH_DATA, "Perioden"))}["2024JJ00"] == "Voorlopig"


def test_observations_are_asked_with_an_odata4_filter_and_read_page_by_page(cbs_server, tmp_path, cfg):
    fetch.fetch(["cbs_jeugdzorg"], years=[2023], regions=["GM0518"], out_dir=tmp_path / "raw",
                cfg=on_service(cfg, "odata4"))

    first, *further = cbs_server.observation_requests(YOUTH_TABLE)
    forms = {r["Title"]: r["Identifier"] for r in json.loads(
        (FIXTURES4 / YOUTH_TABLE / "VormenVanJeugdzorgCodes.json").read_text(encoding="utf-8"))["value"]}
    wanted = " or ".join(f"VormenVanJeugdzorg eq '{forms[t]}'" for t in cfg.sources["cbs_jeugdzorg"]["vormen"])
    measures = " or ".join(f"Measure eq '{m}'" for m in TOPICS4)
    assert first["$filter"] == [f"(Perioden eq '2023JJ00') and ({wanted}) and (RegioS eq 'GM0518') and ({measures})"]
    assert further == [{"$skip": ["100"]}]  # the next page as @odata.nextLink gives it
    assert cbs_server.data_requests(YOUTH_TABLE) == []  # OData 3 was not asked


def clean_population(cfg: config.Config, raw_dir, monkeypatch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cleaning stage's population table from the raw files in `raw_dir`, and the raw rows as it
    read them (the totals, the topic under its workbook name), both in one fixed order."""
    monkeypatch.setattr(paths, "RAW_DIR", raw_dir)
    # the fixtures hold the ages 0-2, not every age config/kpis.yaml sums: only that check is left out
    monkeypatch.setattr(cbs, "_check_ages_for_kpis", lambda *args: None)
    files: list[rawdata.RawFile] = []
    table = cbs.load_population(cfg, files, [])
    [read] = [f.frame for f in files]
    read = read.drop(columns=["ID", "Geslacht", "BurgerlijkeStaat"], errors="ignore").assign(RegioS=read["RegioS"].str.strip())
    return (table.sort_values(["gebied_code", "jaar", "leeftijd"]).reset_index(drop=True),
            read.sort_values(["RegioS", "Perioden", "Leeftijd"]).reset_index(drop=True))


def recode(root, table: str, dimension: str, codes: dict[str, str]) -> None:
    """Give members of a dimension other codes in the recorded OData 4 answers of `table` (code list
    and observations), as a service may code them otherwise than the other one does."""
    for path in [root / table / f"{dimension}Codes.json", *(root / table).glob("Observations*.json")]:
        text = path.read_text(encoding="utf-8")
        for old, new in codes.items():
            text = text.replace(f'"Identifier": "{old}"', f'"Identifier": "{new}"').replace(
                f'"{dimension}": "{old}"', f'"{dimension}": "{new}"')
        path.write_text(text, encoding="utf-8")


def test_both_services_give_the_same_clean_population_table(cbs_server, tmp_path, cfg, monkeypatch):
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "odata3", cfg=cfg)
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "odata4",
                cfg=with_source(cfg, "cbs_bevolking", dienst="odata4"))

    assert cbs_server.observation_requests(POPULATION) and cbs_server.data_requests(POPULATION)
    from_3, read_3 = clean_population(cfg, tmp_path / "odata3", monkeypatch)
    from_4, read_4 = clean_population(cfg, tmp_path / "odata4", monkeypatch)
    assert len(from_3) == 3 * 3 * 4 and set(from_3["leeftijd"].dropna()) == {0, 1, 2}  # 3 areas, 3 years, total + 3 ages
    pd.testing.assert_frame_equal(from_4, from_3)
    pd.testing.assert_frame_equal(read_4, read_3)


def test_the_population_topic_and_totals_are_found_by_title_in_each_services_own_lists(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=with_source(cfg, "cbs_bevolking", dienst="odata4"))
    path = out / POPULATION_DATA

    assert path.read_text(encoding="utf-8").splitlines()[0] == \
        '"ID";"Geslacht";"Leeftijd";"BurgerlijkeStaat";"RegioS";"Perioden";"M000352"'
    meta = raw.read_sidecar(path)
    assert meta["dienst"] == "OData 4" and meta["sleutels"] == {
        "onderwerpen": {"inwoners": "M000352"}, "onderwerptitels": {"inwoners": "Bevolking op 1 januari"},
        "Geslacht": {"T001038": "Totaal mannen en vrouwen"}, "BurgerlijkeStaat": {"T001019": "Totaal burgerlijke staat"},
        "Leeftijd": {"10000": "Totaal"}}
    [first, *_] = cbs_server.observation_requests(POPULATION)
    asked = first["$filter"][0]
    assert "(Geslacht eq 'T001038')" in asked and "(BurgerlijkeStaat eq 'T001019')" in asked
    assert "(Leeftijd eq '10000' or Leeftijd eq '10010' or Leeftijd eq '10110' or Leeftijd eq '10210')" in asked
    assert asked.endswith("(Measure eq 'M000352')")  # not M000365, Gemiddelde bevolking


def test_totals_coded_otherwise_on_odata4_give_the_same_clean_population_table(cbs_server, tmp_path, cfg, monkeypatch):
    cbs_server.root4 = tmp_path / "odata4-answers"
    shutil.copytree(FIXTURES4, cbs_server.root4)
    recode(cbs_server.root4, POPULATION, "Geslacht", {"T001038": "T009001"})
    recode(cbs_server.root4, POPULATION, "Leeftijd", {"10000": "T009002"})
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "odata3", cfg=cfg)
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "odata4",
                cfg=with_source(cfg, "cbs_bevolking", dienst="odata4"))

    meta = raw.read_sidecar(tmp_path / "odata4" / POPULATION_DATA)
    assert meta["sleutels"]["Geslacht"] == {"T009001": "Totaal mannen en vrouwen"}
    assert meta["sleutels"]["Leeftijd"] == {"T009002": "Totaal"}
    from_3, _ = clean_population(cfg, tmp_path / "odata3", monkeypatch)
    from_4, read_4 = clean_population(cfg, tmp_path / "odata4", monkeypatch)
    assert "T009002" in set(read_4["Leeftijd"])
    pd.testing.assert_frame_equal(from_4, from_3)


def test_a_population_file_without_its_recorded_topic_column_stops_the_cleaning(cbs_server, tmp_path, cfg, monkeypatch):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)
    meta = raw.read_sidecar(out / POPULATION_DATA)
    raw.write_sidecar(out / POPULATION_DATA, {k: v for k, v in meta.items() if k not in ("sleutels", "sha256")})

    with pytest.raises(raw.RawDataError, match=r"sleutels.onderwerpen.*make fetch"):
        clean_population(cfg, out, monkeypatch)


def test_the_odata4_address_comes_from_the_environment():
    assert odata4.service4_from_environment({}).base_url == fetch.DEFAULT_URL4 == "https://datasets.cbs.nl/odata/v1/CBS"
    mirror = odata4.service4_from_environment({fetch.ENV_URL4: "https://mirror.example.org/cbs4/odata/v1/CBS/"})
    assert mirror.base_url == "https://mirror.example.org/cbs4/odata/v1/CBS"
    assert mirror.version_path == "/cbs4/odata/v1/CBS" and mirror.table_url("85099NED").endswith("/CBS/85099NED")
    for bad in ("datasets.cbs.nl/odata/v1/CBS", "ftp://datasets.cbs.nl", "https://datasets.cbs.nl/odata/v1/CBS?x=1"):
        with pytest.raises(fetch.FetchError, match=fetch.ENV_URL4):
            odata4.service4_from_environment({fetch.ENV_URL4: bad})


def test_observations_with_a_code_outside_the_code_lists_stop_the_fetch():
    codes = {"RegioS": [{"Key": "GM0518"}], "Perioden": [{"Key": "2023JJ00"}]}
    good = {"Id": 0, "Measure": "M1", "RegioS": "GM0518", "Perioden": "2023JJ00", "Value": 5, "ValueAttribute": "None"}
    marked = {**good, "Measure": "M2", "Value": 7, "ValueAttribute": "Confidential"}  # a value with a mark is no figure
    rows = odata4.wide_rows("T", "u", [good, marked], ["RegioS", "Perioden"], ["RegioS", "Perioden"], ["M1", "M2"], codes)
    assert rows == [{"ID": 0, "RegioS": "GM0518", "Perioden": "2023JJ00", "M1": 5, "M2": None}]
    with pytest.raises(fetch.FetchError, match=r"RegioS='GM9999'.*codelijsten"):
        odata4.wide_rows("T", "u", [{**good, "RegioS": "GM9999"}], ["RegioS", "Perioden"], ["RegioS", "Perioden"],
                         ["M1"], codes)


def test_a_table_asked_in_several_region_groups_reads_each_code_list_once(cbs_server, tmp_path, cfg):
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw", cfg=on_service(cfg, "odata4"))

    first_pages = [q for q in cbs_server.observation_requests(YOUTH_TABLE) if "$skip" not in q]
    assert len(first_pages) > 1  # every code of config/gemeenten.yaml: more than one group of regions
    asked = [path for path, _ in cbs_server.requests]
    assert asked.count(f"{ODATA4}{YOUTH_TABLE}/RegioSCodes") == 1
    assert asked.count(f"{ODATA4}{YOUTH_TABLE}/Properties") == len(first_pages)  # Modified checked per group


def test_the_recorded_odata4_answers_are_those_built_from_the_odata3_answers(tmp_path):
    from tests.fixtures.odata4 import build

    for table, prefix in build.TABLES.items():
        build.build(table, prefix, tmp_path)
        made = {p.name: p.read_bytes() for p in (tmp_path / table).iterdir()}
        assert made == {p.name: p.read_bytes() for p in (FIXTURES4 / table).iterdir()}, table
