"""Tests for jeugdmonitor.report.appendix: the appendix's section per KPI (ranking, counts)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from jeugdmonitor.report import appendix, municipal, subject
from jeugdmonitor.report.inputs import Inputs
from tests.report.helpers import _inputs, _row, _two_municipalities


@pytest.fixture(scope="module")
def sample_inputs(cfg, tables) -> Inputs:
    """The sample data's clean tables of 2023, built in memory."""
    return Inputs(year=2023, cfg=cfg, areas=tables["gebieden"], kpi_values=tables["kpi_waarden"],
                  sources=tables["bronnen"], harmonisation=tables["harmonisatie"],
                  validation={"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": []})


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


def _series_by_filtering(rapport, kpi):
    """series_of as it was before the per-KPI positions: filter the KPI's rows, sort by area and year."""
    frame = rapport.values(kpi.id)
    frame = frame[frame["gebied_code"].isin(subject.areas_for(rapport, kpi))]
    statuses = {}
    for year, status in zip(frame["jaar"], frame["status"], strict=True):
        statuses.setdefault(year, []).append(status)
    labels = {year: appendix.year_label(year, appendix.least_final(found)) for year, found in statuses.items()}
    order = {code: i for i, code in enumerate(rapport.area_codes)}
    return frame.assign(gebied=frame["gebied_code"].map(rapport.area_names), jaar_label=frame["jaar"].map(labels),
                        _o=frame["gebied_code"].map(order)).sort_values(["_o", "jaar"]).drop(columns="_o")


def test_series_from_the_positions_found_once_equal_filtering_and_sorting_the_rows(sample_inputs):
    """Every KPI of every sample municipality: the same rows, index, values and column types."""
    areas = sample_inputs.areas
    for code in areas.loc[areas["niveau"] == "gemeente", "gebied_code"]:
        rapport = subject.build(sample_inputs, code)
        for kpi in sample_inputs.cfg.kpis.values():
            pd.testing.assert_frame_equal(appendix.series_of(rapport, kpi), _series_by_filtering(rapport, kpi))


def test_series_of_a_kpi_without_rows_is_empty(sample_inputs):
    rapport = subject.build(sample_inputs, "GM0503")
    kpi = next(iter(sample_inputs.cfg.kpis.values()))
    empty = dataclasses.replace(sample_inputs, kpi_values=sample_inputs.kpi_values.iloc[:0])
    assert appendix.series_of(subject.Report(empty, "GM0503", rapport.name, rapport.region, rapport.region_name), kpi).empty


def test_the_positions_kept_per_kernel_hold_each_row_once_and_a_page_gets_only_its_areas(sample_inputs):
    """The lookup kept for every page of the kernel is bounded by the table (each row once, per
    KPI and area) and depends on no page: a page's series holds its own three areas' rows only,
    the same whichever pages were built before it."""
    kept = sample_inputs._kpi_area_positions
    assert sum(len(positions) for by_area in kept.values() for positions in by_area.values()) == len(sample_inputs.kpi_values)
    kpi = sample_inputs.cfg.kpis["jeugdhulp_met_verblijf_per_1000"]
    delft = subject.build(sample_inputs, "GM0503")
    alone = appendix.series_of(delft, kpi)
    for code in ("GM0518", "GM0748", "GM0034"):  # other pages, of this and other regions, in between
        other = appendix.series_of(subject.build(sample_inputs, code), kpi)
        assert set(other["gebied_code"]) <= {code, subject.build(sample_inputs, code).region, "NL01"}
    pd.testing.assert_frame_equal(appendix.series_of(delft, kpi), alone)
    assert set(alone["gebied_code"]) == {"GM0503", "JZ24", "NL01"}
