"""Tests for jeugdmonitor.vocabulary: the shared words of the workbook."""

from __future__ import annotations

import pandas as pd

from jeugdmonitor import vocabulary


def test_least_final():
    assert vocabulary.least_final(pd.Series(["definitief", "nader voorlopig"])) == "nader voorlopig"
    assert vocabulary.least_final(pd.Series(["voorlopig", "nader voorlopig", "definitief"])) == "voorlopig"
    assert vocabulary.least_final(pd.Series(["definitief"])) == "definitief"
