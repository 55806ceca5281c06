"""Content of the report pages: the annual progress report per municipality, the region
overview per jeugdregio and the index.

Python computes the values here and passes them to the Jinja templates in
templates/pages/ (autoescaped), which hold every sentence, heading and explanation. The
notebooks call one function per section, so a researcher reorders sections in the notebook
and changes words in the templates, without touching this module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import (
    __version__,
    builddate,
    cbs_regio,
    charts,
    clean,
    config,
    downloads,
    gespreksvragen,
    goals,
    kpis,
    pages,
    paths,
    trendbreuken,
)
from jeugdmonitor.formatting import MISSING, is_missing, mark, number, value_with_mark, year_label
from jeugdmonitor.vocabulary import (
    GOAL_NONE,
    LEVEL_MUNICIPALITY,
    MERGED_ACTION,
    MERGED_MARK,
    NL_CODE,
    least_final,
)

FICTITIOUS_LABEL = pages.word("label_fictief")
STATUS_LEGEND = pages.word("legenda")
NL_NAME = pages.word("land")


@dataclass
class Inputs:
    year: int
    cfg: config.Config
    areas: pd.DataFrame
    kpi_values: pd.DataFrame
    sources: pd.DataFrame
    harmonisation: pd.DataFrame
    validation: dict[str, Any]
    cbs_region: pd.DataFrame | None = None  # clean table cbs_regio (None: not loaded, no CBS-beside-region table)

    @property
    def fictitious(self) -> bool:
        return bool(self.sources["fictief"].any())

    @cached_property
    def values(self) -> goals.Values:
        return goals.Values(self.kpi_values)

    @cached_property
    def budget(self) -> pd.DataFrame:
        """The regional budget exports (begroot and gerealiseerd per begrotingspost)."""
        return clean.read_table(self.year, "budget")

    @cached_property
    def kpi_rows(self) -> dict[str, pd.DataFrame]:
        """kpi -> its rows of kpi_values: each page looks up every KPI, and filtering the national
        table for each of them cost more than grouping it once."""
        return {kpi: rows for kpi, rows in self.kpi_values.groupby("kpi", sort=False, observed=True)}

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.areas["gebied_code"], self.areas["naam"], strict=True))

    @cached_property
    def _members(self) -> dict[str, pd.DataFrame]:
        areas = self.areas
        municipalities = areas[areas["niveau"] == LEVEL_MUNICIPALITY].sort_values("naam")
        return {region: rows for region, rows in municipalities.groupby("regio_code", sort=False, observed=True)}

    def members(self, region: str) -> pd.DataFrame:
        """The region's municipalities in the report year, by name (looked up once per region:
        every KPI of every page asks)."""
        return self._members.get(region, self.areas.iloc[:0])


def _inputs_key(year: int) -> tuple:
    """What the validated inputs of `year` are made of: the stamp, the clean tables and config/
    (path, size, modification time). A new validation or an edited definition gives a new key."""
    files = [paths.validation_stamp(year), *sorted(paths.clean_dir(year).glob(f"*{paths.TABLE_SUFFIX}")),
             *sorted(paths.CONFIG_DIR.glob("*.yaml"))]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


# year -> (key, inputs): a warm kernel builds many pages of one year and reads the tables once
_loaded: dict[int, tuple[tuple, Inputs]] = {}


def load_inputs(year: int) -> Inputs:
    """Read the validated clean tables of `year`; refuse to report on unvalidated data. Read once
    per process while the files stay the same (the pages only read the returned tables)."""
    stamp = paths.validation_stamp(year)
    if not stamp.exists():
        raise FileNotFoundError(f"{stamp} ontbreekt: de schone data van {year} zijn niet door de validatie gekomen "
                                f"(draai `make validate YEAR={year}`)")
    key = _inputs_key(year)
    cached = _loaded.get(year)
    if cached is not None and cached[0] == key:
        return cached[1]
    inputs = Inputs(
        year=year,
        cfg=config.load(),
        areas=clean.read_table(year, "gebieden"),
        kpi_values=clean.read_table(year, "kpi_waarden"),
        sources=clean.read_table(year, "bronnen"),
        harmonisation=clean.read_table(year, "harmonisatie"),
        validation=json.loads(stamp.read_text(encoding="utf-8")),
        cbs_region=clean.read_table(year, cbs_regio.TABLE),
    )
    _loaded.clear()  # one year at a time: memory does not grow with the years a kernel has seen
    _loaded[year] = (key, inputs)
    return inputs


@dataclass
class Report:
    inputs: Inputs
    municipality: str
    name: str
    region: str
    region_name: str
    # kpi -> its trend (chart and table): a goal's chart on the report is the same as its KPI's in the bijlage
    trends: dict[str, dict[str, Any] | None] = field(default_factory=dict, repr=False)

    @property
    def year(self) -> int:
        return self.inputs.year

    @property
    def area_codes(self) -> list[str]:
        return [self.municipality, self.region, NL_CODE]

    @property
    def area_names(self) -> dict[str, str]:
        return {self.municipality: self.name, self.region: pages.word("regio", self.region_name), NL_CODE: NL_NAME}

    def values(self, kpi: str) -> pd.DataFrame:
        """The rows of `kpi` for the report's areas (municipality, region, country)."""
        frame = self.inputs.kpi_rows.get(kpi, self.inputs.kpi_values.iloc[:0])
        return frame[frame["gebied_code"].isin(self.area_codes)]

    def value(self, kpi: str, area: str, year: int) -> tuple[Any, Any]:
        """(value, status); value None when missing or suppressed, status None when there is no row."""
        return self.inputs.values.get(kpi, area, year)


