"""Fetch the real CBS StatLine tables into data/raw/ with cbsodata.

    python -m jeugdmonitor.fetch --jaren 2015-2024 [--regio GM0518 ...] [--tabel cbs_jeugdzorg ...]

For each CBS source in config/bronnen.yaml (`cbs_jeugdzorg`, `cbs_bevolking`; `cbs_iv3` is marked
`ophalen.beschikbaar: false`, because the real Iv3 tables are shaped differently from the
workbook's simplified Iv3 table, and asking for it stops with that reason) the table id, the dimensions and the topics come from that file, not from this code. The fetch
downloads the table's TypedDataSet (only the configured columns, filtered to the requested
years and region codes) and its metadata with `cbsodata.download_data`, and writes the same
files as the bundled sample, so the cleaning stage reads them unchanged:

- `<bestand>` (e.g. `cbs/84134NED_TypedDataSet.csv`): `;`-separated, every field quoted, an
  `ID` column, one column per dimension (the key as CBS serves it, region keys with their
  trailing spaces) and one per topic, numbers right-aligned in 9 characters, `.` for an
  empty or suppressed cell (`ontbrekend_teken`);
- one `<table>_<Dimension>.csv` per dimension with `Key;Title` (plus `Status` for the period
  dimension), holding the keys that occur in the data;
- beside each file a provenance sidecar `<file>.meta.json` (`raw.write_sidecar`): `bron`,
  `tabel`, `titel` (CBS TableInfos Title), `url` (where the part was read), `opgehaald`
  (retrieval time, ISO 8601, UTC), `laatst_gewijzigd` (TableInfos Modified), `licentie`
  (CC BY 4.0), `fictief: false`, `perioden_status` (per year, from Perioden.Status),
  `sha256`, and `filter`, `rijen`, `maker`.

Everything is written to a temporary folder beside the target first and read back with the
workbook's own readers (`raw.read_cbs_table`, `raw.read_dimension`); the files are moved into
the target (default data/raw/) only when every requested table was fetched completely. Any
failure raises FetchError naming the table and the URL, and leaves the target untouched.
Without network the first request fails at once (connect timeout 5 s).

Environment
-----------
JEUGDMONITOR_CBS_URL
    Base address of the CBS OData v3 service: scheme, host and optionally a path prefix.
    When unset, each source uses the scheme and host of its `url` in config/bronnen.yaml,
    i.e. https://opendata.cbs.nl. Set it for a test server (`http://127.0.0.1:8123`) or an
    internal mirror (`https://cbs-mirror.example.org/statline`); it then applies to every
    table. cbsodata appends `/ODataFeed/odata/<table>/<part>`, so a mirror must serve those
    paths, and the `odata.nextLink` of a paged answer must point at the mirror itself:
    cbsodata follows it as given. Proxies come from http_proxy / https_proxy / no_proxy.

How cbsodata (1.3.x) is pointed at that address
-----------------------------------------------
cbsodata has no single "base URL" option. The host (plus prefix) goes through the documented
`catalog_url` argument of each call; http versus https only through the module option
`cbsodata.options.use_https`, which this module sets for the duration of a fetch and then
restores (the `catalog()` context manager accepts `use_https` but ignores it). Timeout and
proxies are passed as the documented requests keyword arguments. Paging (`odata.nextLink`)
is cbsodata's own.

Optional per-source setting in config/bronnen.yaml
--------------------------------------------------
ophalen: {filters: {<Dimension>: [key, ...] | <name of another entry of the same source>}}
    Restricts a dimension in the request (and checks it on the answer). A name refers to
    another entry of the source: a mapping gives its keys, a list its items, a value itself;
    e.g. `{VormenVanJeugdzorg: vormen}` or `{Geslacht: totaal_geslacht}`. A dimension of the
    CBS table that `dimensies` does not name must be fixed to one key this way. Each key is looked up
    in the table's own dimension list first: a key the table lacks stops the fetch with a listing of
    the keys and titles it has, and the request uses the key as CBS spells it (with its padding).
ophalen: {titels: {<Dimension>: <regular expression>}}
    Adds the keys whose Title matches, e.g. the single years of age of 03759ned's Leeftijd
    ('^([0-9]|1[0-9]|2[0-2]) jaar$'), whatever their keys: titles are what CBS keeps stable
    across tables. A dimension may have both a filter and a title pattern (the union is asked).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import cbsodata
import requests

from jeugdmonitor import config, paths, raw
from jeugdmonitor.clean import NL_CODE

ENV_URL = "JEUGDMONITOR_CBS_URL"
DEFAULT_URL = "https://opendata.cbs.nl"
SOURCES = ("cbs_jeugdzorg", "cbs_bevolking", "cbs_iv3")
LICENCE = "CC BY 4.0"
FEED_PATH = "ODataFeed/odata"  # where cbsodata 1.3 reads tables (its bulk feed, paged with odata.nextLink)
TIMEOUT = (5.0, 180.0)  # seconds: connect (fail at once without network), read (large pages)
REGIONS_PER_REQUEST = 15  # at most, per request
# The CBS servers refuse URLs of more than about 2048 characters; the encoded $filter (which grows
# with years, filtered keys and regions) stays under this, leaving room for host, path and $select.
MAX_FILTER_CHARS = 1500
DIMENSION_TYPES = {"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"}
YEAR_PERIOD = re.compile(r"(\d{4})JJ00")
REGION_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{2,8}")

log = logging.getLogger(__name__)


class FetchError(RuntimeError):
    """A CBS table could not be fetched completely. The message names the table and the URL."""


# ---------------------------------------------------------------------------- where to fetch
@dataclass(frozen=True)
class Service:
    """The address of a CBS OData v3 service, e.g. https://opendata.cbs.nl."""

    base_url: str

    @property
    def use_https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def catalog_url(self) -> str:
        """What cbsodata calls the catalog url: host and path prefix, without the scheme."""
        return self.base_url.split("://", 1)[1]

    def table_url(self, table: str) -> str:
        return f"{self.base_url}/{FEED_PATH}/{table}"


