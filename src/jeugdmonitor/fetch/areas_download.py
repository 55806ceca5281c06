"""Download CBS's area tables ("Gebieden in Nederland <jaar>", one StatLine table per year) into a
folder: every municipality with its code, name, jeugdregio and province. The topics are found
by title in the table's DataProperties (their keys are numbered anew each year)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import cbsodata

from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch.answers import in_cbs_order, table_infos, typed_data_set, used_entries
from jeugdmonitor.fetch.files import FetchedTable, provenance, span, write_dimension
from jeugdmonitor.fetch.service import FetchError, Service, call, service_for
from jeugdmonitor.sources import areas, raw

log = logging.getLogger(__name__)


def area_years(area: areas.AreaSettings, years: Sequence[int] | None) -> list[int]:
    """The requested years (None: every configured one); a year without a table id stops the fetch."""
    if years is None:
        return list(area.tables)
    absent = sorted(y for y in set(years) if y not in area.tables)
    if absent:
        raise config.ConfigError(
            f"config/bronnen.yaml: {areas.AREAS}.tabellen heeft geen tabel voor {span(absent)} (wel "
            f"{span(list(area.tables))}); zet de id van {area.title.format(jaar=absent[0])!r} (StatLine) onder "
            f"{areas.AREAS}.tabellen, bijvoorbeeld `{absent[0]}: 86xxxNED`")
    return sorted(set(years))


def topic_keys(table: str, url: str, properties: Sequence[Mapping[str, Any]],
               wanted: Mapping[str, tuple[cbs_titles.Wanted, cbs_titles.Wanted]]) -> dict[str, dict[str, str]]:
    """Role -> the one topic whose title and whose group's title match the configured ones
    (`cbs_titles.matches`: apostrophes, spaces and case normalised; a list gives alternatives, as
    CBS named the jeugdregio group "Jeugdzorgregio’s" in 2016): {"sleutel": key, "groep": group
    title, "titel": topic title}, the titles as this table writes them. None or several stop the fetch."""
    by_id = {p.get("ID"): p for p in properties}
    found: dict[str, dict[str, str]] = {}
    for role, (group, title) in wanted.items():
        hits = [p for p in properties
                if p.get("Type") == "Topic" and cbs_titles.matches(title, str(p.get("Title", "")))
                and cbs_titles.matches(group, str((by_id.get(p.get("ParentID")) or {}).get("Title", "")))]
        if len(hits) != 1:
            groups = sorted({" ".join(str(p.get("Title", "")).split()) for p in properties if p.get("Type") == "TopicGroup"})
            candidates = ", ".join(f"{h.get('Key')} in de groep {(by_id.get(h.get('ParentID')) or {}).get('Title')!r}"
                                   for h in hits)
            raise FetchError(f"CBS-tabel {table} ({url}/DataProperties): "
                             f"{'geen' if not hits else f'{len(hits)} onderwerpen ({candidates}) voor het'} "
                             f"onderwerp {cbs_titles.label(title)} in de groep {cbs_titles.label(group)} "
                             f"({areas.AREAS}.onderwerpen.{role} in config/bronnen.yaml); de tabel heeft de groepen {groups}")
        hit = hits[0]
        found[role] = {"sleutel": str(hit.get("Key")),
                       "groep": " ".join(str((by_id.get(hit.get("ParentID")) or {}).get("Title", "")).split()),
                       "titel": " ".join(str(hit.get("Title", "")).split())}
    return found


def _download_year(area: areas.AreaSettings, folder: Path, service: Service, year: int, retrieved: str) -> FetchedTable:
    table = area.tables[year]
    url = service.table_url(table)
    dimension = area.region_dimension
    log.info("CBS-tabel %s (%s %s) van %s", table, areas.AREAS, year, url)
    properties = call(service, table, "lezen van DataProperties", cbsodata.get_meta, table, "DataProperties")
    matched = topic_keys(table, url, properties, area.topics)
    keys = {role: topic["sleutel"] for role, topic in matched.items()}
    infos = call(service, table, "lezen van TableInfos", cbsodata.get_info, table)
    found_title, modified = table_infos(table, url, infos)
    expected = area.title.format(jaar=year)
    if not cbs_titles.matches(expected, found_title):  # spaces, apostrophes and case as cbs_titles compares them
        raise FetchError(f"CBS-tabel {table}: {url}/TableInfos heeft de titel {found_title.strip()!r}, niet {expected!r}; "
                         f"controleer {areas.AREAS}.tabellen in config/bronnen.yaml (de tabel-id van {year})")
    select = ["ID", dimension, *keys.values()]
    answer = call(service, table, "downloaden", cbsodata.download_data, table, typed=False, select=select,
                   filters=f"substringof('GM',{dimension})")
    data = typed_data_set(table, url, answer, select, [dimension])
    rows = [row for row in data if str(row[dimension]).strip().startswith("GM")]  # a server may ignore $filter
    in_cbs_order(rows)
    if not rows:
        raise FetchError(f"CBS-tabel {table}: geen gemeenten in {url}/TypedDataSet")
    data_path = folder / area.data_file.format(tabel=table)
    # text topics as CBS gives them (padded with spaces); the reader strips them
    raw.write_csv(data_path, select, [[str(row["ID"]), str(row[dimension]), *("" if row[k] is None else str(row[k])
                                                                              for k in keys.values())]
                                      for row in rows], quote_all=True)
    base = provenance(table, found_title.strip(), retrieved, modified, {}, jaar=year)
    raw.write_sidecar(data_path, {**base, "bron": f"{area.source_name}, tabel {table} (TypedDataSet)",
                                  "url": f"{url}/TypedDataSet", "rijen": len(rows), "dimensie": dimension,
                                  "onderwerpen": keys,
                                  # the group and topic titles that matched config/bronnen.yaml, as the table writes them
                                  "titels": {role: [topic["groep"], topic["titel"]] for role, topic in matched.items()}})
    written = [data_path, write_dimension(data_path, dimension, ["Key", "Title"],
                                          used_entries(table, url, answer, rows, dimension),
                                          {**base, "bron": f"{area.source_name}, tabel {table} (dimensie {dimension})",
                                           "url": f"{url}/{dimension}", "selectie": "de gemeenten van de tabel"})]
    try:
        read_back = areas.read_area_table(data_path)
    except raw.RawDataError as error:
        raise FetchError(f"CBS-tabel {table} ({url}): de opgehaalde gebiedentabel is niet terug te lezen: {error}") from error
    return FetchedTable(key=areas.AREAS, table=table, title=found_title.strip(), modified=modified, url=url,
                        rows=len(rows), years=[year], regions=sorted(r.code for r in read_back), requested_regions=None,
                        files=[p.relative_to(folder) for p in written])


def download_areas(cfg: config.Config, folder: Path, service: Service | None = None,
                   years: Sequence[int] | None = None) -> list[FetchedTable]:
    """Fetch the area table of each requested year (None: every configured one) into `folder`.
    Writes straight into `folder`: use `fetch` to publish into data/raw/ all-or-nothing."""
    area = areas.settings(cfg)
    wanted = area_years(area, years)
    service = service or service_for(cfg.sources[areas.AREAS])
    retrieved = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return [_download_year(area, folder, service, year, retrieved) for year in wanted]
