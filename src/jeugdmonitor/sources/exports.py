"""A region's own exports (waiting times, trajectories, budget) read under their contract: the
region's municipalities, every period, and for trajectories the period the export covers.
Also `make import` checks a file with it before placing it in data/raw/."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw
from jeugdmonitor.sources.checks import check_codes, check_complete, check_exists_in_year, provenance_of
from jeugdmonitor.sources.rawdata import RawFile
from jeugdmonitor.vocabulary import REGION_EXPORTS


def _check_waiting_norm(cfg: config.Config, path: Path) -> None:
    """A waiting-time export counts zorgelijk wachtenden beyond a norm in days; its sidecar records
    which (`wachtnorm_dagen`). The figure must mean what config/bronnen.yaml says."""
    wanted = int(cfg.sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"])
    found = raw.read_sidecar(path).get("wachtnorm_dagen")
    if found is None or isinstance(found, bool) or not isinstance(found, int) or found != wanted:
        raise raw.RawDataError(paths.raw_sidecar(path),
                               f"wachtnorm_dagen is {found!r}, maar config/bronnen.yaml (regio_exports.wachttijden."
                               f"wachtnorm_dagen) stelt {wanted} in: de zorgelijk wachtenden in dit bestand zijn met een "
                               "andere norm geteld (of de sidecar zegt niet met welke); vraag de regio om een export "
                               "met de ingestelde norm, of pas de norm in config/bronnen.yaml aan")


def load_region_exports(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Each region's own exports (waiting times, trajectories, budget), under their contract."""
    register = cfg.register
    exports = cfg.sources["regio_exports"]
    parts: dict[str, list[pd.DataFrame]] = {kind: [] for kind in REGION_EXPORTS}
    for region in register.regions:
        for kind in parts:
            path = raw.export_file(paths.region_export_dir(region), exports[kind]["bestand"])
            frame, period = check_region_export(cfg, region, kind, path)
            files.append(RawFile(kind, path, frame.copy()))
            if period is not None:
                frame.insert(0, "export_tot", period[1])
                frame.insert(0, "export_van", period[0])
            frame.insert(0, "regio_code", region)
            parts[kind].append(frame)
            provenance.append(provenance_of(path))
    return {kind: pd.concat(frames, ignore_index=True) for kind, frames in parts.items()}


Period = tuple[pd.Timestamp, pd.Timestamp]


def check_region_export(cfg: config.Config, region: str, kind: str, path: Path, *, sidecar: bool = True,
                        period: Callable[[pd.DataFrame], tuple[dt.date, dt.date]] | tuple[dt.date, dt.date] | None = None,
                        ) -> tuple[pd.DataFrame, Period | None]:
    """Read one of a region's exports under its contract (columns, types, codes of the region,
    every municipality and period) and return it with the period a trajectory export covers.

    A file in data/raw/ has its sidecar: its checksum is verified and a trajectory export's period
    read from it. `make import` checks a staged file before it writes the sidecar (once), so it
    passes `sidecar=False` and the period: given, or derived from the file (a function)."""
    register = cfg.register
    exports = cfg.sources["regio_exports"]
    frame = raw.read_region_export(path, exports[kind]["kolommen"], exports["datumformaat"], verify_checksum=sidecar)
    if kind == "wachttijden" and sidecar:
        _check_waiting_norm(cfg, path)
    check_region_codes(path, frame, register, region)
    if kind != "trajecten":  # trajectories are delivered on the current layout, whenever they started
        period_years = frame["jaar"] if kind == "budget" else frame["peildatum"].dt.year
        check_exists_in_year(path, frame["gemeentecode"].astype(str), period_years, register, "gemeentecode")
        _check_export_complete(path, frame, kind, register, region)
        return frame, None
    covered = sidecar_period(path) if period is None else period(frame) if callable(period) else period
    return frame, _check_export_period(path, frame, covered, "sidecar `periode`" if period is None else "PERIODE")


def check_region_codes(path: Path, frame: pd.DataFrame, register: config.Register, region: str) -> None:
    """Every `gemeentecode` of a region's export is a municipality of config/gemeenten.yaml that
    belongs to `region`; refused naming the file, the column and the rows."""
    check_codes(path, frame.astype({"gemeentecode": str}), "gemeentecode", register, set())
    outside = frame["gemeentecode"].map(lambda c: register.municipality(str(c)).region) != region
    if outside.any():
        raise raw.RawDataError(path, f"gemeenten buiten regio {region}: "
                                     f"{frame.loc[outside, 'gemeentecode'].unique()[:5].tolist()}",
                               column="gemeentecode", rows=[int(i) + 2 for i in frame.index[outside]])


