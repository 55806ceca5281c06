"""The region overview per jeugdregio, the index of a year's reports and the year's
verantwoording page: values computed here, words in templates/pages/regio/, templates/pages/index.html.j2
and templates/pages/verantwoording_kop.html.j2."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import comparisons, config
from jeugdmonitor.report import cbs_region, charts, figures, goals, maps, quarter, questions, templates, trend_breaks
from jeugdmonitor.report.accountability import quality_log
from jeugdmonitor.report.formatting import value_with_mark, year_label
from jeugdmonitor.report.inputs import NL_NAME, Inputs, page_context
from jeugdmonitor.vocabulary import (
    GOAL_STATUS_SYMBOLS,
    GOAL_STATUSES,
    LEVEL_MUNICIPALITY,
    NL_CODE,
    least_final,
)

# the index's filter and search: a few lines of plain script, shipped beside the pages
INDEX_SCRIPT_SOURCE = paths.TEMPLATE_DIR / "jeugdmonitor" / "static" / paths.INDEX_SCRIPT_NAME


def _overview_cells(inputs: Inputs, area: str) -> list[str]:
    cells = []
    for kpi_id in inputs.cfg.overview_kpis:
        value, status = inputs.values.get(kpi_id, area, inputs.year)
        cells.append(value_with_mark(value, inputs.cfg.kpis[kpi_id].decimals, status))
    return cells


def is_rate(kpi: config.Kpi) -> bool:
    """A rate or share (a numerator over a denominator): the only kind of figure that is ranked
    or compared between areas of different size; a count is not."""
    return kpi.denominator is not None


def names_per_status(assessments: dict[str, goals.Assessment]) -> list[dict[str, Any]]:
    """name -> assessment as one entry per status present (in GOAL_STATUSES order), each naming
    its municipalities in alphabetical order: who met a goal, not only how many."""
    by_status: dict[str, list[str]] = {}
    for name, assessment in assessments.items():
        by_status.setdefault(assessment.status, []).append(name)
    return [{"status": status, "symbol": GOAL_STATUS_SYMBOLS[status], "names": sorted(by_status[status], key=str.casefold)}
            for status in GOAL_STATUSES if status in by_status]


def ranked(inputs: Inputs, kpi_id: str, members: pd.DataFrame) -> list[dict[str, Any]]:
    """The region's municipalities on one KPI from high to low (ties and then missing values by
    name): the one order both a small-multiples panel and its table show."""
    rows = []
    for code, name in zip(members["gebied_code"], members["naam"], strict=True):
        value, status = inputs.values.get(kpi_id, code, inputs.year)
        rows.append({"code": code, "name": name, "page": paths.report_page_name(code), "value": value, "status": status})
    rows.sort(key=lambda row: (row["value"] is None, -(row["value"] or 0.0), row["name"].casefold()))
    place = 0
    for row in rows:
        if row["value"] is not None:
            place += 1
            row["place"] = place
        else:
            row["place"] = None
    return rows


def _references(inputs: Inputs, region_code: str, region_name: str, kpi_id: str) -> list[dict[str, Any]]:
    result = []
    for code, name in ((region_code, templates.word("regio", region_name)), (NL_CODE, NL_NAME)):
        value, status = inputs.values.get(kpi_id, code, inputs.year)
        result.append({"name": name, "value": value, "status": status})
    return result


def _panel(inputs: Inputs, region: config.Region, kpi: config.Kpi, members: pd.DataFrame) -> dict[str, Any]:
    """One KPI of the small multiples: the ranked municipalities, the region and Nederland as
    references, and the chart drawn in the same order."""
    rows = ranked(inputs, kpi.id, members)
    references = _references(inputs, region.code, region.name, kpi.id)
    statuses = [r["status"] for r in rows + references if r["status"] is not None]
    label = year_label(inputs.year, least_final(statuses) if statuses else None)
    title = templates.word("paneel_regio", label)
    frame = pd.DataFrame({"gebied": [r["name"] for r in rows], "waarde": [r["value"] for r in rows],
                          "status": [r["status"] for r in rows]})
    chart = charts.ranked_panel(frame, title, kpi.unit, kpi.decimals, {r["name"]: r["value"] for r in references})
    text = templates.render_text("grafiek_regio.txt.j2", kpi=kpi, region=region, year_label=label, rows=rows,
                             references=references)
    caption = templates.word("bijschrift_paneel", [r["name"] for r in references if r["value"] is not None],
                             [r["name"] for r in references if r["value"] is None])
    return {"kpi": kpi, "rows": rows, "references": references, "title": title,
            "figure": templates.Markup(figures.figure_html(chart, text, caption=caption, interactive=False)),
            "map": maps.region_map(inputs.year, region.name, kpi, rows, label)}


def _trend(inputs: Inputs, region: config.Region, kpi: config.Kpi) -> dict[str, Any] | None:
    """The region's key figure over the years beside Nederland's (a rate: see is_rate)."""
    if not is_rate(kpi):
        raise config.ConfigError(f"{kpi.id}: een aantal wordt niet naast Nederland in één grafiek gezet")
    areas = {region.code: templates.word("regio", region.name), NL_CODE: NL_NAME}
    frame = inputs.kpi_rows.get(kpi.id, inputs.kpi_values.iloc[:0])
    frame = frame[frame["gebied_code"].isin(list(areas)) & (frame["jaar"] <= inputs.year)]
    if not frame["waarde"].notna().any():
        return None
    labels = {year: year_label(int(year), least_final(part["status"]))
              for year, part in frame.groupby("jaar", sort=True)}
    order = {code: i for i, code in enumerate(areas)}
    series = frame.assign(gebied=frame["gebied_code"].map(areas), jaar_label=frame["jaar"].map(labels),
                          _o=frame["gebied_code"].map(order)).sort_values(["_o", "jaar"])
    chart = charts.region_trend(series[["jaar_label", "gebied", "waarde", "status"]], kpi.name, kpi.unit, kpi.decimals)
    with_value = series.loc[series["waarde"].notna(), "jaar"]
    chart, breaks = trend_breaks.mark(chart, trend_breaks.for_kpi(inputs.cfg, kpi), int(with_value.min()), int(with_value.max()))
    cell = {(year, code): value for year, code, value in zip(series["jaar"], series["gebied_code"], series["waarde"], strict=True)}
    rows = []
    for year in sorted(labels):
        values = [cell.get((year, code)) for code in areas]
        values = [None if v is None or pd.isna(v) else float(v) for v in values]
        if any(v is not None for v in values):
            rows.append({"label": labels[year], "values": values})
    text = templates.render_text("grafiek_regio_trend.txt.j2", kpi=kpi, areas=list(areas.values()), rows=rows, breaks=breaks)
    return {"kpi": kpi, "areas": list(areas.values()), "rows": rows,
            "figure": templates.Markup(figures.figure_html(chart, text, caption=templates.word("bijschrift_trend"), interactive=False))}


def region_page(inputs: Inputs, region_code: str) -> str:
    """The region overview: the count of the region's goals per status (the first screen's
    answer), per goal the region's status and the municipalities named per status, per key
    figure the municipalities ranked with the region and Nederland as reference, and the
    region's trend beside Nederland's for every key figure that is a rate."""
    cfg = inputs.cfg
    region = cfg.register.region(region_code)
    members = inputs.members(region_code)
    year = inputs.year
    lines = []
    for goal, kpi, assessment, change in goals.region_lines(cfg, inputs.values, region_code, year):
        own = {name: goals.municipality_assessment(goal, inputs.values, code, region_code, year)
               for code, name in zip(members["gebied_code"], members["naam"], strict=True)}
        lines.append({"goal": goal, "kpi": kpi, "region": assessment, "change": change,
                      "per_status": names_per_status(own), "questions": questions.for_goal(goal, assessment),
                      "break": trend_breaks.for_goal(cfg, goal, year)})
    key_figures = [cfg.kpis[k] for k in cfg.overview_kpis if is_rate(cfg.kpis[k])]
    trends = [t for t in (_trend(inputs, region, kpi) for kpi in key_figures) if t is not None]
    municipalities = [{"name": name, "page": paths.report_page_name(code)}
                      for code, name in zip(members["gebied_code"], members["naam"], strict=True)]
    return templates.render("regio/overzicht.html.j2", **page_context(inputs), region=region, year=year,
                        municipalities=municipalities, lines=lines,
                        region_counts=goals.count_statuses([line["region"] for line in lines]),
                        symbols=GOAL_STATUS_SYMBOLS, panels=[_panel(inputs, region, kpi, members) for kpi in key_figures],
                        trends=trends, accountability_page=paths.ACCOUNTABILITY_PAGE_NAME,
                        cbs_beside=([] if inputs.cbs_region is None
                                    else cbs_region.region_rows(cfg, inputs.cbs_region, members, year)),
                        cbs_margin=comparisons.spec(cfg)["marge_pct"])


def _region_entry(inputs: Inputs, region_code: str, members: pd.DataFrame) -> dict[str, Any]:
    """One region of the index: its goals, per municipality a status per goal, key figures and downloads."""
    cfg = inputs.cfg
    year = inputs.year
    region_goals = cfg.goals.get(region_code, ())
    rows = []
    for code, name in zip(members["gebied_code"], members["naam"], strict=True):
        own = [goals.municipality_assessment(g, inputs.values, code, region_code, year).status for g in region_goals]
        rows.append({"name": name, "page": paths.report_page_name(code), "cells": _overview_cells(inputs, code),
                     "statuses": own, "csv": paths.local_table_name(code, "csv"),
                     "xlsx": paths.local_table_name(code, "xlsx")})
    own = [goals.assess(g, inputs.values, region_code, year) for g in region_goals]
    return {"code": region_code, "name": cfg.register.region(region_code).name, "page": paths.region_page_name(region_code),
            "goals": list(region_goals), "rows": rows, "cells": _overview_cells(inputs, region_code),
            "statuses": [a.status for a in own], "counts": goals.count_statuses(own)}


def index_page(inputs: Inputs, municipalities: list[str] | None = None) -> str:
    """Per region its goals and a table of its municipalities with a status word and symbol per
    goal, key figures and downloads, with links to every report and region overview; a filter by
    region and a search by name that the page's own script (INDEX_SCRIPT_SOURCE) switches on.
    Developer content (quality log, Data Docs) is on the verantwoording page (accountability_cells)."""
    regions = []
    for region_code in dict.fromkeys(inputs.areas.loc[inputs.areas["niveau"] == LEVEL_MUNICIPALITY, "regio_code"]):
        members = inputs.members(region_code)
        if municipalities:
            members = members[members["gebied_code"].isin(municipalities)]
        if not members.empty:
            regions.append(_region_entry(inputs, region_code, members))
    return templates.render("index.html.j2", **page_context(inputs), year=inputs.year, regions=regions,
                        kpis=[inputs.cfg.kpis[k] for k in inputs.cfg.overview_kpis], symbols=GOAL_STATUS_SYMBOLS,
                        overview_csv=paths.overview_csv_name(inputs.year), script=paths.INDEX_SCRIPT_NAME,
                        count=sum(len(r["rows"]) for r in regions), map=maps.index_map(inputs, municipalities),
                        accountability_page=paths.ACCOUNTABILITY_PAGE_NAME,
                        quarters=quarter.annual_links(inputs.cfg, inputs.year))


def write_index_script(out_dir: Path) -> Path:
    """Put the index's filter script beside the index page (the page works without it)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / paths.INDEX_SCRIPT_NAME
    shutil.copyfile(INDEX_SCRIPT_SOURCE, target)
    return target


