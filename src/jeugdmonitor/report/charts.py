"""The charts of the reports, built with Altair: a trend per area, the comparison of areas, the
region overview's ranked panels and small multiples, and the region's trend. Colours, dashes
and shapes tell areas and statuses apart without colour alone. How a chart becomes a figure of
the page (static SVG and the interactive view): report/figures.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from jeugdmonitor.report import templates
from jeugdmonitor.report.figures import SELECTION, builds_unchecked, inlined
from jeugdmonitor.report.formatting import is_missing, number
from jeugdmonitor.vocabulary import MERGED_MARK, STATUS_MARKS, STATUSES

AREA_COLOURS = ["#01689b", "#e17000", "#5a5a5a"]  # colour-blind safe; lines also differ in dash


AREA_DASHES = [[1, 0], [6, 3], [2, 2]]


STATUS_SHAPES = dict(zip(STATUSES, ["circle", "triangle-up", "square"], strict=True))


HIGHLIGHT_COLOUR = "#01689b"


OTHER_COLOUR = "#6b6b6b"  # contrast above 3:1 on white (WCAG 1.4.11), unlike a light grey


FADED_OPACITY = 0.2


# the note under a chart with merged years: the same sentence as under its data table
MERGED_NOTE = templates.render_text("noot_herindeling.txt.j2", merged_mark=MERGED_MARK)


def _status_text(status: object) -> str:
    """'nader voorlopig (**)': the legend entry explains the mark on the axis label."""
    status = str(status)
    return f"{status} ({STATUS_MARKS[status]})" if STATUS_MARKS.get(status) else status


def _status_shape(statuses: list[object]) -> alt.Shape:
    present = [s for s in STATUSES if s in set(statuses)]
    return alt.Shape("status_tekst:N", title="Status", sort=[_status_text(s) for s in present],
                     scale=alt.Scale(domain=[_status_text(s) for s in present], range=[STATUS_SHAPES[s] for s in present]),
                     legend=alt.Legend(orient="bottom", offset=24))


def _hover() -> alt.Parameter:
    return alt.selection_point(name=SELECTION, fields=["gebied"], on="pointerover", clear="pointerout")


def _hover_over(hover: alt.Parameter, views: list[str]) -> list[alt.TopLevelSelectionParameter]:
    """The hover selection declared once, at the top of the chart, over the named views: what
    Altair makes of a selection added to each layer or panel, without its work to lift and merge
    them (it validates each copy against the schema, the larger part of building a chart). It is
    set on the finished chart (`chart.params = ...`), with its views already named, so alt.layer
    and alt.concat have nothing to lift."""
    return [_Selection(name=SELECTION, select=hover.param.select, views=views)]


class _Selection(alt.TopLevelSelectionParameter):
    """The hover selection of one chart. Altair turns it into a dict, checked against the schema,
    each time it copies the chart (every to_dict does, to compare selections); the chart's whole
    spec, this selection included, is checked once per chart structure (vegalite_dict), so these
    conversions skip the check."""

    def to_dict(self, validate: bool = False, **kwargs: object) -> dict:
        return super().to_dict(validate=validate, **kwargs)


class _Part(alt.Chart):
    """A layer or panel made for one chart only. alt.layer and alt.concat deep-copy every part
    (twice), so that combining never changes a chart the caller may use again; that copy walks
    every property of every channel, axis and scale, set or not, and took a fifth of a report's
    time. A part is never used again, so its copy may share its channels (Python's __deepcopy__,
    which Altair's copy honours); the spec is the same."""

    def __deepcopy__(self, memo: object = None) -> _Part:
        return self.copy(deep=False)


# Channel values are passed as typed objects (alt.OpacityValue(...)), not as the dicts that
# alt.condition and alt.value return: Altair turns a dict into its class with from_dict, which
# hashes every schema class on each call and made up a third of a report's time. The spec is the same.
def _faded(selection: alt.Parameter) -> alt.OpacityValue:
    return alt.OpacityValue(**alt.condition(selection, alt.value(1), alt.value(FADED_OPACITY)))


def _chosen_colour() -> alt.ColorValue:
    return alt.ColorValue(**alt.condition("datum.gekozen", alt.value(HIGHLIGHT_COLOUR), alt.value(OTHER_COLOUR)))


def _chosen_size(chosen: int, other: int) -> alt.SizeValue:
    return alt.SizeValue(**alt.condition("datum.gekozen", alt.value(chosen), alt.value(other)))


def _value_text(value: object, decimals: int, merged: bool = False) -> str:
    text = number(value, decimals)
    return text + MERGED_MARK if merged and not is_missing(value) else text


def _usermeta(notes: list[str]) -> dict:
    return {"jeugdmonitor": {"noten": notes}} if notes else {}


def _bold_if(name: str | None) -> dict | str:
    """Axis label weight: the highlighted area in bold (so it is not shown by colour alone)."""
    if name is None:
        return "normal"
    return {"condition": {"test": f"datum.value === {json.dumps(name)}", "value": "bold"}, "value": "normal"}


def _trend_rows(series: pd.DataFrame, decimals: int) -> tuple[list[dict], list[str], bool]:
    """The trend chart's inline data (the rows with a value), its x axis's labels in order, and
    whether a year is marked as merged.
    Built from the columns as Python values rather than by pandas operations on a frame of a few
    dozen rows (each costs more than the rows' work); the values and their order are those
    Altair would make of the frame (figures.inlined): missing -> None, floats and strings."""
    columns = {name: series[name].tolist() for name in ("jaar_label", "gebied", "waarde", "status")}
    flags = series["samengesteld"].tolist() if "samengesteld" in series.columns else [False] * len(series)
    merged = [not is_missing(flag) and bool(flag) and not is_missing(value)
              for flag, value in zip(flags, columns["waarde"], strict=True)]
    merged_years = {label for label, flag in zip(columns["jaar_label"], merged, strict=True) if flag}
    axis = [f"{label}{MERGED_MARK}" if label in merged_years else str(label) for label in columns["jaar_label"]]
    rows = []
    for label, name, value, status, flag, shown in zip(columns["jaar_label"], columns["gebied"], columns["waarde"],
                                                       columns["status"], merged, axis, strict=True):
        if is_missing(value):
            continue
        value = float(value)
        rows.append({"jaar_as": shown, "jaar_label": None if is_missing(label) else label,
                     "gebied": None if is_missing(name) else name, "waarde": value,
                     "waarde_tekst": _value_text(value, decimals, flag),
                     "status": None if is_missing(status) else status, "status_tekst": _status_text(status)})
    return rows, list(dict.fromkeys(axis)), bool(merged_years)


# ------------------------------------------------------------------ chart types
@builds_unchecked
def trend_chart(series: pd.DataFrame, title: str, unit: str, decimals: int) -> alt.LayerChart:
    """Lines per area over the years.

    `series`: one row per area and year, in the order to show (areas, then years), columns
    - `jaar_label` year with its status mark ('2023**'), shared by all areas of a year;
    - `gebied` area name; `waarde` value (missing allowed: no point); `status` its status;
    - `samengesteld` (optional, default False) True when the value was summed from the
      municipalities before a merger: the year's axis label gets MERGED_MARK and the chart a note.
    Status is shown by mark shape (with a legend) and by the mark on the axis label.
    """
    areas = list(dict.fromkeys(series["gebied"].tolist()))
    data, years, any_merged = _trend_rows(series, decimals)
    hover = _hover()
    # the data go on the layer chart, which both layers inherit: Altair copies each layer when
    # combining them, and layers without their own data are cheap to copy
    base = _Part().encode(
        x=alt.X("jaar_as:O", title="Jaar", sort=years, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("waarde:Q", title=unit, axis=alt.Axis(format=f",.{decimals}f"), scale=alt.Scale(zero=True)),
        # colour and dash share one legend whose symbols are the lines themselves
        color=alt.Color("gebied:N", title=None, sort=areas, scale=alt.Scale(domain=areas, range=AREA_COLOURS[: len(areas)]),
                        legend=alt.Legend(orient="bottom", symbolType="stroke", symbolStrokeWidth=2, symbolSize=400,
                                          columnPadding=16)),
        strokeDash=alt.StrokeDash("gebied:N", title=None, sort=areas,
                                  scale=alt.Scale(domain=areas, range=AREA_DASHES[: len(areas)])),
        opacity=_faded(hover),
    )
    lines = base.mark_line(strokeWidth=2).properties(name="jm_lijnen")
    points = base.mark_point(size=60, filled=True).encode(
        shape=_status_shape([row["status"] for row in data]),
        # the year as the table's row label; the merge mark goes with the value, as in the table
        tooltip=[alt.Tooltip("gebied:N", title="Gebied"), alt.Tooltip("jaar_label:N", title="Jaar"),
                 alt.Tooltip("waarde_tekst:N", title=f"Waarde ({unit})"), alt.Tooltip("status:N", title="Status")],
    ).properties(name="jm_punten")
    notes = [MERGED_NOTE] if any_merged else []
    chart = alt.layer(lines, points, data={"values": data}, width=560, height=220, title=title,
                      description=f"Lijngrafiek: {title}", usermeta=_usermeta(notes))
    # on the lines only: Vega-Lite cannot define one selection in two layers of a view
    chart.params = _hover_over(hover, [lines.name])
    return chart


def _dot_data(frame: pd.DataFrame, decimals: int, highlight: str | None) -> pd.DataFrame:
    data = frame.dropna(subset=["waarde"]).copy()
    data["waarde"] = data["waarde"].astype(float)
    data["waarde_tekst"] = [_value_text(v, decimals) for v in data["waarde"]]
    data["status_tekst"] = data["status"].map(_status_text)
    data["gekozen"] = data["gebied"] == highlight
    return data


def _dot_rows(frame: pd.DataFrame, decimals: int, highlight: str | None) -> tuple[list[dict], list[str]]:
    """_dot_data as the inline values Altair would make of it (figures.inlined: missing -> None),
    built from the columns as Python values, and the names without a value in order. A pandas
    operation on a region's dozen rows costs more than the rows' work."""
    columns = {str(name): frame[name].tolist() for name in frame.columns}
    rows, missing = [], []
    for values in zip(*columns.values(), strict=True):
        row = dict(zip(columns, values, strict=True))
        if is_missing(row["waarde"]):
            missing.append(row["gebied"])
            continue
        row = {name: None if is_missing(value) else value for name, value in row.items()}
        row["waarde"] = float(row["waarde"])
        row["waarde_tekst"] = _value_text(row["waarde"], decimals)
        row["status_tekst"] = _status_text(values[list(columns).index("status")])
        row["gekozen"] = row["gebied"] is not None and row["gebied"] == highlight
        rows.append(row)
    return rows, missing


def _missing_note_of(missing: list[str]) -> list[str]:
    missing = list(dict.fromkeys(missing))
    return [f"Geen cijfer (onderdrukt of niet beschikbaar): {', '.join(missing)}."] if missing else []


def _missing_note(frame: pd.DataFrame) -> list[str]:
    return _missing_note_of(list(frame.loc[frame["waarde"].isna(), "gebied"]))


@builds_unchecked
def comparison_chart(frame: pd.DataFrame, title: str, unit: str, decimals: int, highlight: str | None,
                     references: dict[str, object] | None = None) -> alt.LayerChart:
    """One KPI for one year, every municipality of a region, sorted from high to low.

    `frame`: one row per municipality, columns `gebied` (name), `waarde` (missing: left out and
    named in a note), `status`. `highlight`: the name shown larger, darker and with a bold label.
    `references`: label -> value (e.g. {'Regio Haaglanden': 10.1, 'Nederland': 9.8}), each drawn
    as a labelled vertical line; a missing value draws no line.
    """
    data, missing = _dot_rows(frame, decimals, highlight)
    order = [row["gebied"] for row in sorted(data, key=lambda row: (-row["waarde"], row["gebied"]))]
    height = max(22 * len(order), 120)
    x = alt.X("waarde:Q", title=unit, axis=alt.Axis(format=f",.{decimals}f", tickCount=6), scale=alt.Scale(zero=True))
    hover = _hover()
    base = _Part().encode(  # the data go on the layer chart (see trend_chart); the reference layers have their own
        x=x,
        y=alt.Y("gebied:N", title=None, sort=order,
                axis=alt.Axis(labelLimit=220, labelFontWeight=_bold_if(highlight), labelFontSize=11)),
        opacity=_faded(hover),
    )
    stems = base.mark_bar(color="#c8c8c8", height=2).properties(name="jm_stelen")
    dots = base.mark_point(filled=True).encode(
        shape=_status_shape([row["status"] for row in data]),
        color=_chosen_colour(),
        size=_chosen_size(160, 60),
        tooltip=[alt.Tooltip("gebied:N", title="Gebied"), alt.Tooltip("waarde_tekst:N", title=f"Waarde ({unit})"),
                 alt.Tooltip("status:N", title="Status")],
    ).properties(name="jm_punten")
    layers = [stems, dots]
    present = [(label, float(value)) for label, value in (references or {}).items() if not is_missing(value)]
    if present:
        widest = max([*(row["waarde"] for row in data), *(value for _, value in present), 0])
        # one line of text per reference above the plot, so two close lines never overprint;
        # a label near the right end is written leftwards from its line
        refs = [{"label": label, "waarde": value, "tekst": f"{label}: {_value_text(value, decimals)}",
                 "hoogte": -6 - 14 * (len(present) - 1 - i), "rechts": value > 0.6 * widest}
                for i, (label, value) in enumerate(present)]
        # a whole number from a frame's column reached Altair as a NumPy number, which it writes as a float
        top = float(min(ref["hoogte"] for ref in refs) + 4)
        rules = _Part({"values": refs}).mark_rule(strokeDash=[5, 3], strokeWidth=1.5, color="#000000").encode(
            x=x, y=alt.YValue(**alt.value(top)), y2=alt.Y2Value(**alt.value(height)))
        layers.append(rules)
        for side, align, dx in ((False, "left", 3), (True, "right", -3)):
            part = [ref for ref in refs if ref["rechts"] == side]
            if part:
                layers.append(_Part({"values": part}).mark_text(align=align, dx=dx, baseline="bottom", fontSize=11).encode(
                    x=x, y=alt.Y("hoogte:Q", scale=None, axis=None), text=alt.Text("tekst:N")))
    chart = alt.layer(*layers, data={"values": data}, width=460, height=height, description=f"Stippengrafiek: {title}",
                      usermeta=_usermeta(_missing_note_of(missing)), title=alt.TitleParams(title, offset=8 + 14 * len(present)))
    chart.params = _hover_over(hover, [dots.name])
    return chart


# a panel of the region overview sits in a grid cell half an A4 page wide (about 91 mm, 344 CSS
# pixels) and scales to it: at this natural width its 11 px labels print at 7 pt or more
PANEL_WIDTH = 150  # the plot; the names beside it and the padding come on top


PANEL_FONT = 11


PANEL_NAME_LIMIT = 140


def _panel_config() -> dict:
    """Fonts of a region-overview panel: one size (PANEL_FONT) for labels, titles and legends."""
    axis = {"labelFontSize": PANEL_FONT, "titleFontSize": PANEL_FONT}
    return {"axis": axis, "legend": {"labelFontSize": PANEL_FONT, "titleFontSize": PANEL_FONT},
            "title": {"fontSize": PANEL_FONT + 1}}


def _reference_layers(references: dict[str, object], decimals: int, x: alt.X, top_of_plot: float,
                      bottom: float, widest: float) -> list[_Part]:
    """A labelled vertical dashed rule per reference value (label -> value; a missing value draws
    none), each label on its own line above the plot, so two close rules never overprint."""
    present = [(label, float(value)) for label, value in references.items() if not is_missing(value)]
    if not present:
        return []
    refs = pd.DataFrame({"label": [label for label, _ in present], "waarde": [value for _, value in present]})
    refs["tekst"] = [f"{label}: {_value_text(value, decimals)}" for label, value in present]
    refs["rechts"] = refs["waarde"] > 0.6 * max(widest, *refs["waarde"], 0)
    # a label written leftwards from its rule lies above the rules left of it, one written
    # rightwards above the rules right of it; each rule starts at its own label, so no rule
    # crosses another's label
    refs["_volgorde"] = [-value if right else value for value, right in zip(refs["waarde"], refs["rechts"], strict=True)]
    refs = refs.sort_values(["rechts", "_volgorde"], ascending=[False, True], kind="stable").drop(columns="_volgorde")
    refs["hoogte"] = [top_of_plot - 6 - 14 * (len(refs) - 1 - i) for i in range(len(refs))]
    refs["begin"] = refs["hoogte"] + 4
    layers = [_Part(inlined(refs)).mark_rule(strokeDash=[5, 3], strokeWidth=1.5, color="#000000").encode(
        x=x, y=alt.Y("begin:Q", scale=None, axis=None), y2=alt.Y2Value(**alt.value(bottom)))]
    for side, align, dx in ((False, "left", 3), (True, "right", -3)):
        part = refs[refs["rechts"] == side]
        if not part.empty:
            layers.append(_Part(inlined(part)).mark_text(align=align, dx=dx, baseline="bottom", fontSize=PANEL_FONT).encode(
                x=x, y=alt.Y("hoogte:Q", scale=None, axis=None), text=alt.Text("tekst:N")))
    return layers


@builds_unchecked
def ranked_panel(frame: pd.DataFrame, title: str, unit: str, decimals: int,
                 references: dict[str, object] | None = None) -> alt.LayerChart:
    """One panel of a region's small multiples: one KPI, a dot per municipality, listed top to
    bottom in the order of `frame`'s rows (the caller ranks them, so the chart and the table
    beside it cannot disagree), nothing highlighted, and each reference (label -> value, e.g.
    the region and Nederland) as a labelled dashed rule.

    `frame`: columns `gebied`, `waarde` (missing: left out of the plot and named in a note), `status`.
    """
    data = _dot_data(frame, decimals, None)
    order = list(data["gebied"])
    height = max(16 * len(order), 80)
    x = alt.X("waarde:Q", title=unit or None, axis=alt.Axis(format=f",.{decimals}f", tickCount=4, labelSeparation=8),
              scale=alt.Scale(zero=True))
    dots = _Part().mark_point(filled=True, size=60, color=OTHER_COLOUR).encode(
        x=x,
        y=alt.Y("gebied:N", title=None, sort=order, scale=alt.Scale(domain=order),
                axis=alt.Axis(labelLimit=PANEL_NAME_LIMIT)),
        shape=_status_shape(data["status"].tolist()),
        tooltip=[alt.Tooltip("gebied:N", title="Gebied"), alt.Tooltip("waarde_tekst:N", title=f"Waarde ({unit})"),
                 alt.Tooltip("status:N", title="Status")],
    ).properties(name="jm_punten")
    present = sum(not is_missing(v) for v in (references or {}).values())
    layers = [dots, *_reference_layers(references or {}, decimals, x, 0, height, max([*data["waarde"], 0]))]
    return alt.layer(*layers, data=inlined(data), width=PANEL_WIDTH, height=height, description=f"Stippengrafiek: {title}",
                     usermeta=_usermeta(_missing_note(frame)), config=_panel_config(),
                     title=alt.TitleParams(title, offset=8 + 14 * present, anchor="start"))


def small_multiples(frame: pd.DataFrame, references: pd.DataFrame | None = None,
                    decimals: int = 1) -> list[alt.LayerChart]:
    """A region overview's small multiples: a panel (ranked_panel) per KPI, each its own chart,
    so the panels reflow in the page's grid (two side by side on a wide screen and in print, one
    on a phone).

    `frame`: one row per KPI and municipality, columns `kpi_naam`, `gebied`, `waarde`, `status`,
    optional `eenheid` and `decimalen` (per KPI, else `decimals`); panels keep the order of
    `kpi_naam`, municipalities within a panel the order of the rows. `references`: columns
    `kpi_naam`, `label`, `waarde` (the rules of each panel, in their order).
    """
    panels = []
    for kpi, part in frame.groupby("kpi_naam", sort=False):
        unit = "" if "eenheid" not in part.columns or is_missing(part["eenheid"].iloc[0]) else str(part["eenheid"].iloc[0])
        places = decimals if "decimalen" not in part.columns or is_missing(part["decimalen"].iloc[0]) else int(part["decimalen"].iloc[0])
        own = {} if references is None else dict(zip(*(references.loc[references["kpi_naam"] == kpi, c]
                                                       for c in ("label", "waarde")), strict=True))
        panels.append(ranked_panel(part, str(kpi), unit, places, own))
    return panels


@builds_unchecked
def region_trend(series: pd.DataFrame, title: str, unit: str, decimals: int) -> alt.LayerChart:
    """A region's key figure over the years beside Nederland's: a line per area, sized as a
    region-overview panel (see PANEL_WIDTH). Only for a rate or share: a count of a region and
    of the country never share an axis (the caller chooses the KPIs).

    `series`: one row per area and year, in the order to show (areas, then years), columns
    `jaar_label` (year with status mark, shared by the areas of a year), `gebied`, `waarde`, `status`.
    """
    areas = list(dict.fromkeys(series["gebied"]))
    years = list(dict.fromkeys(series["jaar_label"]))
    data = series.dropna(subset=["waarde"]).assign(
        waarde=lambda f: f["waarde"].astype(float),
        waarde_tekst=lambda f: [_value_text(v, decimals) for v in f["waarde"]],
        status_tekst=lambda f: f["status"].map(_status_text),
    )[["jaar_label", "gebied", "waarde", "waarde_tekst", "status", "status_tekst"]]
    base = _Part().encode(
        x=alt.X("jaar_label:O", title=None, sort=years, axis=alt.Axis(labelAngle=-90 if len(years) > 6 else 0)),
        y=alt.Y("waarde:Q", title=unit, axis=alt.Axis(format=f",.{decimals}f", tickCount=4), scale=alt.Scale(zero=True)),
        color=alt.Color("gebied:N", title=None, sort=areas, scale=alt.Scale(domain=areas, range=AREA_COLOURS[1: len(areas) + 1]),
                        legend=alt.Legend(orient="bottom", symbolType="stroke", symbolStrokeWidth=2, symbolSize=300,
                                          direction="horizontal", columnPadding=16)),
        strokeDash=alt.StrokeDash("gebied:N", title=None, sort=areas,
                                  scale=alt.Scale(domain=areas, range=AREA_DASHES[1: len(areas) + 1])),
    )
    lines = base.mark_line(strokeWidth=2).properties(name="jm_lijnen")
    # a year's status is its mark on the axis label (2023**), as in the table beside the chart
    points = base.mark_point(size=40, filled=True).encode(
        tooltip=[alt.Tooltip("gebied:N", title="Gebied"), alt.Tooltip("jaar_label:N", title="Jaar"),
                 alt.Tooltip("waarde_tekst:N", title=f"Waarde ({unit})"), alt.Tooltip("status:N", title="Status")],
    ).properties(name="jm_punten")
    # no title: the heading above the figure names the figure
    return alt.layer(lines, points, data=inlined(data), width=PANEL_WIDTH + PANEL_NAME_LIMIT - 40, height=150,
                     description=f"Lijngrafiek: {title}", config=_panel_config())
