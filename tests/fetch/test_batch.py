"""Tests for jeugdmonitor.fetch.batch: which sources a fetch takes, and that it publishes all of
them together or nothing."""

from __future__ import annotations

import shutil

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw

from .helpers import (
    FEED,
    IV3_TABLE,
    SAMPLE_RAW,
    YEARS,
    YOUTH_TABLE,
    snapshot,
    with_source,
)


def test_default_fetch_publishes_all_four_sources_together(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(years=[2023], out_dir=out, cfg=cfg)

    # the table by age: 2023 is in its successor 85100NED (84135NED holds 2015-2020)
    assert [(f.key, f.table) for f in fetched] == [("cbs_jeugdzorg", YOUTH_TABLE), ("cbs_jeugdzorg_leeftijd", "85100NED"),
                                                   ("cbs_bevolking", "03759ned"), ("cbs_iv3", IV3_TABLE)]
    assert all((out / path).is_file() and raw.verify(out / path) for f in fetched for path in f.files)


def test_a_failing_iv3_table_publishes_nothing(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=[2023, 2024], out_dir=out, cfg=cfg)  # 2024's table 45067NED is not served

    assert f"{cbs_server.base_url}{FEED}45067NED/" in str(error.value) and "HTTP 404" in str(error.value)
    assert cbs_server.data_requests(YOUTH_TABLE) and cbs_server.data_requests(IV3_TABLE)  # fetched, not published
    assert not out.exists() or not any(out.rglob("*"))
    assert [p.name for p in tmp_path.iterdir() if p.name != "raw"] == []


def test_a_failing_table_publishes_nothing(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    broken = with_source(cfg, "cbs_bevolking", tabel="00000AAA")

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=YEARS, out_dir=out, cfg=broken)

    assert f"{cbs_server.base_url}{FEED}00000AAA/" in str(error.value)
    assert "HTTP 404" in str(error.value)
    assert any(path.endswith(f"/{YOUTH_TABLE}/TypedDataSet") for path, _ in cbs_server.requests)  # fetched, not published
    assert not out.exists() or not any(out.rglob("*"))
    assert [p.name for p in tmp_path.iterdir() if p.name != "raw"] == []


def test_a_source_marked_not_fetchable_is_refused_with_its_reason(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    assert fetch.fetchable(cfg) == fetch.SOURCES  # cbs_iv3 is fetched too now
    closed = with_source(cfg, "cbs_iv3", ophalen={"beschikbaar": False, "reden": "tijdelijk niet ophalen"})

    assert fetch.fetchable(closed) == ("cbs_jeugdzorg", "cbs_jeugdzorg_leeftijd", "cbs_bevolking")
    with pytest.raises(config.ConfigError, match=r"cbs_iv3 kan niet worden opgehaald .*tijdelijk niet ophalen"):
        fetch.fetch(["cbs_jeugdzorg", "cbs_iv3"], years=[2023], out_dir=out, cfg=closed)

    assert cbs_server.requests == []  # refused before any request
    assert snapshot(out) == before


def test_a_year_in_no_table_of_the_series_is_said_so(cbs_server, tmp_path, cfg):
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=[2014, 2023], out_dir=tmp_path / "raw", cfg=cfg)
    assert [(f.table, f.years) for f in fetched] == [(YOUTH_TABLE, [2023])]
    assert fetched[-1].notes == [f"jaren [2014] staan in geen tabel van de reeks (84134NED, {YOUTH_TABLE}); ze zijn niet opgehaald"]
    with pytest.raises(fetch.FetchError, match=rf"geen van de jaren 2010-2011 staat in een tabel van de reeks \(84134NED, {YOUTH_TABLE}"):
        fetch.fetch(["cbs_jeugdzorg"], years=[2010, 2011], out_dir=tmp_path / "raw", cfg=cfg)
