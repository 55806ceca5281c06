"""The helpers of notebooks/00_verkennen.ipynb: clean tables with area names, a municipality's
KPI values, one chart with the report's chart function, and the recipes' files."""

from __future__ import annotations

import altair as alt
import pytest

from jeugdmonitor import paths, tables
from jeugdmonitor.clean import build
from jeugdmonitor.definitions import config
from jeugdmonitor.report import explore
from jeugdmonitor.sources import load
from jeugdmonitor.vocabulary import CLEAN_TABLES

from ..conftest import REPO_ROOT, copy_project


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project copy whose clean tables of 2023 are in data/clean/ with a validation stamp."""
    root = copy_project(tmp_path_factory.mktemp("verkennen") / "project")
    paths.use_root(root)
    config.load.cache_clear()
    try:
        cfg = config.load()
        tables.write_tables(build.build_tables(cfg, load.load_raw(cfg), 2023), paths.clean_dir(2023))
        paths.validation_stamp(2023).write_text("{}", encoding="utf-8")
        yield root
    finally:
        paths.use_root(REPO_ROOT)
        config.load.cache_clear()


def test_every_clean_table_loads_with_the_area_names(published):
    for table in CLEAN_TABLES:
        frame = explore.clean_table(2023, table)
        if "gebied_code" in frame.columns and table != "gebieden":
            assert frame.columns[list(frame.columns).index("gebied_code") + 1] == "gebied_naam"
            assert frame["gebied_naam"].notna().all()
    youth = explore.clean_table(2023, "jeugdzorg")
    assert set(youth.loc[youth["gebied_code"] == "GM0503", "gebied_naam"]) == {"Delft"}


def test_a_misspelt_table_gets_the_nearest_name(published):
    with pytest.raises(ValueError, match="bedoelde u 'jeugdzorg'"):
        explore.clean_table(2023, "jeugzorg")


def test_unvalidated_data_are_refused(published):
    with pytest.raises(FileNotFoundError, match="make validate YEAR=2022"):
        explore.clean_table(2022, "jeugdzorg")


def test_kpi_values_of_one_municipality_by_year(published):
    table = explore.kpi_values(2023, "GM0503")
    shown = list(table.index.get_level_values("kpi"))
    assert shown == [k for k in config.load().kpis if k in shown]  # in the order of config/kpis.yaml
    frame = explore.clean_table(2023, "kpi_waarden")
    expected = frame[(frame["gebied_code"] == "GM0503") & (frame["kpi"] == "jeugdhulp_aandeel") & (frame["jaar"] == 2023)]
    assert table.loc[("jeugdhulp_aandeel", "Jongeren met jeugdhulp", "%"), 2023] == expected["waarde"].iloc[0]


def test_the_trend_is_the_report_chart_of_municipality_region_and_country(published):
    chart = explore.trend(2023, "GM0503", "jeugdhulp_aandeel")
    assert isinstance(chart, alt.LayerChart)
    assert {row["gebied"] for row in chart.data["values"]} == {"Delft", "Haaglanden", "Nederland"}
    with pytest.raises(ValueError, match="bedoelde u 'jeugdhulp_aandeel'"):
        explore.trend(2023, "GM0503", "jeugdhulp_aandel")


def test_every_recipe_names_files_that_exist():
    for files in explore.recipe_files()["bestanden"]:
        for entry in files.split("; "):
            path = entry.split(" (")[0].replace("<code>/", "")
            assert (REPO_ROOT / path).exists(), path
