"""The run date in the Verantwoording: fixed by SOURCE_DATE_EPOCH (reproducible builds)."""

from __future__ import annotations

import datetime as dt

import pytest

from jeugdmonitor import buildinfo


def test_source_date_epoch_gives_the_utc_date_of_that_moment():
    # 2023-12-31 23:30 UTC is already 1 January 2024 in Amsterdam: the UTC date counts
    assert buildinfo.build_date({"SOURCE_DATE_EPOCH": "1704065400"}) == dt.date(2023, 12, 31)
    assert buildinfo.build_date({"SOURCE_DATE_EPOCH": "0"}) == dt.date(1970, 1, 1)
    assert buildinfo.build_date({"SOURCE_DATE_EPOCH": " 1700000000\n"}) == dt.date(2023, 11, 14)


def test_without_source_date_epoch_it_is_today():
    assert buildinfo.build_date({}) == dt.date.today()


@pytest.mark.parametrize("value", ["", "gisteren", "-1", "1.5", "1e9", "\u0661\u0662", "99999999999999999999"])
def test_an_invalid_source_date_epoch_is_a_clear_error(value):
    with pytest.raises(buildinfo.BuildDateError, match="SOURCE_DATE_EPOCH"):
        buildinfo.build_date({"SOURCE_DATE_EPOCH": value})


def test_the_environment_is_read_when_none_is_given(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert buildinfo.build_date() == dt.date(2023, 11, 14)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "morgen")
    with pytest.raises(buildinfo.BuildDateError, match="'morgen'"):
        buildinfo.build_date()