def parse_service(value: str, origin: str = ENV_URL) -> Service:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise FetchError(f"{origin}={value!r} is not a base address like {DEFAULT_URL} or http://127.0.0.1:8123")
    prefix = parts.path.rstrip("/")
    if re.search(r"/odata(api|feed|catalog)?(/|$)", prefix, flags=re.IGNORECASE):
        raise FetchError(f"{origin}={value!r}: give the base address only (like {DEFAULT_URL}); "
                         f"cbsodata adds /{FEED_PATH}/<table> itself")
    return Service(f"{parts.scheme}://{parts.netloc}{prefix}")


def service_for(spec: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Service:
    """JEUGDMONITOR_CBS_URL when set, else the scheme and host of the source's `url`."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENV_URL, "").strip()
    if override:
        return parse_service(override)
    configured = urlsplit(str(spec.get("url", "")))
    if configured.scheme in ("http", "https") and configured.netloc:
        return Service(f"{configured.scheme}://{configured.netloc}")
    return Service(DEFAULT_URL)


@contextlib.contextmanager
def _scheme(use_https: bool) -> Iterator[None]:
    """cbsodata takes http/https only from its module options: set it, and restore it after
    (a process-wide setting: do not run two fetches with different schemes in parallel threads)."""
    previous = cbsodata.options.use_https
    cbsodata.options.use_https = use_https
    try:
        yield
    finally:
        cbsodata.options.use_https = previous


def _failed_url(error: BaseException) -> str | None:
    """The URL of the request that failed (cbsodata re-raises HTTP errors without it)."""
    for item in (error, error.__cause__):
        if isinstance(item, requests.RequestException):
            if item.request is not None and getattr(item.request, "url", None):
                return str(item.request.url)
            if item.response is not None and item.response.url:
                return str(item.response.url)
    return None


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return f"no answer within {TIMEOUT[0]:g} s to connect / {TIMEOUT[1]:g} s to read ({error})"
    if isinstance(error, requests.ConnectionError):
        return f"no connection ({error})"
    for item in (error, error.__cause__):
        response = getattr(item, "response", None)
        if response is not None:
            return f"HTTP {response.status_code} {response.reason}"
    return str(error)


def _call(service: Service, table: str, what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One cbsodata call against `service`; any failure becomes a FetchError naming table and URL."""
    request_options = {"timeout": TIMEOUT, "proxies": requests.utils.get_environ_proxies(service.base_url)}
    try:
        with _scheme(service.use_https):
            return function(*args, catalog_url=service.catalog_url, **kwargs, **request_options)
    except requests.RequestException as error:
        url = _failed_url(error) or f"{service.table_url(table)}/"
        raise FetchError(f"CBS table {table}: {what} failed at {url}: {_reason(error)}") from error
    except (ValueError, KeyError) as error:  # JSON decoding, or no OData `value` envelope
        raise FetchError(f"CBS table {table}: {what} from {service.table_url(table)}/ is not an OData answer "
                         f"as CBS serves it ({type(error).__name__}: {error})") from error


# ---------------------------------------------------------------------------- one table
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


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _any_of(clauses: Sequence[str]) -> str:
    return clauses[0] if len(clauses) == 1 else "(" + " or ".join(clauses) + ")"


def _fixed_filters(spec: Mapping[str, Any], key: str) -> dict[str, list[str]]:
    """`ophalen.filters` of a source: dimension -> allowed keys."""
    filters = (spec.get("ophalen") or {}).get("filters") or {}
    result: dict[str, list[str]] = {}
    for dimension, value in filters.items():
        if isinstance(value, str):
            if value not in spec:
                raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.filters.{dimension} refers to "
                                         f"{value!r}, which is not an entry of {key}")
            value = spec[value]
        keys = list(value) if isinstance(value, (Mapping, list, tuple)) else [value]
        if not keys:
            raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.filters.{dimension} selects no keys")
        result[str(dimension)] = [str(k) for k in keys]
    return result


