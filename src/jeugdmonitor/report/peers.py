"""Comparable municipalities (vergelijkbare gemeenten): a peer group per municipality, drawn from
every municipality in the data, and the bijlage's comparison with it on rates only.

The rule is in config/kpis.yaml `vergelijkbare_gemeenten`. Candidates: every other municipality
whose stedelijkheid (CBS's class 1-5, the clean table `gebieden`) differs at most
`stedelijkheid_verschil` classes, and whose inhabitants in the report year lie between
1/`inwoners_factor` and `inwoners_factor` times the municipality's. Of those, the `aantal` nearest:
first those of the same class, then by the distance |ln(inhabitants ratio)| + |ln(ratio of the
share of young people)| (KPI `aandeel_jongeren`), ties by name. A part whose figure the
municipality lacks is left out of its rule, and a candidate lacking a figure the rule uses is not
a candidate. Only rates and shares are compared (a count mostly says how large a place is). The
figures of every municipality are looked up once per year's inputs, not per page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.errors import ReportYearError
from jeugdmonitor.report import templates
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY, least_final

POPULATION_KPI = "inwoners"
KEY = "vergelijkbare_gemeenten"  # its entry in config/kpis.yaml
URBANISATION = "stedelijkheid"  # its column in the clean table gebieden


@dataclass(frozen=True)
class Profile:
    """What the rule compares of one municipality in the report year (None: not known)."""

    people: float
    urbanisation: int | None
    share: float | None  # share of young people, in the KPI's unit (%)


# id(inputs) -> (inputs, {municipality: profile}): computed once per year's inputs (a warm kernel
# builds many pages from one Inputs); the inputs are kept so an id is never reused
_profiles: dict[int, tuple[Any, dict[str, Profile]]] = {}


def rule(cfg: config.Config) -> dict[str, Any]:
    """The configured rule, checked: a count of peers, a factor above 1, a share KPI, rates only."""
    spec = cfg.peers
    if not spec:
        raise config.ConfigError(f"config/kpis.yaml: {KEY} ontbreekt (de regel voor vergelijkbare gemeenten)")
    share = spec.get("aandeel_jongeren")
    if share is not None and (share not in cfg.kpis or cfg.kpis[share].unit != "%"):
        raise config.ConfigError(f"config/kpis.yaml: {KEY}.aandeel_jongeren noemt {share!r}; verwacht een KPI uit "
                                 "kpis met eenheid '%' (het aandeel jongeren van de inwoners)")
    for kpi_id in spec["kpis"]:
        if kpi_id not in cfg.kpis:
            raise config.ConfigError(f"config/kpis.yaml: {KEY}.kpis noemt onbekende KPI {kpi_id!r}")
        if not cfg.kpis[kpi_id].is_rate:
            raise config.ConfigError(f"config/kpis.yaml: {KEY}.kpis: {kpi_id} is een aantal; vergelijk alleen cijfers "
                                     "per jongere, per inwoner of als percentage")
    return spec


def profiles(inputs: Any) -> dict[str, Profile]:
    """Every municipality in the data (the report year's layout) with known inhabitants -> its
    inhabitants, stedelijkheid and share of young people in the report year."""
    cached = _profiles.get(id(inputs))
    if cached is not None and cached[0] is inputs:
        return cached[1]
    share_kpi = rule(inputs.cfg).get("aandeel_jongeren")
    areas = inputs.areas
    if URBANISATION not in areas.columns:
        raise ReportYearError(f"de schone tabel gebieden van {inputs.year} mist de kolom {URBANISATION!r}; "
                       f"draai `make clean-data YEAR={inputs.year}` opnieuw")
    municipalities = areas[areas["niveau"] == LEVEL_MUNICIPALITY]
    found = {}
    for code, urbanisation in zip(municipalities["gebied_code"], municipalities[URBANISATION], strict=True):
        people, _ = inputs.values.get(POPULATION_KPI, code, inputs.year)
        if people is None or people <= 0:
            continue
        share = inputs.values.get(share_kpi, code, inputs.year)[0] if share_kpi else None
        found[str(code)] = Profile(float(people), None if pd.isna(urbanisation) else int(urbanisation),
                                   float(share) if share is not None and share > 0 else None)
    _profiles.clear()  # one year's inputs at a time, as report.load_inputs
    _profiles[id(inputs)] = (inputs, found)
    return found


def peers(inputs: Any, municipality: str) -> list[str]:
    """The municipality's peer group by the configured rule (empty when its inhabitants are unknown)."""
    spec = rule(inputs.cfg)
    people = profiles(inputs)
    own = people.get(municipality)
    if own is None:
        return []
    factor, apart = float(spec["inwoners_factor"]), int(spec["stedelijkheid_verschil"])
    names = inputs.names
    candidates = []
    for code, other in people.items():
        if code == municipality or not own.people / factor <= other.people <= own.people * factor:
            continue
        if own.urbanisation is not None and (other.urbanisation is None or abs(other.urbanisation - own.urbanisation) > apart):
            continue
        if own.share is not None and other.share is None:
            continue
        distance = abs(math.log(other.people / own.people))
        if own.share is not None:
            distance += abs(math.log(other.share / own.share))
        classes = abs(other.urbanisation - own.urbanisation) if own.urbanisation is not None else 0
        candidates.append((classes, distance, names.get(code, code).casefold(), code))
    return [code for *_, code in sorted(candidates)[: int(spec["aantal"])]]


def section(report: Any) -> str:
    """The bijlage's section: one sentence on how the group was chosen, the group with each
    peer's inhabitants, and per configured rate the municipality beside each peer and the
    group's middle value (median)."""
    inputs = report.inputs
    spec = rule(inputs.cfg)
    group = peers(inputs, report.municipality)
    people = profiles(inputs)
    rows = []
    for kpi_id in spec["kpis"]:
        kpi = inputs.cfg.kpis[kpi_id]
        own, own_status = inputs.values.get(kpi_id, report.municipality, inputs.year)
        others = [(code, *inputs.values.get(kpi_id, code, inputs.year)) for code in group]
        known = sorted(v for _, v, _ in others if v is not None)
        # the middle value is as final as the least final figure it is taken from
        statuses = [s for _, v, s in others if v is not None and s is not None]
        rows.append({"kpi": kpi, "own": own, "own_status": own_status,
                     "peers": [{"value": v, "status": s} for _, v, s in others],
                     "median": _median(known), "median_status": least_final(statuses) if statuses else None,
                     "count": len(known)})
    members = set(inputs.members(report.region)["gebied_code"])
    share_kpi = spec.get("aandeel_jongeren")
    return templates.render("gemeente/vergelijkbaar.html.j2", r=report, spec=spec, own=people.get(report.municipality),
                            share_kpi=inputs.cfg.kpis[share_kpi] if share_kpi else None,
                            group=[{"code": code, "name": inputs.names.get(code, code), "profile": people[code],
                                    "region": code in members} for code in group],
                            rows=rows, pool=len(people))


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
