"""Regiovisie goals assessed on the KPI values: a plain status per goal, for the region and
for one of its municipalities.

The rules and targets live in config/doelen.yaml; this module decides a status word from
vocabulary.GOAL_STATUSES and records why (a reason key the page templates explain in words,
and the figures behind it). It says nothing itself: the templates do.

The rules (config `regel`), the path towards a target year, shares of a regional total and
`looptijd`: docs/report.md, *Goals and how their status is decided*.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.report.formatting import is_missing, shown
from jeugdmonitor.vocabulary import (
    CHANGE_BETTER,
    CHANGE_DOWN,
    CHANGE_SAME,
    CHANGE_UNKNOWN,
    CHANGE_UP,
    CHANGE_WORSE,
    GOAL_MET,
    GOAL_NONE,
    GOAL_NOT_MET,
    GOAL_OFF_TRACK,
    GOAL_ON_TRACK,
    GOAL_STATUSES,
    GOAL_UNDECIDABLE,
    NL_CODE,
)

POPULATION_KPI = "inwoners"  # the KPI that shares a regional target naar rato inwonertal


class Values:
    """Fast lookup of KPI values: (kpi, area, year) -> (value, status)."""

    def __init__(self, kpi_values: pd.DataFrame):
        self._index = {
            (kpi, area, int(year)): (None if is_missing(value) else float(value), status)
            for kpi, area, year, value, status in zip(kpi_values["kpi"], kpi_values["gebied_code"], kpi_values["jaar"],
                                                      kpi_values["waarde"], kpi_values["status"], strict=True)
        }

    def get(self, kpi: str, area: str, year: int) -> tuple[float | None, str | None]:
        """(value, status); value None when missing or suppressed, status None when there is no row."""
        return self._index.get((kpi, area, int(year)), (None, None))


@dataclass(frozen=True)
class Assessment:
    """A goal's status for one area in the report year, with the figures behind it."""

    status: str  # one of vocabulary.GOAL_STATUSES
    reason: str  # key the templates explain in words (templates/pages/macros.html.j2, macro `reason`)
    value: float | None = None
    data_status: str | None = None  # definitief / nader voorlopig / voorlopig of the value
    previous: float | None = None  # the year before (daling) or the base year (path)
    target: float | None = None  # the target that applies to this area in the report year
    reference: float | None = None  # the national value, or the other side of a ratio
    share: float | None = None  # a municipality's share of a regional target (naar rato inwonertal)
    reason_year: int | None = None  # the year assessed when it is not the report year (after a looptijd)
    distance: float | None = None  # how far the value lies from what decides the status, in the KPI's unit

    def close(self, kpi: config.Kpi) -> bool:
        """Met or missed by less than the KPI's margin ("nipt"): rounding or a few cases could turn it."""
        return self.distance is not None and abs(self.distance) < kpi.margin


def _without_period(goal: config.Goal) -> config.Goal:
    return replace(goal, period=None)


def _threshold(goal: config.Goal, values: Values, area: str, year: int, value: float, status: str | None,
               share: float | None) -> Assessment:
    at_most = goal.rule == "max_waarde"
    target = goal.value * (1.0 if share is None else share)

    def within(limit: float) -> bool:
        return value <= limit if at_most else value >= limit

    if goal.year is not None and year < goal.year:
        if goal.base_year is not None and year == goal.base_year:
            return Assessment(GOAL_UNDECIDABLE, "is_basisjaar", value, status, target=target)
        if goal.base_year is None or year < goal.base_year:
            return Assessment(GOAL_UNDECIDABLE, "doeljaar_vooruit_geen_pad", value, status, target=target)
        base, _ = values.get(goal.kpi, area, goal.base_year)
        if base is None:
            return Assessment(GOAL_UNDECIDABLE, "geen_basisjaar", value, status, target=target)
        # a municipality's path runs from its own base value to its share of the target
        end = target
        path = base + (end - base) * (year - goal.base_year) / (goal.year - goal.base_year)
        return Assessment(GOAL_ON_TRACK if within(path) else GOAL_OFF_TRACK, "pad", value, status,
                          previous=base, target=path, share=share, distance=value - path)
    reason = "doeljaar" if goal.year is not None else "drempel"
    return Assessment(GOAL_MET if within(target) else GOAL_NOT_MET, reason, value, status, target=target, share=share,
                      distance=value - target)


