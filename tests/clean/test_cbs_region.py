"""CBS beside the region's own counts: the clean table cbs_regio, the region overview's table (the
difference is the two columns shown) and the quality gate's warning beyond the margin."""

from __future__ import annotations

import dataclasses
import html as html_module
import re

import pandas as pd
import pytest

from jeugdmonitor import paths, quality
from jeugdmonitor.clean import cbs_region
from jeugdmonitor.definitions import comparisons, config
from jeugdmonitor.report import accountability, overview
from jeugdmonitor.report.inputs import Inputs

from ..report.test_overview import _inputs as _overview_inputs


def _trajectories(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    """Clean trajectories of region JZ24 (export 2019-2023): (municipality, form, start, end)."""
    frame = pd.DataFrame(rows, columns=["gebied_code", "zorgvorm", "startdatum", "einddatum"])
    return frame.assign(regio_code="JZ24", export_van=pd.Timestamp(2019, 1, 1), export_tot=pd.Timestamp(2023, 12, 31),
                        trajectnummer=[f"T{i}" for i in range(len(frame))],
                        startdatum=pd.to_datetime(frame["startdatum"]), einddatum=pd.to_datetime(frame["einddatum"]))


def _cbs(rows: list[tuple[str, int, float | None]], form: str = "jeugdhulp_met_verblijf") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["gebied_code", "jaar", "trajecten"])
    return frame.assign(vorm=form, status="definitief", niveau="gemeente", samengesteld=False)


def test_the_region_counts_trajectories_running_in_a_year_and_the_difference_is_cbs_minus_region(cfg):
    trajectories = _trajectories([
        ("GM0503", "verblijf", "2022-03-01", None),            # running in 2022 and 2023
        ("GM0503", "pleegzorg", "2021-06-01", "2023-01-15"),   # running 2021-2023
        ("GM0503", "verblijf", "2020-01-01", "2021-12-31"),    # ended before 2022
        ("GM0503", "ambulant", "2023-01-01", None),            # another form: not counted
        ("GM0518", "verblijf", "2023-05-01", None),
    ])
    cbs = _cbs([("GM0503", 2023, 10.0), ("GM0503", 2022, 5.0), ("GM0518", 2023, None)])
    table = cbs_region.table(cfg, cbs, trajectories, 2023)
    assert list(table.columns) == cbs_region.COLUMNS
    row = table[(table["gebied_code"] == "GM0503") & (table["jaar"] == 2023)].iloc[0]
    assert (row["regio"], row["cbs"], row["verschil"], row["verschil_pct"]) == (2, 10, 8, 400.0)
    row = table[(table["gebied_code"] == "GM0503") & (table["jaar"] == 2022)].iloc[0]
    assert (row["regio"], row["cbs"], row["verschil"]) == (2, 5, 3)
    suppressed = table[(table["gebied_code"] == "GM0518") & (table["jaar"] == 2023)].iloc[0]
    assert suppressed["regio"] == 1 and pd.isna(suppressed["cbs"]) and pd.isna(suppressed["verschil"])
    # every municipality of the region and every whole export year up to the report year, zeros included
    rijswijk = table[table["gebied_code"] == "GM0603"]
    assert sorted(rijswijk["jaar"]) == [2019, 2020, 2021, 2022, 2023] and set(rijswijk["regio"]) == {0}
    assert pd.isna(rijswijk["verschil_pct"]).all()  # no percentage of zero


def _cells(page: str) -> dict[str, list[str]]:
    section = page[page.index('id="cbs-naast-regio"'):]
    section = section[: section.index("</section>")]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", section, flags=re.S):
        cells = [html_module.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.split(r"</t[hd]>", row)]
        rows[cells[0]] = cells[1:5]
    return rows


def _number(text: str) -> int:
    return int(text.replace(".", "").replace("−", "-").replace("+", "").split()[0].rstrip("*"))


