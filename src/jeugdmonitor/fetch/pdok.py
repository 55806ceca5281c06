"""Fetch a year's municipal boundaries from PDOK into data/raw/geo/ (`make fetch JAREN=2024 TABEL=gemeentegrenzen`).

PDOK publishes CBS's *gebiedsindelingen* per year as a WFS service,
`<JEUGDMONITOR_PDOK_URL>/<jaar>/wfs/v1_0` (default base DEFAULT_URL), with the generalised
municipal layer LAYER. One GetFeature request in longitude/latitude (EPSG:4326) as GeoJSON,
paged by PAGE features, gives every municipality of that year. The fetch keeps per area only
`statcode` and `statnaam` and rounds coordinates to boundaries.DECIMALS (about 10 m; the layer is
generalised far beyond that), writes `gemeente_<jaar>.geojson` with its sidecar to a scratch
folder, reads it back with maps' own reader, and only then puts it in data/raw/geo/, removing
a bundled `gemeente_<jaar>.topojson` of the same year (two files of one year are refused by
boundaries.boundary_file). Any failure raises FetchError and leaves data/raw/ as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import requests

from jeugdmonitor import paths
from jeugdmonitor.fetch.service import FetchError
from jeugdmonitor.sources import boundaries, raw

ENV_URL = "JEUGDMONITOR_PDOK_URL"
DEFAULT_URL = "https://service.pdok.nl/cbs/gebiedsindelingen"
LAYER = "gemeente_gegeneraliseerd"
PAGE = 1000  # PDOK answers at most 1000 features per request
TIMEOUT = (5, 60)
ATTRIBUTION = "Kadaster / Centraal Bureau voor de Statistiek"
LICENCE = f"Open data van Kadaster en CBS via PDOK, met verplichte bronvermelding '{ATTRIBUTION}'."


def service_url(year: int) -> str:
    return f"{os.environ.get(ENV_URL, DEFAULT_URL).rstrip('/')}/{year}/wfs/v1_0"


def _page(url: str, start: int) -> dict[str, Any]:
    params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": LAYER,
              "outputFormat": "application/json", "srsName": "EPSG:4326", "count": PAGE, "startIndex": start}
    try:
        answer = requests.get(url, params=params, timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()
    except requests.RequestException as error:
        raise FetchError(f"PDOK-gemeentegrenzen ({url}, laag {LAYER}): ophalen mislukt: {error}") from error
    except ValueError as error:
        raise FetchError(f"PDOK-gemeentegrenzen ({url}): het antwoord is geen GeoJSON ({error})") from error


def _features(url: str) -> list[dict[str, Any]]:
    """Every feature of the layer, page by page (a page shorter than PAGE is the last)."""
    features: list[dict[str, Any]] = []
    while True:
        page = _page(url, len(features))
        if page.get("type") != "FeatureCollection":
            raise FetchError(f"PDOK-gemeentegrenzen ({url}): verwacht een GeoJSON-FeatureCollection, kreeg {page.get('type')!r}")
        part = page.get("features") or []
        features += part
        if len(part) < PAGE:
            return features


def _kept(url: str, feature: dict[str, Any]) -> dict[str, Any]:
    properties = feature.get("properties") or {}
    code, name = properties.get(boundaries.CODE_PROPERTY), properties.get(boundaries.NAME_PROPERTY)
    if not code or not name or not feature.get("geometry"):
        raise FetchError(f"PDOK-gemeentegrenzen ({url}): een gebied mist {boundaries.CODE_PROPERTY}, {boundaries.NAME_PROPERTY} "
                         f"of een geometrie (eigenschappen: {sorted(properties)})")
    return {"type": "Feature", "properties": {boundaries.CODE_PROPERTY: str(code).strip(), boundaries.NAME_PROPERTY: str(name)},
            "geometry": boundaries.rounded(feature["geometry"])}


def fetch_boundaries(year: int, out_dir: Path | None = None) -> Path:
    """Fetch the municipal boundaries of `year` into `out_dir`/geo/ (default data/raw/geo/); the
    path of the file written."""
    out_dir = Path(out_dir) if out_dir is not None else paths.RAW_DIR
    url = service_url(year)
    features = [_kept(url, f) for f in _features(url)]
    if not features:
        raise FetchError(f"PDOK-gemeentegrenzen ({url}): geen gemeenten in laag {LAYER}")
    name = f"gemeente_{year}.geojson"
    scratch = Path(tempfile.mkdtemp(prefix=".geo-ophalen-", dir=out_dir.parent if out_dir.parent.exists() else None))
    try:
        path = paths.boundary_dir(scratch) / name
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                                   separators=(",", ":")) + "\n", encoding="utf-8")
        raw.write_sidecar(path, {
            "bron": f"CBS-gebiedsindelingen {year} ({ATTRIBUTION}), laag {LAYER}, via PDOK (WFS)",
            "tabel": LAYER, "titel": f"Gemeentegrenzen {year} (CBS-gebiedsindelingen, gegeneraliseerd)",
            "url": url, "opgehaald": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "licentie": LICENCE,
            "bronvermelding": f"{ATTRIBUTION}, {year}", "jaar": year, "gemeenten": len(features), "fictief": False,
            "bewerking": (f"alleen {boundaries.CODE_PROPERTY} en {boundaries.NAME_PROPERTY}; "
                          f"coördinaten afgerond op {boundaries.DECIMALS} decimalen"),
        })
        try:
            read_back = boundaries.load(year, scratch)
        except raw.RawDataError as error:
            raise FetchError(f"PDOK-gemeentegrenzen ({url}): het geschreven bestand is niet terug te lezen: {error}") from error
        if read_back is None or len(read_back.areas) != len(features):
            raise FetchError(f"PDOK-gemeentegrenzen ({url}): {len(features)} gebieden opgehaald, maar niet alle terug gelezen")
        target = paths.boundary_dir(out_dir)
        target.mkdir(parents=True, exist_ok=True)
        for old in (target / f"gemeente_{year}.topojson", target / name):
            for file in (old, paths.raw_sidecar(old)):
                file.unlink(missing_ok=True)
        shutil.move(str(path), target / name)
        shutil.move(str(paths.raw_sidecar(path)), paths.raw_sidecar(target / name))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target / name
