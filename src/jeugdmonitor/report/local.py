"""The lokale paragraaf (the municipality's figures beside the region's and the country's) on
the page and as downloads: CSV and an Excel workbook with numbers as numbers, and the
report's figures as CSV for reuse and backtests."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import buildinfo, paths
from jeugdmonitor.report import downloads, templates
from jeugdmonitor.report.formatting import MISSING, is_missing, mark, value_with_mark
from jeugdmonitor.report.inputs import FICTITIOUS_LABEL, NL_NAME, STATUS_LEGEND, page_context
from jeugdmonitor.report.subject import Report
from jeugdmonitor.vocabulary import (
    NL_CODE,
)


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
    return templates.render("gemeente/lokale_paragraaf.html.j2", **page_context(report.inputs), r=report, columns=value_columns,
                        rows=rows, csv_name=paths.local_table_name(report.municipality, "csv"),
                        xlsx_name=paths.local_table_name(report.municipality, "xlsx"))


def save_local_table(report: Report, out_dir: Path) -> list[Path]:
    """The lokale paragraaf as CSV (';', the page's text cells) and as an Excel workbook beside
    the report (figures as numbers to calculate with); text cells are data in both (downloads)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = downloads.write_csv(local_table(report), out_dir / paths.local_table_name(report.municipality, "csv"),
                                   encoding="utf-8-sig")  # BOM: Excel opens it as UTF-8
    xlsx_path = out_dir / paths.local_table_name(report.municipality, "xlsx")
    built = buildinfo.build_datetime()
    book = _local_workbook(report)
    book.properties.created = built
    book.save(xlsx_path)
    _stamp_workbook(xlsx_path, built)
    return [csv_path, xlsx_path]


def _local_columns(report: Report) -> dict[str, tuple[str, int]]:
    """The lokale paragraaf's value columns (label: area, year), for the page, the CSV and the workbook."""
    return {f"{report.name} {report.year - 1}": (report.municipality, report.year - 1),
            f"{report.name} {report.year}": (report.municipality, report.year),
            f"{templates.word('regio', report.region_name)} {report.year}": (report.region, report.year),
            f"{NL_NAME} {report.year}": (NL_CODE, report.year)}


def _local_workbook(report: Report) -> Any:
    """The lokale paragraaf as a worksheet: per area a column of numbers (Excel's number format
    with the KPI's decimals; a Dutch Excel shows 1.234,5) and beside it a column with the status
    mark (* or **), so the figures can be calculated with; missing figures are '–'. Notes below."""
    columns = _local_columns(report)
    header = ["Indicator", "Eenheid"]
    for label in columns:
        header += [label, templates.word("kolom_status", label)]
    book, sheet = downloads.new_sheet(templates.word("blad_lokale_paragraaf"), (44, 20, *([18, 10] * len(columns))))
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
    notes = [STATUS_LEGEND, templates.word("noot_werkblad"), *([FICTITIOUS_LABEL] if inputs.fictitious else [])]
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


def save_figures(report: Report, out_dir: Path) -> Path:
    """The report's figures as CSV beside the HTML, for reuse and for backtests."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = report.inputs.kpi_values
    frame = frame[frame["gebied_code"].isin(report.area_codes) & frame["kpi"].isin(report.inputs.cfg.report_kpis)]
    return downloads.write_csv(frame, out_dir / paths.figures_csv_name(report.municipality), decimal=",")
