"""Exploring the validated data from a notebook (notebooks/00_verkennen.ipynb): any clean table
with the areas' names, a municipality's KPI values by year, one trend chart drawn with the
report's own chart function, and where each recipe's files are. Reads data/clean/<year>/ only
(after the data-quality gate) and writes nothing."""

from __future__ import annotations

import difflib

import altair as alt
import pandas as pd

from jeugdmonitor import paths, tables
from jeugdmonitor.definitions import config
from jeugdmonitor.report import charts
from jeugdmonitor.report.formatting import year_label
from jeugdmonitor.vocabulary import CLEAN_TABLES, NL_CODE, least_final

AREA_NAME = "gebied_naam"  # the column with the area's name, beside gebied_code


def clean_table(year: int, table: str) -> pd.DataFrame:
    """The validated clean table `table` of `year`, with the area's name (`gebied_naam`) beside
    every `gebied_code`."""
    if table not in CLEAN_TABLES:
        raise ValueError(f"onbekende schone tabel {table!r}{_nearest(table, CLEAN_TABLES)} (bekend: {', '.join(CLEAN_TABLES)})")
    names = _area_names(year)
    frame = tables.read_table(year, table)
    if "gebied_code" not in frame.columns or table == "gebieden":
        return frame
    unnamed = sorted(set(frame["gebied_code"]) - set(names))
    if unnamed:
        raise ValueError(f"{paths.display_path(paths.clean_table(year, table))}: gebieden zonder naam in de tabel gebieden: {unnamed[:5]}")
    position = list(frame.columns).index("gebied_code") + 1
    frame.insert(position, AREA_NAME, frame["gebied_code"].map(names))
    return frame


def kpi_values(year: int, municipality: str) -> pd.DataFrame:
    """Every KPI of `municipality` by year: a row per KPI (id, name, unit), a column per year."""
    cfg = config.load()
    cfg.register.municipality(municipality)  # an unknown code stops here, naming it
    frame = clean_table(year, "kpi_waarden")
    frame = frame[frame["gebied_code"] == municipality]
    frame = frame.assign(naam=frame["kpi"].map(lambda k: cfg.kpis[k].name), eenheid=frame["kpi"].map(lambda k: cfg.kpis[k].unit))
    table = frame.pivot(index=["kpi", "naam", "eenheid"], columns="jaar", values="waarde")
    order = {kpi_id: number for number, kpi_id in enumerate(cfg.kpis)}  # as config/kpis.yaml lists them
    return table.sort_index(level="kpi", key=lambda ids: ids.map(order))


def trend(year: int, municipality: str, kpi: str) -> alt.LayerChart:
    """The chart of `kpi` for `municipality`, its jeugdregio and the Netherlands, drawn by the
    report's chart function (charts.trend_chart), as the report and its bijlage show it."""
    cfg = config.load()
    if kpi not in cfg.kpis:
        raise ValueError(f"onbekende KPI {kpi!r}: niet in config/kpis.yaml{_nearest(kpi, list(cfg.kpis))}")
    areas = clean_table(year, "gebieden").set_index("gebied_code")
    if municipality not in areas.index:
        raise config.UnknownMunicipalityError(f"gemeente {municipality!r} staat niet in de schone tabel gebieden van {year}")
    codes = [municipality, str(areas.loc[municipality, "regio_code"]), NL_CODE]
    frame = clean_table(year, "kpi_waarden")
    frame = frame[(frame["kpi"] == kpi) & frame["gebied_code"].isin(codes)]
    labels = {y: year_label(y, least_final(group["status"])) for y, group in frame.groupby("jaar")}
    order = {code: number for number, code in enumerate(codes)}
    series = frame.assign(gebied=frame[AREA_NAME], jaar_label=frame["jaar"].map(labels),
                          volgorde=frame["gebied_code"].map(order)).sort_values(["volgorde", "jaar"])
    definition = cfg.kpis[kpi]
    return charts.trend_chart(series[["jaar_label", "gebied", "waarde", "status", "samengesteld"]], definition.name,
                              definition.unit, definition.decimals)


# recipe -> (the files it edits, the command that shows the result); README, *Recipes*
RECIPES = {
    "Een KPI toevoegen": ("config/kpis.yaml; src/jeugdmonitor/templates/pages/gemeente/kpi.html.j2",
                          "make expectations && make reports"),
    "Een doel toevoegen": ("config/doelen.yaml", "make reports"),
    "Een zin van de rapportage wijzigen": ("src/jeugdmonitor/templates/pages/ (gemeente/, regio/, index.html.j2)",
                                           "make reports"),
    "Een onderdeel verplaatsen of weglaten": ("notebooks/03_gemeenterapport.ipynb", "make reports"),
    "Een regio toevoegen": ("config/gemeenten.yaml; data/raw/regio/<code>/; config/doelen.yaml",
                            "make regio JZ=<code>, make import ..., make expectations && make reports"),
    "Een kwaliteitsregel toevoegen": ("src/jeugdmonitor/quality/rules.py", "make expectations && make validate"),
}


def recipe_files() -> pd.DataFrame:
    """Per recipe of the README, the files it edits (relative to the project) and the command
    that shows the result."""
    return pd.DataFrame([{"recept": name, "bestanden": files, "daarna": command}
                         for name, (files, command) in RECIPES.items()])


def _area_names(year: int) -> dict[str, str]:
    stamp = paths.validation_stamp(year)
    if not stamp.exists():  # only data that passed the data-quality gate, as the reports
        raise FileNotFoundError(f"{paths.display_path(stamp)} ontbreekt: de schone data van {year} zijn niet door de "
                                f"validatie gekomen (draai `make validate YEAR={year}`)")
    areas = tables.read_table(year, "gebieden")
    return dict(zip(areas["gebied_code"], areas["naam"], strict=True))


def _nearest(word: str, known: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"; bedoelde u {close[0]!r}?" if close else ""
