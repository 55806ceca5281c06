"""Download one StatLine table (84134NED, 03759ned or a successor) of config/bronnen.yaml into a
folder, in the files and layout of the bundled sample."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbsodata

from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch.answers import (
    check_properties,
    check_unnamed_dimensions_fixed,
    dimensions_of,
    in_cbs_order,
    modified_of,
    table_infos,
    typed_data_set,
    used_entries,
)
from jeugdmonitor.fetch.files import USED_KEYS, FetchedTable, provenance, read_back, write_dimension
from jeugdmonitor.fetch.odata import (
    any_of,
    build_filter,
    fixed_filters,
    quote,
    region_chunks,
    resolve_filters,
    resolve_titles,
    title_filters,
    titled_entries,
)
from jeugdmonitor.fetch.odata4 import Service4, data_properties, observation_filter
from jeugdmonitor.fetch.odata4 import download as download4
from jeugdmonitor.fetch.service import FetchError, call, dimension_entries, service_for
from jeugdmonitor.fetch.services import AnyService, describe
from jeugdmonitor.fetch.services import provenance as service_provenance
from jeugdmonitor.sources import raw

log = logging.getLogger(__name__)


YEAR_PERIOD = re.compile(r"(\d{4})JJ00")


def table_years(part: config.TablePart, service: AnyService | None = None) -> list[int]:
    """The whole years (`<year>JJ00`) in a table's own Perioden list."""
    spec = part.spec
    table, period_dim = str(spec["tabel"]), str(spec["dimensies"]["periode"])
    service = service or service_for(spec)
    entries = dimension_entries(service, table, period_dim)
    return sorted({int(str(e.get("Key", "")).strip()[:4]) for e in entries
                   if YEAR_PERIOD.fullmatch(str(e.get("Key", "")).strip())})


def series_years(parts: Sequence[config.TablePart], service: AnyService | None = None,
                 years: Sequence[int] | None = None, held: dict[str, list[int]] | None = None) -> dict[str, list[int]]:
    """Table id -> the years it supplies: every year from the newest table of the series that has
    it (a successor often repeats its predecessor's last year, revised), restricted to `years`.
    `held`: table id -> the years in its Perioden, when already read (else read from `service`)."""
    held = held or {str(part.spec["tabel"]): table_years(part, service) for part in parts}
    chosen: dict[str, list[int]] = {table: [] for table in held}
    taken: set[int] = set()
    for part in reversed(parts):  # newest first
        table = str(part.spec["tabel"])
        for year in held[table]:
            if year not in taken and (not years or year in years):
                chosen[table].append(year)
                taken.add(year)
    return chosen


def topic_keys(table: str, url: str, spec: dict[str, Any], properties: list[dict[str, Any]]) -> dict[str, str]:
    """Workbook topic name -> the table's topic key, from the topic titles in config/bronnen.yaml.
    `url`: where the topics were read (DataProperties, or OData 4's MeasureCodes)."""
    found = cbs_titles.match(cbs_titles.topic_entries(properties),
                             {str(name): title for name, title in spec["onderwerpen"].items()},
                             f"CBS-tabel {table} ({url}, onderwerpen)")
    return {name: str(entry.get("Key", "")).strip() for name, entry in found.items()}


def _properties(service: AnyService, table: str) -> list[dict[str, Any]]:
    """The table's dimensions and topics, as OData 3's DataProperties lists them."""
    if isinstance(service, Service4):
        return data_properties(service, table)
    return call(service, table, "reading DataProperties", cbsodata.get_meta, table, "DataProperties")


def _download(service: AnyService, table: str, select: Sequence[str], dimensions: Sequence[str], topics: Sequence[str],
              filter_text: str, properties: list[dict[str, Any]], codes: dict[str, Any]) -> dict[str, Any]:
    """One request's answer in cbsodata's shape (TableInfos, TypedDataSet, the dimension lists)."""
    if isinstance(service, Service4):
        return download4(service, table, dimensions, topics, filter_text, properties, codes)
    return call(service, table, "downloading", cbsodata.download_data, table, typed=False,
                select=list(select), filters=filter_text)


