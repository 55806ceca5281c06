"""The region on a map: a choropleth of a key rate over the municipalities' real boundaries.

Boundaries are CBS's municipal boundaries of a year (*CBS gebiedsindelingen*, layer
`gemeente_gegeneraliseerd`, as PDOK publishes them), kept in data/raw/geo/ like every raw file:
`gemeente_<jaar>.topojson` (bundled: simplified, see data/raw/README.md) or `gemeente_<jaar>.geojson`
(what `make fetch` writes from PDOK), each with its provenance sidecar, checked on every read. A
report of year Y uses the newest boundary file of a year up to Y; a municipality of the register
without a boundary there (the national sample's stand-ins, a merger after that year) is listed
under the map, not drawn.

A map is one Vega-Lite geoshape chart with the boundaries inline (only the areas on the map, in
longitude/latitude), rendered like every chart by charts.figure_html: static SVG for print and
no-script, the interactive view with a tooltip where scripts run. Its text alternative names the
highest and the lowest municipality in the order of the table beside it (the caller's `rows`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt

from jeugdmonitor import charts, pages, paths, raw
from jeugdmonitor.errors import RawDataError
from jeugdmonitor.formatting import number, year_label
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY, least_final

GEO_DIR = "geo"  # under data/raw/
FILE_NAME = re.compile(r"gemeente_(\d{4})\.(topojson|geojson)")
CODE_PROPERTY, NAME_PROPERTY = "statcode", "statnaam"  # the properties PDOK (and cartomap) give each area
DECIMALS = 4  # longitude/latitude to about 10 m: far finer than the simplified boundaries
MAP_WIDTH, MAP_HEIGHT = 300, 260
FILL_SCHEME = "blues"
MISSING_FILL = "#d9d9d9"  # a municipality on the map without a figure
BORDER, OUTLINE = "#5a5a5a", "#000000"


@dataclass(frozen=True)
class Boundaries:
    """The areas of one boundary file: code -> (name, GeoJSON geometry in longitude/latitude)."""
    year: int
    path: Path
    areas: dict[str, tuple[str, dict[str, Any]]]


def boundary_file(year: int, raw_dir: Path | None = None) -> Path | None:
    """The newest boundary file of a year up to `year` in data/raw/geo/ (None: there is none).
    Two files of one year (a .topojson and a .geojson) are refused: which one counts is unclear."""
    folder = (raw_dir or paths.RAW_DIR) / GEO_DIR
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
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RawDataError(path, f"geen geldige JSON ({error})") from error
    features = _topology_features(path, document) if path.suffix == ".topojson" else _geojson_features(path, document)
    areas: dict[str, tuple[str, dict[str, Any]]] = {}
    for number_, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = str(properties.get(CODE_PROPERTY, "")).strip()
        if not re.fullmatch(r"GM\d{4}", code):
            raise RawDataError(path, f"gebied {number_} heeft geen gemeentecode in '{CODE_PROPERTY}' (gevonden: {code!r})")
        if code in areas:
            raise RawDataError(path, f"gemeentecode {code} komt twee keer voor")
        areas[code] = (str(properties.get(NAME_PROPERTY, code)), _rounded(feature["geometry"]))
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


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            return [round(float(c), DECIMALS) for c in value[:2]]
        return [walk(item) for item in value]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def source(year: int) -> dict[str, Any] | None:
    """The sidecar of the boundaries a report of `year` uses, for the verantwoording (None: none)."""
    path = boundary_file(year)
    return None if path is None else {**raw.verify(path), "bestand": path.relative_to(paths.RAW_DIR).as_posix()}


# ------------------------------------------------------------------ the map
@charts._builds_unchecked
def choropleth(features: list[dict[str, Any]], title: str, unit: str, decimals: int,
               highlight: str | None = None) -> alt.LayerChart:
    """A choropleth of one rate: `features` are GeoJSON features whose properties hold `gebied`
    (name), `waarde` (None: no figure, drawn grey) and `waarde_tekst`; the area named `highlight`
    is outlined."""
    shape = alt.Projection(type="mercator")
    tooltip = [alt.Tooltip("properties.gebied:N", title="Gemeente"),
               alt.Tooltip("properties.waarde_tekst:N", title=f"Waarde ({unit})")]
    filled = charts._Part().mark_geoshape(stroke=BORDER, strokeWidth=0.6).encode(
        color=alt.Color("properties.waarde:Q", title=unit, scale=alt.Scale(scheme=FILL_SCHEME, zero=False),
                        legend=alt.Legend(orient="bottom", format=f",.{decimals}f", gradientLength=180, tickCount=4)),
        tooltip=tooltip,
    ).transform_filter("isValid(datum.properties.waarde)").properties(name="jm_kaart")
    empty = charts._Part().mark_geoshape(stroke=BORDER, strokeWidth=0.6, fill=MISSING_FILL).encode(
        tooltip=tooltip).transform_filter("!isValid(datum.properties.waarde)").properties(name="jm_kaart_leeg")
    layers = [filled, empty]
    if highlight is not None:
        layers.append(charts._Part().mark_geoshape(filled=False, stroke=OUTLINE, strokeWidth=2.5).transform_filter(
            alt.FieldEqualPredicate(field="properties.gebied", equal=highlight)).properties(name="jm_kaart_omlijnd"))
    return alt.layer(*layers, data=alt.InlineData(values=features), projection=shape, width=MAP_WIDTH,
                     height=MAP_HEIGHT, description=f"Kaart: {title}", config=charts._panel_config())


@dataclass(frozen=True)
class MapRow:
    """One municipality as the table beside the map shows it (in the table's order)."""
    code: str
    name: str
    value: float | None


def figure(rows: list[MapRow], year: int, kpi: Any, place: str, year_label: str,
           highlight: str | None = None, table: str | None = None, interactive: bool = True) -> dict[str, Any] | None:
    """The map of `rows` (the table's municipalities, highest first) for one KPI: the figure's
    HTML, the names not drawn and the boundaries' year; None without boundaries for any of them.
    `place`: the areas in words ('de gemeenten van Haaglanden'), for the text alternative;
    `table`: where the figures are (default: the table beside the map); `interactive`: False on
    the pages whose charts are all static (region overview, index: no chart runtime to load)."""
    boundaries = load(year)
    drawn = [row for row in rows if boundaries is not None and row.code in boundaries.areas]
    if not drawn:
        return None
    missing = [row.name for row in rows if row not in drawn]
    features = [{"type": "Feature", "geometry": boundaries.areas[row.code][1],
                 "properties": {"gebied": row.name, "waarde": row.value, "waarde_tekst": number(row.value, kpi.decimals)}}
                for row in drawn]
    table = table or pages.word("kaart_tabel")
    valued = [row for row in rows if row.value is not None]
    text = pages.render_text("grafiek_kaart.txt.j2", kpi=kpi, place=place, year_label=year_label, count=len(drawn),
                             highest=valued[0] if valued else None, lowest=valued[-1] if len(valued) > 1 else None,
                             no_value=[row.name for row in drawn if row.value is None], missing=missing,
                             highlight=highlight, table=table)
    notes = [pages.render_text("kaart_bron.txt.j2", year=boundaries.year)]
    if missing:
        notes.append(pages.render_text("kaart_zonder_grens.txt.j2", names=missing, year=boundaries.year))
    chart = choropleth(features, kpi.name, kpi.unit, kpi.decimals, highlight)
    html = charts.figure_html(chart, text, caption=f'{pages.word("bijschrift_kaart")} {table}', notes=notes, interactive=interactive)
    return {"figure": pages.Markup(html), "missing": missing, "boundary_year": boundaries.year, "text": text}


# ------------------------------------------------------------------ the maps of the pages
def _rows(rows: list[dict[str, Any]]) -> list[MapRow]:
    return [MapRow(row["code"], row["name"], row["value"]) for row in rows]


def region_map(year: int, region_name: str, kpi: Any, rows: list[dict[str, Any]], year_label: str) -> dict[str, Any] | None:
    """A region overview's map of one key rate: `rows` are its panel's ranked rows (the table)."""
    return figure(_rows(rows), year, kpi, pages.word("kaart_regio", region_name), year_label, interactive=False)


def municipality_map(report: Any, kpi: Any, comparison: dict[str, Any] | None) -> dict[str, Any] | None:
    """A bijlage's map of one key rate (the region's municipalities, this one outlined), beside
    the comparison table (`comparison`, report._comparison); only for the key figures
    (overzicht_kpis), so that a bijlage draws a few maps, not one per indicator."""
    if comparison is None or kpi.id not in report.inputs.cfg.overview_kpis:
        return None
    label = year_label(report.year, comparison["status"])
    return figure(_rows(comparison["rows"]), report.year, kpi, pages.word("kaart_regio", report.region_name), label,
                  highlight=report.name)


def index_map(inputs: Any, municipalities: list[str] | None = None) -> dict[str, Any] | None:
    """The index's map: every reported municipality (as overview.index_page selects them) on the
    first key rate of overzicht_kpis, highest first; the figures are in the index's tables."""
    rates = [inputs.cfg.kpis[k] for k in inputs.cfg.overview_kpis if inputs.cfg.kpis[k].is_rate]
    if not rates:
        return None
    kpi = rates[0]
    rows, statuses = [], []
    for region_code in dict.fromkeys(inputs.areas.loc[inputs.areas["niveau"] == LEVEL_MUNICIPALITY, "regio_code"]):
        members = inputs.members(region_code)
        for code, name in zip(members["gebied_code"], members["naam"], strict=True):
            if not municipalities or code in municipalities:
                value, status = inputs.values.get(kpi.id, code, inputs.year)
                rows.append(MapRow(code, name, value))
                statuses += [status] if status is not None else []
    rows.sort(key=lambda row: (row.value is None, -(row.value or 0.0), row.name.casefold()))
    label = year_label(inputs.year, least_final(statuses) if statuses else None)
    result = figure(rows, inputs.year, kpi, pages.word("kaart_index"), label, table=pages.word("kaart_index_tabel"),
                    interactive=False)
    return None if result is None else {**result, "kpi": kpi}
