"""Fetch the real CBS tables into data/raw/ with cbsodata.

    python -m jeugdmonitor.fetch --jaren 2015-2024 [--regio GM0518 ...] [--tabel cbs_jeugdzorg ...]

For each CBS source in config/bronnen.yaml (`cbs_jeugdzorg`, `cbs_bevolking` on StatLine and
`cbs_iv3` on dataderden.cbs.nl; a source marked `ophalen.beschikbaar: false` is refused with its
`ophalen.reden`) the table ids, the dimensions and the topics come from that file, not from this
code. The fetch downloads each table's TypedDataSet (only the configured columns, filtered) and
its metadata with `cbsodata.download_data`, and writes the same files as the bundled sample, so
the cleaning stage reads them unchanged:

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
  `sha256`, `maker`, `rijen`, and `filter` (data) or `selectie` (dimensions).

StatLine sources (`tabel`): filtered to the requested years (`<year>JJ00`) and region codes
(--regio, default every code of config/gemeenten.yaml), and to `ophalen` (below). A source with
successor tables (`opvolgers`, see `config.table_parts`) is fetched table by table, each for
the requested years it supplies, with its own keys, into its own `bestand`.

Iv3 (`cbs_iv3`, download_iv3): one table per year, "Gemeenten <jaar> onbewerkte Iv3-data",
its id in `cbs_iv3.tabellen`. A requested year before the first configured table is skipped
(and said so); a later one, or one between tables, stops before any download (exit 2: add the
table id). Per table the fetch checks DataProperties, that the TableInfos title (stripped) is
`titel` for that year, that Verslagsoort has the jaarrekening key (`verslagsoort`, e.g.
2023X005; missing: not published yet) and that every `taakvelden` entry has a TaakveldBalanspost
key, itself or a sub-taakveld (6.72 -> 6.72, 6.72a, ...). It asks for that Verslagsoort and
those taakvelden for every municipality (--regio does not apply: the national figure is the sum
of all municipalities) and keeps the lasten (`lasten_categorie`). It writes, under
`cbs/iv3/` (`bestand`):
- `<table>_TypedDataSet.csv`: `ID;TaakveldBalanspost;Categorie;Gemeenten;Verslagsoort;
  k_1ePlaatsing_1;k_2ePlaatsing_2`, keys padded as CBS serves them, `.` for an empty cell and
  the `geen_opgave` code (-99998) kept as the number it is;
- `<table>_TaakveldBalanspost.csv`, `_Categorie.csv`, `_Verslagsoort.csv` (the keys in the
  data) and `<table>_Gemeenten.csv` (every municipality of the table);
- sidecars as above plus `jaar`, with `perioden_status` {"<jaar>": status of the newest entry of
  `plaatsingen` whose topic has a figure in the data (not empty, not geen_opgave)}.

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
    i.e. https://opendata.cbs.nl (StatLine) and https://dataderden.cbs.nl (Iv3). Set it for a
    test server (`http://127.0.0.1:8123`) or an internal mirror
    (`https://cbs-mirror.example.org/statline`); it then applies to every table, Iv3 included,
    so a mirror serves the tables of both hosts. cbsodata appends
    `/ODataFeed/odata/<table>/<part>` (on dataderden.cbs.nl too), so a mirror must serve those
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

Optional per-source setting in config/bronnen.yaml (StatLine sources)
---------------------------------------------------------------------
The Iv3 fetch takes its selection from `verslagsoort`, `taakvelden` and `lasten_categorie` instead.
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

from jeugdmonitor import config, iv3, paths, raw
from jeugdmonitor.vocabulary import NL_CODE

ENV_URL = "JEUGDMONITOR_CBS_URL"
DEFAULT_URL = "https://opendata.cbs.nl"
SOURCES = ("cbs_jeugdzorg", "cbs_jeugdzorg_leeftijd", "cbs_bevolking", "cbs_iv3")
IV3 = "cbs_iv3"  # one table per year (`tabellen`), fetched by download_iv3
LICENCE = "CC BY 4.0"
MAKER = f"jeugdmonitor.fetch (cbsodata {cbsodata.__version__})"
USED_KEYS = "de sleutels die in het TypedDataSet voorkomen"  # what a dimension file holds (its sidecar says so)
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
    notes: list[str] = field(default_factory=list)  # printed under the table (Dutch, for the user)


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


def _dimension_entries(service: Service, table: str, dimension: str) -> list[dict[str, Any]]:
    """A dimension's keys and titles, as the table lists them (before any data is asked for)."""
    return _call(service, table, f"reading dimension {dimension}", cbsodata.get_meta, table, dimension)


