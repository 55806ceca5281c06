"""The region overview per jeugdregio and the index of a year's reports: values computed here,
words in templates/pages/regio/ and templates/pages/index.html.j2."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jeugdmonitor import charts, goals, pages, paths
from jeugdmonitor.formatting import value_with_mark
from jeugdmonitor.report import NL_NAME, Inputs, _common, quality_log, region_filename, report_filename
from jeugdmonitor.vocabulary import GOAL_STATUSES, LEVEL_MUNICIPALITY, NL_CODE


def _count_statuses(assessments: list[goals.Assessment]) -> dict[str, int]:
    counts = Counter(a.status for a in assessments)
    return {status: counts[status] for status in GOAL_STATUSES if counts[status]}


def _overview_cells(inputs: Inputs, area: str) -> list[str]:
    cells = []
    for kpi_id in inputs.cfg.overview_kpis:
        value, status = inputs.values.get(kpi_id, area, inputs.year)
        cells.append(value_with_mark(value, inputs.cfg.kpis[kpi_id].decimals, status))
    return cells


def region_page(inputs: Inputs, region_code: str) -> str:
    cfg = inputs.cfg
    region = cfg.register.region(region_code)
    members = inputs.members(region_code)
    year = inputs.year
    lines = []
    for goal, kpi, assessment, change in goals.region_lines(cfg, inputs.values, region_code, year):
        per_municipality = [goals.municipality_assessment(goal, inputs.values, code, region_code, year)
                            for code in members["gebied_code"]]
        lines.append({"goal": goal, "kpi": kpi, "region": assessment, "change": change,
                      "municipality_counts": _count_statuses(per_municipality)})
    rows = [{"name": name, "page": report_filename(code), "cells": _overview_cells(inputs, code)}
            for code, name in zip(members["gebied_code"], members["naam"], strict=True)]
    references = [{"name": pages.word("regio", region.name), "cells": _overview_cells(inputs, region_code)},
                  {"name": NL_NAME, "cells": _overview_cells(inputs, NL_CODE)}]
    frame = inputs.kpi_values
    frame = frame[(frame["jaar"] == year) & frame["kpi"].isin(cfg.overview_kpis) & frame["gebied_code"].isin(members["gebied_code"])]
    order = {kpi: i for i, kpi in enumerate(cfg.overview_kpis)}  # panels in the order of the table's columns
    frame = frame.assign(_o=frame["kpi"].map(order)).sort_values(["_o", "gebied_code"])
    frame = frame.assign(kpi_naam=frame["kpi"].map(lambda k: cfg.kpis[k].name), gebied=frame["gebied_code"].map(inputs.names),
                         eenheid=frame["kpi"].map(lambda k: cfg.kpis[k].unit),
                         decimalen=frame["kpi"].map(lambda k: cfg.kpis[k].decimals))
    chart = charts.small_multiples(frame[["kpi_naam", "gebied", "waarde", "status", "eenheid", "decimalen"]],
                                   pages.word("grafiek_regio", region.name, year))
    text = pages.render_text("grafiek_regio.txt.j2", region=region, year=year, count=len(members),
                        kpis=[cfg.kpis[k] for k in cfg.overview_kpis])
    return pages.render("regio/overzicht.html.j2", **_common(inputs), region=region, year=year, members=members, lines=lines,
                        kpis=[cfg.kpis[k] for k in cfg.overview_kpis], rows=rows, reference_rows=references,
                        figure=pages.Markup(charts.figure_html(chart, text)))


def index_page(inputs: Inputs, municipalities: list[str] | None = None, docs_dir: Path | None = None) -> str:
    """Per region a table of its municipalities with key figures and goal status, links to every
    report, region overview and download, the run's quality log and the Data Docs."""
    cfg = inputs.cfg
    year = inputs.year
    regions = []
    for region_code in dict.fromkeys(inputs.areas.loc[inputs.areas["niveau"] == LEVEL_MUNICIPALITY, "regio_code"]):
        members = inputs.members(region_code)
        if municipalities:
            members = members[members["gebied_code"].isin(municipalities)]
        if members.empty:
            continue
        region_goals = cfg.goals.get(region_code, ())
        rows = []
        for code, name in zip(members["gebied_code"], members["naam"], strict=True):
            own = [goals.municipality_assessment(g, inputs.values, code, region_code, year) for g in region_goals]
            rows.append({"name": name, "page": report_filename(code), "cells": _overview_cells(inputs, code),
                         "goal_counts": _count_statuses(own), "csv": paths.local_table_name(code, "csv"),
                         "xlsx": paths.local_table_name(code, "xlsx")})
        regions.append({"name": cfg.register.region(region_code).name, "page": region_filename(region_code), "rows": rows,
                        "cells": _overview_cells(inputs, region_code),
                        "goal_counts": _count_statuses([goals.assess(g, inputs.values, region_code, year) for g in region_goals])})
    data_docs = None
    if docs_dir is not None and paths.report_index(docs_dir).exists():
        data_docs = {"index": f"{docs_dir.name}/{paths.report_index(docs_dir).name}",
                     "pages": [{"href": f"{docs_dir.name}/{entry['pagina']}", "table": table}
                               for table, entry in inputs.validation["datadocs"].items()]}
    return pages.render("index.html.j2", **_common(inputs), year=year, regions=regions,
                        kpis=[cfg.kpis[k] for k in cfg.overview_kpis], overview_csv=paths.overview_csv_name(year),
                        quality_log=pages.Markup(quality_log(inputs)), data_docs=data_docs)
