"""Trend breaks (config/bronnen.yaml `trendbreuken`): a rule and a note on every trend chart that
crosses one and on no other, and a flag wherever a sentence or a goal compares years across one."""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest

from jeugdmonitor.definitions import config, configcheck
from jeugdmonitor.report import appendix, municipal, overview, templates, trend_breaks
from jeugdmonitor.report.inputs import Inputs
from jeugdmonitor.report.subject import Report

from .helpers import memory_inputs

STAY = "jeugdhulp_met_verblijf_per_1000"  # CBS youth care over population: crosses 2021
WAITING = "wachttijd_dagen"  # the region's own export: no break


def _level(code: str) -> str:
    return "gemeente" if code.startswith("GM") else "jeugdregio" if code.startswith("JZ") else "land"


def _inputs(cfg, year: int, series: dict[str, dict[int, float]]) -> Inputs:
    """Inputs of `year`: per KPI the same values per year for Delft, the region and the country."""
    areas = pd.DataFrame([
        {"gebied_code": "GM0503", "naam": "Delft", "niveau": "gemeente", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "JZ24", "naam": "Haaglanden", "niveau": "jeugdregio", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "NL01", "naam": "Nederland", "niveau": "land", "regio_code": None, "regio_naam": None}])
    rows = [[area, _level(area), y, kpi, None, None, value + offset, "definitief", False,
             None if y - 1 not in values else 100 * (value - values[y - 1]) / (values[y - 1] + offset)]
            for kpi, values in series.items() for y, value in values.items()
            for area, offset in (("GM0503", 0.0), ("JZ24", 1.0), ("NL01", 2.0))]
    return memory_inputs(cfg, areas, rows, year=year,
                         validation={"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": [], "datadocs": {}})