def sidecar_period(path: Path) -> tuple[dt.date, dt.date]:
    """The period a trajectory export covers, from its sidecar (`periode`: `van`, `tot`)."""
    sidecar = paths.raw_sidecar(path)
    period = raw.read_sidecar(path).get("periode")
    try:
        first, last = dt.date.fromisoformat(period["van"]), dt.date.fromisoformat(period["tot"])
    except (TypeError, KeyError, ValueError) as error:
        raise raw.RawDataError(sidecar, "de sidecar van een trajectenexport legt de periode vast die de export beslaat, "
                                        '"periode": {"van": "JJJJ-MM-DD", "tot": "JJJJ-MM-DD"} (elk traject dat er op enig '
                                        f"moment in liep, staat in het bestand); gevonden {period!r}") from error
    if first > last:
        raise raw.RawDataError(sidecar, f"periode: van {first} ligt na tot {last}")
    return first, last


def _check_export_period(path: Path, frame: pd.DataFrame, period: tuple[dt.date, dt.date], source: str) -> Period:
    """The export holds every trajectory that ran at any time in its period, so in- and outflow
    are complete for the years inside it only; trajectories that did not run in it are refused."""
    first, last = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    for column, outside, what in (("einddatum", frame["einddatum"] < first, f"voor {first.date()} eindigden"),
                                  ("startdatum", frame["startdatum"] > last, f"na {last.date()} begonnen")):
        if outside.any():
            raise raw.RawDataError(path, f"trajecten die {what}, buiten de periode van de export "
                                         f"{first.date()} - {last.date()} ({source})", column=column,
                                   rows=[int(i) + 2 for i in frame.index[outside]])
    return first, last


def _check_export_complete(path: Path, frame: pd.DataFrame, kind: str, register: config.Register, region: str) -> None:
    """Every municipality of the region, every year from the first to the last (every month
    for waiting times)."""
    if kind == "wachttijden":
        periods = frame["peildatum"].dt.to_period("M")
        first, last = periods.min(), periods.max()
        wanted = pd.period_range(pd.Period(f"{first.year}-01", "M"), pd.Period(f"{last.year}-12", "M"), freq="M")
        members = {year: register.members(region, year) for year in {p.year for p in wanted}}  # per year, not per month
        expected = pd.MultiIndex.from_tuples([(c, str(p)) for p in wanted for c in members[p.year]],
                                             names=["code", "periode"])
        present = pd.DataFrame({"code": frame["gemeentecode"].astype(str), "periode": periods.astype(str)})
        check_complete(path, present, expected, "peildatum", "gemeente-maanden")
    else:
        years = range(int(frame["jaar"].min()), int(frame["jaar"].max()) + 1)
        expected = pd.MultiIndex.from_tuples([(c, y) for y in years for c in register.members(region, y)],
                                             names=["code", "jaar"])
        present = pd.DataFrame({"code": frame["gemeentecode"].astype(str), "jaar": frame["jaar"].astype(int)})
        check_complete(path, present, expected, "gemeentecode", "gemeente-jaren")


def budget_line_filter(spec: dict[str, Any], lines: pd.Series) -> pd.Series:
    """Which budget lines a `budget` side counts: `posten` (only these) and `behalve_posten` (not
    these), each a regular expression matched from the start of `begrotingspost` or a list of exact
    names. Neither: every line."""
    keep = pd.Series(True, index=lines.index)
    for option, wanted in (("posten", True), ("behalve_posten", False)):
        rule = spec.get(option)
        if rule is None:
            continue
        if isinstance(rule, str):
            try:
                pattern = re.compile(rule)
            except re.error as error:
                raise config.ConfigError(f"config/kpis.yaml: budget {option} {rule!r} is geen reguliere expressie ({error})") from error
            match = lines.astype(str).str.match(pattern).astype(bool)
        elif isinstance(rule, list) and rule:
            match = lines.isin([str(r) for r in rule])
        else:
            raise config.ConfigError(f"config/kpis.yaml: budget {option} moet een reguliere expressie of een lijst "
                                     f"begrotingsposten zijn, niet {rule!r}")
        keep &= match if wanted else ~match
    return keep
