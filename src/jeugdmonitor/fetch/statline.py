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

from jeugdmonitor import config, raw
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
from jeugdmonitor.fetch.files import (
    USED_KEYS,
    FetchedTable,
    provenance,
    read_back,
    write_dimension,
)
from jeugdmonitor.fetch.odata import (
    any_of,
    build_filter,
    fixed_filters,
    quote,
    region_chunks,
    resolve_filters,
    title_filters,
)
from jeugdmonitor.fetch.service import FetchError, Service, call, service_for

log = logging.getLogger(__name__)


YEAR_PERIOD = re.compile(r"(\d{4})JJ00")


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
    configured_filters = fixed_filters(spec, key)
    titled = title_filters(spec, key)
    wanted_periods = {f"{int(y)}JJ00" for y in years} if years else None
    retrieved = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    log.info("CBS-tabel %s (%s) van %s", table, key, url)

    properties = call(service, table, "reading DataProperties", cbsodata.get_meta, table, "DataProperties")
    decimals = check_properties(table, url, properties, list(dimensions.values()), topics,
                                 [*configured_filters, *titled])
    fixed = resolve_filters(service, table, url, configured_filters, titled)
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
    for chunk in chunks:
        filter_text = build_filter(clauses, region_dim, chunk)
        answer = call(service, table, "downloading", cbsodata.download_data, table, typed=False,
                       select=select, filters=filter_text)
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
            if not part.covers(int(period[:4])):
                continue  # another table of the series holds this year
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

    base_meta = provenance(table, title, retrieved, modified, dict(sorted(period_status.items())))
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
        written.append(write_dimension(data_path, name, header, entries, {
            **base_meta, "bron": f"CBS StatLine, tabel {table} (dimensie {name})", "url": f"{url}/{name}",
            "selectie": USED_KEYS}))
    read_back(table, url, data_path, list(dimensions.values()), decimals, missing_mark, period_dim)

    found_regions = sorted({str(row[region_dim]).strip() for row in rows})
    return FetchedTable(
        key=key, table=table, title=title, modified=modified, url=url, rows=len(rows),
        years=sorted({int(row[period_dim][:4]) for row in rows}), regions=found_regions,
        requested_regions=len(regions) if regions else None,
        files=[p.relative_to(folder) for p in written],
    )
