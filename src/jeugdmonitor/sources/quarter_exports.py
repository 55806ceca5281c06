"""A region's exports as a quarter report reads them: the monthly realisation (realisatie_maand)
and the yearly exports, each under its contract, and the months a quarter needs that they do not
cover yet (a quarter they do not cover is refused, naming the files and months)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.definitions.quarters import KIND_FULL, RegionSetting
from jeugdmonitor.period import PeriodError, Quarter, months_text
from jeugdmonitor.sources import raw
from jeugdmonitor.sources.exports import check_region_codes, check_region_export
from jeugdmonitor.sources.rawdata import RawFile


# ------------------------------------------------------------------ reading under contract
def export_path(cfg: config.Config, region: str, kind: str) -> Path:
    return raw.export_file(paths.region_export_dir(region), cfg.sources["regio_exports"][kind]["bestand"])


def read_monthly_spending(cfg: config.Config, region: str, path: Path | None = None, *,
                          verify_checksum: bool = True) -> pd.DataFrame:
    """The region's realisation per month (realisatie_maand): columns and types, municipalities of
    the region, a date on every row, one row per month, municipality and budget line, and a status
    per row that is one of the configured statuses.

    `make import` checks a staged file (`path`, no sidecar yet) with it before placing it."""
    spec = cfg.sources["regio_exports"]
    path = export_path(cfg, region, "realisatie_maand") if path is None else path
    frame = raw.read_region_export(path, spec["realisatie_maand"]["kolommen"], spec["datumformaat"],
                                   verify_checksum=verify_checksum)
    check_region_codes(path, frame, cfg.register, region)
    _refuse_rows(path, frame, frame["peildatum"].isna(), "peildatum", "lege peildatum: elke regel hoort bij een maand")
    key = pd.DataFrame({"maand": frame["peildatum"].dt.to_period("M"), "gemeente": frame["gemeentecode"],
                        "post": frame["begrotingspost"]})
    _refuse_rows(path, frame, key.duplicated(keep=False), "peildatum",
                 "dezelfde maand, gemeente en begrotingspost staan op meer dan één regel: de uitgaven zouden dubbel tellen")
    allowed = spec["realisatie_maand"]["statussen"]
    unknown = ~frame["status"].isin(allowed).fillna(False).astype(bool)
    _refuse_rows(path, frame, unknown, "status", f"onbekende status {frame.loc[unknown, 'status'].unique()[:3].tolist()}; "
                                                 f"toegestaan: {', '.join(allowed)}")
    return frame


def _refuse_rows(path: Path, frame: pd.DataFrame, bad: pd.Series, column: str, message: str) -> None:
    if bad.any():
        raise raw.RawDataError(path, message, column=column, rows=[int(i) + 2 for i in frame.index[bad]])


def read_exports(cfg: config.Config, region: str, files: list[RawFile] | None = None) -> dict[str, Any]:
    """The region's four exports, each read and checked under its contract. The monthly realisation
    is added to `files` as read, for its GX suite (ruw_realisatie_maand); the yearly gate checks
    the other three."""
    result: dict[str, Any] = {kind: check_region_export(cfg, region, kind, export_path(cfg, region, kind))[0]
                              for kind in ("wachttijden", "trajecten", "budget")}
    result["realisatie_maand"] = read_monthly_spending(cfg, region)
    if files is not None:
        files.append(RawFile("realisatie_maand", export_path(cfg, region, "realisatie_maand"),
                             result["realisatie_maand"].copy()))
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