def _resolve_filters(service: Service, table: str, url: str, fixed: Mapping[str, list[str]],
                     titled: Mapping[str, re.Pattern[str]]) -> dict[str, list[str]]:
    """The keys to request per filtered dimension, as the table itself spells them (CBS pads some
    keys with spaces, and `eq` compares exactly): the configured keys, each checked to exist, plus
    the keys whose Title matches `ophalen.titels`. A mismatch lists what the table offers, so the
    configuration can be corrected from the message alone. The dimensions themselves are checked
    to exist by `_check_properties`, before this asks for them."""
    resolved: dict[str, list[str]] = {}
    for dimension in dict.fromkeys([*fixed, *titled]):
        entries = _dimension_entries(service, table, dimension)
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


def _table_infos(table: str, url: str, infos: Mapping[str, Any] | None) -> tuple[str, str]:
    """Title and Modified of a TableInfos entry, after checking that it describes `table`."""
    infos = infos or {}
    identifier = str(infos.get("Identifier", ""))
    if identifier.lower() != table.lower():
        raise FetchError(f"CBS table {table}: {url}/TableInfos describes table {identifier!r}")
    modified = str(infos.get("Modified") or "")
    if not modified:
        raise FetchError(f"CBS table {table}: {url}/TableInfos has no Modified date")
    return str(infos.get("Title") or ""), modified


