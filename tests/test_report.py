"""Report content: escaping of data text, safe output names, goal status rules."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor import config, overview, report


def _inputs(cfg, kpi_rows):
    areas = pd.DataFrame([
        {"gebied_code": "GM0503", "naam": "<b>Delft</b>", "niveau": "gemeente", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "JZ24", "naam": "Haaglanden", "niveau": "jeugdregio", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "NL01", "naam": "Nederland", "niveau": "land", "regio_code": None, "regio_naam": None},
    ])
    kpis = pd.DataFrame(kpi_rows, columns=["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status",
                                           "samengesteld", "verandering_pct"])
    sources = pd.DataFrame([{"bestand": "cbs/x.csv", "fictief": True}])
    return report.Inputs(year=2023, cfg=cfg, areas=areas, kpi_values=kpis, sources=sources,
                         harmonisation=pd.DataFrame(columns=["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]),
                         validation={"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": []})


def test_text_from_data_is_escaped(cfg):
    rapport = report.Report(_inputs(cfg, []), "GM0503", "<script>alert(1)</script>", "JZ24", "Haag<i>landen</i>")
    html = report.header(rapport)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>" not in html
    index = overview.index_page(_inputs(cfg, []))
    assert "<b>Delft</b>" not in index and "&lt;b&gt;Delft&lt;/b&gt;" in index


@pytest.mark.parametrize("code", ["../../etc/passwd", "GM05031", "gm0503", "GM05x3", "GM0503/../x", ""])
def test_output_names_come_from_valid_codes_only(code):
    with pytest.raises(config.UnknownMunicipalityError):
        report.report_filename(code)


def test_output_name_of_a_valid_code():
    assert report.report_filename("GM0503") == "GM0503.html"


def _row(area, year, value, kpi="jeugdhulp_met_verblijf_per_1000", status="definitief"):
    level = {"GM0503": "gemeente", "JZ24": "jeugdregio", "NL01": "land"}[area]
    return [area, level, year, kpi, None, None, value, status, False, None]


def test_summary_gives_every_goal_of_the_region_a_status_word(cfg):
    rows = [_row("JZ24", 2022, 8.0), _row("JZ24", 2023, 7.5, status="nader voorlopig"),
            _row("GM0503", 2022, 6.0), _row("GM0503", 2023, 6.5, status="nader voorlopig")]
    rapport = report.Report(_inputs(cfg, rows), "GM0503", "Delft", "JZ24", "Haaglanden")
    html = report.summary(rapport)
    assert html.count('class="jm-doel"') == len(cfg.goals["JZ24"])
    row = html[html.index('id="doel-minder_verblijf"'):]
    row = row[: row.index("</tr>")]
    # region falls (op koers), municipality rises (niet op koers); values keep their status mark
    assert ">op koers</strong>" in row and ">niet op koers</strong>" in row
    assert "7,5**" in row and "6,5**" in row and "gestegen" in row
    assert "2023**: 7,5" in row


def test_region_file_names_come_from_valid_codes_only():
    assert report.region_filename("JZ24") == "regio-JZ24.html"
    for code in ("JZ2", "../JZ24", "GM0503", "jz24"):
        with pytest.raises(config.ConfigError):
            report.region_filename(code)
