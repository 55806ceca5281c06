"""Download one StatLine table (84134NED, 03759ned or a successor) of config/bronnen.yaml into a
folder, in the files and layout of the bundled sample."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
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
    data_part = "Observations" if is4 else "TypedDataSet"
    properties = _properties(service, table)
    titled_topics = bool(by_title)  # a source that names dimension keys by title names its topics by title too
    topic_of = (topic_keys(table, f"{url}/{'MeasureCodes' if is4 else 'DataProperties'}", spec, properties) if titled_topics
                else {str(name): str(t) for name, t in spec["onderwerpen"].items()})
    topics = list(topic_of.values())
    decimals = check_properties(table, url, properties, list(dimensions.values()), topics,
                                 [*configured_filters, *titled, *by_title])
    fixed = resolve_filters(service, table, url, configured_filters, titled)
    title_keys = resolve_titles(service, table, url, spec, by_title)
    for dimension, entries_by_title in title_keys.items():  # the keys named by title first (e.g. a total)
        fixed[dimension] = list(dict.fromkeys([*(str(e.get("Key", "")) for e in entries_by_title.values()),
                                               *fixed.get(dimension, [])]))
    check_unnamed_dimensions_fixed(table, url, dimensions_of(properties), list(dimensions.values()), fixed)

    clauses = [any_of([f"{period_dim} eq {quote(p)}" for p in sorted(wanted_periods)]) if wanted_periods
               else f"substringof('JJ',{period_dim})"]
    clauses += [any_of([f"{dim} eq {quote(k)}" for k in keys]) for dim, keys in fixed.items()]
    chunks = region_chunks(table, clauses, region_dim, regions) if regions else [None]
    select = ["ID", *dimensions.values(), *topics]
    fixed_keys = {dim: {k.strip() for k in keys} for dim, keys in fixed.items()}
    rows: list[dict[str, Any]] = []
    filters_used: list[str] = []
    first: dict[str, Any] = {}  # the first answer: its metadata describe the table
    codes4: dict[str, Any] = {}  # OData 4: the code lists, read once for every region group
    for chunk in chunks:
        filter_text = (observation_filter(sorted(wanted_periods) if wanted_periods else None, period_dim, fixed,
                                                 region_dim, chunk, topics) if is4
                       else build_filter(clauses, region_dim, chunk))
        answer = _download(service, table, select, list(dimensions.values()), topics, filter_text, properties, codes4)
        data = typed_data_set(table, url, answer, select, list(dimensions.values()))
        if not first:
            first = answer
        elif modified_of(answer) != modified_of(first):
            raise FetchError(f"CBS-tabel {table} ({url}) is tijdens het ophalen gewijzigd "
                             f"(Modified {modified_of(first)} -> {modified_of(answer)}); haal opnieuw op")
        filters_used.append(filter_text)
        wanted_regions = set(chunk) if chunk else None
        for row in data:
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
    in_cbs_order(rows)  # whatever the region groups
    if not rows:
        raise FetchError(f"CBS-tabel {table}: geen regels in {url}/TypedDataSet voor $filter {filters_used[0]!r}"
                         f"{' (en meer gebiedsgroepen)' if len(filters_used) > 1 else ''}")

    title, modified = table_infos(table, url, (first.get("TableInfos") or [{}])[0])
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
        raise FetchError(f"CBS-tabel {table}: alleen lege regels in {url}/TypedDataSet voor de gevraagde jaren en gebieden")

    # ---- dimension tables: the rows whose key occurs in the data, in CBS's order
    dimension_rows = {name: used_entries(table, url, first, rows, name) for name in dimensions.values()}
    labels = cfg.sources["status_labels"]
    period_status = {}
    for r in dimension_rows[period_dim]:
        status = r.get("Status")
        if status not in labels:
            raise FetchError(f"CBS-tabel {table}: periode {r.get('Key')} in {url}/{period_dim} heeft status {status!r}, "
                             f"niet een van {list(labels)} (status_labels in config/bronnen.yaml)")
        period_status[r["Key"][:4]] = status

    base_meta = provenance(table, title, retrieved, modified, dict(sorted(period_status.items())),
                           **service_provenance(service, failed))
    data_path = folder / spec["bestand"]
    raw.write_csv(data_path, select, [
        [str(row["ID"]), *(str(row[d]) for d in dimensions.values()),
         *(raw.cbs_cell(row[t], decimals[t], missing_mark) for t in topics)]
        for row in rows], quote_all=True)
    data_meta = {**base_meta, "bron": f"CBS StatLine, tabel {table} ({data_part})", "url": f"{url}/{data_part}",
                 "filter": filters_used, "rijen": len(rows)}
    if titled_topics or title_keys:  # the keys this table uses for the titles of config/bronnen.yaml
        topic_titles = {str(p.get("Key", "")).strip(): " ".join(str(p.get("Title", "")).split())
                        for p in cbs_titles.topic_entries(properties)}
        data_meta["sleutels"] = {"onderwerpen": topic_of,
                                 "onderwerptitels": {name: topic_titles.get(k, "") for name, k in topic_of.items()},
                                 # the title as the table writes it: the one that matched the configured title
                                 **{dim: {str(e.get("Key", "")).strip(): " ".join(str(e.get("Title", "")).split())
                                          for e in found.values()} for dim, found in title_keys.items()}}
    if series is not None:  # which table of the series supplies which years (the newest that has it)
        data_meta["reeks"] = {t: list(y) for t, y in series.items()}
    if dropped:
        data_meta["weggelaten_lege_rijen"] = (f"{dropped} lege rijen van gemeenten in jaren waarin ze volgens "
                                              "config/gemeenten.yaml niet bestonden")
    raw.write_sidecar(data_path, data_meta)
    written = [data_path]
    for name, entries in dimension_rows.items():
        header = ["Key", "Title", "Status"] if name == period_dim else ["Key", "Title"]
        written.append(write_dimension(data_path, name, header, entries, {
            **base_meta, "bron": f"CBS StatLine, tabel {table} (dimensie {name})", "url": f"{url}/{name}{'Codes' if is4 else ''}",
            "selectie": USED_KEYS}))
    read_back(table, url, data_path, list(dimensions.values()), decimals, missing_mark, period_dim)

    found_regions = sorted({str(row[region_dim]).strip() for row in rows})
    return FetchedTable(
        key=key, table=table, title=title, modified=modified, url=url, rows=len(rows),
        years=sorted({int(row[period_dim][:4]) for row in rows}), regions=found_regions,
        requested_regions=len(regions) if regions else None,
        files=[p.relative_to(folder) for p in written],
        notes=[f"opgehaald van {describe(service)}; eerder mislukt: {' | '.join(failed)}"] if failed else [],
    )
