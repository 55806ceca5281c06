"""The sample's regional exports in the regions' own shapes: waiting times per month,
trajectories with start and end dates, and budget against realisation per line."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np

from jeugdmonitor.devtools.sample.shape import (
    BUDGET_LINES,
    CARE_FORMS,
    FICTITIOUS,
    LICENCE_REGION,
    TRAJECTORIES_PER_YOUNG_PERSON,
    TRANSFORMATION_FUND_EUR,
    TRANSFORMATION_FUND_LINES,
    ZHZ_COSTS_MLN,
)
from jeugdmonitor.sources import raw

# the added trajectories with verblijf or pleegzorg (RegionFiles._stay_trajectories): median
# duration in days, and the calendar years one runs in on average (1 + its mean duration in years)
STAY_MEDIAN_DAYS = 540
STAY_YEARS_RUNNING = 2.7


class RegionFiles:
    """Part of the sample Generator (its state is set up by SampleFigures)."""

    # ---------------------------------------------------------------- regional exports
    def write_region_exports(self) -> None:
        spec = self.cfg.sources["regio_exports"]
        first, last = (int(y) for y in self.sample["jaren_regio_exports"])
        fmt = spec["datumformaat"]
        for region in self.register.regions:
            members = self.register.members(region, last)
            folder = self.out / spec["map"] / region
            self._write_waiting(folder / spec["wachttijden"]["bestand"], region, members, first, last, fmt)
            self._write_trajectories(folder / spec["trajecten"]["bestand"], region, members, first, last, fmt)
            self._write_budget(folder / spec["budget"]["bestand"], region, members, first, last)

    def _region_sidecar(self, path: Path, region: str, what: str, **extra: Any) -> None:
        raw.write_sidecar(path, {
            **extra,
            "bron": f"Export jeugdregio {self.register.regions[region].name} ({what}) — vorm van de echte export; {FICTITIOUS}",
            "tabel": f"regio-export {what}",
            "titel": f"{what}, {self.register.regions[region].name}",
            "url": "niet openbaar (levering door de jeugdregio)",
            "opgehaald": self.sample["retrieval_date"],
            "licentie": LICENCE_REGION,
            "fictief": True,
            "maker": f"jeugdmonitor.devtools.sample_data (zaad {self.sample['zaad']})",
        })

    def _write_waiting(self, path: Path, region: str, members: list[str], first: int, last: int, fmt: str) -> None:
        rows = []
        for code in members:
            level = self.rng.uniform(0.7, 1.3)
            for year in range(first, last + 1):
                young = self.young(code, year, 0, 17)
                for month in range(1, 13):
                    day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
                    season = 1 + 0.1 * math.sin(2 * math.pi * month / 12)
                    trend = (1 + 0.06 * (year - first) if region != "JZ24"
                             else 1 + 0.08 * min(year - first, 2) - 0.07 * max(year - first - 2, 0))
                    waiting = max(0, round(young * 0.004 * level * season * trend * math.exp(self.rng.normal(0, 0.08))))
                    median_days = max(7, round(60 * level * trend * math.exp(self.rng.normal(0, 0.1))))
                    worrying = min(waiting, round(waiting * 0.25 * trend * math.exp(self.rng.normal(0, 0.1))))
                    rows.append([day.strftime(fmt), code, waiting, median_days, worrying])
        raw.write_csv(path, ["peildatum", "gemeentecode", "aantal_wachtenden", "mediaan_wachttijd_dagen",
                             "aantal_zorgelijk_wachtenden"], rows, quote_all=False)
        # the norm the export counted zorgelijk wachtenden with (the cleaning stage checks it against config)
        self._region_sidecar(path, region, "wachttijden per maand",
                             wachtnorm_dagen=int(self.cfg.sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"]))

    def _write_trajectories(self, path: Path, region: str, members: list[str], first: int, last: int, fmt: str) -> None:
        rows = []
        number = 0
        window_start = dt.date(first, 1, 1)
        window_end = dt.date(last, 12, 31)
        for code in members:
            for year in range(first - 2, last + 1):
                young = self.young(code, max(year, first), 0, 22)
                growth = 1.04 ** (year - first) if region == "JZ36" else 1.0
                starts = int(self.rng.poisson(young * 0.008 * growth))
                offsets = np.sort(self.rng.integers(0, 365, size=starts))
                durations = np.round(np.exp(self.rng.normal(math.log(240), 0.6, size=starts))).astype(int)
                forms = self.rng.choice(len(CARE_FORMS), size=starts, p=self._care_form_shares(region, year))
                for offset, duration, form in zip(offsets, durations, forms, strict=True):
                    start = dt.date(year, 1, 1) + dt.timedelta(days=int(offset))
                    end = start + dt.timedelta(days=int(duration))
                    if end < window_start:
                        continue  # ended before the export window
                    number += 1
                    rows.append([f"{region}-{number:06d}", code, CARE_FORMS[form], start.strftime(fmt),
                                 end.strftime(fmt) if end <= window_end else ""])
        rows += self._stay_trajectories(region, members, rows, number, first, last, fmt)
        raw.write_csv(path, ["trajectnummer", "gemeentecode", "zorgvorm", "startdatum", "einddatum"], rows, quote_all=False)
        # the export holds every trajectory running at any time in the window
        self._region_sidecar(path, region, "trajecten",
                             periode={"van": window_start.isoformat(), "tot": window_end.isoformat()})

    def _cbs_stays(self, code: str, year: int) -> float:
        """CBS's (unrounded) count of trajectories with verblijf of a municipality on the last
        year's boundaries: its predecessors summed, as the cleaning stage harmonises them."""
        last = self.years[-1]
        return sum(TRAJECTORIES_PER_YOUNG_PERSON * self._care[(u.code, year, "jeugdhulp_met_verblijf")]
                   for u in self.units if year in u.years and self.register.successor(u.code, last) == code)

    def _stay_trajectories(self, region: str, members: list[str], rows: list[list[str]], number: int,
                           first: int, last: int, fmt: str) -> list[list[str]]:
        """Trajectories with verblijf or pleegzorg added to the export so that CBS's count of each
        municipality lies about `meer_bij_cbs` above the region's running ones (`boven_marge`: above
        the quality log's margin). A steady stream of starts, from three years before the export
        (its backlog) on: a trajectory runs in STAY_YEARS_RUNNING calendar years on average. Drawn
        from a stream of their own, after the others, so every other row and file stays as it was."""
        spec = self.sample["cbs_naast_regio"]
        extra = np.random.default_rng([int(self.sample["zaad"]), 11, int(region[2:])])
        low, high = (float(v) for v in spec["meer_bij_cbs"])
        window_start, window_end = dt.date(first, 1, 1), dt.date(last, 12, 31)
        added: list[list[str]] = []
        for code in members:
            more = float(spec["boven_marge"].get(code, extra.uniform(low, high)))
            spans = [(r[3], r[4]) for r in rows if r[1] == code and r[2] in ("verblijf", "pleegzorg")]
            for year in range(first - 3, last + 1):
                counted = min(max(year, first), last)
                start_of, end_of = dt.date(counted, 1, 1), dt.date(counted, 12, 31)
                running = sum(1 for s, e in spans if dt.datetime.strptime(s, fmt).date() <= end_of
                              and (not e or dt.datetime.strptime(e, fmt).date() >= start_of))
                missing = max(0.0, self._cbs_stays(code, counted) / (1 + more) - running)
                for _ in range(round(missing / STAY_YEARS_RUNNING)):
                    start = dt.date(year, 1, 1) + dt.timedelta(days=int(extra.integers(0, 365)))
                    end = start + dt.timedelta(days=int(round(math.exp(extra.normal(math.log(STAY_MEDIAN_DAYS), 0.5)))))
                    form = "pleegzorg" if extra.random() < 0.4 else "verblijf"
                    if end < window_start:
                        continue  # ended before the export window
                    number += 1
                    added.append([f"{region}-{number:06d}", code, form, start.strftime(fmt),
                                  end.strftime(fmt) if end <= window_end else ""])
        return added

    def _write_budget(self, path: Path, region: str, members: list[str], first: int, last: int) -> None:
        rows = []
        # its own stream for what was added later, so that the other regions' files stay as they were
        extra = np.random.default_rng([int(self.sample["zaad"]), 7, int(region[2:])])
        # Zuid-Holland Zuid: municipalities use more or less than their share naar rato inwonertal
        # (the region's total stays the calibrated one)
        use = {code: extra.uniform(0.88, 1.12) for code in members} if region == "JZ31" else {c: 1.0 for c in members}
        for year in range(first, last + 1):
            inhabitants = {code: float(self._population[(code, year)][0]) for code in members}
            share = {code: inhabitants[code] / sum(inhabitants.values()) for code in members}
            weighted = sum(share[c] * use[c] for c in members)
            if region == "JZ31":
                total = ZHZ_COSTS_MLN[year] * 1e6
            else:
                total = sum(self.young(code, year, 0, 17) for code in members) * (850 + 35 * (year - first))
            for code in members:
                realised = total * share[code] * use[code] / weighted
                lines = {BUDGET_LINES[0]: 0.88 * realised, BUDGET_LINES[1]: 0.12 * realised}
                planned_lines = {}
                if region == "JZ24" and year in (2019, 2020, 2021):
                    # the fund naar rato inwonertal, planned per budget line; spent a little less than planned
                    spent = self.rng.uniform(0.85, 1.0)
                    for line, line_share in TRANSFORMATION_FUND_LINES.items():
                        planned_lines[line] = TRANSFORMATION_FUND_EUR * share[code] * line_share
                        lines[line] = planned_lines[line] * min(1.0, spent * extra.uniform(0.9, 1.1))
                for line, amount in lines.items():
                    planned = planned_lines[line] if line in planned_lines else amount / self.rng.uniform(1.0, 1.08)
                    rows.append([year, code, line, round(planned), round(amount)])
        raw.write_csv(path, ["jaar", "gemeentecode", "begrotingspost", "begroot_euro", "gerealiseerd_euro"], rows, quote_all=False)
        self._region_sidecar(path, region, "budget en realisatie")