def _title_filters(spec: Mapping[str, Any], key: str) -> dict[str, re.Pattern[str]]:
    """`ophalen.titels` of a source: dimension -> pattern that the Title of a wanted key matches."""
    titles = (spec.get("ophalen") or {}).get("titels") or {}
    result: dict[str, re.Pattern[str]] = {}
    for dimension, pattern in titles.items():
        try:
            result[str(dimension)] = re.compile(str(pattern))
        except re.error as error:
            raise config.ConfigError(f"config/bronnen.yaml: {key}.ophalen.titels.{dimension} is no regular "
                                     f"expression ({error})") from error
    return result


def _listing(entries: Sequence[Mapping[str, Any]], limit: int = 12) -> str:
    shown = ", ".join(f"{str(e.get('Key', '')).strip()!r} {str(e.get('Title', '')).strip()!r}" for e in entries[:limit])
    return shown + (f" … ({len(entries)} in all)" if len(entries) > limit else "")


def _resolve_filters(service: Service, table: str, url: str, fixed: Mapping[str, list[str]],
                     titled: Mapping[str, re.Pattern[str]]) -> dict[str, list[str]]:
    """The keys to request per filtered dimension, as the table itself spells them (CBS pads some
    keys with spaces, and `eq` compares exactly): the configured keys, each checked to exist, plus
    the keys whose Title matches `ophalen.titels`. A mismatch lists what the table offers, so the
    configuration can be corrected from the message alone. The dimensions themselves are checked
    to exist by `_check_properties`, before this asks for them."""
    resolved: dict[str, list[str]] = {}
    for dimension in dict.fromkeys([*fixed, *titled]):
        entries = _call(service, table, f"reading dimension {dimension}", cbsodata.get_meta, table, dimension)
        by_key = {str(e.get("Key", "")).strip(): str(e.get("Key", "")) for e in entries}
        wanted = [str(k) for k in fixed.get(dimension, [])]
        absent = [k for k in wanted if k.strip() not in by_key]
        if absent:
            raise FetchError(f"CBS table {table}: {url}/{dimension} has no key(s) {absent} that config/bronnen.yaml "
                             f"asks for; it has {_listing(entries)}")
        keys = [by_key[k.strip()] for k in wanted]
        if dimension in titled:
            matched = [str(e.get("Key", "")) for e in entries
                       if titled[dimension].fullmatch(str(e.get("Title", "")).strip())]
            if not matched:
                raise FetchError(f"CBS table {table}: no title in {url}/{dimension} matches "
                                 f"{titled[dimension].pattern!r} (ophalen.titels); it has {_listing(entries)}")
            keys += matched
        resolved[dimension] = list(dict.fromkeys(keys))
    return resolved


