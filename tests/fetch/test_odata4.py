"""Tests for reading StatLine tables from CBS's OData 4 service and falling back between the
services: the local server of tests/fetch/conftest.py serves the recorded OData 4 answers of
tests/fixtures/odata4 (84134NED and 85099NED, built from the OData 3 answers with
tests/fixtures/odata4/build.py, so both hold the same figures)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from jeugdmonitor import fetch, paths
from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch import odata4, services
from jeugdmonitor.sources import cbs, raw, rawdata

from .helpers import (
    FEED,
    FIXTURES,
    FIXTURES4,
    MISSING,
    ODATA4,
    SAMPLE_RAW,
    YEARS,
    YOUTH_DATA,
    YOUTH_TABLE,
    closed_port,
    csv_rows,
    dimension_path,
    snapshot,
    with_source,
)

SERIES_YEARS = [2020, 2021, 2022, 2023, 2024]  # 2020 from 84134NED, 2022-2024 from 85099NED
TOPICS4 = ["M004501", "M004502", "M004503"]  # 85099NED's measure codes of the three configured titles


def on_service(cfg: config.Config, kind: str, successor: str | None = None) -> config.Config:
    """cfg with cbs_jeugdzorg read from `kind` first (and its successor from `successor`, if given)."""
    changed = with_source(cfg, "cbs_jeugdzorg", dienst=kind)
    if successor:
        changed.sources["cbs_jeugdzorg"]["opvolgers"] = [{**changed.sources["cbs_jeugdzorg"]["opvolgers"][0],
                                                          "dienst": successor}]
    return changed


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


# ---------------------------------------------------------------------------- the population table (03759ned)
POPULATION = "03759ned"
POPULATION_DATA = f"cbs/{POPULATION}_TypedDataSet.csv"


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


def test_the_population_table_odata3_lacks_is_read_from_odata4(cbs_server, tmp_path, cfg):
    cbs_server.root = tmp_path / "odata3"  # OData 3 without 03759ned: HTTP 404
    shutil.copytree(FIXTURES, cbs_server.root, ignore=shutil.ignore_patterns(POPULATION))
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)  # the shipped choice: OData 3, then OData 4

    meta = raw.read_sidecar(out / POPULATION_DATA)
    assert meta["dienst"] == "OData 4" and "HTTP 404" in meta["teruggevallen_van"][0]
    assert meta["sleutels"]["onderwerpen"] == {"inwoners": "M000352"}


def test_a_population_file_without_its_recorded_topic_column_stops_the_cleaning(cbs_server, tmp_path, cfg, monkeypatch):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)
    meta = raw.read_sidecar(out / POPULATION_DATA)
    raw.write_sidecar(out / POPULATION_DATA, {k: v for k, v in meta.items() if k not in ("sleutels", "sha256")})

    with pytest.raises(raw.RawDataError, match=r"sleutels.onderwerpen.*make fetch"):
        clean_population(cfg, out, monkeypatch)


# ---------------------------------------------------------------------------- provenance
def test_sidecars_record_the_service_its_version_path_and_the_url(cbs_server, tmp_path, cfg):
    out3, out4 = tmp_path / "odata3", tmp_path / "odata4"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out3, cfg=cfg)
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out4, cfg=on_service(cfg, "odata4"))
    base4 = f"{cbs_server.base_url}{ODATA4.rstrip('/')}"

    meta3, meta4 = raw.read_sidecar(out3 / YOUTH_DATA), raw.read_sidecar(out4 / YOUTH_DATA)
    assert (meta3["dienst"], meta3["dienst_versiepad"], meta3["dienst_adres"]) == ("OData 3", f"/{FEED.strip('/')}",
                                                                                 cbs_server.base_url)
    assert (meta4["dienst"], meta4["dienst_versiepad"], meta4["dienst_adres"]) == ("OData 4", "/odata/v1/CBS", base4)
    assert meta4["url"] == f"{base4}/{YOUTH_TABLE}/Observations"
    assert meta4["bron"] == f"CBS StatLine, tabel {YOUTH_TABLE} (Observations)"
    assert meta4["laatst_gewijzigd"] == meta3["laatst_gewijzigd"] and meta4["titel"] == meta3["titel"]
    assert "teruggevallen_van" not in meta4
    regions = raw.read_sidecar(dimension_path(out4 / YOUTH_DATA, "RegioS"))
    assert regions["url"] == f"{base4}/{YOUTH_TABLE}/RegioSCodes" and regions["dienst"] == "OData 4"


# ---------------------------------------------------------------------------- fallback
def test_an_unreachable_odata4_falls_back_to_odata3_and_says_so(cbs_server, tmp_path, cfg, monkeypatch):
    port = closed_port()
    monkeypatch.setenv(fetch.ENV_URL4, f"http://127.0.0.1:{port}/odata/v1/CBS")
    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=on_service(cfg, "odata4"))

    meta = raw.read_sidecar(out / YOUTH_DATA)
    assert meta["dienst"] == "OData 3" and meta["url"] == f"{cbs_server.base_url}{FEED}{YOUTH_TABLE}/TypedDataSet"
    [failure] = meta["teruggevallen_van"]
    assert failure.startswith(f"OData 4 (http://127.0.0.1:{port}/odata/v1/CBS)") and "geen verbinding" in failure
    assert "opgehaald van OData 3" in fetched[-1].notes[0] and "OData 4" in fetched[-1].notes[0]
    assert cbs_server.data_requests(YOUTH_TABLE)


def test_a_table_odata3_lacks_is_read_from_odata4(cbs_server, tmp_path, cfg):
    cbs_server.root = tmp_path / "odata3"  # OData 3 without the successor table: HTTP 404
    shutil.copytree(FIXTURES, cbs_server.root, ignore=shutil.ignore_patterns(YOUTH_TABLE))
    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=SERIES_YEARS, out_dir=out, cfg=cfg)

    assert [(f.table, f.years) for f in fetched] == [("84134NED", [2020]), (YOUTH_TABLE, [2022, 2023, 2024])]
    older, newer = (raw.read_sidecar(out / f"cbs/{t}_TypedDataSet.csv") for t in ("84134NED", YOUTH_TABLE))
    assert older["dienst"] == "OData 3" and newer["dienst"] == "OData 4"
    assert "HTTP 404" in newer["teruggevallen_van"][0] and f"{FEED}{YOUTH_TABLE}/" in newer["teruggevallen_van"][0]


def test_when_no_service_serves_a_table_the_raw_files_stay_and_the_message_says_what_next(tmp_path, monkeypatch, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    port3, port4 = closed_port(), closed_port()
    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{port3}")
    monkeypatch.setenv(fetch.ENV_URL4, f"http://127.0.0.1:{port4}/odata/v1/CBS")

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=on_service(cfg, "odata4"))

    message = str(error.value)
    assert f"OData 4 (http://127.0.0.1:{port4}/odata/v1/CBS)" in message
    assert f"OData 3 (http://127.0.0.1:{port3})" in message and "geen verbinding" in message
    assert "Een volgende poging probeert weer OData 4, dan OData 3" in message
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]


def test_without_fallback_only_the_chosen_service_is_asked(cbs_server, tmp_path, cfg, monkeypatch):
    monkeypatch.setenv(fetch.ENV_URL4, f"http://127.0.0.1:{closed_port()}/odata/v1/CBS")
    alone = on_service(cfg, "odata4")
    alone.sources["cbs_diensten"] = {"standaard": "odata3", "terugvallen": False}

    with pytest.raises(fetch.FetchError, match=r"probeert weer OData 4 \(") as error:
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw", cfg=alone)
    assert "OData 3" not in str(error.value).split(" | Een volgende")[0]
    assert cbs_server.requests == []


def test_an_error_in_the_table_itself_does_not_fall_back(cbs_server, tmp_path, cfg):
    topics = {**cfg.sources["cbs_jeugdzorg"]["onderwerpen"], "bestaat_niet": "Bestaat niet"}
    changed = on_service(cfg, "odata4")
    changed.sources["cbs_jeugdzorg"]["onderwerpen"] = topics
    with pytest.raises(cbs_titles.TitleMatchError, match=rf"{YOUTH_TABLE} .*{ODATA4}{YOUTH_TABLE}/MeasureCodes.*'Bestaat niet'"):
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw", cfg=changed)
    assert cbs_server.data_requests(YOUTH_TABLE) == [] and cbs_server.observation_requests(YOUTH_TABLE) == []


# ---------------------------------------------------------------------------- configuration and address
def test_the_service_choice_is_checked(cfg):
    spec = cfg.sources["cbs_jeugdzorg"]
    assert services.preferred(cfg.sources, spec, "cbs_jeugdzorg") == "odata3"  # the shipped default
    assert [s.name for s in services.candidates(cfg.sources, spec, "cbs_jeugdzorg")] == ["OData 3", "OData 4"]
    # the population table names its topic and totals by title: read from either service, like the youth-care tables
    population = cfg.sources["cbs_bevolking"]
    assert "dienst" not in population
    assert [s.name for s in services.candidates(cfg.sources, population, "cbs_bevolking")] == ["OData 3", "OData 4"]
    # a source whose topics are named by OData 3 key is never read from OData 4
    by_key = {name: value for name, value in population.items() if name != "ophalen"}
    assert [s.name for s in services.candidates(cfg.sources, by_key, "cbs_bevolking")] == ["OData 3"]
    with pytest.raises(config.ConfigError, match=r"cbs_bevolking .*OData 3-sleutel.*dienst: odata3"):
        services.candidates(cfg.sources, {**by_key, "dienst": "odata4"}, "cbs_bevolking")
    with pytest.raises(config.ConfigError, match=r"dienst 'odata5'"):
        services.candidates(cfg.sources, {**spec, "dienst": "odata5"}, "cbs_jeugdzorg")
    with pytest.raises(config.ConfigError, match=r"cbs_diensten"):
        services.candidates({**cfg.sources, "cbs_diensten": {"standaard": "v4"}}, spec, "cbs_jeugdzorg")
    parts = config.table_parts("cbs_jeugdzorg", on_service(cfg, "odata3", "odata4").sources["cbs_jeugdzorg"])
    assert [p.spec["dienst"] for p in parts] == ["odata3", "odata4"]  # a successor may choose its own service


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


def test_a_table_odata4_lacks_is_read_from_odata3(cbs_server, tmp_path, cfg):
    cbs_server.root4 = tmp_path / "odata4"  # OData 4 without the successor table: HTTP 404
    shutil.copytree(FIXTURES4, cbs_server.root4, ignore=shutil.ignore_patterns(YOUTH_TABLE))
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=SERIES_YEARS, out_dir=out, cfg=on_service(cfg, "odata4"))

    older, newer = (raw.read_sidecar(out / f"cbs/{t}_TypedDataSet.csv") for t in ("84134NED", YOUTH_TABLE))
    assert older["dienst"] == "OData 4" and "teruggevallen_van" not in older
    assert newer["dienst"] == "OData 3" and "HTTP 404" in newer["teruggevallen_van"][0]
    assert f"{ODATA4}{YOUTH_TABLE}/PeriodenCodes" in newer["teruggevallen_van"][0]
