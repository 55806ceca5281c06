"""Tests for jeugdmonitor.fetch.odata: the OData 3 filters built from config/bronnen.yaml, keys
resolved by title, and requests kept short."""

from __future__ import annotations

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch import odata
from jeugdmonitor.sources import raw

from .helpers import (
    FEED,
    YEARS,
    YOUTH_DATA,
    YOUTH_TABLE,
    csv_rows,
    patch_fixture,
    with_source,
)


def test_ophalen_filters_from_config(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    youth = with_source(cfg, "cbs_jeugdzorg", vormen={"JH 1 Totaal jeugdhulp": "jeugdhulp",
                                                      "JB 1 Totaal jeugdbescherming": "jeugdbescherming"})
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=youth)
    assert {r["VormenVanJeugdzorg"] for r in csv_rows(out / YOUTH_DATA)} == {"A045560", "A027919"}

    population = with_source(cfg, "cbs_bevolking", ophalen={**cfg.sources["cbs_bevolking"]["ophalen"],
                                                            "filters": {"Leeftijd": ["10210"]}})
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=population)
    sent = cbs_server.data_requests("03759ned")[0]["$filter"][0]
    # the totals config/bronnen.yaml names by title ("Totaal mannen en vrouwen"), as this table's keys
    assert "Geslacht eq 'T001038'" in sent and "BurgerlijkeStaat eq 'T001019'" in sent
    assert "(Leeftijd eq '10000' or Leeftijd eq '10210' or Leeftijd eq '10010' or Leeftijd eq '10110')" in sent
    assert raw.read_sidecar(out / "cbs/03759ned_TypedDataSet.csv")["sleutels"] == {
        "onderwerpen": {"inwoners": "BevolkingOp1Januari_1"}, "onderwerptitels": {"inwoners": "Bevolking op 1 januari"},
        "Geslacht": {"T001038": "Totaal mannen en vrouwen"}, "BurgerlijkeStaat": {"T001019": "Totaal burgerlijke staat"},
        "Leeftijd": {"10000": "Totaal"}}


def test_single_years_of_age_are_chosen_by_title_not_key(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)

    sent = cbs_server.data_requests("03759ned")[0]["$filter"][0]
    assert "(Leeftijd eq '10000' or Leeftijd eq '10010' or Leeftijd eq '10110' or Leeftijd eq '10210')" in sent
    assert "70100" not in sent  # "0 tot 5 jaar": a group, which the workbook must not add to single years
    assert any(path == f"{FEED}03759ned/Leeftijd" for path, _ in cbs_server.requests)


def test_a_configured_key_the_table_lacks_stops_the_fetch_with_what_the_table_has(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    spec = cfg.sources["cbs_jeugdzorg"]
    wrong = with_source(cfg, "cbs_jeugdzorg", ophalen={**spec["ophalen"], "filters": {"VormenVanJeugdzorg": ["A045560", "JH0000"]}})

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=wrong)

    message = str(error.value)
    assert f"{cbs_server.base_url}{FEED}{YOUTH_TABLE}/VormenVanJeugdzorg" in message
    assert "['JH0000']" in message and "'A027918' 'JH 122 Totaal jeugdhulp met verblijf'" in message
    assert cbs_server.data_requests(YOUTH_TABLE) == []  # nothing downloaded on a wrong configuration
    assert not out.exists()


def test_op_titel_names_a_mapping_of_titles_or_one_title(cfg):
    population = cfg.sources["cbs_bevolking"]
    assert odata.titled_entries(population, "cbs_bevolking") == {
        "Geslacht": "totaal_geslacht", "BurgerlijkeStaat": "totaal_burgerlijke_staat", "Leeftijd": "totaal_leeftijd"}
    for empty in ("", " ", {}, None):
        with pytest.raises(config.ConfigError, match=r"cbs_bevolking.ophalen.op_titel.Geslacht .*geen titel"):
            odata.titled_entries({**population, "totaal_geslacht": empty}, "cbs_bevolking")


def test_a_population_total_whose_title_the_table_lacks_stops_the_fetch(cbs_server, tmp_path, cfg):
    wrong = with_source(cfg, "cbs_bevolking", totaal_geslacht="Mannen en vrouwen")

    with pytest.raises(cbs_titles.TitleMatchError, match=r"03759ned/Geslacht.*'Mannen en vrouwen' komt niet voor.*'T001038'"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=wrong)
    assert cbs_server.data_requests("03759ned") == []


def test_a_title_pattern_that_matches_nothing_stops_the_fetch(cbs_server, tmp_path, cfg):
    spec = cfg.sources["cbs_bevolking"]
    wrong = with_source(cfg, "cbs_bevolking", ophalen={**spec["ophalen"], "titels": {"Leeftijd": "^(\\d+) years$"}})

    with pytest.raises(fetch.FetchError, match=r"geen titel in .*03759ned/Leeftijd past bij .*'10010' '0 jaar'"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=wrong)

    broken = with_source(cfg, "cbs_bevolking", ophalen={**spec["ophalen"], "titels": {"Leeftijd": "(("}})
    with pytest.raises(config.ConfigError, match="ophalen.titels.Leeftijd"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=broken)


def test_regions_are_grouped_so_that_every_request_stays_short():
    clauses = ["(" + " or ".join(f"Perioden eq '{y}JJ00'" for y in range(2015, 2025)) + ")",
               "(" + " or ".join(f"Leeftijd eq '1{age:02d}10'" for age in range(23)) + ")"]
    regions = [f"GM{number:04d}" for number in range(1, 61)]

    chunks = odata.region_chunks("03759ned", clauses, "RegioS", regions)

    assert [code for chunk in chunks for code in chunk] == regions
    assert len(chunks) > len(regions) / fetch.REGIONS_PER_REQUEST  # the length, not the count, decided
    assert all(odata.encoded_length(odata.build_filter(clauses, "RegioS", chunk)) <= fetch.MAX_FILTER_CHARS
               for chunk in chunks)
    with pytest.raises(fetch.FetchError, match="minder jaren"):
        odata.region_chunks("03759ned", ["x" * fetch.MAX_FILTER_CHARS], "RegioS", regions)


@pytest.mark.parametrize(("change", "message"), [
    (lambda values: values[0].update(Title="JZ Jeugdzorg totaal"),
     r"titel 'JZ Totaal jeugdzorg' komt niet voor.*Wel in de lijst: 'A045561' 'JZ Jeugdzorg totaal', 'A045560' 'JH 1 Totaal"),
    (lambda values: values.append({**values[0], "Key": "A099999"}),
     r"titel 'JZ Totaal jeugdzorg' past bij 2 sleutels: 'A045561' 'JZ Totaal jeugdzorg', 'A099999' 'JZ Totaal jeugdzorg'"),
])
def test_a_title_with_no_key_or_several_stops_the_fetch_listing_the_candidates(cbs_server, tmp_path, cfg, capsys,
                                                                               change, message):
    patch_fixture(cbs_server, tmp_path, YOUTH_TABLE, "VormenVanJeugdzorg", change)
    out = tmp_path / "raw"

    with pytest.raises(cbs_titles.TitleMatchError, match=rf"CBS-tabel {YOUTH_TABLE} .*/VormenVanJeugdzorg\): {message}") as error:
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)
    assert error.value.exit_code == 2
    assert cbs_server.data_requests(YOUTH_TABLE) == [] and not out.exists()
    assert fetch.main(["--jaren", "2023", "--tabel", "cbs_jeugdzorg", "--out", str(out)]) == 2
    assert "FOUT" in capsys.readouterr().err and not out.exists()
