"""The figures of a quarter report (kwartaalrapportage), from the regions' own exports.

For each jeugdregio that reports per quarter (config/kwartaal.yaml) and each of its
municipalities: trajectories started, ended and running in the quarter and the year to date,
against the same quarter of the year before; waiting at the end of each month of the quarter,
the share beyond the norm and the median waiting time; spending to date against the budget with a
forecast for the year and the budget or ceiling it is held against; and the placements
(verblijf and pleegzorg running at the end of each quarter). The exports are read under the same
contracts as the yearly cleaning stage (sources.exports.check_region_export); a quarter the exports do not
cover is refused, naming the months that are missing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.definitions.quarters import CONFIG_NAME, FORECAST_SEASONAL, KIND_FULL, STEERING_CEILING, TABLES, RegionSetting, settings
from jeugdmonitor.period import PeriodError, Quarter
from jeugdmonitor.sources.quarter_exports import check_coverage, read_exports
from jeugdmonitor.sources.rawdata import RawFile
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY, LEVEL_REGION, STATUS_FINAL, STATUS_PROVISIONAL

PLACEMENT_FORMS = ("verblijf", "pleegzorg")  # uithuisplaatsingen: the young person lives elsewhere


TREND_QUARTERS = 8


# ------------------------------------------------------------------ the figures
def trajectory_counts(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, int]:
    """Started and ended between `start` and `end` (both days included), and running on `end`."""
    began, stopped = frame["startdatum"], frame["einddatum"]
    return {"gestart": int(began.between(start, end).sum()),
            "beeindigd": int(stopped.between(start, end).sum()),
            "lopend": int(((began <= end) & (stopped.isna() | (stopped > end))).sum())}


def trajectory_rows(quarter: Quarter, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The quarter and the year to date, this year and the year before."""
    rows = []
    for this in (quarter, quarter.shifted(-4)):
        for span, start in (("kwartaal", this.start), ("jaar tot nu", this.year_start)):
            rows.append({"jaar": this.year, "periode": span, **trajectory_counts(frame, start, this.end)})
    return rows


