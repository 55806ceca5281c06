"""The figures of a quarter report (kwartaalrapportage), from the regions' own exports.

For each jeugdregio that reports per quarter (config/kwartaal.yaml) and each of its
municipalities: trajectories started, ended and running in the quarter and the year to date,
against the same quarter of the year before; waiting at the end of each month of the quarter,
the share beyond the norm and the median waiting time; spending to date against the budget with a
forecast for the year and the budget or ceiling it is held against; and the placements
(verblijf and pleegzorg running at the end of each quarter). The exports are read under the same
contracts as the yearly cleaning stage (clean.check_region_export); a quarter the exports do not
cover is refused, naming the months that are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from jeugdmonitor import clean, config, paths, raw
from jeugdmonitor.period import PeriodError, Quarter, months_text
from jeugdmonitor.vocabulary import STATUS_FINAL, STATUS_PROVISIONAL

CONFIG_NAME = "kwartaal.yaml"
KIND_FULL = "volledig"
KIND_FINANCIAL = "financieel"
STEERING_CEILING = "plafond"
FORECAST_SEASONAL = "seizoen"
PLACEMENT_FORMS = ("verblijf", "pleegzorg")  # uithuisplaatsingen: the young person lives elsewhere
TREND_QUARTERS = 8
LEVEL_MUNICIPALITY, LEVEL_REGION = "gemeente", "regio"
# the tables a quarter's cleaning writes, each one parquet file in data/clean/<kwartaal>/
TABLES = ("trajecten", "wachttijden", "uitgaven", "uithuisplaatsingen", "maanden")


@dataclass(frozen=True)
class RegionSetting:
    """How one region reports this quarter (config/kwartaal.yaml)."""

    code: str
    name: str
    kind: str  # KIND_FULL or KIND_FINANCIAL
    steering: str  # "budget" or "plafond"
    ceiling: int | None
    note: str
    forecast: str  # "lineair" or "seizoen"
    weights: tuple[float, ...]


def settings(cfg: config.Config, quarter: Quarter) -> list[RegionSetting]:
    """The regions that report per quarter, with what they report in `quarter`."""
    data = yaml.safe_load((paths.CONFIG_DIR / CONFIG_NAME).read_text(encoding="utf-8"))
    result = []
    for code, entry in sorted((data.get("regio") or {}).items()):
        result.append(RegionSetting(
            code=code, name=cfg.register.regions[code].name, kind=entry["kwartalen"][f"K{quarter.quarter}"],
            steering=entry["sturing"], ceiling=entry.get("plafond_euro"), note=entry["toelichting"],
            forecast=entry["prognose"], weights=tuple(entry.get("maandgewichten") or (1.0,) * 12)))
    return result


# ------------------------------------------------------------------ reading under contract
def export_path(cfg: config.Config, region: str, kind: str) -> Path:
    return raw.export_file(paths.region_export_dir(region), cfg.sources["regio_exports"][kind]["bestand"])


def read_monthly_spending(cfg: config.Config, region: str) -> pd.DataFrame:
    """The region's realisation per month (realisatie_maand): columns and types, municipalities of
    the region, and a status per row that is one of the configured statuses."""
    spec = cfg.sources["regio_exports"]
    path = export_path(cfg, region, "realisatie_maand")
    frame = raw.read_region_export(path, spec["realisatie_maand"]["kolommen"], spec["datumformaat"])
    outside = frame["gemeentecode"].map(lambda c: cfg.register.municipality(str(c)).region) != region
    if outside.any():
        raise raw.RawDataError(path, f"gemeenten buiten regio {region}: {frame.loc[outside, 'gemeentecode'].unique()[:5].tolist()}",
                               column="gemeentecode", rows=[int(i) + 2 for i in frame.index[outside]])
    allowed = spec["realisatie_maand"]["statussen"]
    unknown = ~frame["status"].isin(allowed)
    if unknown.any():
        raise raw.RawDataError(path, f"onbekende status {frame.loc[unknown, 'status'].unique()[:3].tolist()}; "
                                     f"toegestaan: {', '.join(allowed)}", column="status",
                               rows=[int(i) + 2 for i in frame.index[unknown]])
    return frame


def read_exports(cfg: config.Config, region: str) -> dict[str, Any]:
    """The region's four exports, each read and checked under its contract."""
    result: dict[str, Any] = {kind: clean.check_region_export(cfg, region, kind, export_path(cfg, region, kind))
                              for kind in ("wachttijden", "trajecten", "budget")}
    result["realisatie_maand"] = read_monthly_spending(cfg, region)
    period = raw.read_sidecar(export_path(cfg, region, "trajecten"))["periode"]
    result["trajecten_periode"] = (pd.Timestamp(period["van"]), pd.Timestamp(period["tot"]))
    return result


def missing_months(quarter: Quarter, exports: dict[str, Any], kind: str) -> list[pd.Period]:
    """The months `kind` needs for `quarter` that its export does not hold."""
    if kind == "trajecten":  # the quarter and the same quarter a year before, inside the export's period
        first, last = exports["trajecten_periode"]
        wanted = quarter.shifted(-4).months + quarter.months
        return [m for m in wanted if m.start_time < first or m.end_time.normalize() > last]
    if kind == "wachttijden":
        present = set(exports["wachttijden"]["peildatum"].dt.to_period("M"))
        return [m for m in quarter.months if m not in present]
    present = set(exports["realisatie_maand"]["peildatum"].dt.to_period("M"))
    return [m for m in quarter.months_to_date if m not in present]


def check_coverage(cfg: config.Config, quarter: Quarter, region: RegionSetting, exports: dict[str, Any]) -> None:
    """Refuse a quarter the region's exports do not cover, naming the file and the missing months."""
    kinds = ["realisatie_maand"] + (["trajecten", "wachttijden"] if region.kind == KIND_FULL else [])
    problems = []
    for kind in kinds:
        missing = missing_months(quarter, exports, kind)
        if missing:
            problems.append(f"{paths.display_path(export_path(cfg, region.code, kind))} mist {months_text(missing)}")
    if quarter.year not in set(exports["budget"]["jaar"].astype(int)):
        problems.append(f"{paths.display_path(export_path(cfg, region.code, 'budget'))} mist het budget van {quarter.year}")
    if problems:
        raise PeriodError(f"kwartaal {quarter} zit niet in de data van {region.name} ({region.code}): "
                          + "; ".join(problems) + ". Er is niets gepubliceerd.")


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


def build_tables(cfg: config.Config, quarter: Quarter) -> dict[str, pd.DataFrame]:
    """Every table of the quarter, for every region that reports per quarter and its municipalities.
    Checks every region's coverage before computing anything."""
    regions = settings(cfg, quarter)
    if not regions:
        raise PeriodError(f"geen enkele jeugdregio rapporteert per kwartaal: zet er een in config/{CONFIG_NAME}")
    exports = {region.code: read_exports(cfg, region.code) for region in regions}
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
