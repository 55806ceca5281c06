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
