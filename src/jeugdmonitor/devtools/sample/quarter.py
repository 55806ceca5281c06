"""Fictitious monthly realisation exports (realisatie per maand) for the quarter reports.

A region's financial administration books what was spent per month and per budget line, and
marks the months it has not closed yet as `voorlopig`. The sample file of each bundled region
is derived from its yearly budget export (budget.csv), so that the months of a year add up to
exactly the realisation of that year: the quarter pages and the annual pages never disagree.
The last quarter of the export's last year is not closed (voorlopig).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw
from jeugdmonitor.vocabulary import STATUS_FINAL, STATUS_PROVISIONAL

# more is booked late in the year (year-end invoices) and less in the summer
SEASON = (0.95, 0.95, 1.0, 1.0, 1.0, 0.97, 0.9, 0.9, 1.0, 1.03, 1.05, 1.25)
OPEN_MONTHS = 3  # the export's last months not yet closed in the administration
STREAM = 25  # the random stream of this file, apart from the other sample files


def monthly_rows(budget: pd.DataFrame, seed: int, region: str) -> list[list[Any]]:
    """Per year, municipality and budget line: twelve months adding up to its realisation."""
    rng = np.random.default_rng([seed, STREAM, int(region[2:])])
    last = pd.Period(year=int(budget["jaar"].max()), month=12, freq="M")
    rows: list[list[Any]] = []
    for record in budget.sort_values(["jaar", "gemeentecode", "begrotingspost"], kind="stable").itertuples():
        weights = np.array(SEASON) * rng.uniform(0.9, 1.1, 12)
        amounts = np.floor(record.gerealiseerd_euro * weights / weights.sum()).astype(int)
        amounts[-1] += int(record.gerealiseerd_euro) - int(amounts.sum())  # the year adds up to the euro
        for month, amount in enumerate(amounts, start=1):
            period = pd.Period(year=int(record.jaar), month=month, freq="M")
            status = STATUS_PROVISIONAL if (last - period).n < OPEN_MONTHS else STATUS_FINAL
            rows.append([period.end_time.strftime("%d-%m-%Y"), record.gemeentecode, record.begrotingspost,
                         int(amount), status])
    return rows


def write_monthly_spending(cfg: config.Config, out: Path, seed: int, sidecar: Any) -> list[Path]:
    """realisatie_maand.csv beside each region's budget.csv under `out` (data/raw/), with its
    sidecar written by `sidecar(path, region, what)` (the generator's own)."""
    spec = cfg.sources["regio_exports"]
    written = []
    for region in cfg.register.regions:
        folder = out / spec["map"] / region
        budget_path = folder / spec["budget"]["bestand"]
        with budget_path.open(encoding="utf-8", newline="") as handle:
            budget = pd.DataFrame(list(csv.DictReader(handle, delimiter=spec["scheidingsteken"])))
        budget = budget.astype({"jaar": int, "gerealiseerd_euro": int})
        path = folder / spec["realisatie_maand"]["bestand"]
        raw.write_csv(path, list(spec["realisatie_maand"]["kolommen"]),
                      monthly_rows(budget, seed, region),
                      quote_all=False)
        sidecar(path, region, "realisatie per maand")
        written.append(path)
    return written