@dataclass
class _Plan:
    """What one table's download asks for, settled before the first data request: the table's
    dimensions and topics as config/bronnen.yaml names them, their decimals, and the keys every
    request filters on (`fixed`; `title_keys`: the ones config/bronnen.yaml names by title)."""

    key: str
    spec: dict[str, Any]
    table: str
    service: AnyService
    url: str
    dimensions: dict[str, str]  # role -> the table's dimension
    period_dim: str
    region_dim: str
    missing_mark: str
    wanted_periods: set[str] | None
    retrieved: str
    properties: list[dict[str, Any]]
    titled_topics: bool
    topic_of: dict[str, str]  # workbook topic name -> the table's topic key
    decimals: dict[str, int]
    fixed: dict[str, list[str]]
    title_keys: dict[str, dict[str, Any]]

    @property
    def is4(self) -> bool:
        return isinstance(self.service, Service4)

    @property
    def names(self) -> list[str]:
        """The table's dimensions, in the order of config/bronnen.yaml."""
        return list(self.dimensions.values())

    @property
    def topics(self) -> list[str]:
        return list(self.topic_of.values())

    @property
    def select(self) -> list[str]:
        return ["ID", *self.names, *self.topics]


def _plan(cfg: config.Config, key: str, part: config.TablePart, service: AnyService | None,
          years: Sequence[int] | None) -> _Plan:
    """Read the table's DataProperties and settle what to ask it for: the topic keys (matched by
    title when the source names keys by title), the filtered keys, each checked to exist, and a
    check that every dimension the workbook does not name is fixed to a key."""
    spec = part.spec
    table = str(spec["tabel"])
    service = service or service_for(spec)
    url = service.table_url(table)
    dimensions: dict[str, str] = {str(role): str(name) for role, name in spec["dimensies"].items()}
    period_dim, region_dim = dimensions["periode"], dimensions["regio"]
    missing_mark = str(cfg.sources["ontbrekend_teken"])
    configured_filters = fixed_filters(spec, key)
    titled = title_filters(spec, key)
    by_title = titled_entries(spec, key)
    wanted_periods = {f"{int(y)}JJ00" for y in years} if years else None
    retrieved = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    log.info("CBS-tabel %s (%s) van %s", table, key, url)

    is4 = isinstance(service, Service4)
    properties = _properties(service, table)
    titled_topics = bool(by_title)  # a source that names dimension keys by title names its topics by title too
    topic_of = (topic_keys(table, f"{url}/{'MeasureCodes' if is4 else 'DataProperties'}", spec, properties) if titled_topics
                else {str(name): str(t) for name, t in spec["onderwerpen"].items()})
    decimals = check_properties(table, url, properties, list(dimensions.values()), list(topic_of.values()),
                                [*configured_filters, *titled, *by_title])
    fixed = resolve_filters(service, table, url, configured_filters, titled)
    title_keys = resolve_titles(service, table, url, spec, by_title)
    for dimension, entries_by_title in title_keys.items():  # the keys named by title first (e.g. a total)
        fixed[dimension] = list(dict.fromkeys([*(str(e.get("Key", "")) for e in entries_by_title.values()),
                                               *fixed.get(dimension, [])]))
    check_unnamed_dimensions_fixed(table, url, dimensions_of(properties), list(dimensions.values()), fixed)
    return _Plan(key, spec, table, service, url, dimensions, period_dim, region_dim, missing_mark, wanted_periods,
                 retrieved, properties, titled_topics, topic_of, decimals, fixed, title_keys)


def _fetch_rows(plan: _Plan, regions: Sequence[str] | None) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """The table's rows for the wanted years, regions and fixed keys, in CBS's order, requested
    per group of regions (`region_chunks`); also the first answer (its metadata describe the
    table) and each request's $filter. Fails when the table changed between requests."""
    period_dim, region_dim, wanted_periods = plan.period_dim, plan.region_dim, plan.wanted_periods
    clauses = [any_of([f"{period_dim} eq {quote(p)}" for p in sorted(wanted_periods)]) if wanted_periods
               else f"substringof('JJ',{period_dim})"]
    clauses += [any_of([f"{dim} eq {quote(k)}" for k in keys]) for dim, keys in plan.fixed.items()]
    chunks = region_chunks(plan.table, clauses, region_dim, regions) if regions else [None]
    fixed_keys = {dim: {k.strip() for k in keys} for dim, keys in plan.fixed.items()}
    rows: list[dict[str, Any]] = []
    filters_used: list[str] = []
    first: dict[str, Any] = {}  # the first answer: its metadata describe the table
    codes4: dict[str, Any] = {}  # OData 4: the code lists, read once for every region group
    for chunk in chunks:
        filter_text = (observation_filter(sorted(wanted_periods) if wanted_periods else None, period_dim, plan.fixed,
                                          region_dim, chunk, plan.topics) if plan.is4
                       else build_filter(clauses, region_dim, chunk))
        answer = _download(plan.service, plan.table, plan.select, plan.names, plan.topics, filter_text,
                           plan.properties, codes4)
        data = typed_data_set(plan.table, plan.url, answer, plan.select, plan.names)
        first = _same_table(plan, first, answer)
        filters_used.append(filter_text)
        rows += _wanted_rows(plan, data, set(chunk) if chunk else None, fixed_keys)
    in_cbs_order(rows)  # whatever the region groups
    if not rows:
        raise FetchError(f"CBS-tabel {plan.table}: geen regels in {plan.url}/TypedDataSet voor $filter {filters_used[0]!r}"
                         f"{' (en meer gebiedsgroepen)' if len(filters_used) > 1 else ''}")
    return rows, first, filters_used


