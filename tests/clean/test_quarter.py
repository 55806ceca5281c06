"""The quarter reports' period, figures and pages on the bundled sample exports (no notebook runs)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor import makeargs, paths, publish, vocabulary
from jeugdmonitor.clean import quarter as quarter_tables
from jeugdmonitor.definitions import config
from jeugdmonitor.definitions.quarters import RegionSetting
from jeugdmonitor.devtools.sample import quarter as sample_quarter
from jeugdmonitor.period import PeriodError, Quarter, parse_quarter
from jeugdmonitor.report import quarter as quarter_pages


def test_a_quarter_is_parsed_and_anything_else_refused_in_dutch():
    quarter = parse_quarter("2024-K2")
    assert quarter == Quarter(2024, 2) and str(quarter) == "2024-K2"
    assert [str(m) for m in quarter.months] == ["2024-04", "2024-05", "2024-06"]
    assert len(quarter.months_to_date) == 6 and quarter.end == pd.Timestamp("2024-06-30")
    assert quarter.shifted(-4) == Quarter(2023, 2) and quarter.shifted(3) == Quarter(2025, 1)
    for bad in ("2024-K5", "2024Q2", "2024-K2; rm -rf /", "$(id)", ""):
        with pytest.raises(PeriodError, match="geen kwartaal"):
            parse_quarter(bad)


def test_kwartaal_goes_through_the_makeargs_bridge_unchanged(monkeypatch):
    monkeypatch.setenv("JEUGDMONITOR_MAKE_KWARTAAL", "2024-K2; echo x")
    assert makeargs.arguments("kwartaal") == ["kwartaal", "--kwartaal", "2024-K2; echo x"]


@pytest.fixture(scope="module")
def cfg():
    return config.load()


@pytest.fixture(scope="module")
def tables(cfg, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kwartaal")
    for name, frame in quarter_tables.build_tables(cfg, parse_quarter("2024-K4")).items():
        frame.to_parquet(folder / paths.table_filename(name), index=False)
    return str(folder)


def test_a_quarter_the_exports_do_not_cover_is_refused_naming_the_missing_months(cfg):
    with pytest.raises(PeriodError) as refused:
        quarter_tables.build_tables(cfg, parse_quarter("2025-K2"))
    message = str(refused.value)
    assert "Flevoland" in message and "realisatie_maand.csv" in message
    assert "januari 2025" in message and "juni 2025" in message


def test_the_months_of_a_year_add_up_to_the_realisation_of_the_budget_export():
    folder = paths.region_export_dir("JZ08")
    with (folder / "budget.csv").open(encoding="utf-8") as handle:
        yearly = {(r["jaar"], r["gemeentecode"], r["begrotingspost"]): int(r["gerealiseerd_euro"])
                  for r in csv.DictReader(handle, delimiter=";")}
    monthly: dict[tuple[str, str, str], int] = {}
    with (folder / "realisatie_maand.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            key = (row["peildatum"][-4:], row["gemeentecode"], row["begrotingspost"])
            monthly[key] = monthly.get(key, 0) + int(row["gerealiseerd_euro"])
    assert monthly == yearly


def test_the_last_open_months_of_the_export_are_voorlopig():
    budget = pd.DataFrame({"jaar": [2024], "gemeentecode": ["GM0034"], "begrotingspost": ["x"], "gerealiseerd_euro": [1200]})
    rows = sample_quarter.monthly_rows(budget, 1, "JZ08")
    assert [r[-1] for r in rows] == ["definitief"] * 9 + ["voorlopig"] * 3
    assert sum(r[3] for r in rows) == 1200


def test_forecast_is_straight_line_or_seasonal_and_held_against_budget_or_ceiling():
    quarter = parse_quarter("2024-K2")
    monthly = pd.DataFrame({"peildatum": pd.to_datetime([f"2024-{m:02d}-28" for m in range(1, 7)]),
                            "gerealiseerd_euro": [100] * 6, "status": ["definitief"] * 6})
    budget = pd.DataFrame({"jaar": [2024], "begroot_euro": [1000]})
    linear = RegionSetting("JZ08", "F", "volledig", "budget", None, "", "lineair", (1.0,) * 12)
    row = quarter_tables.spending_row(quarter, linear, monthly, budget, vocabulary.LEVEL_REGION)
    assert row["realisatie_tot_nu"] == 600 and row["prognose_jaar"] == 1200 and row["doel_euro"] == 1000
    seasonal = RegionSetting("JZ31", "Z", "financieel", "plafond", 1500, "", "seizoen", (1.0,) * 6 + (3.0,) * 6)
    row = quarter_tables.spending_row(quarter, seasonal, monthly, budget, vocabulary.LEVEL_REGION)
    assert row["prognose_jaar"] == 600 * 24 / 6 and row["doel"] == "plafond" and row["doel_euro"] == 1500
    assert quarter_tables.spending_row(quarter, seasonal, monthly, budget, vocabulary.LEVEL_MUNICIPALITY)["doel"] == "budget"


def test_a_provisional_quarter_carries_the_mark_and_names_the_open_months(tables):
    page = quarter_pages.area_page("2024-K4", "GM0034", tables)
    assert "voorlopig" in page and "Nog niet afgesloten: oktober 2024, november 2024, december 2024" in page
    assert "€\u00a0" in page and "*</td>" in page


def test_a_financial_only_quarter_shows_the_financial_part_and_the_ceiling(tables, cfg):
    page = quarter_pages.area_page("2024-K4", "JZ31", tables)
    assert "Financiële kwartaalrapportage van de jeugdregio Zuid-Holland Zuid," in page and "de gemeente" not in page
    assert "Met het gebruikelijke verloop over de maanden doorgetrokken" in page  # config/kwartaal.yaml: seizoen
    assert "kostenplafond" in page and "€\u00a0100.000.000" in page
    assert "Trajecten" not in page and "Wachtenden" not in page
    full = quarter_pages.area_page("2024-K4", "JZ08", tables)
    assert "Trajecten" in full and "het budget" in full and "horizon: nul" in full
    assert "van de jeugdregio Flevoland," in full and "De mediane wachttijd van de regio" in full
    municipality = quarter_pages.area_page("2024-K4", "GM0034", tables)
    assert "van de gemeente Almere (jeugdregio Flevoland)" in municipality and 'href="regio-JZ08.html"' in municipality
    assert "De mediane wachttijd van de regio" not in municipality


def test_amounts_keep_their_euro_sign_and_table_figures_line_up(tables):
    """'€' and its amount never part at a line end (no-break space); every figure in a table is a
    right-aligned number cell, as on the annual pages."""
    page = quarter_pages.area_page("2024-K4", "GM0034", tables)
    assert re.search(r"€\u00a0\d", page) and not re.search(r"€ ", page)
    cells = re.findall(r"<td([^>]*)>", page)
    assert len(cells) > 20 and set(cells) == {' class="jm-getal"'}


def test_placements_are_labelled_as_the_sentences_name_quarters_and_compared_with_a_year_before():
    rows = [{"kwartaal": f"2023-K{n}", "lopend": v} for n, v in enumerate([1052, 1040, 1030, 1010], start=1)]
    rows.append({"kwartaal": "2024-K1", "lopend": 1007})
    shown = quarter_pages._placements(rows)
    assert [r["label"] for r in shown["placements"]][::4] == ["1e kwartaal 2023", "1e kwartaal 2024"]
    assert shown["placement_change"] == -45 and shown["placement_year_before"] == 1052
    assert quarter_pages._placements(rows[:4])["placement_change"] is None  # no quarter a year before


def test_the_placement_sentence_agrees_with_its_table(tables):
    """The sentence's 'N minder dan een jaar eerder (M)' is the table's last row against the row four above it."""
    page = quarter_pages.area_page("2024-K4", "JZ08", tables)
    section = page[page.index('id="plaatsingen"'):]
    said = re.search(r"Eind van het 4e kwartaal 2024: ([\d.]+), ([\d.]+) (minder|meer) dan een jaar eerder \(([\d.]+)\)", section)
    table = [int(v.replace(".", "")) for v in re.findall(r'<td class="jm-getal">([\d.]+)</td>', section)]
    now, change, word, before = int(said[1].replace(".", "")), int(said[2].replace(".", "")), said[3], int(said[4].replace(".", ""))
    assert (now, before) == (table[-1], table[-5]) and change == abs(now - before)
    assert word == ("minder" if now < before else "meer")
    assert "<th scope=\"row\">4e kwartaal 2024</th>" in section


def _pages(tables) -> list[str]:  # noqa: ANN001
    return [quarter_pages.area_page("2024-K4", "GM0303", tables), quarter_pages.index_page("2024-K4", tables)]


def test_quarter_pages_link_the_last_published_annual_report_and_never_a_missing_one(tables, reports):
    assert all("jaarrapport" not in page and "../20" not in page for page in _pages(tables))  # none published
    for year in (2022, 2024):  # 2024: the quarter's own year, not a year before it
        (reports / str(year)).mkdir()
        paths.report_index(reports / str(year)).write_text("<html></html>", encoding="utf-8")
    (reports / "2023").mkdir()  # a folder without its index is not a published set
    assert all('href="../2022/index.html"' in page and "../2023/" not in page for page in _pages(tables))
    paths.report_index(reports / "2023").write_text("<html></html>", encoding="utf-8")
    for page in _pages(tables):
        assert 'href="../2023/index.html"' in page and "../2022/" not in page and "../2024/" not in page


def test_the_notebook_is_thin_and_has_a_parameters_cell():
    import nbformat
    notebook = nbformat.read(Path(paths.notebook("06_kwartaal.ipynb")), as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "kwartaal =" in tagged[0].source
    assert all(len(c.source.splitlines()) <= 4 for c in notebook.cells if c.cell_type == "code")


@pytest.fixture
def reports(tmp_path, monkeypatch):
    """An empty reports/ folder: no quarter of any year is published yet."""
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    return tmp_path


def _publish(quarter: Quarter) -> None:
    folder = paths.report_dir(quarter)
    folder.mkdir(parents=True)
    paths.report_index(folder).write_text("<html></html>", encoding="utf-8")


def test_the_annual_report_links_only_the_quarters_that_are_published(cfg, reports):
    assert quarter_pages.annual_links(cfg, 2023) == []  # the exports cover all of 2023, but nothing is published
    _publish(Quarter(2023, 2))
    _publish(Quarter(2024, 1))  # another year's quarter
    (reports / "2023-K3").mkdir()  # a folder without its index is not a published set
    assert publish.published_quarters(2023) == [Quarter(2023, 2)]
    links = quarter_pages.annual_links(cfg, 2023)
    assert [link["href"] for link in links] == ["../2023-K2/index.html"]
    assert links[0]["label"] == "2e kwartaal 2023" and "Flevoland" in links[0]["regions"]


def test_the_annual_index_page_links_its_published_quarters_only(cfg, reports):
    from jeugdmonitor.report import overview
    from tests.report.test_overview import _inputs
    page = overview.index_page(_inputs(cfg))
    assert 'id="kwartalen"' not in page and "2023-K" not in page and "Kwartaalrapportages" not in page
    _publish(Quarter(2023, 2))
    page = overview.index_page(_inputs(cfg))
    assert 'id="kwartalen"' in page and 'href="../2023-K2/index.html"' in page and "2e kwartaal 2023" in page
    assert "2023-K1" not in page and "2023-K3" not in page and "2023-K4" not in page


def test_the_quarter_command_says_the_annual_index_links_it_after_make_reports(reports, capsys):
    from jeugdmonitor.runner import quarter as quarter_runner
    quarter_runner.note_annual_index(Quarter(2023, 2))
    assert capsys.readouterr().out == ""  # no annual set of 2023 is published: nothing to say
    paths.report_dir(2023).mkdir()
    paths.report_index(paths.report_dir(2023)).write_text("<html></html>", encoding="utf-8")
    quarter_runner.note_annual_index(Quarter(2023, 2))
    said = capsys.readouterr().out
    assert said.count("\n") == 1 and "jaarrapportage 2023" in said and "2e kwartaal 2023" in said
    assert "`make reports YEAR=2023`" in said
