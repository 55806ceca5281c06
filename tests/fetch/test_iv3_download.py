"""Tests for jeugdmonitor.fetch.iv3_download: the Iv3 tables of dataderden.cbs.nl, one table per
year, the jaarrekening of the configured taakvelden for every municipality."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw

from .helpers import (
    FEED,
    IV3_DATA,
    IV3_TABLE,
    MISSING,
    SAMPLE_RAW,
    csv_rows,
    dimension_path,
    patch_fixture,
    snapshot,
    table_info,
    with_source,
)

IV3_HEADER = '"ID";"TaakveldBalanspost";"Categorie";"Gemeenten";"Verslagsoort";"k_1ePlaatsing_1";"k_2ePlaatsing_2"'
# ---------------------------------------------------------------------------- Iv3: one table per year
IV3_KEPT_IDS = [81, 83, 93, 129, 131, 173, 181, 201, 203, 257, 259, 261]  # jaarrekening lasten, configured taakvelden


def iv3_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_iv3_writes_the_table_files_in_the_shape_of_the_source(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_iv3"], years=[2023], out_dir=out, cfg=cfg)
    data = out / IV3_DATA

    names = ["TypedDataSet", "TaakveldBalanspost", "Categorie", "Gemeenten", "Verslagsoort"]
    assert item.files == [IV3_DATA.with_name(f"{IV3_TABLE}_{n}.csv") for n in names]
    assert iv3_files(out) == sorted(f"cbs/iv3/{IV3_TABLE}_{n}.csv{s}" for n in names for s in ("", ".meta.json"))
    lines = data.read_text(encoding="utf-8").splitlines()
    assert lines[0] == IV3_HEADER
    assert all(re.fullmatch(r'"[^"]*"(;"[^"]*"){6}', line) for line in lines)
    assert lines[1] == '"81";"6.71  ";"L1.1    ";"GM0503   ";"2023X005";"      652";"      661"'

    rows = csv_rows(data)
    assert [int(r["ID"]) for r in rows] == IV3_KEPT_IDS  # both pages, CBS order
    assert any("$skiptoken" in query for query in cbs_server.data_requests(IV3_TABLE))
    assert {r["Verslagsoort"] for r in rows} == {"2023X005"}  # no begroting
    assert {r["Categorie"] for r in rows} == {"L1.1    ", "L3.4    ", "L4.3    "}  # lasten only, padded
    assert {r["TaakveldBalanspost"] for r in rows} == {"6.71  ", "6.72  ", "6.72a ", "6.81  ", "6.82  "}  # not 0.1, 6.6
    assert {r["Gemeenten"] for r in rows} == {"GM0503   ", "GM0518   ", "GM0637   "}
    by_key = {(r["TaakveldBalanspost"].strip(), r["Gemeenten"].strip()): r for r in rows if r["Categorie"].startswith("L3.4")}
    assert by_key[("6.72", "GM0503")]["k_1ePlaatsing_1"] == "1208".rjust(9)  # served as 1208.0
    assert by_key[("6.72", "GM0518")]["k_2ePlaatsing_2"] == "-99998".rjust(9)  # geen opgave: kept as the code
    assert by_key[("6.72a", "GM0637")]["k_2ePlaatsing_2"] == MISSING  # null: an empty cell
    assert all(len(r[t]) == raw.CBS_CELL_WIDTH for r in rows for t in ("k_1ePlaatsing_1", "k_2ePlaatsing_2"))

    keys = {n: [r["Key"] for r in csv_rows(dimension_path(data, n))] for n in names[1:]}
    assert keys["TaakveldBalanspost"] == ["6.71  ", "6.72  ", "6.72a ", "6.81  ", "6.82  "]
    assert keys["Categorie"] == ["L1.1    ", "L3.4    ", "L4.3    "]
    assert keys["Verslagsoort"] == ["2023X005"]
    # the whole dimension, also GM1680, which has a begroting only: the national figure sums them all
    assert keys["Gemeenten"] == ["GM0503   ", "GM0518   ", "GM0637   ", "GM1680   "]
    assert dimension_path(data, "Gemeenten").read_text(encoding="utf-8").splitlines()[0] == '"Key";"Title"'

    frame = raw.read_cbs_table(data, list(cfg.sources["cbs_iv3"]["dimensies"].values()),
                               {"k_1ePlaatsing_1": True, "k_2ePlaatsing_2": True}, cfg.sources["ontbrekend_teken"])
    assert len(frame) == item.rows == 12
    assert frame["k_2ePlaatsing_2"].isna().sum() == 5 and (frame["k_2ePlaatsing_2"] == -99998).sum() == 2
    assert (item.years, item.regions, item.requested_regions) == ([2023], ["GM0503", "GM0518", "GM0637"], None)


def test_iv3_asks_for_the_jaarrekening_of_the_configured_taakvelden_for_every_municipality(cbs_server, tmp_path, cfg):
    fetch.fetch(["cbs_iv3"], years=[2023], out_dir=tmp_path / "raw", cfg=cfg)

    [first_page] = [q for q in cbs_server.data_requests(IV3_TABLE) if "$skiptoken" not in q]
    taakvelden = " or ".join(f"TaakveldBalanspost eq '{k}'" for k in ("6.71  ", "6.72  ", "6.72a ", "6.81  ", "6.82  "))
    assert first_page["$filter"] == [f"Verslagsoort eq '2023X005' and ({taakvelden})"]  # no Gemeenten filter
    assert first_page["$select"] == ["ID,TaakveldBalanspost,Categorie,Gemeenten,Verslagsoort,k_1ePlaatsing_1,k_2ePlaatsing_2"]
    paths = [path for path, _ in cbs_server.requests]
    # the table is checked before its data are asked for
    checks = [f"{FEED}{IV3_TABLE}/{part}" for part in ("DataProperties", "TableInfos", "Verslagsoort", "TaakveldBalanspost")]
    assert paths[:4] == checks
    assert all(path.startswith(f"{FEED}{IV3_TABLE}") for path in paths)


def test_iv3_sidecars_hold_the_provenance_and_the_newest_plaatsing(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_iv3"], years=[2023], out_dir=out, cfg=cfg)
    info = table_info(IV3_TABLE)

    for relative in item.files:
        path = out / relative
        meta = raw.verify(path)
        part = path.stem.split("_", 1)[1]
        assert meta["bron"] == (f"CBS Iv3 (dataderden.cbs.nl, onbewerkte Iv3-data), tabel {IV3_TABLE} "
                                + ("(TypedDataSet)" if part == "TypedDataSet" else f"(dimensie {part})"))
        assert meta["tabel"] == IV3_TABLE
        assert meta["titel"] == "Gemeenten 2023 onbewerkte Iv3-data" != info["Title"]  # CBS's trailing space dropped
        assert meta["url"] == f"{cbs_server.base_url}{FEED}{IV3_TABLE}/{part}"
        assert dt.datetime.fromisoformat(meta["opgehaald"]).tzinfo is not None
        assert meta["laatst_gewijzigd"] == info["Modified"]
        assert meta["licentie"] == "CC BY 4.0"
        assert meta["fictief"] is False
        assert meta["jaar"] == 2023
        assert meta["perioden_status"] == {"2023": "Nader voorlopig"}  # 2e plaatsing figures exist
        assert meta["maker"].startswith("jeugdmonitor.fetch (cbsodata ")
    data_meta = raw.read_sidecar(out / IV3_DATA)
    assert data_meta["rijen"] == 12
    assert data_meta["filter"] == [cbs_server.data_requests(IV3_TABLE)[0]["$filter"][0]]
    assert raw.read_sidecar(dimension_path(out / IV3_DATA, "Gemeenten"))["rijen"] == 4


def test_iv3_without_2e_plaatsing_figures_is_voorlopig(cbs_server, tmp_path, cfg):
    def first_plaatsing_only(rows):
        for row in rows:  # -99998 (geen opgave) stays: it is no figure either
            if row["k_2ePlaatsing_2"] != -99998:
                row["k_2ePlaatsing_2"] = None

    patch_fixture(cbs_server, tmp_path, IV3_TABLE, "TypedDataSet", first_plaatsing_only)
    out = tmp_path / "raw"
    fetch.fetch(["cbs_iv3"], years=[2023], out_dir=out, cfg=cfg)

    assert raw.read_sidecar(out / IV3_DATA)["perioden_status"] == {"2023": "Voorlopig"}
    assert {r["k_2ePlaatsing_2"] for r in csv_rows(out / IV3_DATA)} == {MISSING, "-99998".rjust(9)}


def test_iv3_table_of_another_year_stops_the_fetch(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    spec = cfg.sources["cbs_iv3"]
    wrong = with_source(cfg, "cbs_iv3", tabellen={**spec["tabellen"], 2024: IV3_TABLE})  # the 2023 table as 2024's

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=[2023, 2024], out_dir=out, cfg=wrong)

    message = str(error.value)
    assert f"{cbs_server.base_url}{FEED}{IV3_TABLE}/TableInfos" in message
    assert "'Gemeenten 2023 onbewerkte Iv3-data'" in message and "'Gemeenten 2024 onbewerkte Iv3-data'" in message
    assert "cbs_iv3.tabellen" in message
    assert len([q for q in cbs_server.data_requests(IV3_TABLE) if "$skiptoken" not in q]) == 1  # 2023's, not 2024's
    assert snapshot(out) == before  # the StatLine tables and 2023 fetched, nothing published
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]


def test_iv3_without_the_jaarrekening_lists_the_verslagsoorten(cbs_server, tmp_path, cfg):
    patch_fixture(cbs_server, tmp_path, IV3_TABLE, "Verslagsoort", lambda rows: rows.pop())

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(["cbs_iv3"], years=[2023], out_dir=tmp_path / "raw", cfg=cfg)

    message = str(error.value)
    assert f"{cbs_server.base_url}{FEED}{IV3_TABLE}/Verslagsoort heeft geen sleutel '2023X005'" in message
    assert "'2023X000' 'Begroting 2023'" in message and "nog niet gepubliceerd" in message
    assert cbs_server.data_requests(IV3_TABLE) == []
    assert not (tmp_path / "raw").exists()


def test_iv3_taakveld_the_table_lacks_lists_what_it_has(cbs_server, tmp_path, cfg):
    wrong = with_source(cfg, "cbs_iv3", taakvelden=["6.72", "6.7"])  # 6.7 is no prefix of 6.71: no such taakveld

    with pytest.raises(fetch.FetchError, match=r"TaakveldBalanspost heeft geen taakveld \['6.7'\].*'6.72a' "):
        fetch.fetch(["cbs_iv3"], years=[2023], out_dir=tmp_path / "raw", cfg=wrong)
    assert cbs_server.data_requests(IV3_TABLE) == []


def test_iv3_year_after_the_last_configured_table_is_a_configuration_error(cbs_server, tmp_path, cfg, capsys):
    out = tmp_path / "raw"
    last = max(cfg.sources["cbs_iv3"]["tabellen"])

    with pytest.raises(config.ConfigError, match=rf"geen tabel voor {last + 1}.*onder cbs_iv3\.tabellen"):
        fetch.fetch(years=[2023, last + 1], out_dir=out, cfg=cfg)
    assert fetch.main(["--jaren", f"2023-{last + 1}", "--out", str(out)]) == 2

    err = capsys.readouterr().err
    assert f"'Gemeenten {last + 1} onbewerkte Iv3-data'" in err and "cbs_iv3.tabellen" in err
    assert cbs_server.requests == []  # refused before any table is fetched
    assert not out.exists()


def test_iv3_years_before_the_first_table_are_skipped_and_said_so(cbs_server, tmp_path, cfg, capsys):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_iv3"], years=[2015, 2016, 2023], out_dir=out, cfg=cfg)
    assert item.table == IV3_TABLE
    assert item.notes == ["jaren 2015-2016 overgeslagen: cbs_iv3.tabellen in config/bronnen.yaml begint bij 2017"]
    assert fetch.fetch(["cbs_iv3"], years=[2016], out_dir=tmp_path / "other", cfg=cfg) == []
    assert {path.split("/")[3] for path, _ in cbs_server.requests} == {IV3_TABLE}

    assert fetch.main(["--jaren", "2016,2023", "--tabel", "cbs_iv3", "--regio", "GM0518", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "let op: jaren 2016 overgeslagen" in printed
    assert "--regio geldt niet voor Iv3" in printed
    assert len(csv_rows(dimension_path(out / IV3_DATA, "Gemeenten"))) == 4  # --regio did not narrow it
    assert {r["Gemeenten"].strip() for r in csv_rows(out / IV3_DATA)} == {"GM0503", "GM0518", "GM0637"}