def _same_table(plan: _Plan, first: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The first answer so far (`answer` when there is none yet), after checking that `answer`
    comes from the same version of the table: mixing two versions would give rows that disagree."""
    if not first:
        return answer
    if modified_of(answer) != modified_of(first):
        raise FetchError(f"CBS-tabel {plan.table} ({plan.url}) is tijdens het ophalen gewijzigd "
                         f"(Modified {modified_of(first)} -> {modified_of(answer)}); haal opnieuw op")
    return first


def _wanted_rows(plan: _Plan, data: Sequence[dict[str, Any]], wanted_regions: set[str] | None,
                 fixed_keys: dict[str, set[str]]) -> list[dict[str, Any]]:
    """The rows of one answer that are whole years, wanted periods and regions, and fixed keys:
    the $filter is not exact (startswith() may match longer region codes, `JJ` other periods)."""
    rows = []
    for row in data:
        period, region = row[plan.period_dim], row[plan.region_dim]
        if not isinstance(period, str) or not YEAR_PERIOD.fullmatch(period):
            continue
        if plan.wanted_periods is not None and period not in plan.wanted_periods:
            continue
        if wanted_regions is not None and str(region).strip() not in wanted_regions:
            continue  # startswith() may match longer codes; keep exactly the requested ones
        if any(row[dim].strip() not in keys for dim, keys in fixed_keys.items()):
            continue
        rows.append(row)
    return rows


def _drop_absent_municipalities(cfg: config.Config, plan: _Plan,
                                rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The rows without the empty ones of municipalities in years in which they did not exist,
    and how many were dropped.

    CBS tables are full cubes: a municipality also has (empty) rows for the years in which it
    did not exist. Those cells are not data; the workbook's register (config/gemeenten.yaml)
    says when a municipality exists, and the sample has no such rows either."""
    register = cfg.register
    dropped = 0
    kept = []
    for row in rows:
        code = str(row[plan.region_dim]).strip()
        year = int(row[plan.period_dim][:4])
        municipality = register.municipalities.get(code)
        if (municipality is not None and not municipality.exists_in(year)
                and all(row[t] is None for t in plan.topics)):
            dropped += 1
            continue
        kept.append(row)
    if not kept:
        raise FetchError(f"CBS-tabel {plan.table}: alleen lege regels in {plan.url}/TypedDataSet "
                         "voor de gevraagde jaren en gebieden")
    return kept, dropped


def _period_status(cfg: config.Config, plan: _Plan, periods: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Year -> the status CBS gives its period (e.g. voorlopig), one of the labels the pages know."""
    labels = cfg.sources["status_labels"]
    period_status = {}
    for r in periods:
        status = r.get("Status")
        if status not in labels:
            raise FetchError(f"CBS-tabel {plan.table}: periode {r.get('Key')} in {plan.url}/{plan.period_dim} "
                             f"heeft status {status!r}, niet een van {list(labels)} (status_labels in config/bronnen.yaml)")
        period_status[r["Key"][:4]] = status
    return dict(sorted(period_status.items()))


def _write_rows(plan: _Plan, data_path: Path, rows: Sequence[dict[str, Any]]) -> None:
    """Write the data file as the sample has it: every cell quoted, topics in CBS's number format."""
    raw.write_csv(data_path, plan.select, [
        [str(row["ID"]), *(str(row[d]) for d in plan.names),
         *(raw.cbs_cell(row[t], plan.decimals[t], plan.missing_mark) for t in plan.topics)]
        for row in rows], quote_all=True)


def _data_meta(plan: _Plan, base_meta: dict[str, Any], rows: int, filters_used: list[str],
               series: dict[str, list[int]] | None, dropped: int) -> dict[str, Any]:
    """The data file's sidecar: where and how it was fetched, the keys the table uses for the
    titles of config/bronnen.yaml, which table of the series supplies which years, what was left out."""
    data_part = "Observations" if plan.is4 else "TypedDataSet"
    data_meta = {**base_meta, "bron": f"CBS StatLine, tabel {plan.table} ({data_part})",
                 "url": f"{plan.url}/{data_part}", "filter": filters_used, "rijen": rows}
    if plan.titled_topics or plan.title_keys:  # the keys this table uses for the titles of config/bronnen.yaml
        topic_titles = {str(p.get("Key", "")).strip(): " ".join(str(p.get("Title", "")).split())
                        for p in cbs_titles.topic_entries(plan.properties)}
        data_meta["sleutels"] = {"onderwerpen": plan.topic_of,
                                 "onderwerptitels": {name: topic_titles.get(k, "") for name, k in plan.topic_of.items()},
                                 # the title as the table writes it: the one that matched the configured title
                                 **{dim: {str(e.get("Key", "")).strip(): " ".join(str(e.get("Title", "")).split())
                                          for e in found.values()} for dim, found in plan.title_keys.items()}}
    if series is not None:  # which table of the series supplies which years (the newest that has it)
        data_meta["reeks"] = {t: list(y) for t, y in series.items()}
    if dropped:
        data_meta["weggelaten_lege_rijen"] = (f"{dropped} lege rijen van gemeenten in jaren waarin ze volgens "
                                              "config/gemeenten.yaml niet bestonden")
    return data_meta


def _write_dimensions(plan: _Plan, data_path: Path, dimension_rows: dict[str, list[dict[str, Any]]],
                      base_meta: dict[str, Any]) -> list[Path]:
    """Write each dimension's used entries next to the data file (the period's with its status)."""
    written = []
    for name, entries in dimension_rows.items():
        header = ["Key", "Title", "Status"] if name == plan.period_dim else ["Key", "Title"]
        written.append(write_dimension(data_path, name, header, entries, {
            **base_meta, "bron": f"CBS StatLine, tabel {plan.table} (dimensie {name})",
            "url": f"{plan.url}/{name}{'Codes' if plan.is4 else ''}", "selectie": USED_KEYS}))
    return written


def download_table(cfg: config.Config, key: str, folder: Path, service: AnyService | None = None,
                   years: Sequence[int] | None = None, regions: Sequence[str] | None = None,
                   part: config.TablePart | None = None, series: dict[str, list[int]] | None = None,
                   failed: Sequence[str] = ()) -> FetchedTable:
    """Fetch one CBS table of a source of config/bronnen.yaml and write its files into `folder`.

    `part`: one table of the source's series (its own or a successor, `config.table_parts`);
    None: the source's own table. `series`: table id -> the years each table of the series
    supplies (`series_years`), recorded in the sidecar (`reeks`); `years` are then this table's.
    `years` None: every year (`<year>JJ00` periods); `regions` None: no region filter.
    `service`: OData 3 (`Service`) or OData 4 (`Service4`); the files are the same
    either way (OData 4's observations turned into OData 3's rows), and the sidecar says which
    served them and which failed before (`failed`, see `services.first_answering`).
    Writes straight into `folder`: use `fetch` to publish into data/raw/ all-or-nothing."""
    part = part or config.table_parts(key, cfg.sources[key])[0]
    plan = _plan(cfg, key, part, service, years)
    rows, first, filters_used = _fetch_rows(plan, regions)
    title, modified = table_infos(plan.table, plan.url, (first.get("TableInfos") or [{}])[0])
    title = title or str(plan.spec.get("titel", ""))
    rows, dropped = _drop_absent_municipalities(cfg, plan, rows)

    # the dimension tables: the rows whose key occurs in the data, in CBS's order
    dimension_rows = {name: used_entries(plan.table, plan.url, first, rows, name) for name in plan.names}
    period_status = _period_status(cfg, plan, dimension_rows[plan.period_dim])
    base_meta = provenance(plan.table, title, plan.retrieved, modified, period_status,
                           **service_provenance(plan.service, failed))
    data_path = folder / plan.spec["bestand"]
    _write_rows(plan, data_path, rows)
    raw.write_sidecar(data_path, _data_meta(plan, base_meta, len(rows), filters_used, series, dropped))
    written = [data_path, *_write_dimensions(plan, data_path, dimension_rows, base_meta)]
    read_back(plan.table, plan.url, data_path, plan.names, plan.decimals, plan.missing_mark, plan.period_dim)
    return FetchedTable(
        key=key, table=plan.table, title=title, modified=modified, url=plan.url, rows=len(rows),
        years=sorted({int(row[plan.period_dim][:4]) for row in rows}),
        regions=sorted({str(row[plan.region_dim]).strip() for row in rows}),
        requested_regions=len(regions) if regions else None,
        files=[p.relative_to(folder) for p in written],
        notes=[f"opgehaald van {describe(plan.service)}; eerder mislukt: {' | '.join(failed)}"] if failed else [],
    )
