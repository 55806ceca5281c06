"""Comparable municipalities (vergelijkbare gemeenten): a peer group per municipality, drawn from
every municipality in the data, and the bijlage's comparison with it on rates only.

The rule is in config/kpis.yaml `vergelijkbare_gemeenten`: the `aantal` municipalities nearest in
inhabitants (as a ratio, so 50.000 is as near to 100.000 as 200.000 is), among those with between
1/`inwoners_factor` and `inwoners_factor` times the municipality's inhabitants in the report year;
ties by name. Only rates and shares are compared (a count mostly says how large a municipality is).
The inhabitants of every municipality are looked up once per year's inputs, not per page.
"""

from __future__ import annotations

import math
from typing import Any

from jeugdmonitor.definitions import config
from jeugdmonitor.report import templates
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY, least_final

POPULATION_KPI = "inwoners"
KEY = "vergelijkbare_gemeenten"  # its entry in config/kpis.yaml

# id(inputs) -> (inputs, {municipality: inhabitants}): computed once per year's inputs (a warm
# kernel builds many pages from one Inputs); the inputs are kept so an id is never reused
_population: dict[int, tuple[Any, dict[str, float]]] = {}


def rule(cfg: config.Config) -> dict[str, Any]:
    """The configured rule, checked: a count of peers, a factor above 1, and rates only."""
    spec = cfg.peers
    if not spec:
        raise config.ConfigError(f"config/kpis.yaml: {KEY} ontbreekt (de regel voor vergelijkbare gemeenten)")
    for kpi_id in spec["kpis"]:
        if kpi_id not in cfg.kpis:
            raise config.ConfigError(f"config/kpis.yaml: {KEY}.kpis noemt onbekende KPI {kpi_id!r}")
        if not cfg.kpis[kpi_id].is_rate:
            raise config.ConfigError(f"config/kpis.yaml: {KEY}.kpis: {kpi_id} is een aantal; vergelijk alleen cijfers "
                                     "per jongere, per inwoner of als percentage")
    return spec


def population(inputs: Any) -> dict[str, float]:
    """Every municipality in the data (the report year's layout) -> its inhabitants in the report year."""
    cached = _population.get(id(inputs))
    if cached is not None and cached[0] is inputs:
        return cached[1]
    areas = inputs.areas
    codes = areas.loc[areas["niveau"] == LEVEL_MUNICIPALITY, "gebied_code"]
    found = {}
    for code in codes:
        value, _ = inputs.values.get(POPULATION_KPI, code, inputs.year)
        if value is not None and value > 0:
            found[str(code)] = float(value)
    _population.clear()  # one year's inputs at a time, as report.load_inputs
    _population[id(inputs)] = (inputs, found)
    return found


def peers(inputs: Any, municipality: str) -> list[str]:
    """The municipality's peer group by the configured rule (empty when its inhabitants are unknown)."""
    spec = rule(inputs.cfg)
    people = population(inputs)
    own = people.get(municipality)
    if own is None:
        return []
    factor = float(spec["inwoners_factor"])
    names = inputs.names
    candidates = [(abs(math.log(count / own)), names.get(code, code).casefold(), code) for code, count in people.items()
                  if code != municipality and own / factor <= count <= own * factor]
    return [code for _, _, code in sorted(candidates)[: int(spec["aantal"])]]


def section(report: Any) -> str:
    """The bijlage's section: one sentence on how the group was chosen, the group with each
    peer's inhabitants, and per configured rate the municipality beside each peer and the
    group's middle value (median)."""
    inputs = report.inputs
    spec = rule(inputs.cfg)
    group = peers(inputs, report.municipality)
    people = population(inputs)
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
    return templates.render("gemeente/vergelijkbaar.html.j2", r=report, spec=spec, own_people=people.get(report.municipality),
                        group=[{"code": code, "name": inputs.names.get(code, code), "people": people[code],
                                "region": code in set(inputs.members(report.region)["gebied_code"])} for code in group],
                        rows=rows, pool=len(people))


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
