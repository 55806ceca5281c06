"""The bijlage of a municipality report: per indicator its trend and its place in the region,
per goal its figures, and the budget lines the goals steer on."""

from __future__ import annotations

from typing import Any

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.report import charts, figures, goals, maps, templates, trend_breaks
from jeugdmonitor.report.formatting import is_missing, year_label
from jeugdmonitor.report.inputs import NL_NAME, page_context
from jeugdmonitor.report.subject import Report, area_list, areas_for, change_between
from jeugdmonitor.sources import exports
from jeugdmonitor.vocabulary import (
    NL_CODE,
    least_final,
)


def series_of(report: Report, kpi: config.Kpi) -> pd.DataFrame:
    """The KPI's rows for the report's areas (areas_for), area by area and each area's years in
    order, with the area's name (`gebied`) and the year's label (`jaar_label`)."""
    frame = report.inputs.kpi_area_rows(kpi.id, areas_for(report, kpi))
    if frame.empty:  # the columns typed as a filtered table's would be
        return frame.assign(gebied=frame["gebied_code"].map(report.area_names), jaar_label=frame["jaar"].map({}))
    # one status per year (the least final across areas) so every area shares a year label
    years = frame["jaar"].tolist()
    statuses: dict[int, list[str]] = {}
    for year, status in zip(years, frame["status"].tolist(), strict=True):
        statuses.setdefault(year, []).append(status)
    labels = {year: year_label(year, least_final(found)) for year, found in statuses.items()}
    names = report.area_names
    return frame.assign(gebied=pd.array([names[code] for code in frame["gebied_code"].tolist()], dtype="str"),
                        jaar_label=pd.array([labels[year] for year in years], dtype="str"))


def trend_of(report: Report, kpi: config.Kpi) -> dict[str, Any] | None:
    """The KPI's trend chart and table for the report's areas, built once per report."""
    if kpi.id not in report.trends:
        report.trends[kpi.id] = _new_trend(report, kpi)
    return report.trends[kpi.id]


def _new_trend(report: Report, kpi: config.Kpi) -> dict[str, Any] | None:
    series = series_of(report, kpi)
    # the columns as Python values, once: a pandas selection per question cost more than the rows
    present = series["waarde"].notna().tolist()
    if not any(present):
        return None
    years, codes, values = series["jaar"].tolist(), series["gebied_code"].tolist(), series["waarde"].tolist()
    first = int(min(year for year, shown in zip(years, present, strict=True) if shown))
    last = int(max(year for year, shown in zip(years, present, strict=True) if shown))
    with_value = {code for code, shown in zip(codes, present, strict=True) if shown}
    areas = areas_for(report, kpi)
    present_areas = [a for a in areas if a in with_value]
    chart = charts.trend_chart(series, kpi.name, kpi.unit, kpi.decimals)  # reads its five columns only
    chart, breaks = trend_breaks.mark(chart, trend_breaks.for_kpi(report.inputs.cfg, kpi), first, last)
    text = templates.render_text("grafiek_trend.txt.j2", kpi=kpi, first=first, year=report.year, breaks=breaks,
                                 areas=[report.area_names[a] for a in present_areas], trend=_trend_words(report, kpi, first))
    # the table under the chart: a row per year with a value, a cell per area
    cell = {(year, area): (value, merged) for year, area, value, merged
            in zip(years, codes, values, series["samengesteld"].tolist(), strict=True)}
    labels = dict(zip(years, series["jaar_label"].tolist(), strict=True))
    rows, any_merged = [], False
    for year in sorted(labels):
        found = [cell.get((year, area), (None, False)) for area in areas]
        if all(is_missing(value) for value, _ in found):
            continue
        cells = []
        for value, merged in found:
            merged = bool(merged) and not is_missing(value)
            any_merged |= merged
            cells.append({"value": None if is_missing(value) else float(value), "merged": merged})
        rows.append({"label": labels[year], "cells": cells})
    return {"first": first, "figure": templates.Markup(figures.figure_html(chart, text)), "rows": rows, "any_merged": any_merged,
            "areas": area_list(report, kpi)}


def _trend_words(report: Report, kpi: config.Kpi, first: int) -> dict[str, Any]:
    """The municipality's first and last value of the series, for the chart's text alternative."""
    start, start_status = report.value(kpi.id, report.municipality, first)
    end, end_status = report.value(kpi.id, report.municipality, report.year)
    return {"name": report.name, "start": start, "start_label": year_label(first, start_status),
            "end": end, "end_label": year_label(report.year, end_status), "decimals": kpi.decimals}


