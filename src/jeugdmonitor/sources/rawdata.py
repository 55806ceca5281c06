"""The raw sources as read: one file with its frame (for the raw-data suites) and every source's
frame together, as the loaders of `sources` return them and the cleaning stage takes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass
class RawFile:
    """One raw file as read (file row order) for the raw-data suites. CBS youth-care tables name
    their topics and keys differently from table to table; their frame carries the workbook's
    topic names as columns, the workbook's form names and the configured age-group titles, so
    one contract fits every table of the series."""

    kind: str
    path: Path
    frame: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)  # column of `frame` -> its name in the file, where they differ


@dataclass
class RawData:
    youth_care: pd.DataFrame
    population: pd.DataFrame
    spending: pd.DataFrame
    waiting: pd.DataFrame
    trajectories: pd.DataFrame
    budget: pd.DataFrame
    youth_care_by_age: pd.DataFrame | None = None  # CBS 84135NED and successors: age groups per form
    # year of each area table (Gebieden in Nederland) -> municipality code -> stedelijkheid 1-5
    urbanisation: dict[int, dict[str, int]] = field(default_factory=dict)
    provenance: list[dict[str, Any]] = field(default_factory=list)
    files: list[RawFile] = field(default_factory=list)
