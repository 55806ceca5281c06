"""Checks shared by the loaders of every source: codes known in the register and existing in the
year, complete area-periods, parts within their total (allowing CBS's rounding), provisional
status per period, and the provenance a file records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw


def status_map(cfg: config.Config, periods: pd.DataFrame, path: Path) -> dict[str, str]:
    labels = cfg.sources["status_labels"]
    unknown = periods.loc[~periods["Status"].isin(labels), "Status"]
    if len(unknown):
        raise raw.RawDataError(path, f"onbekende periodestatus {unknown.unique().tolist()}", column="Status",
                               rows=[int(i) + 2 for i in unknown.index])
    recorded = raw.read_sidecar(path).get("perioden_status", {})
    for index, key, status in zip(periods.index, periods["Key"], periods["Status"], strict=True):
        year = key[:4]
        if year in recorded and recorded[year] != status:
            # e.g. a provisional year presented as definitive after the fact
            raise raw.RawDataError(path, f"status van {year} is {status!r}, maar de herkomst-sidecar legde "
                                         f"{recorded[year]!r} vast toen de tabel werd opgehaald", column="Status",
                                   rows=[int(index) + 2])
    return {key: labels[status]["status"] for key, status in zip(periods["Key"], periods["Status"], strict=True)}


def year_column(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    bad = ~frame[column].str.fullmatch(r"\d{4}JJ00")
    if bad.any():
        raise raw.RawDataError(path, f"periodesleutels niet in de vorm 2023JJ00: {frame.loc[bad, column].head(3).tolist()}",
                               column=column, rows=[int(i) + 2 for i in frame.index[bad]])
    return frame[column].str[:4].astype(int)


def check_codes(path: Path, frame: pd.DataFrame, column: str, register: config.Register, allowed: set[str]) -> None:
    codes = frame[column]
    municipal = codes.str.startswith("GM")
    unknown = municipal & ~codes.isin(register.municipalities.keys())
    bad_other = ~municipal & ~codes.isin(allowed)
    problems = unknown | bad_other
    if problems.any():
        raise raw.RawDataError(path, f"onbekende regiocodes {codes[problems].unique()[:5].tolist()} "
                                     "(niet in config/gemeenten.yaml)", column=column,
                               rows=[int(i) + 2 for i in codes.index[problems]])


def provenance_of(path: Path) -> dict[str, Any]:
    return {**raw.read_sidecar(path), "pad": path.relative_to(paths.RAW_DIR).as_posix()}


def check_exists_in_year(path: Path, codes: pd.Series, years: pd.Series, register: config.Register, column: str) -> None:
    """A municipality code must exist in the year of its row (no merged-away municipality)."""
    municipal = codes.str.startswith("GM")
    gone = pd.Series(False, index=codes.index)
    gone[municipal] = [not register.municipality(c).exists_in(int(y)) for c, y in zip(codes[municipal], years[municipal], strict=True)]
    if gone.any():
        examples = sorted({f"{c} ({register.municipality(c).name}) in {int(y)}" for c, y in zip(codes[gone], years[gone], strict=True)})[:3]
        raise raw.RawDataError(path, f"gemeenten gemeld voor een jaar waarin ze niet meer (of nog niet) bestaan: "
                                     f"{examples}; zie config/herindelingen.yaml", column=column,
                               rows=[int(i) + 2 for i in codes.index[gone]])


def check_complete(path: Path, present: pd.DataFrame, expected: pd.MultiIndex, column: str, what: str) -> None:
    """Every expected (municipality, period) pair has a row: no year or municipality missing."""
    have = pd.MultiIndex.from_frame(present.drop_duplicates())
    missing = expected.difference(have)
    if len(missing):
        examples = [" ".join(str(part) for part in item) for item in missing[:5]]
        raise raw.RawDataError(path, f"ontbrekende {what}: {len(missing)}, bijvoorbeeld {examples}", column=column)


def year_span(years: list[int]) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "(geen jaren)"
    return f"{years[0]}-{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


def unknown_keys(path: Path, frame: pd.DataFrame, dim: str, known: dict[str, str], where: str) -> None:
    unknown = ~frame[dim].str.strip().isin(known)
    if unknown.any():
        raise raw.RawDataError(path, f"onbekende {dim}-sleutels {frame.loc[unknown, dim].unique()[:5].tolist()} (geen van de "
                                     f"titels in {where} in config/bronnen.yaml; bekend: {dict(list(known.items())[:12])})",
                               column=dim, rows=[int(i) + 2 for i in frame.index[unknown]])


def rounding_step(cfg: config.Config) -> int:
    """CBS's rounding of published counts (geheimhouding.afronding of cbs_jeugdzorg; the table by
    age is rounded the same way)."""
    return int(cfg.sources["cbs_jeugdzorg"]["geheimhouding"]["afronding"])


def check_parts_within_total(path: Path, frame: pd.DataFrame, keys: list[str], is_total: pd.Series, count: str,
                              total_key: str, step: int) -> None:
    """The age groups of a form-region-year may add up above its total only by what independent
    rounding can explain (`raw.rounding_slack`: half a step per published group and for the total;
    a young person counts in one age group). More than that stops the cleaning, naming the rows."""
    parts = frame[~is_total].groupby(keys)[count]
    summed, published = parts.sum(min_count=1), parts.count()
    totals = frame[is_total].set_index(keys)[count]
    slack = raw.rounding_slack(published.reindex(totals.index), step)
    over = summed.reindex(totals.index).gt(totals + slack).fillna(False)
    if not over.any():
        return
    bad = set(over.index[over])
    lines = [int(i) + 2 for i, key in zip(frame.index, zip(*(frame[k] for k in keys), strict=True), strict=True)
             if key in bad]
    example = min(bad)
    half = f"{step / 2:g}".replace(".", ",")
    raise raw.RawDataError(
        path, f"de leeftijdsgroepen tellen op tot meer dan het totaal ({total_key}) bij {len(bad)} vorm-regio-jaren, "
              f"meer dan afronding op {step} kan verklaren (ten hoogste {half} per groep en {half} voor het "
              f"totaal), bijvoorbeeld {' '.join(example)}: {summed[example]:g} tegen {totals[example]:g}",
        column=count, rows=lines)