def _svgs(html: str) -> list[str]:
    return [base64.b64decode(b).decode() for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


def _years(first: int, last: int, value: float = 5.0) -> dict[int, float]:
    return {y: value + 0.5 * (y - first) for y in range(first, last + 1)}


def test_cbs_youth_care_breaks_in_2021_with_reason_and_source_and_a_regional_export_does_not(cfg):
    (item,) = trend_breaks.for_kpi(cfg, cfg.kpis[STAY])
    assert item.year == 2021 and "meer jeugdhulpaanbieders" in item.reason and item.source.startswith("CBS")
    assert trend_breaks.for_kpi(cfg, cfg.kpis["jeugdhulp_met_verblijf_0_11_aantal"])[0].year == 2021
    assert trend_breaks.for_kpi(cfg, cfg.kpis[WAITING]) == ()
    assert trend_breaks.crossed((item,), 2020, 2021) == (item,) and trend_breaks.crossed((item,), 2021, 2023) == ()


@pytest.mark.parametrize(("first", "kpi", "drawn"), [(2015, STAY, True), (2021, STAY, False), (2015, WAITING, False)])
def test_the_break_rule_is_on_a_report_chart_crossing_2021_and_on_no_other(cfg, first, kpi, drawn):
    inputs = _inputs(cfg, 2023, {kpi: _years(first, 2023)})
    html = appendix.kpi_section(Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"), kpi)
    svg = _svgs(html)[0]  # the trend; a rate also has its comparison among the region's municipalities
    assert ("trendbreuk" in svg) is drawn
    assert all("trendbreuk" not in other for other in _svgs(html)[1:])
    caption = html[html.index("<figcaption>"): html.index("</figcaption>")]
    assert ("Trendbreuk in 2021: vanaf 2021 leveren veel meer jeugdhulpaanbieders" in caption) is drawn
    alt_text = re.search(r'aria-label="([^"]*)"', html[html.index('class="jm-grafiek-statisch"'):]).group(1)
    assert ("trendbreuk in 2021" in alt_text) is drawn


@pytest.mark.parametrize(("first", "drawn"), [(2018, True), (2021, False)])
def test_the_break_rule_is_on_a_region_trend_crossing_2021_and_on_no_other(cfg, first, drawn):
    inputs = _inputs(cfg, 2023, {STAY: _years(first, 2023)})
    page = overview.region_page(inputs, "JZ24")
    section = page[page.index('id="ontwikkeling-' + STAY + '"'):]
    section = section[: section.index("</figure>")]
    (svg,) = _svgs(section)
    assert ("trendbreuk" in svg) is drawn and ("Trendbreuk in 2021" in section) is drawn


def test_a_goal_comparing_2020_with_2021_says_so_and_one_comparing_2022_with_2023_does_not(cfg):
    html = municipal.summary(Report(_inputs(cfg, 2021, {STAY: {2020: 6.0, 2021: 6.5}}), "GM0503", "Delft", "JZ24",
                                        "Haaglanden"))
    row = html[html.index('id="doel-minder_verblijf"'):]
    assert "(vergelijking over trendbreuk 2021)" in row[: row.index("</tr>")]
    note = html[html.index('id="toelichting-minder_verblijf"'):]
    assert "Let op: dit doel vergelijkt 2021 met 2020, over een trendbreuk heen." in note[: note.index("</li>")]
    # the change sentence under "Wat veranderde het meest" says so too
    assert "Let op: trendbreuk in 2021" in html[html.index("Wat veranderde het meest"):]
    later = municipal.summary(Report(_inputs(cfg, 2023, {STAY: {2022: 6.0, 2023: 6.5}}), "GM0503", "Delft", "JZ24",
                                         "Haaglanden"))
    assert "trendbreuk" not in later.lower()


def test_a_goals_base_year_before_the_break_is_flagged_in_its_status_line(cfg):
    goal = config.Goal("JZ24", "g", "doel", "bron", "jeugdhulp_met_verblijf_aantal", "max_waarde", value=100.0,
                       year=2025, base_year=2019)
    flagged = trend_breaks.for_goal(cfg, goal, 2023)
    assert flagged["base"] and flagged["from"] == 2019 and flagged["breaks"][0].year == 2021
    assert trend_breaks.for_goal(cfg, goal, 2020) is None  # before the break: nothing crossed yet
    after = config.Goal("JZ24", "g", "doel", "bron", "jeugdhulp_met_verblijf_aantal", "max_waarde", value=100.0,
                        year=2025, base_year=2021)
    assert trend_breaks.for_goal(cfg, after, 2023) is None
    own_data = config.Goal("JZ31", "g", "doel", "bron", "jeugdhulpkosten_mln", "max_waarde", value=100.0, year=2023,
                           base_year=2019)
    assert trend_breaks.for_goal(cfg, own_data, 2022) is None  # the region's budget export has no break
    flag = templates.ENVIRONMENT.from_string('{% import "macros.html.j2" as m %}{{ m.break_flag(tb) }}').render(tb=flagged)
    assert "(basisjaar 2019 vóór trendbreuk 2021)" in flag


def test_the_kpi_section_sentence_on_the_change_says_it_crosses_the_break(cfg):
    inputs = _inputs(cfg, 2021, {STAY: _years(2015, 2021)})
    html = appendix.kpi_section(Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"), STAY)
    sentence = html[html.index("In 2021 was dit"):]
    assert "Let op: trendbreuk in 2021" in sentence[: sentence.index("</p>")]


def test_a_break_without_its_reason_is_refused(project):
    path = project / "config" / "bronnen.yaml"
    text = path.read_text(encoding="utf-8")
    old = '      reden: "vanaf 2021 leveren veel meer jeugdhulpaanbieders'
    assert old in text
    path.write_text(text.replace(old, '      waarom: "vanaf 2021 leveren veel meer jeugdhulpaanbieders', 1), encoding="utf-8")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match="reden"):
        configcheck.check()


def test_marking_a_break_builds_its_layers_without_converting_dicts_to_altair_classes(cfg, monkeypatch):
    """A channel given as a shorthand string or a dict makes Altair look its class up with
    from_dict, which hashes every schema class (milliseconds a break); the layers are built
    from typed channels with Altair's debug mode off, and the chart still gets the rule and note."""
    from jeugdmonitor.report import charts
    series = pd.DataFrame([{"jaar_label": str(year), "gebied": "Delft", "waarde": 1.0 + year - 2019, "status": "definitief",
                            "samengesteld": False} for year in range(2019, 2024)])
    chart = charts.trend_chart(series, "Jeugdhulp", "%", 1)
    kpi = cfg.kpis[STAY]

    def refuse(*args, **kwargs):
        raise AssertionError("from_dict")
    monkeypatch.setattr(trend_breaks.alt.utils.schemapi.SchemaBase, "from_dict", classmethod(refuse))
    marked, found = trend_breaks.mark(chart, trend_breaks.for_kpi(cfg, kpi), 2019, 2023)
    assert found and len(marked.layer) == 4
