"""Tests for jeugdmonitor.report.appendix: the appendix's section per KPI (ranking, counts)."""

from __future__ import annotations

from jeugdmonitor.report import appendix, municipal, subject
from tests.report.helpers import _inputs, _row, _two_municipalities


def test_a_rate_is_ranked_from_high_to_low_as_its_chart_and_a_count_is_not_ranked(cfg):
    rows = [_row("GM0503", 2023, 5.0, kpi="jeugdhulp_met_verblijf_per_1000"),
            _row("GM0518", 2023, 9.0, kpi="jeugdhulp_met_verblijf_per_1000"),
            _row("GM0503", 2023, 150.0, kpi="jeugdhulp_aantal"), _row("GM0518", 2023, 3000.0, kpi="jeugdhulp_aantal")]
    rapport = subject.Report(_two_municipalities(cfg, rows), "GM0503", "Delft", "JZ24", "Haaglanden")
    rate = appendix.kpi_section(rapport, "jeugdhulp_met_verblijf_per_1000")
    table = rate[rate.index('class="jm-tabel jm-vergelijking"'):]
    assert "van hoog naar laag" in table
    assert table.index("Gravenhage") < table.index("Delft")  # 9,0 before 5,0
    assert "staat op plaats 2 van 2" in rate
    count = appendix.kpi_section(rapport, "jeugdhulp_aantal")
    assert "jm-vergelijking" not in count and "plaats" not in count


def test_a_count_is_shown_for_the_municipality_only(cfg):
    rows = [_row("GM0503", 2022, 140.0, kpi="jeugdhulp_aantal"), _row("GM0503", 2023, 150.0, kpi="jeugdhulp_aantal"),
            _row("NL01", 2023, 417285.0, kpi="jeugdhulp_aantal")]
    rapport = subject.Report(_inputs(cfg, rows), "GM0503", "Delft", "JZ24", "Haaglanden")
    section = appendix.kpi_section(rapport, "jeugdhulp_aantal")
    assert "417.285" not in section and "<th scope=\"col\">Nederland" not in section
    table = municipal.summary_table(rapport)
    row = table[table.index("Unieke jongeren met jeugdhulp"):]
    row = row[: row.index("</tr>")]
    assert "417.285" not in row and "n.v.t." in row