def comparison_of(report: Report, kpi: config.Kpi) -> dict[str, Any] | None:
    """The municipality among its region's municipalities, from high to low as the chart: for
    rates only (a count mostly says how large a municipality is)."""
    if not kpi.is_rate:
        return None
    inputs = report.inputs
    members = inputs.members(report.region)
    rows = []
    for code, name in zip(members["gebied_code"], members["naam"], strict=True):
        value, status = inputs.values.get(kpi.id, code, report.year)
        rows.append({"code": code, "name": name, "value": value, "status": status, "highlight": code == report.municipality})
    if not any(row["value"] is not None for row in rows):
        return None
    # highest first, ties by name, as the chart (charts.comparison_chart); no value last
    rows.sort(key=lambda row: (row["value"] is None, -(row["value"] or 0.0), row["name"]))
    references = []
    for code, name in ((report.region, templates.word("regio", report.region_name)), (NL_CODE, NL_NAME)):
        value, status = inputs.values.get(kpi.id, code, report.year)
        references.append({"name": name, "value": value, "status": status})
    statuses = [row["status"] for row in rows + references if row["status"] is not None]
    status = least_final(pd.Series(statuses)) if statuses else None
    frame = pd.DataFrame({"gebied": [row["name"] for row in rows], "waarde": [row["value"] for row in rows],
                          "status": [row["status"] for row in rows]})
    chart = charts.comparison_chart(frame, kpi.name, kpi.unit, kpi.decimals, highlight=report.name,
                                    references={ref["name"]: ref["value"] for ref in references})
    ranked = [row for row in rows if row["value"] is not None]
    position = next((i + 1 for i, row in enumerate(ranked) if row["highlight"]), None)
    text = templates.render_text("grafiek_vergelijking.txt.j2", kpi=kpi, r=report, year_label=year_label(report.year, status),
                        count=len(ranked), position=position, own=next(row for row in rows if row["highlight"]),
                        references=references)
    return {"figure": templates.Markup(figures.figure_html(chart, text)), "rows": rows, "references": references, "status": status}


def kpi_section(report: Report, kpi_id: str) -> str:
    kpi = report.inputs.cfg.kpis[kpi_id]
    value, status = report.value(kpi_id, report.municipality, report.year)
    region, region_status = report.value(kpi_id, report.region, report.year)
    country, country_status = report.value(kpi_id, NL_CODE, report.year)
    change = change_between(report, kpi, report.municipality)
    comparison = comparison_of(report, kpi)
    return templates.render("gemeente/kpi.html.j2", **page_context(report.inputs), r=report, kpi=kpi, areas=area_list(report, kpi),
                        now={"value": value, "status": status}, change=change, judgement=goals.judge_change(kpi, change),
                        region={"value": region, "status": region_status},
                        country={"value": country, "status": country_status},
                        trend=trend_of(report, kpi), comparison=comparison, map=maps.municipality_map(report, kpi, comparison),
                        change_breaks=trend_breaks.between(report.inputs.cfg, kpi, report.year - 1, report.year))


def goals_section(report: Report) -> str:
    inputs = report.inputs
    lines = goals.goal_lines(inputs.cfg, inputs.values, report.municipality, report.region, report.year)
    return templates.render("gemeente/doelen.html.j2", **page_context(inputs), r=report, lines=lines,
                        region=inputs.cfg.register.region(report.region))


def _budget_goal_lines(report: Report) -> list[dict[str, Any]]:
    """Per goal on budget lines (a KPI counting `posten`, such as the Transformatiefonds): planned
    and spent per line and year, for the municipality and the region."""
    inputs = report.inputs
    budget = inputs.budget
    members = set(inputs.members(report.region)["gebied_code"])
    result = []
    for goal in inputs.cfg.goals.get(report.region, ()):
        spec = inputs.cfg.kpis[goal.kpi].numerator
        if spec["bron"] != "budget" or "posten" not in spec:
            continue
        lines = budget[exports.budget_line_filter(spec, budget["begrotingspost"]) & budget["gebied_code"].isin(members)]
        if goal.period is not None:
            lines = lines[lines["jaar"].between(*goal.period)]
        if lines.empty:
            continue
        rows = []
        for (year, line), part in lines.groupby(["jaar", "begrotingspost"], sort=True):
            own = part[part["gebied_code"] == report.municipality]
            rows.append({"year": int(year), "line": line,
                         "own": _planned_spent(own), "region": _planned_spent(part)})
        result.append({"goal": goal, "rows": rows})
    return result


def _planned_spent(part: pd.DataFrame) -> dict[str, float | None]:
    planned = float(part["begroot_euro"].sum()) if not part.empty else None
    spent = float(part["gerealiseerd_euro"].sum()) if not part.empty else None
    share = 100 * spent / planned if planned else None
    return {"planned": None if planned is None else planned / 1e6, "spent": None if spent is None else spent / 1e6,
            "share": share}


def budget_lines_section(report: Report) -> str:
    """Planned versus spent per budget line for the region's goals on budget lines (empty when none)."""
    goals_on_lines = _budget_goal_lines(report)
    if not goals_on_lines:
        return ""
    return templates.render("gemeente/begrotingsposten.html.j2", **page_context(report.inputs), r=report, goals=goals_on_lines)