def _table_dimensions(properties: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(p.get("Key")) for p in properties if p.get("Type") in DIMENSION_TYPES]


def _check_properties(table: str, url: str, properties: list[dict[str, Any]], dimensions: Sequence[str],
                      topics: Sequence[str], filtered: Sequence[str]) -> dict[str, int]:
    """The configured dimensions and topics, and the dimensions `ophalen` filters, exist in the
    table; returns each topic's decimals."""
    by_key = {p.get("Key"): p for p in properties}
    table_dimensions = _table_dimensions(properties)
    table_topics = [p.get("Key") for p in properties if p.get("Type") == "Topic"]
    missing_dimensions = [d for d in dimensions if d not in table_dimensions]
    missing_topics = [t for t in topics if t not in table_topics]
    if missing_dimensions or missing_topics:
        raise FetchError(f"CBS table {table} ({url}/DataProperties) has no dimension(s) {missing_dimensions} / "
                         f"topic(s) {missing_topics} named in config/bronnen.yaml; it has dimensions "
                         f"{table_dimensions} and topics {table_topics[:12]}{' …' if len(table_topics) > 12 else ''}")
    unknown_filtered = [d for d in dict.fromkeys(filtered) if d not in table_dimensions]
    if unknown_filtered:
        raise FetchError(f"CBS table {table} ({url}/DataProperties) has no dimension(s) {unknown_filtered} "
                         f"named in ophalen of config/bronnen.yaml; it has {table_dimensions}")
    return {t: int(by_key[t].get("Decimals") or 0) for t in topics}


def _check_unnamed_dimensions_fixed(table: str, url: str, table_dimensions: Sequence[str], dimensions: Sequence[str],
                                    fixed: Mapping[str, list[str]]) -> None:
    """A dimension of the table that `dimensies` does not name is fixed to exactly one key."""
    loose = [d for d in table_dimensions if d not in dimensions and len(fixed.get(d, ())) != 1]
    if loose:
        raise FetchError(f"CBS table {table} ({url}/DataProperties) has dimension(s) {loose} that config/bronnen.yaml "
                         "does not name: add them under dimensies, or fix each to one key under ophalen.filters")


def _modified(answer: Mapping[str, Any]) -> str:
    return str(((answer.get("TableInfos") or [{}])[0]).get("Modified") or "")


def _span(years: Sequence[int]) -> str:
    if not years:
        return "-"
    if list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return ", ".join(str(y) for y in years)


def _filter_text(clauses: Sequence[str], region_dim: str, regions: Sequence[str] | None) -> str:
    region_clause = [_any_of([f"startswith({region_dim},{_quote(c)})" for c in regions])] if regions else []
    return " and ".join([*clauses, *region_clause])


def _encoded_length(filter_text: str) -> int:
    return len(urlencode({"$filter": filter_text}))  # as requests encodes it


