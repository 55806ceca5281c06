"""Tests for jeugdmonitor.fetch.service: calls to a CBS service fail at once and name the table and
address when the service is unreachable or answers with something that is not OData."""

from __future__ import annotations

import shutil

import cbsodata
import pytest

from jeugdmonitor import fetch

from .helpers import (
    SAMPLE_RAW,
    YEARS,
    closed_port,
    snapshot,
    with_source,
)


# ---------------------------------------------------------------------------- failures
def test_unreachable_address_fails_at_once_and_leaves_the_target_alone(tmp_path, monkeypatch, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    port = closed_port()
    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{port}")

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=YEARS, out_dir=out, cfg=cfg)

    message = str(error.value)
    assert f"http://127.0.0.1:{port}/ODataFeed/odata/84134NED/" in message
    assert "84134NED" in message and "geen verbinding" in message
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]  # no temporary folder left behind
    assert cbsodata.options.use_https is True  # the module option is restored


def test_an_answer_that_is_not_odata_names_the_table_and_url(cbs_server, tmp_path, cfg):
    portal = with_source(cfg, "cbs_jeugdzorg", tabel="captive-portal")
    with pytest.raises(fetch.FetchError, match=r"captive-portal.*/ODataFeed/odata/captive-portal/ is geen OData-antwoord"):
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw", cfg=portal)
    assert not (tmp_path / "raw").exists()
