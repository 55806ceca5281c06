"""A report period: a calendar year (2023) or a quarter of one (2024-K2).

The yearly pipeline reports whole years; the quarter reports (jeugdmonitor.clean.quarter) report a
quarter and the year to date. Both name their folders after the period (`reports/2023/`,
`reports/2024-K2/`), so a period is parsed once here, from whatever a user typed, and refused
with a Dutch message when it is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from jeugdmonitor.errors import EXIT_BAD_INPUT, WorkbookError

QUARTER_PATTERN = re.compile(r"(?P<year>[0-9]{4})-K(?P<quarter>[1-4])")
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december")


class PeriodError(WorkbookError, ValueError):
    """A report period that is not a year or a quarter, or one the data do not cover."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter `quarter` (1-4) of `year`; its text form `2024-K2` names its folders."""

    year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.year}-K{self.quarter}"

    @property
    def months(self) -> list[pd.Period]:
        """The three months of the quarter."""
        first = 3 * (self.quarter - 1) + 1
        return [pd.Period(year=self.year, month=m, freq="M") for m in range(first, first + 3)]

    @property
    def months_to_date(self) -> list[pd.Period]:
        """January up to the quarter's last month: the year to date."""
        return [pd.Period(year=self.year, month=m, freq="M") for m in range(1, 3 * self.quarter + 1)]

    @property
    def start(self) -> pd.Timestamp:
        return self.months[0].start_time.normalize()

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the quarter (midnight): a date, as the exports' dates are."""
        return self.months[-1].end_time.normalize()

    @property
    def year_start(self) -> pd.Timestamp:
        return pd.Timestamp(year=self.year, month=1, day=1)

    def shifted(self, quarters: int) -> Quarter:
        """The quarter `quarters` later (earlier when negative)."""
        index = self.year * 4 + self.quarter - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def label(self) -> str:
        """'2e kwartaal 2024'."""
        return f"{self.quarter}e kwartaal {self.year}"


def parse_quarter(text: str) -> Quarter:
    """'2024-K2' -> Quarter(2024, 2); anything else is refused (PeriodError, exit 2)."""
    match = QUARTER_PATTERN.fullmatch(text.strip())
    if match is None:
        raise PeriodError(f"KWARTAAL={text!r} is geen kwartaal: schrijf jaar-K en het kwartaal (1 tot en met 4), "
                          f"zoals KWARTAAL=2024-K2")
    return Quarter(int(match["year"]), int(match["quarter"]))


def month_label(month: pd.Period) -> str:
    """'april 2024'."""
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def months_text(months: list[pd.Period]) -> str:
    """'januari 2025, februari 2025 en maart 2025'."""
    names = [month_label(m) for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