def _region_chunks(table: str, clauses: Sequence[str], region_dim: str, regions: Sequence[str]) -> list[list[str] | None]:
    """Regions in groups as large as the URL length allows (at most REGIONS_PER_REQUEST)."""
    chunks: list[list[str] | None] = []
    current: list[str] = []
    for code in regions:
        candidate = [*current, code]
        if current and (len(candidate) > REGIONS_PER_REQUEST
                        or _encoded_length(_filter_text(clauses, region_dim, candidate)) > MAX_FILTER_CHARS):
            chunks.append(current)
            candidate = [code]
        if _encoded_length(_filter_text(clauses, region_dim, candidate)) > MAX_FILTER_CHARS:
            raise FetchError(f"CBS table {table}: the $filter for one region is already longer than "
                             f"{MAX_FILTER_CHARS} characters; ask for fewer years (--jaren) or fewer keys in "
                             "ophalen of config/bronnen.yaml")
        current = candidate
    chunks.append(current)
    return chunks


def download_table(cfg: config.Config, key: str, folder: Path, service: Service | None = None,
                   years: Sequence[int] | None = None, regions: Sequence[str] | None = None) -> FetchedTable:
    """Fetch one CBS source of config/bronnen.yaml and write its files into `folder`.

    `years` None: every year (`<year>JJ00` periods); `regions` None: no region filter.
    Writes straight into `folder`: use `fetch` to publish into data/raw/ all-or-nothing."""
    spec = cfg.sources[key]
    table = str(spec["tabel"])
    service = service or service_for(spec)
    url = service.table_url(table)
    dimensions: dict[str, str] = {str(role): str(name) for role, name in spec["dimensies"].items()}
    topics = [str(name) for name in spec["onderwerpen"].values()]
    period_dim, region_dim = dimensions["periode"], dimensions["regio"]
    missing_mark = str(cfg.sources["ontbrekend_teken"])
    configured_filters = _fixed_filters(spec, key)
    titled = _title_filters(spec, key)
    wanted_periods = {f"{int(y)}JJ00" for y in years} if years else None
    retrieved = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    log.info("CBS table %s (%s) from %s", table, key, url)

    properties = _call(service, table, "reading DataProperties", cbsodata.get_meta, table, "DataProperties")
    decimals = _check_properties(table, url, properties, list(dimensions.values()), topics,
                                 [*configured_filters, *titled])
    fixed = _resolve_filters(service, table, url, configured_filters, titled)
    _check_unnamed_dimensions_fixed(table, url, _table_dimensions(properties), list(dimensions.values()), fixed)

    clauses = [_any_of([f"{period_dim} eq {_quote(p)}" for p in sorted(wanted_periods)]) if wanted_periods
               else f"substringof('JJ',{period_dim})"]
    clauses += [_any_of([f"{dim} eq {_quote(k)}" for k in keys]) for dim, keys in fixed.items()]
    chunks = _region_chunks(table, clauses, region_dim, regions) if regions else [None]
    select = ["ID", *dimensions.values(), *topics]
    fixed_keys = {dim: {k.strip() for k in keys} for dim, keys in fixed.items()}
    rows: list[dict[str, Any]] = []
    filters_used: list[str] = []
    first: dict[str, Any] = {}  # the first answer: its metadata describe the table
    for chunk in chunks:
        filter_text = _filter_text(clauses, region_dim, chunk)
        # cbsodata 1.3.5's download_data leaves out the data set named by `typed` (typed=False
        # downloads TypedDataSet): check which one came back rather than trusting the flag.
        answer = _call(service, table, "downloading", cbsodata.download_data, table, typed=False,
                       select=select, filters=filter_text)
        if "TypedDataSet" not in answer:
            raise FetchError(f"CBS table {table}: cbsodata {cbsodata.__version__} returned no TypedDataSet from {url}/ "
                             f"(parts: {sorted(answer)})")
        if not first:
            first = answer
        elif _modified(answer) != _modified(first):
            raise FetchError(f"CBS table {table} ({url}) changed while it was being fetched "
                             f"(Modified {_modified(first)} -> {_modified(answer)}); fetch again")
        filters_used.append(filter_text)
        wanted_regions = set(chunk) if chunk else None
        for row in answer["TypedDataSet"]:
            absent = [c for c in select if c not in row]
            if absent:
                raise FetchError(f"CBS table {table}: a TypedDataSet row from {url}/TypedDataSet lacks {absent}")
            if not all(isinstance(row[d], str) and row[d].strip() for d in dimensions.values()):
                raise FetchError(f"CBS table {table}: TypedDataSet row {row.get('ID')} from {url}/TypedDataSet "
                                 f"has an empty dimension key")
            period, region = row[period_dim], row[region_dim]
            if not isinstance(period, str) or not YEAR_PERIOD.fullmatch(period):
                continue
            if wanted_periods is not None and period not in wanted_periods:
                continue
            if wanted_regions is not None and str(region).strip() not in wanted_regions:
                continue  # startswith() may match longer codes; keep exactly the requested ones
            if any(row[dim].strip() not in keys for dim, keys in fixed_keys.items()):
                continue
            rows.append(row)
    # back in CBS's order (the row ID is the position in the whole table), whatever the region groups
    rows.sort(key=lambda row: (0, row["ID"]) if isinstance(row["ID"], int) else (1, 0))
    if not rows:
        raise FetchError(f"CBS table {table}: no rows at {url}/TypedDataSet for $filter {filters_used[0]!r}"
                         f"{' (and more region groups)' if len(filters_used) > 1 else ''}")

    infos = (first.get("TableInfos") or [{}])[0]
    identifier = str(infos.get("Identifier", ""))
    if identifier.lower() != table.lower():
        raise FetchError(f"CBS table {table}: {url}/TableInfos describes table {identifier!r}")
    title = str(infos.get("Title") or spec.get("titel", ""))
    modified = _modified(first)
    if not modified:
        raise FetchError(f"CBS table {table}: {url}/TableInfos has no Modified date")

    # CBS tables are full cubes: a municipality also has (empty) rows for the years in which it
    # did not exist. Those cells are not data; the workbook's register (config/gemeenten.yaml)
    # says when a municipality exists, and the sample has no such rows either.
    register = cfg.register
    dropped = 0
    kept = []
    for row in rows:
        code = str(row[region_dim]).strip()
        year = int(row[period_dim][:4])
        municipality = register.municipalities.get(code)
        if (municipality is not None and not municipality.exists_in(year)
                and all(row[t] is None for t in topics)):
            dropped += 1
            continue
        kept.append(row)
    rows = kept
    if not rows:
        raise FetchError(f"CBS table {table}: only empty rows at {url}/TypedDataSet for the requested years and regions")

    # ---- dimension tables: the rows whose key occurs in the data, in CBS's order
    dimension_rows: dict[str, list[dict[str, Any]]] = {}
    for name in dimensions.values():
        if name not in first:
            raise FetchError(f"CBS table {table}: {url}/ lists no dimension table {name}")
        used = {row[name] for row in rows}
        dimension_rows[name] = [r for r in first[name] if r.get("Key") in used]
        unknown = used - {r.get("Key") for r in dimension_rows[name]}
        if unknown:
            raise FetchError(f"CBS table {table}: keys {sorted(unknown)[:5]} of {url}/TypedDataSet are not in {url}/{name}")
    labels = cfg.sources["status_labels"]
    period_status = {}
    for r in dimension_rows[period_dim]:
        status = r.get("Status")
        if status not in labels:
            raise FetchError(f"CBS table {table}: period {r.get('Key')} at {url}/{period_dim} has status {status!r}, "
                             f"not one of {list(labels)} (status_labels in config/bronnen.yaml)")
        period_status[r["Key"][:4]] = status

    base_meta = {
        "tabel": table,
        "titel": title,
        "opgehaald": retrieved,
        "laatst_gewijzigd": modified,
        "licentie": LICENCE,
        "fictief": False,
        "perioden_status": dict(sorted(period_status.items())),
        "maker": f"jeugdmonitor.fetch (cbsodata {cbsodata.__version__})",
    }
    data_path = folder / spec["bestand"]
    raw.write_csv(data_path, select, [
        [str(row["ID"]), *(str(row[d]) for d in dimensions.values()),
         *(raw.cbs_cell(row[t], decimals[t], missing_mark) for t in topics)]
        for row in rows], quote_all=True)
    data_meta = {**base_meta, "bron": f"CBS StatLine, tabel {table} (TypedDataSet)", "url": f"{url}/TypedDataSet",
                 "filter": filters_used, "rijen": len(rows)}
    if dropped:
        data_meta["weggelaten_lege_rijen"] = (f"{dropped} lege rijen van gemeenten in jaren waarin ze volgens "
                                              "config/gemeenten.yaml niet bestonden")
    raw.write_sidecar(data_path, data_meta)
    written = [data_path]
    for name, entries in dimension_rows.items():
        path = data_path.with_name(data_path.name.replace("TypedDataSet", name))
        header = ["Key", "Title", "Status"] if name == period_dim else ["Key", "Title"]
        raw.write_csv(path, header, [[str(r.get(column) or "") for column in header] for r in entries], quote_all=True)
        raw.write_sidecar(path, {**base_meta, "bron": f"CBS StatLine, tabel {table} (dimensie {name})",
                                 "url": f"{url}/{name}", "rijen": len(entries),
                                 "selectie": "de sleutels die in het TypedDataSet voorkomen"})
        written.append(path)

    # ---- read back with the workbook's own readers before anything is published
    try:
        raw.read_cbs_table(data_path, list(dimensions.values()), {t: decimals[t] > 0 for t in topics}, missing_mark)
        for name in dimensions.values():
            raw.read_dimension(data_path.with_name(data_path.name.replace("TypedDataSet", name)),
                               ("Key", "Title", "Status") if name == period_dim else ("Key", "Title"))
    except raw.RawDataError as error:
        raise FetchError(f"CBS table {table} ({url}): the fetched files do not read back: {error}") from error

    found_regions = sorted({str(row[region_dim]).strip() for row in rows})
    return FetchedTable(
        key=key, table=table, title=title, modified=modified, url=url, rows=len(rows),
        years=sorted({int(row[period_dim][:4]) for row in rows}), regions=found_regions,
        requested_regions=len(regions) if regions else None,
        files=[p.relative_to(folder) for p in written],
    )


