"""The OData `$filter` of a request: keys from `ophalen` in config/bronnen.yaml (checked against
the table's own dimension lists), and regions in groups that keep each URL under the length
the CBS servers accept."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch.answers import listing
from jeugdmonitor.fetch.service import FetchError, Service, dimension_entries

REGIONS_PER_REQUEST = 15  # at most, per request


# The CBS servers refuse URLs of more than about 2048 characters; the encoded $filter (which grows
# with years, filtered keys and regions) stays under this, leaving room for host, path and $select.
MAX_FILTER_CHARS = 1500


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def any_of(clauses: Sequence[str]) -> str:
    return clauses[0] if len(clauses) == 1 else "(" + " or ".join(clauses) + ")"


def fixed_filters(spec: Mapping[str, Any], key: str) -> dict[str, list[str]]:
    """`ophalen.filters` of a source: dimension -> allowed keys."""
    filters = (spec.get("ophalen") or {}).get("filters") or {}
    result: dict[str, list[str]] = {}
    for dimension, value in filters.items():
        if isinstance(value, str):
            if value not in spec:
                raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.filters.{dimension} verwijst naar "
                                         f"{value!r}, dat geen onderdeel van {key} is")
            value = spec[value]
        keys = list(value) if isinstance(value, (Mapping, list, tuple)) else [value]
        if not keys:
            raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.filters.{dimension} kiest geen sleutels")
        result[str(dimension)] = [str(k) for k in keys]
    return result


def title_filters(spec: Mapping[str, Any], key: str) -> dict[str, re.Pattern[str]]:
    """`ophalen.titels` of a source: dimension -> pattern that the Title of a wanted key matches."""
    titles = (spec.get("ophalen") or {}).get("titels") or {}
    result: dict[str, re.Pattern[str]] = {}
    for dimension, pattern in titles.items():
        try:
            result[str(dimension)] = re.compile(str(pattern))
        except re.error as error:
            raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.titels.{dimension} is geen reguliere "
                                     f"expressie ({error})") from error
    return result


def titled_entries(spec: Mapping[str, Any], key: str) -> dict[str, str]:
    """`ophalen.op_titel` of a source: dimension -> the entry of the source that gives CBS titles:
    a mapping whose keys are titles (e.g. `{VormenVanJeugdzorg: vormen}`) or one title (e.g.
    `{Geslacht: totaal_geslacht}`, "Totaal mannen en vrouwen")."""
    wanted = (spec.get("ophalen") or {}).get("op_titel") or {}
    result: dict[str, str] = {}
    for dimension, entry in wanted.items():
        value = spec.get(entry)
        if not (isinstance(value, Mapping) and value) and not (isinstance(value, str) and value.strip()):
            raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.op_titel.{dimension} verwijst naar {entry!r}, "
                                     f"dat geen titel of niet-lege lijst titels van {key} is")
        result[str(dimension)] = str(entry)
    return result


def resolve_titles(service: Service, table: str, url: str, spec: Mapping[str, Any],
                   titled: Mapping[str, str]) -> dict[str, dict[str, Mapping[str, Any]]]:
    """Per dimension of `ophalen.op_titel`: configured title -> the table's own entry (its Key
    padded as CBS serves it, and the Title as the table writes it), from the table's dimension
    list. A title with no key or several stops the fetch (TitleMatchError, exit 2) listing the
    candidates."""
    return {dimension: cbs_titles.match(dimension_entries(service, table, dimension),
                                        {title: title for title in cbs_titles.titles_of(spec[entry])},
                                        f"CBS-tabel {table} ({url}/{dimension})")
            for dimension, entry in titled.items()}


def resolve_filters(service: Service, table: str, url: str, fixed: Mapping[str, list[str]],
                     titled: Mapping[str, re.Pattern[str]]) -> dict[str, list[str]]:
    """The keys to request per filtered dimension, as the table itself spells them (CBS pads some
    keys with spaces, and `eq` compares exactly): the configured keys, each checked to exist, plus
    the keys whose Title matches `ophalen.titels`. A mismatch lists what the table offers, so the
    configuration can be corrected from the message alone. The dimensions themselves are checked
    to exist by `_check_properties`, before this asks for them."""
    resolved: dict[str, list[str]] = {}
    for dimension in dict.fromkeys([*fixed, *titled]):
        entries = dimension_entries(service, table, dimension)
        by_key = {str(e.get("Key", "")).strip(): str(e.get("Key", "")) for e in entries}
        wanted = [str(k) for k in fixed.get(dimension, [])]
        absent = [k for k in wanted if k.strip() not in by_key]
        if absent:
            raise FetchError(f"CBS-tabel {table}: {url}/{dimension} heeft geen sleutel(s) {absent} waar config/bronnen.yaml "
                             f"om vraagt; wel {listing(entries)}")
        keys = [by_key[k.strip()] for k in wanted]
        if dimension in titled:
            matched = [str(e.get("Key", "")) for e in entries
                       if titled[dimension].fullmatch(str(e.get("Title", "")).strip())]
            if not matched:
                raise FetchError(f"CBS-tabel {table}: geen titel in {url}/{dimension} past bij "
                                 f"{titled[dimension].pattern!r} (ophalen.titels); wel {listing(entries)}")
            keys += matched
        resolved[dimension] = list(dict.fromkeys(keys))
    return resolved


def build_filter(clauses: Sequence[str], region_dim: str, regions: Sequence[str] | None) -> str:
    region_clause = [any_of([f"startswith({region_dim},{quote(c)})" for c in regions])] if regions else []
    return " and ".join([*clauses, *region_clause])


def encoded_length(filter_text: str) -> int:
    return len(urlencode({"$filter": filter_text}))  # as requests encodes it


def region_chunks(table: str, clauses: Sequence[str], region_dim: str, regions: Sequence[str]) -> list[list[str] | None]:
    """Regions in groups as large as the URL length allows (at most REGIONS_PER_REQUEST)."""
    chunks: list[list[str] | None] = []
    current: list[str] = []
    for code in regions:
        candidate = [*current, code]
        if current and (len(candidate) > REGIONS_PER_REQUEST
                        or encoded_length(build_filter(clauses, region_dim, candidate)) > MAX_FILTER_CHARS):
            chunks.append(current)
            candidate = [code]
        if encoded_length(build_filter(clauses, region_dim, candidate)) > MAX_FILTER_CHARS:
            raise FetchError(f"CBS-tabel {table}: het $filter voor één gebied is al langer dan "
                             f"{MAX_FILTER_CHARS} tekens; vraag om minder jaren (--jaren) of minder sleutels in "
                             "ophalen van config/bronnen.yaml")
        current = candidate
    chunks.append(current)
    return chunks