def waiting_rows(quarter: Quarter, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Per month of the quarter: waiting, beyond the norm, their share (%) and the median wait."""
    months = frame["peildatum"].dt.to_period("M")
    rows = []
    for month in quarter.months:
        part = frame[months == month]
        waiting, beyond = int(part["aantal_wachtenden"].sum()), int(part["aantal_zorgelijk_wachtenden"].sum())
        median = float(part["mediaan_wachttijd_dagen"].iloc[0]) if len(part) == 1 else float("nan")
        rows.append({"maand": str(month), "wachtenden": waiting, "boven_norm": beyond,
                     "aandeel_boven_norm": 100 * beyond / waiting if waiting else float("nan"),
                     "mediaan_dagen": median})
    return rows


def spending_row(quarter: Quarter, region: RegionSetting, monthly: pd.DataFrame, budget: pd.DataFrame,
                 level: str) -> dict[str, Any]:
    """Spending to date, the year's budget, the forecast for the year and what it is held against."""
    months = monthly["peildatum"].dt.to_period("M")
    so_far = monthly[months.isin(quarter.months_to_date)]
    to_date = int(so_far["gerealiseerd_euro"].sum())
    planned = int(budget.loc[budget["jaar"].astype(int) == quarter.year, "begroot_euro"].sum())
    elapsed = 3 * quarter.quarter
    share = sum(region.weights[:elapsed]) / sum(region.weights) if region.forecast == FORECAST_SEASONAL else elapsed / 12
    forecast = to_date / share
    ceiling = level == LEVEL_REGION and region.steering == STEERING_CEILING
    target = float(region.ceiling) if ceiling else float(planned)
    provisional = bool(so_far["status"].eq(STATUS_PROVISIONAL).any())
    return {"realisatie_tot_nu": to_date, "begroot_jaar": planned, "prognose_jaar": forecast,
            "doel": "plafond" if ceiling else "budget", "doel_euro": target, "verschil_euro": forecast - target,
            "verschil_procent": 100 * (forecast - target) / target if target else float("nan"),
            "methode": region.forecast, "status": STATUS_PROVISIONAL if provisional else STATUS_FINAL}


def placement_rows(quarter: Quarter, frame: pd.DataFrame, first: pd.Timestamp) -> list[dict[str, Any]]:
    """Placements (verblijf and pleegzorg) running at the end of the last quarters the export covers."""
    placed = frame[frame["zorgvorm"].isin(PLACEMENT_FORMS)]
    rows = []
    for back in range(TREND_QUARTERS - 1, -1, -1):
        this = quarter.shifted(-back)
        if this.start >= first:
            rows.append({"kwartaal": str(this), "lopend": trajectory_counts(placed, this.start, this.end)["lopend"]})
    return rows


def month_rows(quarter: Quarter, monthly: pd.DataFrame) -> list[dict[str, Any]]:
    """Per month of the year to date: closed (definitief) in the administration or not (voorlopig)."""
    months = monthly["peildatum"].dt.to_period("M")
    rows = []
    for month in quarter.months_to_date:
        statuses = set(monthly.loc[months == month, "status"])
        rows.append({"maand": str(month), "status": STATUS_PROVISIONAL if STATUS_PROVISIONAL in statuses else STATUS_FINAL})
    return rows


def area_tables(quarter: Quarter, region: RegionSetting, exports: dict[str, Any], code: str, name: str,
                level: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows for one area (a municipality, or the region when `code` is the region's)."""
    def part(kind: str) -> pd.DataFrame:
        frame = exports[kind]
        return frame if level == LEVEL_REGION else frame[frame["gemeentecode"] == code]
    key = {"gebied_code": code, "gebied_naam": name, "niveau": level, "regio_code": region.code}
    tables: dict[str, list[dict[str, Any]]] = {
        "uitgaven": [{**key, **spending_row(quarter, region, part("realisatie_maand"), part("budget"), level)}],
        "maanden": [{**key, **row} for row in month_rows(quarter, part("realisatie_maand"))],
    }
    if region.kind == KIND_FULL:
        tables["trajecten"] = [{**key, **row} for row in trajectory_rows(quarter, part("trajecten"))]
        tables["wachttijden"] = [{**key, **row} for row in waiting_rows(quarter, part("wachttijden"))]
        first = exports["trajecten_periode"][0]
        tables["uithuisplaatsingen"] = [{**key, **row} for row in placement_rows(quarter, part("trajecten"), first)]
    return tables


def build_tables(cfg: config.Config, quarter: Quarter, files: list[RawFile] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the quarter, for every region that reports per quarter and its municipalities.
    Checks every region's coverage before computing anything. The monthly realisation files are
    added to `files` as read (for their GX suite, which the quarter stage runs)."""
    regions = settings(cfg, quarter)
    if not regions:
        raise PeriodError(f"geen enkele jeugdregio rapporteert per kwartaal: zet er een in config/{CONFIG_NAME}")
    exports = {region.code: read_exports(cfg, region.code, files) for region in regions}
    for region in regions:
        check_coverage(cfg, quarter, region, exports[region.code])
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for region in regions:
        areas = [(m, cfg.register.municipality(m).name, LEVEL_MUNICIPALITY)
                 for m in cfg.register.members(region.code, quarter.year)]
        for code, name, level in [(region.code, region.name, LEVEL_REGION), *areas]:
            for table, part in area_tables(quarter, region, exports[region.code], code, name, level).items():
                rows[table] += part
    settings_rows = [{"regio_code": r.code, "regio_naam": r.name, "soort": r.kind, "sturing": r.steering,
                      "toelichting": r.note, "methode": r.forecast} for r in regions]
    result = {name: pd.DataFrame(part) for name, part in rows.items()}
    result["regio"] = pd.DataFrame(settings_rows)
    return result