# ---------------------------------------------------------------------------- all tables, all or nothing
def default_regions(cfg: config.Config) -> list[str]:
    """Every code the workbook knows: municipalities (also merged-away ones), jeugdregio's, NL01."""
    register = cfg.register
    return [*sorted(register.municipalities), *sorted(register.regions), NL_CODE]


def fetchable(cfg: config.Config) -> tuple[str, ...]:
    """The CBS sources `make fetch` fetches by default: those not marked `ophalen.beschikbaar: false`."""
    return tuple(k for k in SOURCES if ((cfg.sources[k].get("ophalen") or {}).get("beschikbaar", True)))


def fetch(keys: Sequence[str] | None = None, years: Sequence[int] | None = None, regions: Sequence[str] | None = None,
          out_dir: Path | None = None, cfg: config.Config | None = None,
          service: Service | None = None) -> list[FetchedTable]:
    """Fetch the CBS sources `keys` and publish them into `out_dir` (default data/raw/) only when
    every one was fetched completely. `regions` None: `default_regions`. `service` None:
    JEUGDMONITOR_CBS_URL, else each source's configured host."""
    cfg = cfg or config.load()
    out_dir = Path(out_dir) if out_dir is not None else paths.RAW_DIR
    available = fetchable(cfg)
    keys = available if keys is None else list(keys)
    unknown = [k for k in keys if k not in cfg.sources or "tabel" not in cfg.sources[k]]
    if unknown:
        raise config.ConfigError(f"config/bronnen.yaml has no CBS source {unknown}")
    refused = [k for k in keys if k not in available]
    if refused:
        reason = cfg.sources[refused[0]]["ophalen"].get("reden", "")
        raise config.ConfigError(f"config/bronnen.yaml: {refused[0]} cannot be fetched (ophalen.beschikbaar: false): {reason}")
    if regions is not None and not regions:
        raise ValueError("regions is empty; pass None for every code in config/gemeenten.yaml")
    regions = default_regions(cfg) if regions is None else list(dict.fromkeys(str(r).strip().upper() for r in regions))
    years = sorted({int(y) for y in years}) if years else None
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-ophalen-", dir=out_dir.parent))
    try:
        fetched = [download_table(cfg, key, staging, service, years, regions) for key in keys]
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        # data files first, then their sidecars: an interruption in between leaves a checksum
        # mismatch that the cleaning stage refuses, never a silently inconsistent pair
        for path in sorted(files, key=lambda p: p.name.endswith(".meta.json")):
            target = out_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return fetched


