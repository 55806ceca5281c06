"""Municipal boundaries of a year (*CBS gebiedsindelingen*, layer `gemeente_gegeneraliseerd`, as PDOK
publishes them), kept in data/raw/geo/ like every raw file: `gemeente_<jaar>.topojson` (bundled,
simplified) or `gemeente_<jaar>.geojson` (what `make fetch` writes from PDOK), each with its
provenance sidecar, checked on every read. A report of year Y uses the newest file of a year up
to Y; TopoJSON arcs are decoded to GeoJSON features in longitude/latitude."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeugdmonitor import paths
from jeugdmonitor.errors import RawDataError
from jeugdmonitor.sources import raw

CODE_PROPERTY, NAME_PROPERTY = "statcode", "statnaam"  # the properties PDOK (and cartomap) give each area
GEO_DIR = paths.boundary_dir().name  # the folder under data/raw/ (paths.boundary_dir)


FILE_NAME = re.compile(r"gemeente_(\d{4})\.(topojson|geojson)")


DECIMALS = 4  # longitude/latitude to about 10 m: far finer than the simplified boundaries


@dataclass(frozen=True)
class Boundaries:
    """The areas of one boundary file: code -> (name, GeoJSON geometry in longitude/latitude)."""
    year: int
    path: Path
    areas: dict[str, tuple[str, dict[str, Any]]]


def boundary_file(year: int, raw_dir: Path | None = None) -> Path | None:
    """The newest boundary file of a year up to `year` in data/raw/geo/ (None: there is none).
    Two files of one year (a .topojson and a .geojson) are refused: which one counts is unclear."""
    folder = paths.boundary_dir(raw_dir)
    found: dict[int, list[Path]] = {}
    for path in sorted(folder.glob("gemeente_*")) if folder.is_dir() else []:
        match = FILE_NAME.fullmatch(path.name)
        if match:
            found.setdefault(int(match.group(1)), []).append(path)
    usable = [y for y in found if y <= year]
    if not usable:
        return None
    chosen = found[max(usable)]
    if len(chosen) > 1:
        raise RawDataError(chosen[0], f"er zijn twee grensbestanden voor {max(usable)} ({', '.join(p.name for p in chosen)}); "
                           "verwijder er één (met zijn .meta.json)")
    return chosen[0]


def load(year: int, raw_dir: Path | None = None) -> Boundaries | None:
    """The boundaries a report of `year` uses (boundary_file), checked against their sidecar."""
    path = boundary_file(year, raw_dir)
    return None if path is None else _load(path, raw.sha256(path))


@functools.lru_cache(maxsize=4)
def _load(path: Path, checksum: str) -> Boundaries:
    """Read once per process and file version (`checksum`); raw.verify refuses a changed file."""
    meta = raw.verify(path)
    document = raw.read_json(path)
    features = _topology_features(path, document) if path.suffix == ".topojson" else _geojson_features(path, document)
    areas: dict[str, tuple[str, dict[str, Any]]] = {}
    for number_, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = str(properties.get(CODE_PROPERTY, "")).strip()
        if not re.fullmatch(r"GM\d{4}", code):
            raise RawDataError(path, f"gebied {number_} heeft geen gemeentecode in '{CODE_PROPERTY}' (gevonden: {code!r})")
        if code in areas:
            raise RawDataError(path, f"gemeentecode {code} komt twee keer voor")
        areas[code] = (str(properties.get(NAME_PROPERTY, code)), rounded(feature["geometry"]))
    return Boundaries(int(meta.get("jaar", FILE_NAME.fullmatch(path.name).group(1))), path, areas)


def _topology_features(path: Path, topology: dict[str, Any]) -> list[dict[str, Any]]:
    """The GeoJSON features of a TopoJSON file's one object (the TopoJSON specification: arcs
    quantized and delta-encoded under `transform`, a negative index ~i is arc i reversed)."""
    if topology.get("type") != "Topology" or len(topology.get("objects", {})) != 1:
        raise RawDataError(path, "verwacht een TopoJSON-'Topology' met één object (de gemeenten)")
    transform = topology.get("transform")
    arcs = [_decode_arc(arc, transform) for arc in topology["arcs"]]

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for index in indexes:
            part = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(part if not points else part[1:])
        return points

    features = []
    for geometry in next(iter(topology["objects"].values())).get("geometries", []):
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates: Any = [ring(r) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            raise RawDataError(path, f"gebied {geometry.get('id')}: vorm {kind!r}, verwacht Polygon of MultiPolygon")
        features.append({"properties": geometry.get("properties"), "geometry": {"type": kind, "coordinates": coordinates}})
    return features


def _decode_arc(arc: list[list[float]], transform: dict[str, Any] | None) -> list[list[float]]:
    if not transform:
        return [list(point[:2]) for point in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0.0
    points = []
    for dx, dy, *_ in arc:
        x, y = x + dx, y + dy
        points.append([x * sx + tx, y * sy + ty])
    return points


def _geojson_features(path: Path, collection: dict[str, Any]) -> list[dict[str, Any]]:
    if collection.get("type") != "FeatureCollection":
        raise RawDataError(path, "verwacht een GeoJSON-'FeatureCollection' van gemeenten")
    return list(collection.get("features", []))


def rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            return [round(float(c), DECIMALS) for c in value[:2]]
        return [walk(item) for item in value]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def source(year: int) -> dict[str, Any] | None:
    """The sidecar of the boundaries a report of `year` uses, for the verantwoording (None: none)."""
    path = boundary_file(year)
    return None if path is None else {**raw.verify(path), "bestand": path.relative_to(paths.RAW_DIR).as_posix()}
