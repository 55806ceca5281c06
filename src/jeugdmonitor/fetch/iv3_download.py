"""Download the Iv3 tables (one per year, "Gemeenten <jaar> onbewerkte Iv3-data", from
dataderden.cbs.nl) into a folder. Cleaning them is `jeugdmonitor.iv3`, not this module."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
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
    listing,
    modified_of,
    table_infos,
    typed_data_set,
    used_entries,
)
from jeugdmonitor.fetch.files import USED_KEYS, FetchedTable, provenance, read_back, span, write_dimension
from jeugdmonitor.fetch.odata import MAX_FILTER_CHARS, any_of, encoded_length, quote
from jeugdmonitor.fetch.service import FetchError, Service, call, dimension_entries, service_for
from jeugdmonitor.sources import iv3, raw

log = logging.getLogger(__name__)


IV3 = "cbs_iv3"  # one table per year (`tabellen`), fetched by download_iv3


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
        raise config.ConfigError(f"{where} mist {missing}")
    try:
        tables = {int(year): str(table) for year, table in sorted(spec["tabellen"].items())}
        lasten = re.compile(str(spec["lasten_categorie"]))
        no_return = float(spec["geen_opgave"])
    except (ValueError, TypeError, AttributeError, re.error) as error:
        raise config.ConfigError(f"{where}: tabellen (jaar: tabel-id), lasten_categorie (reguliere expressie) of "
                                 f"geen_opgave (getal) is onjuist ({error})") from error
    dimensions = {str(role): str(name) for role, name in spec["dimensies"].items()}
    absent_roles = [role for role in IV3_ROLES if role not in dimensions]
    if absent_roles:
        raise config.ConfigError(f"{where}.dimensies mist {absent_roles}")
    topics = {str(name): str(column) for name, column in spec["onderwerpen"].items()}
    labels = cfg.sources["status_labels"]
    plaatsingen = []
    for entry in spec["plaatsingen"]:
        name, status = str(entry.get("onderwerp")), str(entry.get("status"))
        if name not in topics or status not in labels:
            raise config.ConfigError(f"{where}.plaatsingen: {entry} heeft een onderwerp uit {list(topics)} en een "
                                     f"status uit {list(labels)} nodig (status_labels)")
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
            f"config/bronnen.yaml: {settings.key}.tabellen heeft geen tabel voor {span(absent)} (ze lopen {first}-{last}); "
            f"zet de id van de tabel {settings.title.format(jaar=absent[0])!r} (catalogus IV3 op dataderden.cbs.nl) "
            f"onder {settings.key}.tabellen, bijvoorbeeld `{absent[0]}: 45xxxNED`")
    return sorted(y for y in set(years) if y in settings.tables), skipped


def _iv3_key(table: str, url: str, entries: Sequence[Mapping[str, Any]], dimension: str, wanted: str, year: int) -> str:
    """The Verslagsoort key of the jaarrekening, as the table spells it."""
    for entry in entries:
        if str(entry.get("Key", "")).strip() == wanted:
            return str(entry.get("Key", ""))
    raise FetchError(f"CBS-tabel {table}: {url}/{dimension} heeft geen sleutel {wanted!r} (de jaarrekening {year}, "
                     f"cbs_iv3.verslagsoort); wel {listing(entries)}. De jaarrekening {year} is misschien nog niet "
                     "gepubliceerd: vraag om eerdere jaren (--jaren)")


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
        raise FetchError(f"CBS-tabel {table}: {url}/{dimension} heeft geen taakveld {absent} (cbs_iv3.taakvelden); "
                         f"wel {listing(entries)}")
    return keys


def _plaatsing_status(settings: Iv3Settings, rows: Sequence[Mapping[str, Any]]) -> str:
    """The status of the newest plaatsing with any figure in `rows` (the oldest one's when none has)."""
    for topic, status in settings.plaatsingen:
        if any(row[topic] is not None and row[topic] != settings.no_return for row in rows):
            return status
    return settings.plaatsingen[-1][1]


@dataclass(frozen=True)
class _Iv3Table:
    """The Iv3 table of one year, and where it is served."""

    settings: Iv3Settings
    service: Service
    table: str
    url: str
    year: int

    def dim(self, role: str) -> str:
        """The table's dimension of one of IV3_ROLES."""
        return self.settings.dimensions[role]

    @property
    def dimensions(self) -> list[str]:
        return list(self.settings.dimensions.values())

    @property
    def select(self) -> list[str]:
        return ["ID", *self.dimensions, *self.settings.topics]


def _checked_metadata(it: _Iv3Table) -> tuple[dict[str, int], str, str]:
    """Each topic's decimals, the table's title and its Modified, after checking that this is the
    table of that year (its title) with the configured dimensions and topics."""
    table, url, settings = it.table, it.url, it.settings
    properties = call(it.service, table, "lezen van DataProperties", cbsodata.get_meta, table, "DataProperties")
    decimals = check_properties(table, url, properties, it.dimensions, settings.topics, [])
    check_unnamed_dimensions_fixed(table, url, dimensions_of(properties), it.dimensions, {})
    infos = call(it.service, table, "lezen van TableInfos", cbsodata.get_info, table)
    found_title, modified = table_infos(table, url, infos)
    title = found_title.strip()  # CBS ends some of these titles with a space
    expected = settings.title.format(jaar=it.year)
    if not cbs_titles.matches(expected, title):  # spaces, apostrophes and case as cbs_titles compares them
        raise FetchError(f"CBS-tabel {table}: {url}/TableInfos heeft de titel {title!r}, niet {expected!r}; controleer "
                         f"{settings.key}.tabellen in config/bronnen.yaml (de tabel-id van {it.year})")
    return decimals, title, modified


def _iv3_filter(it: _Iv3Table) -> tuple[str, list[str], str]:
    """The $filter for the jaarrekening of the configured taakvelden (every municipality: the
    national figure is their sum), with the Verslagsoort and the taakveld keys it names."""
    kind_dim, taakveld_dim = it.dim("verslagsoort"), it.dim("taakveld")
    report_kind = it.settings.report_kind.format(jaar=it.year)
    kind_key = _iv3_key(it.table, it.url, dimension_entries(it.service, it.table, kind_dim), kind_dim, report_kind,
                        it.year)
    taakveld_keys = _iv3_taakveld_keys(it.table, it.url, dimension_entries(it.service, it.table, taakveld_dim),
                                       taakveld_dim, it.settings.taakvelden)
    filter_text = " and ".join([f"{kind_dim} eq {quote(kind_key)}",
                                any_of([f"{taakveld_dim} eq {quote(k)}" for k in taakveld_keys])])
    if encoded_length(filter_text) > MAX_FILTER_CHARS:
        raise FetchError(f"CBS-tabel {it.table}: het $filter voor {len(taakveld_keys)} TaakveldBalanspost-sleutels is "
                         f"langer dan {MAX_FILTER_CHARS} tekens; configureer minder {it.settings.key}.taakvelden")
    return report_kind, taakveld_keys, filter_text


def _iv3_rows(it: _Iv3Table, report_kind: str, taakveld_keys: list[str], filter_text: str,
              modified: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The answer and its rows of lasten (picked here, since a category pattern is no OData
    filter), in CBS's order; fails when the table changed since its TableInfos were read."""
    table, url = it.table, it.url
    answer = call(it.service, table, "downloaden", cbsodata.download_data, table, typed=False,
                  select=it.select, filters=filter_text)
    data = typed_data_set(table, url, answer, it.select, it.dimensions)
    if modified_of(answer) != modified:
        raise FetchError(f"CBS-tabel {table} ({url}) is tijdens het ophalen gewijzigd "
                         f"(Modified {modified} -> {modified_of(answer)}); haal opnieuw op")
    wanted_taakvelden = {k.strip() for k in taakveld_keys}
    kind_dim, taakveld_dim, category_dim = it.dim("verslagsoort"), it.dim("taakveld"), it.dim("categorie")
    rows = [row for row in data  # checked again here: a server may ignore $filter
            if row[kind_dim].strip() == report_kind and row[taakveld_dim].strip() in wanted_taakvelden
            and it.settings.lasten.search(row[category_dim].strip())]
    in_cbs_order(rows)
    if not rows:
        raise FetchError(f"CBS-tabel {table}: geen regels met lasten (Categorie volgens {it.settings.lasten.pattern!r}) "
                         f"in {url}/TypedDataSet voor $filter {filter_text!r}")
    return answer, rows


def _write_iv3_files(it: _Iv3Table, data_path: Path, answer: dict[str, Any], rows: list[dict[str, Any]],
                     decimals: dict[str, int], missing_mark: str, filter_text: str,
                     base_meta: dict[str, Any]) -> list[Path]:
    """Write the data, the keys it uses, and the whole Gemeenten dimension (the cleaning stage
    checks that the national sum covers every municipality of the table); the files written."""
    settings, table, url, region_dim = it.settings, it.table, it.url, it.dim("regio")
    dimension_rows = {name: used_entries(table, url, answer, rows, name) for name in it.dimensions}
    dimension_rows[region_dim] = list(answer[region_dim])
    raw.write_csv(data_path, it.select, [
        [str(row["ID"]), *(str(row[d]) for d in it.dimensions),
         *(raw.cbs_cell(row[t], decimals[t], missing_mark) for t in settings.topics)]
        for row in rows], quote_all=True)
    raw.write_sidecar(data_path, {**base_meta, "bron": f"{settings.source_name}, tabel {table} (TypedDataSet)",
                                  "url": f"{url}/TypedDataSet", "filter": [filter_text], "rijen": len(rows)})
    written = [data_path]
    for name, entries in dimension_rows.items():
        selection = "alle gemeenten van de tabel (het landelijke cijfer is hun som)" if name == region_dim else USED_KEYS
        written.append(write_dimension(data_path, name, ["Key", "Title"], entries, {
            **base_meta, "bron": f"{settings.source_name}, tabel {table} (dimensie {name})", "url": f"{url}/{name}",
            "selectie": selection}))
    return written


def _download_iv3_table(cfg: config.Config, settings: Iv3Settings, folder: Path, service: Service, year: int,
                        retrieved: str) -> FetchedTable:
    """Fetch the Iv3 table of one year into `folder`: check that it is that year's table with the
    configured keys before asking for data, then write the lasten of the configured taakvelden
    of every municipality, and read the files back."""
    table = settings.tables[year]
    it = _Iv3Table(settings, service, table, service.table_url(table), year)
    missing_mark = str(cfg.sources["ontbrekend_teken"])
    log.info("CBS-tabel %s (%s %s) van %s", table, settings.key, year, it.url)
    decimals, title, modified = _checked_metadata(it)
    report_kind, taakveld_keys, filter_text = _iv3_filter(it)
    answer, rows = _iv3_rows(it, report_kind, taakveld_keys, filter_text, modified)
    base_meta = provenance(table, title, retrieved, modified, {str(year): _plaatsing_status(settings, rows)}, jaar=year)
    data_path = folder / settings.data_file.format(tabel=table)
    written = _write_iv3_files(it, data_path, answer, rows, decimals, missing_mark, filter_text, base_meta)
    read_back(table, it.url, data_path, it.dimensions, decimals, missing_mark)
    return FetchedTable(
        key=settings.key, table=table, title=title, modified=modified, url=it.url, rows=len(rows), years=[year],
        regions=sorted({row[it.dim("regio")].strip() for row in rows}), requested_regions=None,
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
    retrieved = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    fetched = [_download_iv3_table(cfg, settings, folder, service, year, retrieved) for year in wanted]
    if skipped:
        note = f"jaren {span(skipped)} overgeslagen: {key}.tabellen in config/bronnen.yaml begint bij {min(settings.tables)}"
        if fetched:
            fetched[0].notes.append(note)
        else:
            log.warning("%s: %s", key, note)
    return fetched
