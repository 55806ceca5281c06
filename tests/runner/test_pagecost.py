"""The page-cost measurement: its figures per page and per chart, and its refusal of differing pages."""

from __future__ import annotations

from jeugdmonitor.report import vegatemplates
from jeugdmonitor.runner import pagecost


def test_the_line_gives_cpu_per_page_and_per_chart_and_the_share_of_vl_convert():
    cost = {"pages": 2, "charts": 40, "cpu": 3.0, "vl_convert": 2.0, "compiles": 5}
    text = pagecost.report_line("x", cost)
    assert "cpu per page 1.500 s" in text and "per chart 75.0 ms" in text and "(20.0 charts per page)" in text
    assert "vl-convert 1.000 s per page (50.0 ms per chart, 5 Vega-Lite compiles)" in text
    assert "the rest 0.500 s per page" in text


def test_pages_that_differ_with_and_without_templates_fail_the_measurement(monkeypatch, capsys):
    monkeypatch.setattr(pagecost, "load_inputs", lambda year: None)
    # a page that shows whether the templates were on: the comparison must catch it
    monkeypatch.setattr(pagecost, "page_sections", lambda inputs, code: [code, str(vegatemplates.enabled)])
    assert pagecost.main(["GM0001", "GM0002"]) == 1
    assert "verschillen" in capsys.readouterr().err
    monkeypatch.setattr(pagecost, "page_sections", lambda inputs, code: [code])
    assert pagecost.main(["GM0001", "GM0002"]) == 0


def test_the_kinds_line_orders_chart_kinds_by_their_cost_per_page():
    cost = {"pages": 2, "kinds": {"Kaart": (10, 0.1), "Lijngrafiek": (26, 0.9), "Stippengrafiek": (20, 0.5)}}
    text = pagecost.kinds_line(cost)
    assert text.index("Lijngrafiek 13.0 per page, 0.450 s per page (34.6 ms each)") < text.index("Stippengrafiek") < text.index("Kaart")


def test_rendering_is_counted_per_kind_of_chart():
    vegatemplates.clear()
    spec = {"description": "Kaart: proef", "mark": "point", "data": {"values": [{"a": 1}]},
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    vegatemplates.svg(spec, "6.4")
    with vegatemplates.disabled():
        vegatemplates.svg(spec, "6.4")
    assert vegatemplates.stats["kind_calls_Kaart"] == 2 and vegatemplates.stats["kind_cpu_Kaart"] > 0
    vegatemplates.clear()