def test_the_region_overview_shows_cbs_and_region_side_by_side_and_their_difference(cfg):
    inputs = _overview_inputs(cfg)
    trajectories = _trajectories([("GM0503", "verblijf", "2022-03-01", None), ("GM0518", "verblijf", "2023-05-01", None),
                                  ("GM0518", "pleegzorg", "2023-05-01", None), ("GM0637", "verblijf", "2018-05-01", None)])
    cbs = _cbs([("GM0503", 2023, 10.0), ("GM0518", 2023, 5.0), ("GM0603", 2023, None), ("GM0637", 2023, 1.0)])
    inputs.cbs_region = cbs_region.table(cfg, cbs, trajectories, 2023)
    page = overview.region_page(inputs, "JZ24")
    rows = _cells(page)
    assert set(rows) == {"Delft", "'s-Gravenhage", "Rijswijk", "Zoetermeer"}
    for name, (cbs_cell, region_cell, difference, _share) in rows.items():
        if cbs_cell == "–":
            assert difference == "–"
            continue
        assert _number(difference) == _number(cbs_cell) - _number(region_cell), name
    assert rows["Delft"][:3] == ["10", "1", "+9"] and "waarschuwing" in rows["Delft"][3]
    assert rows["Zoetermeer"][2] == "0" and "waarschuwing" not in rows["Zoetermeer"][3]
    assert "CBS telt een traject per aanbieder" in page and "per contract" in page


def test_no_table_without_the_clean_table(cfg):
    assert 'id="cbs-naast-regio"' not in overview.region_page(_overview_inputs(cfg), "JZ24")


def test_a_difference_beyond_the_margin_is_a_warning_in_the_quality_log(clean_tables, cfg):
    table = clean_tables[comparisons.TABLE].copy()
    table["verschil_pct"] = 0.0  # nothing beyond the margin
    rows = table.index[(table["gebied_code"] == "GM0503") & (table["jaar"].isin([2021, 2022]))]
    table.loc[rows, "verschil_pct"] = [80.0, -75.0]
    table.to_parquet(paths.staging_table(2023, comparisons.TABLE), index=False)
    summary = quality.validate(2023, {"gecontroleerd": 0, "geslaagd": 0, "waarschuwingen": []})
    (warning,) = [w for w in summary["waarschuwingen"] if w["note"].startswith("CBS en de eigen telling van de regio")]
    assert warning["per_area"] == {"GM0503": {"aantal": 2, "jaren": [2021, 2022], "voorbeelden": [80.0, -75.0]}}
    assert "meer dan 50%" in warning["note"]
    # the quality log lists it
    inputs = Inputs(year=2023, cfg=cfg, areas=clean_tables["gebieden"], kpi_values=clean_tables["kpi_waarden"],
                           sources=clean_tables["bronnen"], harmonisation=clean_tables["harmonisatie"],
                           validation=summary)
    assert "CBS en de eigen telling van de regio verschillen meer dan 50%" in accountability.quality_log(inputs)



@pytest.mark.parametrize(("part", "value", "message"), [("cbs", {"vorm": "jeugdhulp_met_verbljf"}, "cbs.vorm 'jeugdhulp_met_verbljf'"),
                                                         ("regio", {"zorgvormen": ["verblijf", "pleeg"]}, r"\['pleeg'\]")])
def test_a_misspelt_form_is_refused_with_the_known_ones(cfg, part, value, message):
    entry = {**cfg.sources["cbs_naast_regio"]["tellingen"][0], part: value}
    sources = {**cfg.sources, "cbs_naast_regio": {**cfg.sources["cbs_naast_regio"], "tellingen": [entry]}}
    with pytest.raises(config.ConfigError, match=message):
        comparisons.spec(dataclasses.replace(cfg, sources=sources))


def test_in_the_sample_cbs_and_the_region_count_the_same_order_two_municipalities_beyond_the_margin(cfg, tables):
    """The sample looks like real data: CBS counts somewhat more than the region's export (per
    provider rather than per contract), and only the municipalities the sample sets apart
    (config/voorbeelddata.yaml `cbs_naast_regio.boven_marge`) differ beyond the margin, so the
    quality log's warning has something to show."""
    table = tables[comparisons.TABLE]
    margin = float(cfg.sources["cbs_naast_regio"]["marge_pct"])
    beyond = sorted(set(table.loc[table["verschil_pct"].abs() > margin, "gebied_code"]))
    assert beyond == sorted(cfg.sample["cbs_naast_regio"]["boven_marge"]) == ["GM0050", "GM0840"]
    within = table[~table["gebied_code"].isin(beyond)]["verschil_pct"].dropna()
    assert len(within) > 100 and within.median() > 5 and within.abs().max() < 40