def assess(goal: config.Goal, values: Values, area: str, year: int, region: str | None = None) -> Assessment:
    """The status of `goal` for `area` in `year`. `region`: the area's region when `area` is a
    municipality (for goals shared naar rato inwonertal)."""
    if goal.period is not None:
        first, last = goal.period
        if year < first:
            return Assessment(GOAL_NONE, "looptijd_nog_niet")
        if year > last:
            return replace(assess(_without_period(goal), values, area, last, region), reason_year=last)
    if goal.rule == "volgen":
        return Assessment(GOAL_NONE, "volgen", *values.get(goal.kpi, area, year))
    value, status = values.get(goal.kpi, area, year)
    if value is None:
        return Assessment(GOAL_UNDECIDABLE, "geen_cijfer" if status is None else "onderdrukt", data_status=status)
    if goal.rule in ("max_waarde", "min_waarde"):
        share = None
        if region is not None and goal.municipality == "aandeel_inwoners":
            own, _ = values.get(POPULATION_KPI, area, year)
            total, _ = values.get(POPULATION_KPI, region, year)
            if own is None or not total:
                return Assessment(GOAL_UNDECIDABLE, "geen_inwoners", value, status)
            share = own / total
        return _threshold(goal, values, area, year, value, status, share)
    if goal.rule in ("daling", "stijging"):
        before, _ = values.get(goal.kpi, area, year - 1)
        if before is None:
            return Assessment(GOAL_UNDECIDABLE, "geen_vorig_jaar", value, status)
        better = value < before if goal.rule == "daling" else value > before
        return Assessment(GOAL_ON_TRACK if better else GOAL_OFF_TRACK, "vorig_jaar", value, status, previous=before,
                          distance=value - before)
    if goal.rule == "onder_landelijk":
        country, _ = values.get(goal.kpi, NL_CODE, year)
        if country is None:
            return Assessment(GOAL_UNDECIDABLE, "geen_landelijk", value, status)
        return Assessment(GOAL_MET if value < country else GOAL_NOT_MET, "landelijk", value, status, reference=country,
                          distance=value - country)
    if goal.rule == "verhouding_max":
        other, _ = values.get(goal.relative_to, area, year)
        if other is None or other == 0:
            return Assessment(GOAL_UNDECIDABLE, "geen_verhouding", value, status, reference=other)
        met = value / other <= goal.value
        return Assessment(GOAL_MET if met else GOAL_NOT_MET, "verhouding", value, status, reference=other,
                          target=goal.value, distance=value - goal.value * other)
    raise config.ConfigError(f"config/doelen.yaml: onbekende regel {goal.rule!r}")


@dataclass(frozen=True)
class GoalLine:
    """One line of a report's summary: a goal for the municipality and for its region."""

    goal: config.Goal
    kpi: config.Kpi
    municipality: Assessment
    region: Assessment
    change: float | None  # municipality's value minus the year before (None: not known)


def municipality_assessment(goal: config.Goal, values: Values, municipality: str, region: str,
                            year: int) -> Assessment:
    if goal.municipality == "alleen_regio":
        value, status = values.get(goal.kpi, municipality, year)
        return Assessment(GOAL_NONE, "alleen_regio", value, status)
    return assess(goal, values, municipality, year, region=region)


def change_on_previous_year(values: Values, kpi: config.Kpi, area: str, year: int) -> float | None:
    """The change on the year before, computed from the values as the pages show them (rounded
    to the KPI's decimals), so a difference always agrees with the two figures beside it."""
    now, _ = values.get(kpi.id, area, year)
    before, _ = values.get(kpi.id, area, year - 1)
    return None if now is None or before is None else shown(now, kpi.decimals) - shown(before, kpi.decimals)


def judge_change(kpi: config.Kpi, change: float | None) -> str:
    """A change in words (vocabulary.CHANGES): better or worse where the KPI has a good direction,
    higher or lower where it is neutral, about the same within its margin."""
    if change is None:
        return CHANGE_UNKNOWN
    if abs(change) < kpi.margin or change == 0:
        return CHANGE_SAME
    if kpi.direction == "neutraal":
        return CHANGE_UP if change > 0 else CHANGE_DOWN
    return CHANGE_BETTER if (change < 0) == (kpi.direction == "lager_beter") else CHANGE_WORSE


def goal_lines(cfg: config.Config, values: Values, municipality: str, region: str, year: int) -> list[GoalLine]:
    return [GoalLine(goal=goal, kpi=cfg.kpis[goal.kpi],
                     municipality=municipality_assessment(goal, values, municipality, region, year),
                     region=assess(goal, values, region, year),
                     change=change_on_previous_year(values, cfg.kpis[goal.kpi], municipality, year))
            for goal in cfg.goals.get(region, ())]


def region_lines(cfg: config.Config, values: Values, region: str,
                 year: int) -> list[tuple[config.Goal, config.Kpi, Assessment, float | None]]:
    return [(goal, cfg.kpis[goal.kpi], assess(goal, values, region, year),
             change_on_previous_year(values, cfg.kpis[goal.kpi], region, year))
            for goal in cfg.goals.get(region, ())]


def count_statuses(assessments: list[Assessment]) -> dict[str, int]:
    """status -> how many of `assessments` have it, in the order of vocabulary.GOAL_STATUSES (zeros left out)."""
    counts = Counter(a.status for a in assessments)
    return {status: counts[status] for status in GOAL_STATUSES if counts[status]}


def largest_changes(kpi_values: pd.DataFrame, area: str, year: int,
                    kpis: tuple[str, ...], count: int = 3) -> pd.DataFrame:
    """The `count` KPIs of `kpis` whose value for `area` changed most (in %) on the year before,
    with rows: kpi, waarde, status, vorige_waarde, vorige_status, verandering_pct."""
    frame = kpi_values[(kpi_values["gebied_code"] == area) & kpi_values["kpi"].isin(kpis)]
    now = frame[frame["jaar"] == year]
    before = frame[frame["jaar"] == year - 1][["kpi", "waarde", "status"]]
    joined = now.merge(before, on="kpi", suffixes=("", "_vorig")).dropna(subset=["verandering_pct", "waarde", "waarde_vorig"])
    joined = joined.assign(_size=joined["verandering_pct"].astype(float).abs())
    joined = joined[joined["_size"] > 0]
    order = {kpi: i for i, kpi in enumerate(kpis)}  # ties: report order, so the choice is stable
    joined = joined.assign(_o=joined["kpi"].map(order)).sort_values(["_size", "_o"], ascending=[False, True])
    return joined.head(count).reset_index(drop=True)[["kpi", "waarde", "status", "waarde_vorig", "status_vorig", "verandering_pct"]]

