"""The municipality report's sections: the answer first (goal statuses in one sentence and a
table), the trend per goal, the key figures, the begrippenlijst and "Over deze cijfers".
Python computes the values; the templates in templates/pages/gemeente/ say them."""

from __future__ import annotations

from typing import Any

from jeugdmonitor import buildinfo, paths
from jeugdmonitor.report import goals, questions, templates, trend_breaks
from jeugdmonitor.report.appendix import trend_of
from jeugdmonitor.report.formatting import is_missing
from jeugdmonitor.report.inputs import page_context
from jeugdmonitor.report.subject import Report, area_list, change_between
from jeugdmonitor.vocabulary import (
    GOAL_NONE,
    MERGED_ACTION,
)


def page_links(report: Report) -> dict[str, str]:
    """The pages a municipality's pages link to (file names from validated codes only)."""
    return {"report": paths.report_page_name(report.municipality), "appendix": paths.appendix_page_name(report.municipality),
            "region": paths.region_page_name(report.region), "index": paths.INDEX_PAGE_NAME,
            "accountability": paths.ACCOUNTABILITY_PAGE_NAME}


def _predecessors(report: Report) -> dict[str, Any] | None:
    """The municipalities this one was made of by a merger, and the year it began (None: no merger)."""
    frame = report.inputs.harmonisation
    rows = frame[(frame["nieuwe_code"] == report.municipality) & (frame["oude_code"] != report.municipality)
                 & (frame["actie"] == MERGED_ACTION)]
    if rows.empty:
        return None
    names = sorted(dict.fromkeys(rows["oude_naam"]), key=str.casefold)
    return {"names": names, "since": int(rows["jaar"].max()) + 1}


# ------------------------------------------------------------------------------ municipality report
def header(report: Report) -> str:
    return templates.render("gemeente/kop.html.j2", **page_context(report.inputs), r=report)


def introduction(report: Report) -> str:
    """Who the report is about (and, after a merger, which municipalities it was made of), and
    the links to the other pages: under the goals, so the answer is on the first screen."""
    return templates.render("gemeente/inleiding.html.j2", **page_context(report.inputs), r=report, links=page_links(report),
                        merger=_predecessors(report), page="rapport")


SMALL_COUNT = 50  # a CBS count below this, rounded to 5, can turn a status by rounding alone


def goal_line(report: Report, line: goals.GoalLine) -> dict[str, Any]:
    """One goal for the first screen: the assessments plus what a reader must know beside them."""
    kpi = line.kpi
    count = numerator_of(report, kpi.id, report.municipality)
    small = kpi.rounded_by_cbs and line.municipality.status != GOAL_NONE and (count is None or count < SMALL_COUNT)
    return {"goal": line.goal, "kpi": kpi, "own": line.municipality, "region": line.region, "change": line.change,
            "judgement": goals.judge_change(kpi, line.change),
            "own_close": line.municipality.close(kpi), "region_close": line.region.close(kpi), "small": small,
            "questions": questions.for_goal_line(line),
            "break": trend_breaks.for_goal(report.inputs.cfg, line.goal, report.year)}


def numerator_of(report: Report, kpi: str, area: str) -> float | None:
    """The count a KPI of `area` in the report year is built on (None: missing or suppressed)."""
    frame = report.inputs.kpi_rows.get(kpi, report.inputs.kpi_values.iloc[:0])
    rows = frame[(frame["gebied_code"] == area) & (frame["jaar"] == report.year)]
    return None if rows.empty or is_missing(rows["teller"].iloc[0]) else float(rows["teller"].iloc[0])


def largest_changes(report: Report) -> list[dict[str, Any]]:
    """The KPIs that changed most since last year, each judged in words."""
    inputs = report.inputs
    frame = goals.largest_changes(inputs.kpi_values, report.municipality, report.year, inputs.cfg.report_kpis)
    result = []
    for row in frame.to_dict("records"):
        kpi = inputs.cfg.kpis[row["kpi"]]
        change = change_between(report, kpi, report.municipality)
        if change:  # a change that rounds away is no change to a reader
            result.append({**row, "kpi": kpi, "change": change, "judgement": goals.judge_change(kpi, change),
                           "breaks": trend_breaks.between(inputs.cfg, kpi, report.year - 1, report.year)})
    return result


