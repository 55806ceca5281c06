"""The region on a map: a choropleth of a key rate over the municipalities' real boundaries
(sources.boundaries). A municipality without a boundary (the national sample's stand-ins, a
merger after the boundaries' year) is listed under the map, not drawn.

A map is one Vega-Lite geoshape chart with the boundaries inline (only the areas on the map),
rendered like every chart by figures.figure_html: static SVG for print and no-script, the
interactive view with a tooltip where scripts run. Its text alternative names the highest and
the lowest municipality in the order of the table beside it (the caller's `rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from jeugdmonitor.report import charts, figures, templates
from jeugdmonitor.report.formatting import number, year_label
from jeugdmonitor.sources.boundaries import load
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY, least_final

MAP_WIDTH, MAP_HEIGHT = 300, 260


FILL_SCHEME = "blues"


MISSING_FILL = "#d9d9d9"  # a municipality on the map without a figure


BORDER, OUTLINE = "#5a5a5a", "#000000"


# ------------------------------------------------------------------ the map
@figures.builds_unchecked
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
    table = table or templates.word("kaart_tabel")
    valued = [row for row in rows if row.value is not None]
    text = templates.render_text("grafiek_kaart.txt.j2", kpi=kpi, place=place, year_label=year_label, count=len(drawn),
                             highest=valued[0] if valued else None, lowest=valued[-1] if len(valued) > 1 else None,
                             no_value=[row.name for row in drawn if row.value is None], missing=missing,
                             highlight=highlight, table=table)
    notes = [templates.render_text("kaart_bron.txt.j2", year=boundaries.year)]
    if missing:
        notes.append(templates.render_text("kaart_zonder_grens.txt.j2", names=missing, year=boundaries.year))
    chart = choropleth(features, kpi.name, kpi.unit, kpi.decimals, highlight)
    html = figures.figure_html(chart, text, caption=f'{templates.word("bijschrift_kaart")} {table}', notes=notes, interactive=interactive)
    return {"figure": templates.Markup(html), "missing": missing, "boundary_year": boundaries.year, "text": text}


# ------------------------------------------------------------------ the maps of the pages
def _rows(rows: list[dict[str, Any]]) -> list[MapRow]:
    return [MapRow(row["code"], row["name"], row["value"]) for row in rows]


def region_map(year: int, region_name: str, kpi: Any, rows: list[dict[str, Any]], year_label: str) -> dict[str, Any] | None:
    """A region overview's map of one key rate: `rows` are its panel's ranked rows (the table)."""
    return figure(_rows(rows), year, kpi, templates.word("kaart_regio", region_name), year_label, interactive=False)


def municipality_map(report: Any, kpi: Any, comparison: dict[str, Any] | None) -> dict[str, Any] | None:
    """A bijlage's map of one key rate (the region's municipalities, this one outlined), beside
    the comparison table (`comparison`, report._comparison); only for the key figures
    (overzicht_kpis), so that a bijlage draws a few maps, not one per indicator."""
    if comparison is None or kpi.id not in report.inputs.cfg.overview_kpis:
        return None
    label = year_label(report.year, comparison["status"])
    return figure(_rows(comparison["rows"]), report.year, kpi, templates.word("kaart_regio", report.region_name), label,
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
    result = figure(rows, inputs.year, kpi, templates.word("kaart_index"), label, table=templates.word("kaart_index_tabel"),
                    interactive=False)
    return None if result is None else {**result, "kpi": kpi}
