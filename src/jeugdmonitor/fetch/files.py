"""Writing a fetched table as the workbook's raw files: dimension files, provenance sidecars, and
reading them back with the workbook's own readers before anything is published."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbsodata

from jeugdmonitor.fetch.service import FetchError
from jeugdmonitor.sources import raw

LICENCE = "CC BY 4.0"


MAKER = f"jeugdmonitor.fetch (cbsodata {cbsodata.__version__})"


USED_KEYS = "de sleutels die in het TypedDataSet voorkomen"  # what a dimension file holds (its sidecar says so)


@dataclass
class FetchedTable:
    """What one source's fetch wrote (paths relative to the target folder)."""

    key: str
    table: str
    title: str
    modified: str
    url: str
    rows: int
    years: list[int]
    regions: list[str]
    requested_regions: int | None
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # printed under the table (Dutch, for the user)


def span(years: Sequence[int]) -> str:
    if not years:
        return "-"
    if list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return ", ".join(str(y) for y in years)


def _dimension_file(data_path: Path, name: str) -> Path:
    return data_path.with_name(data_path.name.replace("TypedDataSet", name))


def write_dimension(data_path: Path, name: str, header: Sequence[str], entries: Sequence[Mapping[str, Any]],
                     meta: Mapping[str, Any]) -> Path:
    path = _dimension_file(data_path, name)
    raw.write_csv(path, header, [[str(r.get(column) or "") for column in header] for r in entries], quote_all=True)
    raw.write_sidecar(path, {**meta, "rijen": len(entries)})
    return path


def provenance(table: str, title: str, retrieved: str, modified: str, period_status: dict[str, str],
                **extra: Any) -> dict[str, Any]:
    """What every sidecar of a fetched table records (the file's own fields are added per file)."""
    return {"tabel": table, "titel": title, "opgehaald": retrieved, "laatst_gewijzigd": modified, "licentie": LICENCE,
            "fictief": False, "perioden_status": period_status, "maker": MAKER, **extra}


def read_back(table: str, url: str, data_path: Path, dimensions: Sequence[str], decimals: Mapping[str, int],
               missing_mark: str, period_dim: str | None = None) -> None:
    """Read the written files with the workbook's own readers before anything is published."""
    try:
        raw.read_cbs_table(data_path, list(dimensions), {t: d > 0 for t, d in decimals.items()}, missing_mark)
        for name in dimensions:
            raw.read_dimension(_dimension_file(data_path, name),
                               ("Key", "Title", "Status") if name == period_dim else ("Key", "Title"))
    except raw.RawDataError as error:
        raise FetchError(f"CBS-tabel {table} ({url}): de opgehaalde bestanden zijn niet terug te lezen: {error}") from error
