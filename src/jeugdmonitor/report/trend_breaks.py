"""Known breaks in a source's series (trendbreuken): which KPIs they touch, which comparisons
cross them, and the rule and note they put on a trend chart.

A break is configured per CBS table in config/bronnen.yaml (`trendbreuken`: from `jaar` on the
figures are not comparable with the years before, with the reason and where it is stated; CBS
youth care 2021: many more providers report). A KPI is touched by the breaks of the sources of
its numerator and denominator. A comparison of year `a` with a later year `b` crosses a break in
year B when a < B <= b. The words are in templates/pages/trendbreuk*.j2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from jeugdmonitor.definitions import config
from jeugdmonitor.report import figures, templates

# a KPI's `bron` (config/kpis.yaml) -> its source in config/bronnen.yaml (only sources that can break)
SOURCE_OF = {"jeugdzorg": "cbs_jeugdzorg", "jeugdzorg_leeftijd": "cbs_jeugdzorg_leeftijd", "bevolking": "cbs_bevolking"}
RULE_COLOUR = "#333333"  # contrast above 4.5:1 on white: the note beside the rule is text


@dataclass(frozen=True)
class Break:
    """One break in a source's series: from `year` on not comparable with the years before."""

    year: int
    short: str  # the note beside the rule on a chart
    reason: str
    source: str  # where the break is stated
    table: str | None  # the CBS table the series continues in from `year`, when it changes table


def of_source(cfg: config.Config, key: str) -> tuple[Break, ...]:
    """The configured breaks of source `key` of config/bronnen.yaml, by year."""
    entries = (cfg.sources.get(key) or {}).get("trendbreuken") or ()
    return tuple(sorted((Break(int(e["jaar"]), e["kort"], e["reden"], e["bron"], e.get("tabel")) for e in entries),
                        key=lambda b: b.year))


def for_kpi(cfg: config.Config, kpi: config.Kpi) -> tuple[Break, ...]:
    """The breaks of the sources the KPI's numerator and denominator come from (each year once)."""
    found: dict[int, Break] = {}
    for part in (kpi.numerator, kpi.denominator):
        if part is not None and part.get("bron") in SOURCE_OF:
            for item in of_source(cfg, SOURCE_OF[part["bron"]]):
                found.setdefault(item.year, item)
    return tuple(found[year] for year in sorted(found))


def crossed(breaks: tuple[Break, ...], first: int, last: int) -> tuple[Break, ...]:
    """The breaks a comparison of `first` with the later year `last` crosses."""
    return tuple(b for b in breaks if first < b.year <= last)


def between(cfg: config.Config, kpi: config.Kpi, first: int, last: int) -> tuple[Break, ...]:
    """The KPI's breaks that a comparison of `first` with `last` crosses."""
    return crossed(for_kpi(cfg, kpi), first, last)


def for_goal(cfg: config.Config, goal: config.Goal, year: int) -> dict[str, Any] | None:
    """Whether a goal's status in `year` rests on years across a break: a `daling`/`stijging`
    goal compares with the year before; a goal with a `basisjaar` before a break compares with
    its base year (`base`: True). None when the goal's status crosses no break."""
    kpi = cfg.kpis[goal.kpi]
    if goal.base_year is not None:
        found = between(cfg, kpi, goal.base_year, year)
        return {"breaks": found, "from": goal.base_year, "base": True} if found else None
    if goal.rule in ("daling", "stijging"):
        found = between(cfg, kpi, year - 1, year)
        return {"breaks": found, "from": year - 1, "base": False} if found else None
    return None


def note(item: Break) -> str:
    """The sentence under a chart that crosses the break (and beside a comparison across it)."""
    return templates.render_text("trendbreuk.txt.j2", b=item)


@figures.builds_unchecked
def mark(chart: alt.LayerChart, breaks: tuple[Break, ...], first: int, last: int) -> tuple[alt.LayerChart, tuple[Break, ...]]:
    """Draw every break the chart's years (`first` to `last`) cross: a dashed rule at the break's
    year on the x axis, its short note beside the rule, and its sentence among the chart's notes
    (the figure's caption). Returns the chart and the breaks drawn (none: the chart unchanged)."""
    found = crossed(breaks, first, last)
    if not found:
        return chart, found
    x = chart.layer[0].encoding.x
    field = x._get("shorthand").split(":")[0]
    order = list(x._kwds.get("sort") or [])
    layers = []
    for item in found:
        label = next((y for y in order if str(y)[:4] == str(item.year)), None)
        if label is None:  # the axis has no label for the break's year: nothing to draw it at
            raise ValueError(f"trendbreuk {item.year}: geen jaar {item.year} op de as ({', '.join(map(str, order))})")
        # the values Altair made of a one-row frame of these two columns, without the frame
        data = {"values": [{field: label, "noot": item.short}]}
        axis = alt.X(f"{field}:O", sort=order)
        layers.append(alt.Chart(data).mark_rule(color=RULE_COLOUR, strokeDash=[4, 3], strokeWidth=1.5).encode(x=axis))
        layers.append(alt.Chart(data).mark_text(align="left", baseline="top", dx=4, fontSize=11, color=RULE_COLOUR)
                      .encode(x=axis, y=alt.YValue(0), text=alt.Text("noot:N")))
    chart.layer = [*chart.layer, *layers]
    meta = dict(chart.usermeta) if isinstance(chart.usermeta, dict) else {}
    own = dict(meta.get("jeugdmonitor", {}))
    own["noten"] = [*own.get("noten", []), *(note(item) for item in found)]
    chart.usermeta = {**meta, "jeugdmonitor": own}
    return chart, found
