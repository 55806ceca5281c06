"""Chart structures compiled once: the same SVGs and pages as compiling every chart in full."""

from __future__ import annotations

import pandas as pd
import pytest
import vl_convert

from jeugdmonitor.report import appendix, charts, figures, municipal, subject, vegatemplates
from jeugdmonitor.report.inputs import Inputs


@pytest.fixture(autouse=True)
def _fresh_templates():
    vegatemplates.clear()
    yield
    vegatemplates.clear()


def _trend(area: str, base: float) -> dict:
    rows = [{"jaar_label": f"{year}{mark}", "gebied": name, "waarde": start + year - 2000,
             "status": status, "samengesteld": False}
            for name, start in ((area, base), ("Regio Haaglanden", 900.0), ("Nederland", 950.0))
            for year, status, mark in ((2022, "definitief", ""), (2023, "voorlopig", "*"))]
    return figures.page_spec(charts.trend_chart(pd.DataFrame(rows), "Jeugdhulp", "per 1.000 jongeren", 1))


def _comparison(highlight: str, values: list[float]) -> dict:
    frame = pd.DataFrame({"gebied": ["Delft", "'s-Gravenhage", "Rijswijk"], "waarde": values,
                          "status": ["voorlopig"] * 3})
    chart = charts.comparison_chart(frame, "Jeugdhulp", "%", 1, highlight, {"Regio Haaglanden": 10.0, "Nederland": 9.5})
    return figures.page_spec(chart)


@pytest.mark.parametrize("specs", [
    [_trend("Delft", 1000.0), _trend("Rijswijk", 700.0), _trend("Wassenaar", 1200.0)],
    [_comparison("Delft", [10.1, 12.3, 8.0]), _comparison("Rijswijk", [10.1, 12.3, 8.0]),
     _comparison("'s-Gravenhage", [7.0, 11.0, 9.5])],
], ids=["trend", "vergelijking"])
def test_charts_of_one_structure_share_a_template_and_render_the_same_svg(specs):
    for spec in specs:
        assert vegatemplates.svg(spec, figures.VL_VERSION) == vl_convert.vegalite_to_svg(spec, vl_version=figures.VL_VERSION)
    assert vegatemplates.stats["compiled"] == 1
    assert vegatemplates.stats["reused"] == len(specs) - 1


def test_a_text_the_compiler_could_escape_is_compiled_in_full():
    spec = _trend('Delft "oud"', 1000.0)
    assert vegatemplates.to_vega(spec, figures.VL_VERSION) == vl_convert.vegalite_to_vega(spec, vl_version=figures.VL_VERSION)
    assert vegatemplates.stats["full"] == 1 and vegatemplates.stats["compiled"] == 0


def test_a_template_that_differs_from_a_full_compile_is_refused(monkeypatch):
    spec = _trend("Delft", 1000.0)
    vegatemplates.to_vega(spec, figures.VL_VERSION)
    template = next(iter(vegatemplates._templates.values()))
    template.uses = 0
    template.text = template.text.replace("\"height\":220", "\"height\":1", 1)
    assert "\"height\":1" in template.text
    with pytest.raises(vegatemplates.TemplateMismatch, match="Lijngrafiek: Jeugdhulp"):
        vegatemplates.to_vega(_trend("Rijswijk", 700.0), figures.VL_VERSION)


def test_disabled_compiles_every_chart_in_full():
    spec = _trend("Delft", 1000.0)
    with vegatemplates.disabled():
        vegatemplates.svg(spec, figures.VL_VERSION)
        vegatemplates.svg(spec, figures.VL_VERSION)
    assert vegatemplates.stats["calls_full"] == 2 and vegatemplates.stats["compiled"] == 0
    assert vegatemplates.enabled


@pytest.fixture(scope="module")
def sample_inputs(cfg, tables) -> Inputs:
    """The sample data's clean tables of 2023, built in memory (the chart sections need no files)."""
    return Inputs(year=2023, cfg=cfg, areas=tables["gebieden"], kpi_values=tables["kpi_waarden"],
                  sources=tables["bronnen"], harmonisation=tables["harmonisatie"],
                  validation={"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": []})


def _chart_sections(inputs: Inputs, code: str) -> list[str]:
    rapport = subject.build(inputs, code)
    return [municipal.goal_charts(rapport), *(appendix.kpi_section(rapport, kpi) for kpi in inputs.cfg.report_kpis)]


def test_report_pages_are_byte_identical_with_and_without_templates(sample_inputs):
    areas = sample_inputs.areas
    municipalities = areas[areas["niveau"] == "gemeente"]
    # two regions, several municipalities each: the later pages reuse the first one's structures
    codes = [code for _, part in list(municipalities.groupby("regio_code"))[:2] for code in part["gebied_code"][:3]]
    with vegatemplates.disabled():
        unoptimised = [_chart_sections(sample_inputs, code) for code in codes]
    optimised = [_chart_sections(sample_inputs, code) for code in codes]
    assert optimised == unoptimised
    assert vegatemplates.stats["reused"] > vegatemplates.stats["compiled"] > 0
