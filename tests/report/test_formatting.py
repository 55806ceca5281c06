"""Unit tests for jeugdmonitor.report.formatting: Dutch numbers, signed changes, status marks, escaping."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jeugdmonitor.report import formatting

MINUS = "\u2212"  # the real minus sign
EN_DASH = "\u2013"  # the missing-value mark


# ---------------------------------------------------------------------------- number()
@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (1234567.891, 2, "1.234.567,89"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (0, 0, "0"),
        (0, 1, "0,0"),
        (0.5, 2, "0,50"),
        (12.0, 1, "12,0"),
        (1234.56, 0, "1.235"),
        (7.564434, 1, "7,6"),
        (np.int64(4200), 0, "4.200"),
        (np.float64(3.25), 2, "3,25"),
    ],
)
def test_number_uses_dutch_grouping_and_decimal_comma(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_number_default_has_no_decimals():
    assert formatting.number(1234.4) == "1.234"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, np.float64("nan")])
def test_number_of_missing_value_is_en_dash(missing):
    assert formatting.number(missing, 1) == EN_DASH
    assert formatting.MISSING == EN_DASH


def test_number_of_missing_values_from_nullable_columns():
    ints = pd.array([5, None], dtype="Int64")
    floats = pd.array([1.5, None], dtype="Float64")
    assert formatting.number(ints[1]) == EN_DASH
    assert formatting.number(floats[1], 1) == EN_DASH
    assert formatting.number(ints[0]) == "5"
    assert formatting.number(floats[0], 1) == "1,5"


def test_is_missing():
    assert formatting.is_missing(None)
    assert formatting.is_missing(pd.NA)
    assert formatting.is_missing(math.nan)
    assert not formatting.is_missing(0)
    assert not formatting.is_missing(0.0)
    assert not formatting.is_missing("")


# ---------------------------------------------------------------------------- signed()
@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (3.2, 1, "+3,2"),
        (-3.2, 1, MINUS + "3,2"),
        (1234.56, 1, "+1.234,6"),
        (-1234.56, 1, MINUS + "1.234,6"),
        (-12, 0, MINUS + "12"),
        (12, 0, "+12"),
        (0, 0, "0"),
        (0.0, 1, "0,0"),
    ],
)
def test_signed_changes(value, decimals, expected):
    assert formatting.signed(value, decimals) == expected


def test_signed_negative_uses_real_minus_sign_not_hyphen():
    text = formatting.signed(-5.5, 1)
    assert text.startswith(MINUS)
    assert "-" not in text


@pytest.mark.parametrize("value", [0.04, -0.04, 0.001, -0.001])
def test_signed_change_that_rounds_to_zero_has_no_sign(value):
    assert formatting.signed(value, 1) == "0,0"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_signed_missing_is_en_dash(missing):
    assert formatting.signed(missing, 1) == EN_DASH


# ---------------------------------------------------------------------------- status marks
@pytest.mark.parametrize(
    ("status", "expected"),
    [("definitief", ""), ("nader voorlopig", "**"), ("voorlopig", "*")],
)
def test_mark(status, expected):
    assert formatting.mark(status) == expected


@pytest.mark.parametrize("missing", [None, pd.NA, float("nan")])
def test_mark_of_missing_status_is_empty(missing):
    assert formatting.mark(missing) == ""


def test_mark_of_unknown_status_raises():
    with pytest.raises(KeyError):
        formatting.mark("onbekend")


@pytest.mark.parametrize(
    ("year", "status", "expected"),
    [(2023, "nader voorlopig", "2023**"), (2024, "voorlopig", "2024*"), (2022, "definitief", "2022"),
     (2022, None, "2022")],
)
def test_year_label_carries_status_mark(year, status, expected):
    assert formatting.year_label(year, status) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "status", "expected"),
    [
        (1234.5, 1, "voorlopig", "1.234,5*"),
        (8.914136, 1, "nader voorlopig", "8,9**"),
        (1234.5, 0, "definitief", "1.235"),  # half up, as Dutch statistics round
        (42, 0, None, "42"),
    ],
)
def test_value_with_mark_carries_status_mark(value, decimals, status, expected):
    assert formatting.value_with_mark(value, decimals, status) == expected


@pytest.mark.parametrize("status", ["voorlopig", "nader voorlopig", "definitief"])
def test_value_with_mark_missing_value_gets_no_mark(status):
    assert formatting.value_with_mark(None, 1, status) == EN_DASH
    assert formatting.value_with_mark(pd.NA, 1, status) == EN_DASH


# ---------------------------------------------------------------------------- escape()
def test_escape_html_special_characters():
    assert formatting.escape('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert formatting.escape("Tom & Jerry") == "Tom &amp; Jerry"
    assert formatting.escape("'s-Gravenhage") == "&#x27;s-Gravenhage"


def test_escape_converts_non_strings():
    assert formatting.escape(2023) == "2023"
    assert formatting.escape("1.234,5**") == "1.234,5**"


def test_escape_leaves_plain_dutch_text_alone():
    assert formatting.escape("Súdwest-Fryslân – jeugdhulp") == "Súdwest-Fryslân – jeugdhulp"


def test_ties_round_half_up_and_negatives_use_a_real_minus():
    assert formatting.number(2.5) == "3"
    assert formatting.number(0.05, 1) == "0,1"
    assert formatting.number(-12) == "−12"
    assert formatting.number(-1234.56, 1) == "−1.234,6"
