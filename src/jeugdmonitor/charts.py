"""Trend charts (Altair), rendered to inline SVG with vl-convert: no script, no network, prints sharply."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

from jeugdmonitor.formatting import escape
from jeugdmonitor.vocabulary import STATUSES

AREA_COLOURS = ["#01689b", "#e17000", "#5a5a5a"]  # colour-blind safe; lines also differ in dash
AREA_DASHES = [[1, 0], [6, 3], [2, 2]]


def trend_chart(series: pd.DataFrame, title: str, unit: str, decimals: int) -> alt.Chart:
    """`series`: columns jaar_label, gebied, waarde, status (one row per area and year)."""
    areas = list(dict.fromkeys(series["gebied"]))
    data = series.dropna(subset=["waarde"]).assign(waarde=lambda f: f["waarde"].astype(float))
    axis_format = f",.{decimals}f"
    base = alt.Chart(data).encode(
        x=alt.X("jaar_label:O", title="Jaar", sort=list(dict.fromkeys(series["jaar_label"])), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("waarde:Q", title=unit, axis=alt.Axis(format=axis_format), scale=alt.Scale(zero=True)),
        color=alt.Color("gebied:N", title=None, sort=areas, scale=alt.Scale(domain=areas, range=AREA_COLOURS[: len(areas)]),
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("gebied:N", sort=areas, scale=alt.Scale(domain=areas, range=AREA_DASHES[: len(areas)]),
                                  legend=None),
    )
    lines = base.mark_line(strokeWidth=2)
    points = base.mark_point(size=45, filled=True).encode(
        shape=alt.Shape("status:N", title="Status", scale=alt.Scale(domain=list(STATUSES),
                                                                     range=["circle", "triangle-up", "square"])),
    )
    return (lines + points).properties(width=560, height=220, title=title, description=f"Lijngrafiek: {title}")


def to_svg(chart: alt.Chart) -> str:
    return vl_convert.vegalite_to_svg(chart.to_json(), format_locale="nl-NL", time_format_locale="nl-NL")


def figure_html(chart: alt.Chart, alt_text: str) -> str:
    """An accessible figure: the SVG is an image with a text alternative (WCAG 1.1.1)."""
    svg = to_svg(chart)
    return (f'<figure class="jm-grafiek"><div role="img" aria-label="{escape(alt_text)}">{svg}</div>'
            f"<figcaption>{escape(alt_text)}</figcaption></figure>")


def comparison_chart(frame: pd.DataFrame, title: str, unit: str, decimals: int, highlight: str,
                     references: dict[str, object]) -> alt.Chart:
    """One KPI for one year: every municipality of a region as a dot, sorted by value, the chosen
    one highlighted (larger, filled, bold label); region and country as labelled rules.
    `frame`: columns gebied, waarde, status."""
    data = frame.dropna(subset=["waarde"]).assign(waarde=lambda f: f["waarde"].astype(float),
                                                  deze=lambda f: f["gebied"] == highlight)
    order = data.sort_values("waarde", ascending=False)["gebied"].tolist()
    axis_format = f",.{decimals}f"
    dots = alt.Chart(data).mark_point(filled=True).encode(
        y=alt.Y("gebied:N", title=None, sort=order),
        x=alt.X("waarde:Q", title=unit, axis=alt.Axis(format=axis_format), scale=alt.Scale(zero=True)),
        size=alt.condition("datum.deze", alt.value(140), alt.value(50)),
        color=alt.condition("datum.deze", alt.value(AREA_COLOURS[0]), alt.value("#5a5a5a")),
        shape=alt.condition("datum.deze", alt.value("diamond"), alt.value("circle")),
    )
    layers = [dots]
    refs = pd.DataFrame([{"naam": name, "waarde": float(value)} for name, value in references.items()
                         if value is not None and value == value])
    if not refs.empty:
        rules = alt.Chart(refs).mark_rule(strokeDash=[4, 3], color="#333333").encode(x="waarde:Q")
        labels = alt.Chart(refs).mark_text(align="left", dx=3, dy=-4, fontSize=10, color="#333333").encode(
            x="waarde:Q", y=alt.value(0), text="naam:N")
        layers += [rules, labels]
    height = max(120, 22 * len(order))
    return alt.layer(*layers).properties(width=480, height=height, title=title, description=f"Stippengrafiek: {title}")


def small_multiples(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Several KPIs side by side (one panel each, own scale) for every municipality of a region.
    `frame`: columns kpi_naam, gebied, waarde, status."""
    data = frame.dropna(subset=["waarde"]).assign(waarde=lambda f: f["waarde"].astype(float))
    names = sorted(dict.fromkeys(frame["gebied"]))
    return alt.Chart(data).mark_point(filled=True, size=45, color=AREA_COLOURS[0]).encode(
        y=alt.Y("gebied:N", title=None, sort=names),
        x=alt.X("waarde:Q", title=None, scale=alt.Scale(zero=True)),
    ).properties(width=150, height=max(100, 16 * len(names))).facet(
        facet=alt.Facet("kpi_naam:N", title=None, header=alt.Header(labelFontWeight="bold", labelLimit=170)), columns=3,
    ).resolve_scale(x="independent").properties(title=title)
