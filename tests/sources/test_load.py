"""Tests for jeugdmonitor.sources.load: every raw source read into one RawData."""

from __future__ import annotations


def test_raw_data_covers_2015_to_2024(raw_data):
    assert sorted(raw_data.youth_care["jaar"].unique()) == list(range(2015, 2025))
