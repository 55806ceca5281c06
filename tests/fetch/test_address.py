"""Tests for jeugdmonitor.fetch.address: the base address of a CBS service, from the environment or
config/bronnen.yaml, and refused when it is no address."""

from __future__ import annotations

import pytest

from jeugdmonitor import fetch


def test_the_address_comes_from_the_environment_or_the_config():
    local = fetch.parse_service("http://127.0.0.1:8123/")
    assert (local.base_url, local.catalog_url, local.use_https) == ("http://127.0.0.1:8123", "127.0.0.1:8123", False)
    mirror = fetch.parse_service("https://cbs-mirror.example.org/statline")
    assert (mirror.catalog_url, mirror.use_https) == ("cbs-mirror.example.org/statline", True)
    assert mirror.table_url("84134NED") == "https://cbs-mirror.example.org/statline/ODataFeed/odata/84134NED"
    spec = {"url": "https://opendata.cbs.nl/ODataApi/odata/84134NED"}
    assert fetch.service_for(spec, {}).base_url == fetch.DEFAULT_URL
    assert fetch.service_for(spec, {fetch.ENV_URL: "http://127.0.0.1:8123"}).base_url == "http://127.0.0.1:8123"
    iv3 = {"url": "https://dataderden.cbs.nl/ODataApi/odata"}
    assert fetch.service_for(iv3, {}).base_url == "https://dataderden.cbs.nl"
    assert fetch.service_for(iv3, {}).table_url("45063NED") == "https://dataderden.cbs.nl/ODataFeed/odata/45063NED"
    assert fetch.service_for(iv3, {fetch.ENV_URL: "http://127.0.0.1:8123"}).base_url == "http://127.0.0.1:8123"
    for bad in ("opendata.cbs.nl", "ftp://opendata.cbs.nl", "https://opendata.cbs.nl/ODataApi/odata/84134NED"):
        with pytest.raises(fetch.FetchError, match=fetch.ENV_URL):
            fetch.parse_service(bad)