def _typed_data_set(table: str, url: str, answer: Mapping[str, Any], select: Sequence[str],
                    dimensions: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of a download_data answer, each checked to have every selected column and a key
    in every dimension."""
    # cbsodata 1.3.5's download_data leaves out the data set named by `typed` (typed=False
    # downloads TypedDataSet): check which one came back rather than trusting the flag.
    if "TypedDataSet" not in answer:
        raise FetchError(f"CBS table {table}: cbsodata {cbsodata.__version__} returned no TypedDataSet from {url}/ "
                         f"(parts: {sorted(answer)})")
    for row in answer["TypedDataSet"]:
        absent = [c for c in select if c not in row]
        if absent:
            raise FetchError(f"CBS table {table}: a TypedDataSet row from {url}/TypedDataSet lacks {absent}")
        if not all(isinstance(row[d], str) and row[d].strip() for d in dimensions):
            raise FetchError(f"CBS table {table}: TypedDataSet row {row.get('ID')} from {url}/TypedDataSet "
                             f"has an empty dimension key")
    return answer["TypedDataSet"]


def _in_cbs_order(rows: list[dict[str, Any]]) -> None:
    """Back in CBS's order: the row ID is the position in the whole table."""
    rows.sort(key=lambda row: (0, row["ID"]) if isinstance(row["ID"], int) else (1, 0))


def _used_entries(table: str, url: str, answer: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
                  name: str) -> list[dict[str, Any]]:
    """The entries of dimension `name` whose key occurs in `rows`, in CBS's order."""
    if name not in answer:
        raise FetchError(f"CBS table {table}: {url}/ lists no dimension table {name}")
    used = {row[name] for row in rows}
    entries = [r for r in answer[name] if r.get("Key") in used]
    unknown = used - {r.get("Key") for r in entries}
    if unknown:
        raise FetchError(f"CBS table {table}: keys {sorted(unknown)[:5]} of {url}/TypedDataSet are not in {url}/{name}")
    return entries


def _dimension_file(data_path: Path, name: str) -> Path:
    return data_path.with_name(data_path.name.replace("TypedDataSet", name))


def _write_dimension(data_path: Path, name: str, header: Sequence[str], entries: Sequence[Mapping[str, Any]],
                     meta: Mapping[str, Any]) -> Path:
    path = _dimension_file(data_path, name)
    raw.write_csv(path, header, [[str(r.get(column) or "") for column in header] for r in entries], quote_all=True)
    raw.write_sidecar(path, {**meta, "rijen": len(entries)})
    return path


def _provenance(table: str, title: str, retrieved: str, modified: str, period_status: dict[str, str],
                **extra: Any) -> dict[str, Any]:
    """What every sidecar of a fetched table records (the file's own fields are added per file)."""
    return {"tabel": table, "titel": title, "opgehaald": retrieved, "laatst_gewijzigd": modified, "licentie": LICENCE,
            "fictief": False, "perioden_status": period_status, "maker": MAKER, **extra}


def _read_back(table: str, url: str, data_path: Path, dimensions: Sequence[str], decimals: Mapping[str, int],
               missing_mark: str, period_dim: str | None = None) -> None:
    """Read the written files with the workbook's own readers before anything is published."""
    try:
        raw.read_cbs_table(data_path, list(dimensions), {t: d > 0 for t, d in decimals.items()}, missing_mark)
        for name in dimensions:
            raw.read_dimension(_dimension_file(data_path, name),
                               ("Key", "Title", "Status") if name == period_dim else ("Key", "Title"))
    except raw.RawDataError as error:
        raise FetchError(f"CBS table {table} ({url}): the fetched files do not read back: {error}") from error


def download_table(cfg: config.Config, key: str, folder: Path, service: Service | None = None,
                   years: Sequence[int] | None = None, regions: Sequence[str] | None = None,
                   part: config.TablePart | None = None) -> FetchedTable:
    """Fetch one CBS table of a source of config/bronnen.yaml and write its files into `folder`.

    `part`: one table of the source's series (its own or a successor, `config.table_parts`);
    None: the source's own table. Only the years `part` covers are kept.
    `years` None: every year (`<year>JJ00` periods); `regions` None: no region filter.
    Writes straight into `folder`: use `fetch` to publish into data/raw/ all-or-nothing."""
    part = part or config.table_parts(key, cfg.sources[key])[0]
    spec = part.spec
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
        answer = _call(service, table, "downloading", cbsodata.download_data, table, typed=False,
                       select=select, filters=filter_text)
        data = _typed_data_set(table, url, answer, select, list(dimensions.values()))
        if not first:
            first = answer
        elif _modified(answer) != _modified(first):
            raise FetchError(f"CBS table {table} ({url}) changed while it was being fetched "
                             f"(Modified {_modified(first)} -> {_modified(answer)}); fetch again")
        filters_used.append(filter_text)
        wanted_regions = set(chunk) if chunk else None
        for row in data:
            period, region = row[period_dim], row[region_dim]
            if not isinstance(period, str) or not YEAR_PERIOD.fullmatch(period):
                continue
            if wanted_periods is not None and period not in wanted_periods:
                continue
            if not part.covers(int(period[:4])):
                continue  # another table of the series holds this year
            if wanted_regions is not None and str(region).strip() not in wanted_regions:
                continue  # startswith() may match longer codes; keep exactly the requested ones
            if any(row[dim].strip() not in keys for dim, keys in fixed_keys.items()):
                continue
            rows.append(row)
    _in_cbs_order(rows)  # whatever the region groups
    if not rows:
        raise FetchError(f"CBS table {table}: no rows at {url}/TypedDataSet for $filter {filters_used[0]!r}"
                         f"{' (and more region groups)' if len(filters_used) > 1 else ''}")

    title, modified = _table_infos(table, url, (first.get("TableInfos") or [{}])[0])
    title = title or str(spec.get("titel", ""))

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
    dimension_rows = {name: _used_entries(table, url, first, rows, name) for name in dimensions.values()}
    labels = cfg.sources["status_labels"]
    period_status = {}
    for r in dimension_rows[period_dim]:
        status = r.get("Status")
        if status not in labels:
            raise FetchError(f"CBS table {table}: period {r.get('Key')} at {url}/{period_dim} has status {status!r}, "
                             f"not one of {list(labels)} (status_labels in config/bronnen.yaml)")
        period_status[r["Key"][:4]] = status

    base_meta = _provenance(table, title, retrieved, modified, dict(sorted(period_status.items())))
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
        header = ["Key", "Title", "Status"] if name == period_dim else ["Key", "Title"]
        written.append(_write_dimension(data_path, name, header, entries, {
            **base_meta, "bron": f"CBS StatLine, tabel {table} (dimensie {name})", "url": f"{url}/{name}",
            "selectie": USED_KEYS}))
    _read_back(table, url, data_path, list(dimensions.values()), decimals, missing_mark, period_dim)

    found_regions = sorted({str(row[region_dim]).strip() for row in rows})
    return FetchedTable(
        key=key, table=table, title=title, modified=modified, url=url, rows=len(rows),
        years=sorted({int(row[period_dim][:4]) for row in rows}), regions=found_regions,
        requested_regions=len(regions) if regions else None,
        files=[p.relative_to(folder) for p in written],
    )


# ---------------------------------------------------------------------------- Iv3: one table per year
@dataclass(frozen=True)
class Iv3Settings:
    """The `cbs_iv3` entry of config/bronnen.yaml, checked."""

    key: str
    tables: dict[int, str]  # year -> table id, ascending
    title: str  # template with {jaar}
    source_name: str
    data_file: str  # template with {tabel}
    dimensions: dict[str, str]  # role -> CBS dimension
    topics: list[str]
    report_kind: str  # Verslagsoort template with {jaar}
    lasten: re.Pattern[str]
    no_return: float  # geen_opgave
    taakvelden: list[str]
    plaatsingen: list[tuple[str, str]]  # (topic, status), newest first


IV3_ROLES = ("taakveld", "categorie", "regio", "verslagsoort")


def iv3_settings(cfg: config.Config, key: str = IV3) -> Iv3Settings:
    spec = cfg.sources[key]
    where = f"config/bronnen.yaml: {key}"
    missing = [name for name in ("tabellen", "titel", "bestand", "dimensies", "onderwerpen", "verslagsoort",
                                 "lasten_categorie", "geen_opgave", "taakvelden", "plaatsingen")
               if spec.get(name) is None or spec[name] in ("", [], {})]
    if missing:
        raise config.ConfigError(f"{where} lacks {missing}")
    try:
        tables = {int(year): str(table) for year, table in sorted(spec["tabellen"].items())}
        lasten = re.compile(str(spec["lasten_categorie"]))
        no_return = float(spec["geen_opgave"])
    except (ValueError, TypeError, AttributeError, re.error) as error:
        raise config.ConfigError(f"{where}: tabellen (year: table id), lasten_categorie (regular expression) or "
                                 f"geen_opgave (number) is malformed ({error})") from error
    dimensions = {str(role): str(name) for role, name in spec["dimensies"].items()}
    absent_roles = [role for role in IV3_ROLES if role not in dimensions]
    if absent_roles:
        raise config.ConfigError(f"{where}.dimensies lacks {absent_roles}")
    topics = {str(name): str(column) for name, column in spec["onderwerpen"].items()}
    labels = cfg.sources["status_labels"]
    plaatsingen = []
    for entry in spec["plaatsingen"]:
        name, status = str(entry.get("onderwerp")), str(entry.get("status"))
        if name not in topics or status not in labels:
            raise config.ConfigError(f"{where}.plaatsingen: {entry} needs an onderwerp of {list(topics)} and a "
                                     f"status of {list(labels)} (status_labels)")
        plaatsingen.append((topics[name], status))
    return Iv3Settings(
        key=key, tables=tables, title=str(spec["titel"]), source_name=str(spec.get("bronnaam") or "CBS Iv3"),
        data_file=str(spec["bestand"]), dimensions=dimensions, topics=list(topics.values()),
        report_kind=str(spec["verslagsoort"]), lasten=lasten, no_return=no_return,
        taakvelden=[str(t) for t in spec["taakvelden"]], plaatsingen=plaatsingen)


def iv3_years(settings: Iv3Settings, years: Sequence[int] | None) -> tuple[list[int], list[int]]:
    """The requested years that have a configured table (None: every configured one) and the
    requested years before the first table (skipped: there is no Iv3 table to fetch). A year
    after the last table, or between tables, is a configuration error: its table id is missing."""
    if years is None:
        return list(settings.tables), []
    first, last = min(settings.tables), max(settings.tables)
    skipped = sorted(y for y in set(years) if y < first)
    absent = sorted(y for y in set(years) if y >= first and y not in settings.tables)
    if absent:
        raise config.ConfigError(
            f"config/bronnen.yaml: {settings.key}.tabellen has no table for {_span(absent)} (it runs {first}-{last}); "
            f"add the id of the table {settings.title.format(jaar=absent[0])!r} (catalogue IV3 on dataderden.cbs.nl) "
            f"under {settings.key}.tabellen, e.g. `{absent[0]}: 45xxxNED`")
    return sorted(y for y in set(years) if y in settings.tables), skipped


def _iv3_key(table: str, url: str, entries: Sequence[Mapping[str, Any]], dimension: str, wanted: str, year: int) -> str:
    """The Verslagsoort key of the jaarrekening, as the table spells it."""
    for entry in entries:
        if str(entry.get("Key", "")).strip() == wanted:
            return str(entry.get("Key", ""))
    raise FetchError(f"CBS table {table}: {url}/{dimension} has no key {wanted!r} (the jaarrekening {year}, "
                     f"cbs_iv3.verslagsoort); it has {_listing(entries)}. The jaarrekening {year} may not be "
                     "published yet: ask for earlier years (--jaren)")


def _iv3_taakveld_keys(table: str, url: str, entries: Sequence[Mapping[str, Any]], dimension: str,
                       taakvelden: Sequence[str]) -> list[str]:
    """The TaakveldBalanspost keys (as CBS spells them) of each configured taakveld and of its
    sub-taakvelden (6.72 -> 6.72, 6.72a, 6.72b, ...); each taakveld must have at least one."""
    pattern = re.compile(iv3.taakveld_pattern(list(taakvelden)))
    keys, found = [], set()
    for entry in entries:
        match = pattern.fullmatch(str(entry.get("Key", "")).strip())
        if match:
            keys.append(str(entry.get("Key", "")))
            found.add(match.group(1))
    absent = [t for t in taakvelden if t not in found]
    if absent:
        raise FetchError(f"CBS table {table}: {url}/{dimension} has no taakveld {absent} (cbs_iv3.taakvelden); "
                         f"it has {_listing(entries)}")
    return keys


def _plaatsing_status(settings: Iv3Settings, rows: Sequence[Mapping[str, Any]]) -> str:
    """The status of the newest plaatsing with any figure in `rows` (the oldest one's when none has)."""
    for topic, status in settings.plaatsingen:
        if any(row[topic] is not None and row[topic] != settings.no_return for row in rows):
            return status
    return settings.plaatsingen[-1][1]


def _download_iv3_table(cfg: config.Config, settings: Iv3Settings, folder: Path, service: Service, year: int,
                        retrieved: str) -> FetchedTable:
    table = settings.tables[year]
    url = service.table_url(table)
    dims = settings.dimensions
    taakveld_dim, category_dim, region_dim, kind_dim = (dims[role] for role in IV3_ROLES)
    dimensions, topics = list(dims.values()), settings.topics
    missing_mark = str(cfg.sources["ontbrekend_teken"])
    log.info("CBS table %s (%s %s) from %s", table, settings.key, year, url)

    # ---- before the data: is this the table of that year, with the configured keys?
    properties = _call(service, table, "reading DataProperties", cbsodata.get_meta, table, "DataProperties")
    decimals = _check_properties(table, url, properties, dimensions, topics, [])
    _check_unnamed_dimensions_fixed(table, url, _table_dimensions(properties), dimensions, {})
    infos = _call(service, table, "reading TableInfos", cbsodata.get_info, table)
    found_title, modified = _table_infos(table, url, infos)
    title = found_title.strip()  # CBS ends some of these titles with a space
    expected = settings.title.format(jaar=year)
    if title != expected:
        raise FetchError(f"CBS table {table}: {url}/TableInfos has the title {title!r}, not {expected!r}; check "
                         f"{settings.key}.tabellen in config/bronnen.yaml (the table id of {year})")
    report_kind = settings.report_kind.format(jaar=year)
    kind_key = _iv3_key(table, url, _dimension_entries(service, table, kind_dim), kind_dim, report_kind, year)
    taakveld_keys = _iv3_taakveld_keys(table, url, _dimension_entries(service, table, taakveld_dim), taakveld_dim,
                                       settings.taakvelden)

    # ---- the data: the jaarrekening of those taakvelden, every municipality (the national
    # figure is their sum); lasten are picked here, since a category pattern is no OData filter
    filter_text = " and ".join([f"{kind_dim} eq {_quote(kind_key)}",
                                _any_of([f"{taakveld_dim} eq {_quote(k)}" for k in taakveld_keys])])
    if _encoded_length(filter_text) > MAX_FILTER_CHARS:
        raise FetchError(f"CBS table {table}: the $filter for {len(taakveld_keys)} TaakveldBalanspost keys is longer "
                         f"than {MAX_FILTER_CHARS} characters; configure fewer {settings.key}.taakvelden")
    select = ["ID", *dimensions, *topics]
    answer = _call(service, table, "downloading", cbsodata.download_data, table, typed=False,
                   select=select, filters=filter_text)
    data = _typed_data_set(table, url, answer, select, dimensions)
    if _modified(answer) != modified:
        raise FetchError(f"CBS table {table} ({url}) changed while it was being fetched "
                         f"(Modified {modified} -> {_modified(answer)}); fetch again")
    wanted_taakvelden = {k.strip() for k in taakveld_keys}
    rows = [row for row in data  # checked again here: a server may ignore $filter
            if row[kind_dim].strip() == report_kind and row[taakveld_dim].strip() in wanted_taakvelden
            and settings.lasten.search(row[category_dim].strip())]
    _in_cbs_order(rows)
    if not rows:
        raise FetchError(f"CBS table {table}: no lasten rows (Categorie matching {settings.lasten.pattern!r}) at "
                         f"{url}/TypedDataSet for $filter {filter_text!r}")

    # ---- the files: data, the keys it uses, and the whole Gemeenten dimension (the cleaning
    # stage checks that the national sum covers every municipality of the table)
    dimension_rows = {name: _used_entries(table, url, answer, rows, name) for name in dimensions}
    dimension_rows[region_dim] = list(answer[region_dim])
    base_meta = _provenance(table, title, retrieved, modified, {str(year): _plaatsing_status(settings, rows)}, jaar=year)
    data_path = folder / settings.data_file.format(tabel=table)
    raw.write_csv(data_path, select, [
        [str(row["ID"]), *(str(row[d]) for d in dimensions),
         *(raw.cbs_cell(row[t], decimals[t], missing_mark) for t in topics)]
        for row in rows], quote_all=True)
    raw.write_sidecar(data_path, {**base_meta, "bron": f"{settings.source_name}, tabel {table} (TypedDataSet)",
                                  "url": f"{url}/TypedDataSet", "filter": [filter_text], "rijen": len(rows)})
    written = [data_path]
    for name, entries in dimension_rows.items():
        selection = "alle gemeenten van de tabel (het landelijke cijfer is hun som)" if name == region_dim else USED_KEYS
        written.append(_write_dimension(data_path, name, ["Key", "Title"], entries, {
            **base_meta, "bron": f"{settings.source_name}, tabel {table} (dimensie {name})", "url": f"{url}/{name}",
            "selectie": selection}))
    _read_back(table, url, data_path, dimensions, decimals, missing_mark)

    return FetchedTable(
        key=settings.key, table=table, title=title, modified=modified, url=url, rows=len(rows), years=[year],
        regions=sorted({row[region_dim].strip() for row in rows}), requested_regions=None,
        files=[p.relative_to(folder) for p in written],
    )


def download_iv3(cfg: config.Config, key: str, folder: Path, service: Service | None = None,
                 years: Sequence[int] | None = None) -> list[FetchedTable]:
    """Fetch the Iv3 table of each requested year (None: every configured one) into `folder`:
    the jaarrekening's lasten on the configured taakvelden, for every municipality. Years before
    the first configured table are skipped (noted on the first table fetched). Writes straight
    into `folder`: use `fetch` to publish into data/raw/ all-or-nothing."""
    settings = iv3_settings(cfg, key)
    wanted, skipped = iv3_years(settings, years)
    service = service or service_for(cfg.sources[key])
    retrieved = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    fetched = [_download_iv3_table(cfg, settings, folder, service, year, retrieved) for year in wanted]
    if skipped:
        note = f"jaren {_span(skipped)} overgeslagen: {key}.tabellen in config/bronnen.yaml begint bij {min(settings.tables)}"
        if fetched:
            fetched[0].notes.append(note)
        else:
            log.warning("%s: %s", key, note)
    return fetched


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
    every table was fetched completely. `years` None: every year (Iv3: every configured table).
    `regions` None: `default_regions`; they do not restrict Iv3 (its national figure is the sum
    of all municipalities). `service` None: JEUGDMONITOR_CBS_URL, else each source's configured host."""
    cfg = cfg or config.load()
    out_dir = Path(out_dir) if out_dir is not None else paths.RAW_DIR
    available = fetchable(cfg)
    keys = available if keys is None else list(keys)
    unknown = [k for k in keys if k not in cfg.sources or ("tabellen" if k == IV3 else "tabel") not in cfg.sources[k]]
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
    if IV3 in keys:
        iv3_years(iv3_settings(cfg, IV3), years)  # a year without a configured table stops before any download
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-ophalen-", dir=out_dir.parent))
    try:
        fetched: list[FetchedTable] = []
        for key in keys:
            if key == IV3:
                fetched += download_iv3(cfg, key, staging, service, years)
            else:  # the source's table and its successors, each for the years it holds
                for part in config.table_parts(key, cfg.sources[key]):
                    part_years = [y for y in years if part.covers(y)] if years else None
                    if years and not part_years:
                        continue
                    fetched.append(download_table(cfg, key, staging, service, part_years, regions, part))
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
        epilog=f"{ENV_URL}: base address of the CBS service or a mirror, for every table (default: the host in "
               f"config/bronnen.yaml, {DEFAULT_URL} and for Iv3 https://dataderden.cbs.nl). Exit 0: written; "
               "1: fetch failed, nothing changed; 2: bad arguments or config.")
    parser.add_argument("--jaren", required=True, type=_years_arg, help="years, e.g. 2015-2024 or 2019,2021-2023")
    parser.add_argument("--regio", nargs="+", action="extend", type=_region_arg, metavar="CODE",
                        help="region codes (default: every code in config/gemeenten.yaml, its jeugdregio's and NL01); "
                             "not for Iv3, which is always fetched for every municipality")
    parser.add_argument("--tabel", action="append", choices=SOURCES,
                        help="source in config/bronnen.yaml (repeatable; default: every source not marked "
                             "ophalen.beschikbaar: false; cbs_iv3 is one table per year, from cbs_iv3.tabellen)")
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
        for note in item.notes:
            print(f"  let op: {note}")
        count += len(item.files)
    if args.regio and any(item.key == IV3 for item in fetched):
        print("--regio geldt niet voor Iv3: elke Iv3-tabel is met alle gemeenten opgehaald (het landelijke cijfer is hun som)")
    print(f"{count} bestanden met sidecar geschreven in {args.out} (licentie {LICENCE}, bron: CBS)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
