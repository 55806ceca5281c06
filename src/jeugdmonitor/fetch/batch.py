"""Fetch every requested CBS table into a temporary folder and publish the files into data/raw/
only when all of them arrived complete."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.fetch.areas_download import download_areas
from jeugdmonitor.fetch.files import FetchedTable, span
from jeugdmonitor.fetch.iv3_download import IV3, download_iv3, iv3_settings, iv3_years
from jeugdmonitor.fetch.service import FetchError
from jeugdmonitor.fetch.services import AnyService, candidates, first_answering
from jeugdmonitor.fetch.statline import download_table, series_years, table_years
from jeugdmonitor.publish import move_files_into
from jeugdmonitor.sources import areas
from jeugdmonitor.vocabulary import NL_CODE

SOURCES = ("cbs_jeugdzorg", "cbs_jeugdzorg_leeftijd", "cbs_bevolking", "cbs_iv3")
AREAS = areas.AREAS  # the area tables (make regio); the command line fetches them beside SOURCES


def default_regions(cfg: config.Config) -> list[str]:
    """Every code the workbook knows: municipalities (also merged-away ones), jeugdregio's, NL01."""
    register = cfg.register
    return [*sorted(register.municipalities), *sorted(register.regions), NL_CODE]


def fetchable(cfg: config.Config) -> tuple[str, ...]:
    """The CBS sources `make fetch` fetches by default: those not marked `ophalen.beschikbaar: false`."""
    return tuple(k for k in SOURCES if ((cfg.sources[k].get("ophalen") or {}).get("beschikbaar", True)))


def _download_series(cfg: config.Config, key: str, folder: Path, service: AnyService | None, years: list[int] | None,
                     regions: list[str]) -> list[FetchedTable]:
    """A source's table and its successors. With successors, every table's Perioden is read
    first and each year comes from the newest table that has it (`series_years`); each table is
    then asked for its own years only, and every sidecar records the whole choice (`reeks`).
    Each table is read from the service config/bronnen.yaml chooses for it, or from the other
    when that one cannot serve it (`services.first_answering`); a service that failed for a
    table is not asked for it again."""
    parts = config.table_parts(key, cfg.sources[key])
    tables = [str(part.spec["tabel"]) for part in parts]
    tried = {t: candidates(cfg.sources, part.spec, key, service) for t, part in zip(tables, parts, strict=True)}
    failed: dict[str, list[str]] = {t: [] for t in tables}

    def download(part: config.TablePart, part_years: list[int] | None, chosen: dict[str, list[int]] | None) -> FetchedTable:
        table = str(part.spec["tabel"])
        return first_answering(table, tried[table], lambda s: download_table(
            cfg, key, folder, s, part_years, regions, part, series=chosen, failed=failed[table]), failed[table])[1]

    if len(parts) == 1:
        return [download(parts[0], years, None)]
    held = {}
    for table, part in zip(tables, parts, strict=True):
        answering, held[table] = first_answering(table, tried[table], lambda s, p=part: table_years(p, s), failed[table])
        tried[table] = tried[table][tried[table].index(answering):]  # the one that answered first, then any left
    chosen = series_years(parts, years=years, held=held)
    fetched = []
    for part in parts:
        part_years = chosen[str(part.spec["tabel"])]
        if part_years:  # a table whose years all come from a newer one is not fetched
            fetched.append(download(part, part_years, chosen))
    if not fetched:
        raise FetchError(f"CBS-bron {key}: geen van de jaren {span(years or [])} staat in een tabel van de reeks "
                         f"({', '.join(chosen)}; hun Perioden)")
    if years:
        absent = sorted(set(years) - {y for found in chosen.values() for y in found})
        if absent:
            fetched[-1].notes.append(f"jaren {absent} staan in geen tabel van de reeks "
                                     f"({', '.join(chosen)}); ze zijn niet opgehaald")
    return fetched


def fetch(keys: Sequence[str] | None = None, years: Sequence[int] | None = None, regions: Sequence[str] | None = None,
          out_dir: Path | None = None, cfg: config.Config | None = None,
          service: AnyService | None = None) -> list[FetchedTable]:
    """Fetch the CBS sources `keys` and publish them into `out_dir` (default data/raw/) only when
    every table was fetched completely. `years` None: every year (Iv3: every configured table).
    `regions` None: `default_regions`; they do not restrict Iv3 (its national figure is the sum
    of all municipalities). `service` None: each StatLine table from the service config/bronnen.yaml
    chooses (`dienst`, `cbs_diensten`), falling back to the other; OData 3 at JEUGDMONITOR_CBS_URL
    (else the configured host), OData 4 at JEUGDMONITOR_CBS4_URL (else datasets.cbs.nl)."""
    cfg = cfg or config.load()
    out_dir = Path(out_dir) if out_dir is not None else paths.RAW_DIR
    available = fetchable(cfg)
    keys = available if keys is None else list(keys)
    unknown = [k for k in keys if k not in cfg.sources or ("tabellen" if k in (IV3, AREAS) else "tabel") not in cfg.sources[k]]
    if unknown:
        raise config.ConfigError(f"config/bronnen.yaml heeft geen CBS-bron {unknown}")
    refused = [k for k in keys if k not in available and k != AREAS]
    if refused:
        reason = cfg.sources[refused[0]]["ophalen"].get("reden", "")
        raise config.ConfigError(f"config/bronnen.yaml: {refused[0]} kan niet worden opgehaald (ophalen.beschikbaar: false): {reason}")
    if regions is not None and not regions:
        raise ValueError("regions is leeg; geef None voor elke code in config/gemeenten.yaml")
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
            elif key == AREAS:
                fetched += download_areas(cfg, staging, service, years)
            else:
                fetched += _download_series(cfg, key, staging, service, years, regions)
        move_files_into(staging, out_dir)  # data files first, then their sidecars
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return fetched