# ---------------------------------------------------------------------------- command line
def _years_arg(text: str) -> list[int]:
    years: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise argparse.ArgumentTypeError(f"{text!r}: expected years like 2015-2024 or 2019,2021-2023")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise argparse.ArgumentTypeError(f"{part!r}: the range runs backwards")
        years.update(range(first, last + 1))
    return sorted(years)


def _region_arg(text: str) -> str:
    code = text.strip().upper()
    if not REGION_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(f"{text!r} is not a CBS region code like GM0518, JZ24 or NL01")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jeugdmonitor.fetch",
        description="Fetch the real CBS tables of config/bronnen.yaml into data/raw/ (needs network access).",
        epilog=f"{ENV_URL}: base address of the CBS service or a mirror (default: the host in config/bronnen.yaml, "
               f"{DEFAULT_URL}). Exit 0: written; 1: fetch failed, nothing changed; 2: bad arguments or config.")
    parser.add_argument("--jaren", required=True, type=_years_arg, help="years, e.g. 2015-2024 or 2019,2021-2023")
    parser.add_argument("--regio", nargs="+", action="extend", type=_region_arg, metavar="CODE",
                        help="region codes (default: every code in config/gemeenten.yaml, its jeugdregio's and NL01)")
    parser.add_argument("--tabel", action="append", choices=SOURCES,
                        help="source in config/bronnen.yaml (repeatable; default: every source not marked "
                             "ophalen.beschikbaar: false)")
    parser.add_argument("--out", type=Path, default=paths.RAW_DIR, help="target folder (default: data/raw)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every URL cbsodata downloads")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    keys = tuple(dict.fromkeys(args.tabel)) if args.tabel else None
    try:
        fetched = fetch(keys, args.jaren, args.regio, args.out)
    except FetchError as error:
        print(f"FOUT: {error}\n{args.out} is ongewijzigd.", file=sys.stderr)
        return 1
    except config.ConfigError as error:
        print(f"FOUT: {error}\n{args.out} is ongewijzigd.", file=sys.stderr)
        return 2
    count = 0
    for item in fetched:
        requested = f" van {item.requested_regions} gevraagde" if item.requested_regions else ""
        print(f"{item.table}  {item.title}  (CBS gewijzigd {item.modified}; {item.url})")
        for index, path in enumerate(item.files):
            detail = (f"  {item.rows} rijen, jaren {_span(item.years)}, {len(item.regions)}{requested} gebieden"
                      if index == 0 else "")
            print(f"  {(args.out / path)}{detail}")
        count += len(item.files)
    print(f"{count} bestanden met sidecar geschreven in {args.out} (licentie {LICENCE}, bron: CBS)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