def build(inputs: Inputs, municipality: str) -> Report:
    register = inputs.cfg.register
    info = register.municipality(municipality)  # unknown code -> error naming it
    areas = inputs.areas
    row = areas[(areas["gebied_code"] == municipality) & (areas["niveau"] == LEVEL_MUNICIPALITY)]
    if row.empty:
        raise config.UnknownMunicipalityError(
            f"gemeente {municipality} ({info.name}) ligt in {inputs.year} niet in een jeugdregio van de werkmap")
    return Report(inputs=inputs, municipality=municipality, name=info.name,
                  region=str(row["regio_code"].iloc[0]), region_name=str(row["regio_naam"].iloc[0]))


def _common(inputs: Inputs) -> dict[str, Any]:
    return {"fictitious": inputs.fictitious, "label": FICTITIOUS_LABEL, "legend": STATUS_LEGEND,
            "merged_mark": MERGED_MARK, "all_kpis": inputs.cfg.kpis}


def _change(report: Report, kpi: config.Kpi, area: str) -> float | None:
    return goals.change_on_previous_year(report.inputs.values, kpi, area, report.year)


def _links(report: Report) -> dict[str, str]:
    """The pages a municipality's pages link to (file names from validated codes only)."""
    return {"report": report_filename(report.municipality), "appendix": paths.appendix_page_name(report.municipality),
            "region": region_filename(report.region), "index": paths.INDEX_PAGE_NAME,
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
    return pages.render("gemeente/kop.html.j2", **_common(report.inputs), r=report)


def introduction(report: Report) -> str:
    """Who the report is about (and, after a merger, which municipalities it was made of), and
    the links to the other pages: under the goals, so the answer is on the first screen."""
    return pages.render("gemeente/inleiding.html.j2", **_common(report.inputs), r=report, links=_links(report),
                        merger=_predecessors(report), page="rapport")


SMALL_COUNT = 50  # a CBS count below this, rounded to 5, can turn a status by rounding alone


def _line(report: Report, line: goals.GoalLine) -> dict[str, Any]:
    """One goal for the first screen: the assessments plus what a reader must know beside them."""
    kpi = line.kpi
    count = _numerator(report, kpi.id, report.municipality)
    small = kpi.rounded_by_cbs and line.municipality.status != GOAL_NONE and (count is None or count < SMALL_COUNT)
    return {"goal": line.goal, "kpi": kpi, "own": line.municipality, "region": line.region, "change": line.change,
            "judgement": goals.judge_change(kpi, line.change),
            "own_close": line.municipality.close(kpi), "region_close": line.region.close(kpi), "small": small,
            "questions": gespreksvragen.for_goal_line(line),
            "break": trendbreuken.for_goal(report.inputs.cfg, line.goal, report.year)}


def _numerator(report: Report, kpi: str, area: str) -> float | None:
    """The count a KPI of `area` in the report year is built on (None: missing or suppressed)."""
    frame = report.inputs.kpi_rows.get(kpi, report.inputs.kpi_values.iloc[:0])
    rows = frame[(frame["gebied_code"] == area) & (frame["jaar"] == report.year)]
    return None if rows.empty or is_missing(rows["teller"].iloc[0]) else float(rows["teller"].iloc[0])


def _changes(report: Report) -> list[dict[str, Any]]:
    """The KPIs that changed most since last year, each judged in words."""
    inputs = report.inputs
    frame = goals.largest_changes(inputs.kpi_values, report.municipality, report.year, inputs.cfg.report_kpis)
    result = []
    for row in frame.to_dict("records"):
        kpi = inputs.cfg.kpis[row["kpi"]]
        change = _change(report, kpi, report.municipality)
        if change:  # a change that rounds away is no change to a reader
            result.append({**row, "kpi": kpi, "change": change, "judgement": goals.judge_change(kpi, change),
                           "breaks": trendbreuken.between(inputs.cfg, kpi, report.year - 1, report.year)})
    return result


def _diverging(report: Report) -> list[dict[str, Any]]:
    """Pairs of KPIs (config/kpis.yaml `uiteenlopend`) that moved in opposite directions this year."""
    result = []
    for pair in report.inputs.cfg.diverging:
        moves = []
        for kpi_id in pair["kpis"]:
            kpi = report.inputs.cfg.kpis[kpi_id]
            change = _change(report, kpi, report.municipality)
            moves.append({"kpi": kpi, "change": change, "judgement": goals.judge_change(kpi, change)})
        signs = {m["change"] > 0 for m in moves if m["change"] is not None and abs(m["change"]) >= m["kpi"].margin}
        if len(signs) == 2:
            result.append({"moves": moves, "why": pair["uitleg"]})
    return result


def summary(report: Report) -> str:
    """First screen: the answer in one sentence, every goal of the region with the municipality's
    status first, the largest changes since last year judged in words."""
    inputs = report.inputs
    lines = [_line(report, line) for line in
             goals.goal_lines(inputs.cfg, inputs.values, report.municipality, report.region, report.year)]
    counts = goals.count_statuses([line["own"] for line in lines])
    return pages.render("gemeente/samenvatting.html.j2", **_common(inputs), r=report, lines=lines, counts=counts,
                        changes=_changes(report), diverging=_diverging(report), merger=_predecessors(report),
                        worsened=gespreksvragen.worsened_figures(inputs.cfg, inputs.values, report.municipality,
                                                                 report.year, inputs.cfg.report_kpis))


def goal_charts(report: Report) -> str:
    """One trend chart per goal of the region (its indicator, for the municipality and the region)."""
    inputs = report.inputs
    seen, charts_ = set(), []
    for goal in inputs.cfg.goals.get(report.region, ()):
        if goal.kpi in seen:
            continue
        seen.add(goal.kpi)
        trend = _trend(report, inputs.cfg.kpis[goal.kpi])
        if trend is not None:
            charts_.append({"goal": goal, "kpi": inputs.cfg.kpis[goal.kpi], "trend": trend})
    return pages.render("gemeente/doelgrafieken.html.j2", **_common(inputs), r=report, charts=charts_)


def _area_list(report: Report, kpi: config.Kpi | None = None) -> list[dict[str, str]]:
    return [{"code": code, "name": report.area_names[code]} for code in _areas_for(report, kpi)]


def _areas_for(report: Report, kpi: config.Kpi | None) -> list[str]:
    """A rate is shown for the municipality, its region and the country; a count only for the
    municipality, so no larger area's count flattens its line or invites a comparison."""
    return report.area_codes if kpi is None or kpi.is_rate else [report.municipality]


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
        change = _change(report, kpi, report.municipality)
        rows.append({"kpi": kpi, "cells": cells, "change": change, "judgement": goals.judge_change(kpi, change)})
    return pages.render("gemeente/kerncijfers.html.j2", **_common(report.inputs), r=report, areas=_area_list(report),
                        rows=rows, links=_links(report))


def glossary(report: Report) -> str:
    return pages.render("gemeente/begrippen.html.j2", **_common(report.inputs), r=report)


def about(report: Report) -> str:
    """Where the figures come from, in a few lines, with links to the bijlage and the verantwoording."""
    inputs = report.inputs
    files = inputs.sources["bestand"]
    statline = inputs.sources[files.str.startswith("cbs/") & ~files.str.startswith(("cbs/iv3/", "cbs/gebieden/"))]
    titles = [*dict.fromkeys(f"{title} ({table})" for title, table in zip(statline["titel"], statline["tabel"], strict=True))]
    return pages.render("gemeente/over.html.j2", **_common(inputs), r=report, links=_links(report), titles=titles,
                        build_date=builddate.build_date().isoformat())


def appendix_header(report: Report) -> str:
    return pages.render("gemeente/bijlage_kop.html.j2", **_common(report.inputs), r=report, links=_links(report),
                        page="bijlage")


def _series(report: Report, kpi: config.Kpi) -> pd.DataFrame:
    frame = report.values(kpi.id)
    frame = frame[frame["gebied_code"].isin(_areas_for(report, kpi))]
    # one status per year (the least final across areas) so every area shares a year label
    statuses: dict[int, list[str]] = {}
    for year, status in zip(frame["jaar"], frame["status"], strict=True):
        statuses.setdefault(year, []).append(status)
    labels = {year: year_label(year, least_final(found)) for year, found in statuses.items()}
    order = {code: i for i, code in enumerate(report.area_codes)}
    return frame.assign(gebied=frame["gebied_code"].map(report.area_names), jaar_label=frame["jaar"].map(labels),
                        _o=frame["gebied_code"].map(order)).sort_values(["_o", "jaar"]).drop(columns="_o")


def _trend(report: Report, kpi: config.Kpi) -> dict[str, Any] | None:
    """The KPI's trend chart and table for the report's areas, built once per report."""
    if kpi.id not in report.trends:
        report.trends[kpi.id] = _new_trend(report, kpi)
    return report.trends[kpi.id]


def _new_trend(report: Report, kpi: config.Kpi) -> dict[str, Any] | None:
    series = _series(report, kpi)
    if not series["waarde"].notna().any():
        return None
    first = int(series.loc[series["waarde"].notna(), "jaar"].min())
    last = int(series.loc[series["waarde"].notna(), "jaar"].max())
    with_value = set(series.loc[series["waarde"].notna(), "gebied_code"])
    areas = _areas_for(report, kpi)
    present = [a for a in areas if a in with_value]
    chart = charts.trend_chart(series[["jaar_label", "gebied", "waarde", "status", "samengesteld"]], kpi.name,
                               kpi.unit, kpi.decimals)
    chart, breaks = trendbreuken.mark(chart, trendbreuken.for_kpi(report.inputs.cfg, kpi), first, last)
    text = pages.render_text("grafiek_trend.txt.j2", kpi=kpi, first=first, year=report.year, breaks=breaks,
                        areas=[report.area_names[a] for a in present], trend=_trend_words(report, kpi, first))
    # the table under the chart: a row per year with a value, a cell per area
    cell = {(year, area): (value, merged) for year, area, value, merged
            in zip(series["jaar"], series["gebied_code"], series["waarde"], series["samengesteld"], strict=True)}
    labels = dict(zip(series["jaar"], series["jaar_label"], strict=True))
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
    return {"first": first, "figure": pages.Markup(charts.figure_html(chart, text)), "rows": rows, "any_merged": any_merged,
            "areas": _area_list(report, kpi)}


def _trend_words(report: Report, kpi: config.Kpi, first: int) -> dict[str, Any]:
    """The municipality's first and last value of the series, for the chart's text alternative."""
    start, start_status = report.value(kpi.id, report.municipality, first)
    end, end_status = report.value(kpi.id, report.municipality, report.year)
    return {"name": report.name, "start": start, "start_label": year_label(first, start_status),
            "end": end, "end_label": year_label(report.year, end_status), "decimals": kpi.decimals}


def _comparison(report: Report, kpi: config.Kpi) -> dict[str, Any] | None:
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
    for code, name in ((report.region, pages.word("regio", report.region_name)), (NL_CODE, NL_NAME)):
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
    text = pages.render_text("grafiek_vergelijking.txt.j2", kpi=kpi, r=report, year_label=year_label(report.year, status),
                        count=len(ranked), position=position, own=next(row for row in rows if row["highlight"]),
                        references=references)
    return {"figure": pages.Markup(charts.figure_html(chart, text)), "rows": rows, "references": references, "status": status}


def kpi_section(report: Report, kpi_id: str) -> str:
    kpi = report.inputs.cfg.kpis[kpi_id]
    value, status = report.value(kpi_id, report.municipality, report.year)
    region, region_status = report.value(kpi_id, report.region, report.year)
    country, country_status = report.value(kpi_id, NL_CODE, report.year)
    change = _change(report, kpi, report.municipality)
    return pages.render("gemeente/kpi.html.j2", **_common(report.inputs), r=report, kpi=kpi, areas=_area_list(report, kpi),
                        now={"value": value, "status": status}, change=change, judgement=goals.judge_change(kpi, change),
                        region={"value": region, "status": region_status},
                        country={"value": country, "status": country_status},
                        trend=_trend(report, kpi), comparison=_comparison(report, kpi),
                        change_breaks=trendbreuken.between(report.inputs.cfg, kpi, report.year - 1, report.year))


def goals_section(report: Report) -> str:
    inputs = report.inputs
    lines = goals.goal_lines(inputs.cfg, inputs.values, report.municipality, report.region, report.year)
    return pages.render("gemeente/doelen.html.j2", **_common(inputs), r=report, lines=lines,
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
        lines = budget[kpis.budget_line_filter(spec, budget["begrotingspost"]) & budget["gebied_code"].isin(members)]
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
    return pages.render("gemeente/begrotingsposten.html.j2", **_common(report.inputs), r=report, goals=goals_on_lines)


# ------------------------------------------------------------------------------ lokale paragraaf
def local_table(report: Report) -> pd.DataFrame:
    """The lokale paragraaf: the local situation in figures, for the report year and the year
    before, beside the region and the country (text cells in Dutch number format, status marked)."""
    inputs = report.inputs
    columns = _local_columns(report)
    rows = []
    for kpi_id in inputs.cfg.local_kpis:
        kpi = inputs.cfg.kpis[kpi_id]
        row = {"Indicator": kpi.name, "Eenheid": kpi.unit}
        for label, (area, year) in columns.items():
            value, status = inputs.values.get(kpi_id, area, year)
            row[label] = value_with_mark(value, kpi.decimals, status)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Indicator", "Eenheid", *columns])


def local_section(report: Report) -> str:
    table = local_table(report)
    value_columns = list(table.columns[2:])
    rows = [{"name": r["Indicator"], "unit": r["Eenheid"], "cells": [r[c] for c in value_columns]}
            for r in table.to_dict("records")]
    return pages.render("gemeente/lokale_paragraaf.html.j2", **_common(report.inputs), r=report, columns=value_columns,
                        rows=rows, csv_name=paths.local_table_name(report.municipality, "csv"),
                        xlsx_name=paths.local_table_name(report.municipality, "xlsx"))


def save_local_table(report: Report, out_dir: Path) -> list[Path]:
    """The lokale paragraaf as CSV (';', the page's text cells) and as an Excel workbook beside
    the report (figures as numbers to calculate with); text cells are data in both (downloads)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = downloads.write_csv(local_table(report), out_dir / paths.local_table_name(report.municipality, "csv"),
                                   encoding="utf-8-sig")  # BOM: Excel opens it as UTF-8
    xlsx_path = out_dir / paths.local_table_name(report.municipality, "xlsx")
    built = builddate.build_datetime()
    book = _local_workbook(report)
    book.properties.created = built
    book.save(xlsx_path)
    _stamp_workbook(xlsx_path, built)
    return [csv_path, xlsx_path]


def _local_columns(report: Report) -> dict[str, tuple[str, int]]:
    """The lokale paragraaf's value columns (label: area, year), for the page, the CSV and the workbook."""
    return {f"{report.name} {report.year - 1}": (report.municipality, report.year - 1),
            f"{report.name} {report.year}": (report.municipality, report.year),
            f"{pages.word('regio', report.region_name)} {report.year}": (report.region, report.year),
            f"{NL_NAME} {report.year}": (NL_CODE, report.year)}


def _local_workbook(report: Report) -> Any:
    """The lokale paragraaf as a worksheet: per area a column of numbers (Excel's number format
    with the KPI's decimals; a Dutch Excel shows 1.234,5) and beside it a column with the status
    mark (* or **), so the figures can be calculated with; missing figures are '–'. Notes below."""
    columns = _local_columns(report)
    header = ["Indicator", "Eenheid"]
    for label in columns:
        header += [label, pages.word("kolom_status", label)]
    book, sheet = downloads.new_sheet(pages.word("blad_lokale_paragraaf"), (44, 20, *([18, 10] * len(columns))))
    for index, text in enumerate(header, start=1):
        downloads.put(sheet, 1, index, text)
    inputs = report.inputs
    for row, kpi_id in enumerate(inputs.cfg.local_kpis, start=2):
        kpi = inputs.cfg.kpis[kpi_id]
        downloads.put(sheet, row, 1, kpi.name)
        downloads.put(sheet, row, 2, kpi.unit)
        for index, (area, year) in enumerate(columns.values()):
            value, status = inputs.values.get(kpi_id, area, year)
            cell = MISSING if is_missing(value) else float(value)  # unrounded: the format rounds what is shown
            downloads.put(sheet, row, 3 + 2 * index, cell, downloads.excel_number_format(kpi.decimals))
            downloads.put(sheet, row, 4 + 2 * index, "" if is_missing(value) else mark(status))
    note_row = len(inputs.cfg.local_kpis) + 3
    notes = [STATUS_LEGEND, pages.word("noot_werkblad"), *([FICTITIOUS_LABEL] if inputs.fictitious else [])]
    for offset, note in enumerate(notes):
        downloads.put(sheet, note_row + offset, 1, note)
    return book


ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip entry can carry


def _stamp_workbook(path: Path, moment: dt.datetime) -> None:
    """openpyxl stamps a workbook with the clock (each zip entry's time and docProps/core.xml's
    `modified`); put the build moment in both, so two runs on the same inputs give the same bytes."""
    moment = max(moment, ZIP_EPOCH)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, data)
    partial.replace(path)


# ------------------------------------------------------------------------------ quality and accountability
def _finding(inputs: Inputs, finding: dict[str, Any], municipality: str | None = None) -> dict[str, Any]:
    """A warning as a report lists it: with the run's first flagged rows, or with `municipality`'s
    own rows, years and values (the finding's `per_area`, recorded by the gate)."""
    table = Path(finding["source"]).stem
    note = finding.get("note") or finding["expectation"]
    if municipality is not None:
        own = finding["per_area"][municipality]
        name = inputs.names.get(municipality, municipality)
        where = ", ".join(f"{name} {year}" for year in own["jaren"] if year is not None)
        return {"note": note, "table": table, "column": finding["column"], "count": own["aantal"],
                "examples": _examples(own["voorbeelden"]), "where": where}
    where = ""
    if table == "kpi_waarden" and finding["rows"] and not finding.get("rows_are_file_lines"):
        # name the areas and years of the flagged rows (row numbers of the published table)
        rows = inputs.kpi_values.iloc[[r for r in finding["rows"] if r < len(inputs.kpi_values)]]
        where = ", ".join(f"{inputs.names.get(r.gebied_code, r.gebied_code)} {r.jaar}" for r in rows.itertuples())
    return {"note": note, "table": table, "column": finding["column"],
            "count": finding["unexpected_count"], "examples": _examples(finding["examples"]), "where": where}


def _examples(values: list[Any]) -> str:
    return ", ".join(number(e, 1) if isinstance(e, (int, float)) else str(e) for e in values[:3] if e is not None)


def _quality_context(inputs: Inputs, heading: str, anchor: str, municipality: str | None = None) -> dict[str, Any]:
    """What the data-quality section says: the run's checks and its warnings; with `municipality`
    only the warnings with rows of that municipality (its own examples), and how many others."""
    validation = inputs.validation
    warnings = validation.get("waarschuwingen", [])
    if municipality is not None:
        own = [w for w in warnings if municipality in (w.get("per_area") or {})]
        shown = [_finding(inputs, w, municipality) for w in own]
    else:
        shown = [_finding(inputs, w) for w in warnings]
    return {"heading": heading, "anchor": anchor, "checked": validation["gecontroleerd"], "passed": validation["geslaagd"],
            "total": len(warnings), "warnings": shown, "others": len(warnings) - len(shown),
            "municipality": None if municipality is None else inputs.names.get(municipality, municipality)}


def quality_section(inputs: Inputs, heading: str = "Datakwaliteit", anchor: str = "kwaliteit",
                    municipality: str | None = None) -> str:
    """The data-quality section; with `municipality` (a municipality's bijlage) only the warnings
    that concern it, with its own example rows, and the number of other warnings in the run."""
    return pages.render("kwaliteit.html.j2", **_quality_context(inputs, heading, anchor, municipality))


CHANGES_SHOWN = 200


def quality_log(inputs: Inputs) -> str:
    """The run's quality log: what was checked, passed and warned, and which published
    figures changed since the previous validated run."""
    changed = inputs.validation.get("gewijzigd", [])
    kpis = inputs.cfg.kpis
    rows = [{"area": inputs.names.get(c["gebied_code"], c["gebied_code"]),
             "kpi": kpis[c["kpi"]].name if c["kpi"] in kpis else c["kpi"], "year": c["jaar"],
             "before": value_with_mark(c["waarde_vorige"], 2, c["status_vorige"]),
             "after": value_with_mark(c["waarde_nieuw"], 2, c["status_nieuw"])} for c in changed[:CHANGES_SHOWN]]
    return pages.render("kwaliteitslog.html.j2", **_quality_context(inputs, "Kwaliteitslog van deze run", "kwaliteitslog"),
                        changed=rows, changed_count=len(changed), more=max(0, len(changed) - CHANGES_SHOWN))


@cache
def git_commit() -> str:
    """The checkout's commit (asked once per process: a run does not change it)."""
    try:
        result = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.PROJECT_ROOT,
                                capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "onbekend (geen git-checkout)"
    return result.stdout.strip()


def accountability_section(inputs: Inputs, parameters: dict[str, Any], region: str | None = None) -> str:
    """Sources (CBS, and the exports of `region` when given), processing and run details."""
    sources = inputs.sources
    if region is not None:
        own = sources["bestand"].str.startswith("cbs/") | sources["bestand"].str.startswith(f"regio/{region}/")
        sources = sources[own]
    harmonisation = inputs.harmonisation
    if region is not None:  # only the mergers into this region's municipalities
        harmonisation = harmonisation[harmonisation["nieuwe_code"].isin(inputs.members(region)["gebied_code"])
                                      & (harmonisation["actie"] == MERGED_ACTION)]
    merged = []
    for row in harmonisation.drop_duplicates(["oude_code", "nieuwe_code"]).itertuples():
        years = harmonisation.loc[harmonisation["oude_code"] == row.oude_code, "jaar"]
        merged.append({**row._asdict(), "van": int(years.min()), "tot": int(years.max())})
    return pages.render("verantwoording.html.j2", **_common(inputs), sources=list(sources.itertuples()), merged=merged,
                        merged_action=MERGED_ACTION,
                        year=inputs.year, parameters=parameters, version=__version__, commit=git_commit(),
                        versions=inputs.cfg.versions, build_date=builddate.build_date().isoformat())


def save_figures(report: Report, out_dir: Path) -> Path:
    """The report's figures as CSV beside the HTML, for reuse and for backtests."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = report.inputs.kpi_values
    frame = frame[frame["gebied_code"].isin(report.area_codes) & frame["kpi"].isin(report.inputs.cfg.report_kpis)]
    return downloads.write_csv(frame, out_dir / paths.figures_csv_name(report.municipality), decimal=",")


# ------------------------------------------------------------------------------ file names
def region_filename(region: str) -> str:
    """The region overview's file: from its validated register code only (JZ + 2 digits)."""
    if not (len(region) == 4 and region.startswith("JZ") and region[2:].isdigit()):
        raise config.ConfigError(f"geen jeugdregiocode: {region!r}")
    return paths.region_page_name(region)


def report_filename(municipality: str) -> str:
    """The output file of a municipality's report: derived from its validated code only,
    never from a name, so no data value can steer a path outside reports/."""
    if not (len(municipality) == 6 and municipality.startswith("GM") and municipality[2:].isdigit()):
        raise config.UnknownMunicipalityError(f"geen gemeentecode: {municipality!r}")
    return paths.report_page_name(municipality)


def save_overview(inputs: Inputs, out_dir: Path) -> Path:
    """All areas' report KPIs for the report year in one CSV beside the index page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = inputs.kpi_values
    frame = frame[(frame["jaar"] == inputs.year) & frame["kpi"].isin(inputs.cfg.report_kpis)]
    frame = frame.merge(inputs.areas[["gebied_code", "naam"]], on="gebied_code")
    return downloads.write_csv(frame, out_dir / paths.overview_csv_name(inputs.year), decimal=",")