def diverging_pairs(report: Report) -> list[dict[str, Any]]:
    """Pairs of KPIs (config/kpis.yaml `uiteenlopend`) that moved in opposite directions this year."""
    result = []
    for pair in report.inputs.cfg.diverging:
        moves = []
        for kpi_id in pair["kpis"]:
            kpi = report.inputs.cfg.kpis[kpi_id]
            change = change_between(report, kpi, report.municipality)
            moves.append({"kpi": kpi, "change": change, "judgement": goals.judge_change(kpi, change)})
        signs = {m["change"] > 0 for m in moves if m["change"] is not None and abs(m["change"]) >= m["kpi"].margin}
        if len(signs) == 2:
            result.append({"moves": moves, "why": pair["uitleg"]})
    return result


def summary(report: Report) -> str:
    """First screen: the answer in one sentence, every goal of the region with the municipality's
    status first, the largest changes since last year judged in words."""
    inputs = report.inputs
    lines = [goal_line(report, line) for line in
             goals.goal_lines(inputs.cfg, inputs.values, report.municipality, report.region, report.year)]
    counts = goals.count_statuses([line["own"] for line in lines])
    return templates.render("gemeente/samenvatting.html.j2", **page_context(inputs), r=report, lines=lines, counts=counts,
                        changes=largest_changes(report), diverging=diverging_pairs(report), merger=_predecessors(report),
                        worsened=questions.worsened_figures(inputs.cfg, inputs.values, report.municipality,
                                                            report.year, inputs.cfg.report_kpis))


def goal_charts(report: Report) -> str:
    """One trend chart per goal of the region (its indicator, for the municipality and the region)."""
    inputs = report.inputs
    seen, charts_ = set(), []
    for goal in inputs.cfg.goals.get(report.region, ()):
        if goal.kpi in seen:
            continue
        seen.add(goal.kpi)
        trend = trend_of(report, inputs.cfg.kpis[goal.kpi])
        if trend is not None:
            charts_.append({"goal": goal, "kpi": inputs.cfg.kpis[goal.kpi], "trend": trend})
    return templates.render("gemeente/doelgrafieken.html.j2", **page_context(inputs), r=report, charts=charts_)


def summary_table(report: Report) -> str:
    """Kerncijfers: every report KPI for the municipality with its change judged in words,
    beside the region and the country where the KPI is a rate."""
    cfg = report.inputs.cfg
    rows = []
    for kpi_id in cfg.report_kpis:
        kpi = cfg.kpis[kpi_id]
        cells = []
        for area in report.area_codes:
            value, status = report.value(kpi_id, area, report.year)
            comparable = kpi.is_rate or area == report.municipality
            cells.append({"value": value if comparable else None, "status": status, "shown": comparable})
        change = change_between(report, kpi, report.municipality)
        rows.append({"kpi": kpi, "cells": cells, "change": change, "judgement": goals.judge_change(kpi, change)})
    return templates.render("gemeente/kerncijfers.html.j2", **page_context(report.inputs), r=report, areas=area_list(report),
                        rows=rows, links=page_links(report))


def glossary(report: Report) -> str:
    return templates.render("gemeente/begrippen.html.j2", **page_context(report.inputs), r=report)


def about(report: Report) -> str:
    """Where the figures come from, in a few lines, with links to the bijlage and the verantwoording."""
    inputs = report.inputs
    files = inputs.sources["bestand"]
    statline = inputs.sources[files.str.startswith("cbs/") & ~files.str.startswith(("cbs/iv3/", "cbs/gebieden/"))]
    titles = [*dict.fromkeys(f"{title} ({table})" for title, table in zip(statline["titel"], statline["tabel"], strict=True))]
    return templates.render("gemeente/over.html.j2", **page_context(inputs), r=report, links=page_links(report), titles=titles,
                        build_date=buildinfo.build_date().isoformat())


def appendix_header(report: Report) -> str:
    return templates.render("gemeente/bijlage_kop.html.j2", **page_context(report.inputs), r=report, links=page_links(report),
                        page="bijlage")
