"""Checks on what CBS answers: the table's properties, TableInfos and TypedDataSet rows hold what
config/bronnen.yaml names, before anything is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cbsodata

from jeugdmonitor.fetch.service import FetchError

DIMENSION_TYPES = {"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"}


def listing(entries: Sequence[Mapping[str, Any]], limit: int = 12) -> str:
    shown = ", ".join(f"{str(e.get('Key', '')).strip()!r} {str(e.get('Title', '')).strip()!r}" for e in entries[:limit])
    return shown + (f" … ({len(entries)} in totaal)" if len(entries) > limit else "")


def dimensions_of(properties: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(p.get("Key")) for p in properties if p.get("Type") in DIMENSION_TYPES]


def check_properties(table: str, url: str, properties: list[dict[str, Any]], dimensions: Sequence[str],
                      topics: Sequence[str], filtered: Sequence[str]) -> dict[str, int]:
    """The configured dimensions and topics, and the dimensions `ophalen` filters, exist in the
    table; returns each topic's decimals."""
    by_key = {p.get("Key"): p for p in properties}
    table_dimensions = dimensions_of(properties)
    table_topics = [p.get("Key") for p in properties if p.get("Type") == "Topic"]
    missing_dimensions = [d for d in dimensions if d not in table_dimensions]
    missing_topics = [t for t in topics if t not in table_topics]
    if missing_dimensions or missing_topics:
        raise FetchError(f"CBS-tabel {table} ({url}/DataProperties) heeft geen dimensie(s) {missing_dimensions} / "
                         f"onderwerp(en) {missing_topics} die config/bronnen.yaml noemt; wel de dimensies "
                         f"{table_dimensions} en de onderwerpen {table_topics[:12]}{' …' if len(table_topics) > 12 else ''}")
    unknown_filtered = [d for d in dict.fromkeys(filtered) if d not in table_dimensions]
    if unknown_filtered:
        raise FetchError(f"CBS-tabel {table} ({url}/DataProperties) heeft geen dimensie(s) {unknown_filtered} "
                         f"die ophalen in config/bronnen.yaml noemt; wel {table_dimensions}")
    return {t: int(by_key[t].get("Decimals") or 0) for t in topics}


def check_unnamed_dimensions_fixed(table: str, url: str, table_dimensions: Sequence[str], dimensions: Sequence[str],
                                    fixed: Mapping[str, list[str]]) -> None:
    """A dimension of the table that `dimensies` does not name is fixed to exactly one key."""
    loose = [d for d in table_dimensions if d not in dimensions and len(fixed.get(d, ())) != 1]
    if loose:
        raise FetchError(f"CBS-tabel {table} ({url}/DataProperties) heeft dimensie(s) {loose} die config/bronnen.yaml "
                         "niet noemt: zet ze onder dimensies, of leg elk vast op één sleutel onder ophalen.filters")


def modified_of(answer: Mapping[str, Any]) -> str:
    return str(((answer.get("TableInfos") or [{}])[0]).get("Modified") or "")


def table_infos(table: str, url: str, infos: Mapping[str, Any] | None) -> tuple[str, str]:
    """Title and Modified of a TableInfos entry, after checking that it describes `table`."""
    infos = infos or {}
    identifier = str(infos.get("Identifier", ""))
    if identifier.lower() != table.lower():
        raise FetchError(f"CBS-tabel {table}: {url}/TableInfos beschrijft tabel {identifier!r}")
    modified = str(infos.get("Modified") or "")
    if not modified:
        raise FetchError(f"CBS-tabel {table}: {url}/TableInfos heeft geen datum Modified")
    return str(infos.get("Title") or ""), modified


def typed_data_set(table: str, url: str, answer: Mapping[str, Any], select: Sequence[str],
                    dimensions: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of a download_data answer, each checked to have every selected column and a key
    in every dimension."""
    # cbsodata 1.3.5's download_data leaves out the data set named by `typed` (typed=False
    # downloads TypedDataSet): check which one came back rather than trusting the flag.
    if "TypedDataSet" not in answer:
        raise FetchError(f"CBS-tabel {table}: cbsodata {cbsodata.__version__} gaf geen TypedDataSet van {url}/ "
                         f"(delen: {sorted(answer)})")
    for row in answer["TypedDataSet"]:
        absent = [c for c in select if c not in row]
        if absent:
            raise FetchError(f"CBS-tabel {table}: een rij uit {url}/TypedDataSet mist {absent}")
        if not all(isinstance(row[d], str) and row[d].strip() for d in dimensions):
            raise FetchError(f"CBS-tabel {table}: rij {row.get('ID')} uit {url}/TypedDataSet "
                             f"heeft een lege dimensiesleutel")
    return answer["TypedDataSet"]


def in_cbs_order(rows: list[dict[str, Any]]) -> None:
    """Back in CBS's order: the row ID is the position in the whole table."""
    rows.sort(key=lambda row: (0, row["ID"]) if isinstance(row["ID"], int) else (1, 0))


def used_entries(table: str, url: str, answer: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
                  name: str) -> list[dict[str, Any]]:
    """The entries of dimension `name` whose key occurs in `rows`, in CBS's order."""
    if name not in answer:
        raise FetchError(f"CBS-tabel {table}: {url}/ noemt geen dimensietabel {name}")
    used = {row[name] for row in rows}
    entries = [r for r in answer[name] if r.get("Key") in used]
    unknown = used - {r.get("Key") for r in entries}
    if unknown:
        raise FetchError(f"CBS-tabel {table}: sleutels {sorted(unknown)[:5]} uit {url}/TypedDataSet staan niet in {url}/{name}")
    return entries