# ------------------------------------------------------------------------------ the year's verantwoording page
def accountability_heading(inputs: Inputs) -> str:
    """The verantwoording page's heading, with links back to the index and every region overview."""
    codes = dict.fromkeys(inputs.areas.loc[inputs.areas["niveau"] == LEVEL_MUNICIPALITY, "regio_code"])
    regions = [{"name": inputs.cfg.register.region(code).name, "page": paths.region_page_name(code)} for code in codes]
    return templates.render("verantwoording_kop.html.j2", **page_context(inputs), year=inputs.year, index=paths.INDEX_PAGE_NAME,
                        regions=regions)


def data_docs_links(inputs: Inputs, docs_dir: Path) -> str:
    """Links to the offline Data Docs of the validation behind the year's figures (empty when absent)."""
    if not paths.report_index(docs_dir).exists():
        return ""
    data_docs = {"index": f"{docs_dir.name}/{paths.report_index(docs_dir).name}",
                 "pages": [{"href": f"{docs_dir.name}/{entry['pagina']}", "table": table}
                           for table, entry in inputs.validation["datadocs"].items()]}
    return templates.render("datadocs_links.html.j2", data_docs=data_docs)


def quality_section(inputs: Inputs) -> str:
    """The run's quality log (what was checked, passed, warned and changed), for the verantwoording page."""
    return quality_log(inputs)
