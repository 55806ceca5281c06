"""Dutch number and status formatting for reports (1.234,5; figures keep their status mark)."""

from __future__ import annotations

import functools
import html
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal

from jeugdmonitor.vocabulary import STATUS_MARKS

LOCALE = "nl_NL"
MISSING = "–"


def is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def number(value: object, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Dutch grouping and decimal comma); missing -> '–'."""
    if is_missing(value):
        return MISSING
    return _number(float(value), decimals)


def shown(value: float, decimals: int = 0) -> float:
    """The value as the pages show it: rounded half up to `decimals` (differences are computed from these)."""
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


# a report writes the same values in its tables, charts and tooltips, and Babel parses the
# pattern again on every call: each value is formatted once per process
@functools.lru_cache(maxsize=1 << 16)
def _number(value: float, decimals: int) -> str:
    # round half up first, as Dutch statistics do (Babel would round half to even)
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(rounded, format=pattern, locale=LOCALE)
    return "−" + text[1:] if text.startswith("-") else text  # a real minus sign, as signed() uses


def signed(value: object, decimals: int = 0) -> str:
    if is_missing(value):
        return MISSING
    text = number(abs(float(value)), decimals)
    if float(value) > 0 and text.strip("0,.") != "":
        return "+" + text
    if float(value) < 0 and text.strip("0,.") != "":
        return "−" + text
    return text


def mark(status: object) -> str:
    if is_missing(status):
        return ""
    return STATUS_MARKS[str(status)]


def year_label(year: int, status: object) -> str:
    """'2023**' for a nader voorlopig year: the mark travels with the year everywhere."""
    return f"{year}{mark(status)}"


def value_with_mark(value: object, decimals: int, status: object) -> str:
    text = number(value, decimals)
    return text if text == MISSING else text + mark(status)


def escape(text: object) -> str:
    """All text that comes from data files is escaped before it reaches HTML."""
    return html.escape(str(text), quote=True)
