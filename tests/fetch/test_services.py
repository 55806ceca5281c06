"""Tests for jeugdmonitor.fetch.services: which CBS service (OData 3 or OData 4) a table is read
from, the fallback to the other one, and what the sidecars record of it."""

from __future__ import annotations

import shutil

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch import services
from jeugdmonitor.sources import raw

from .helpers import (
    FEED,
    FIXTURES,
    FIXTURES4,
    ODATA4,
    POPULATION,
    POPULATION_DATA,
    SAMPLE_RAW,
    SERIES_YEARS,
    YEARS,
    YOUTH_DATA,
    YOUTH_TABLE,
    closed_port,
    dimension_path,
    on_service,
    snapshot,
)


def test_the_population_table_odata3_lacks_is_read_from_odata4(cbs_server, tmp_path, cfg):
    cbs_server.root = tmp_path / "odata3"  # OData 3 without 03759ned: HTTP 404
    shutil.copytree(FIXTURES, cbs_server.root, ignore=shutil.ignore_patterns(POPULATION))
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)  # the shipped choice: OData 3, then OData 4

    meta = raw.read_sidecar(out / POPULATION_DATA)
    assert meta["dienst"] == "OData 4" and "HTTP 404" in meta["teruggevallen_van"][0]
    assert meta["sleutels"]["onderwerpen"] == {"inwoners": "M000352"}


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


def test_a_table_odata4_lacks_is_read_from_odata3(cbs_server, tmp_path, cfg):
    cbs_server.root4 = tmp_path / "odata4"  # OData 4 without the successor table: HTTP 404
    shutil.copytree(FIXTURES4, cbs_server.root4, ignore=shutil.ignore_patterns(YOUTH_TABLE))
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=SERIES_YEARS, out_dir=out, cfg=on_service(cfg, "odata4"))

    older, newer = (raw.read_sidecar(out / f"cbs/{t}_TypedDataSet.csv") for t in ("84134NED", YOUTH_TABLE))
    assert older["dienst"] == "OData 4" and "teruggevallen_van" not in older
    assert newer["dienst"] == "OData 3" and "HTTP 404" in newer["teruggevallen_van"][0]
    assert f"{ODATA4}{YOUTH_TABLE}/PeriodenCodes" in newer["teruggevallen_van"][0]
