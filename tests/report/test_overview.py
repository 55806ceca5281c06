"""The region overview, the index and the year's verantwoording page: values and their words."""

from __future__ import annotations

import base64
import html as html_module
import re

import pandas as pd
import pytest

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.report import charts, figures, goals, overview
from jeugdmonitor.report.inputs import Inputs
from jeugdmonitor.vocabulary import GOAL_MET, GOAL_NOT_MET, GOAL_STATUS_SYMBOLS, GOAL_STATUSES

from .helpers import memory_inputs

MEMBERS = {"GM0503": "Delft", "GM0518": "'s-Gravenhage", "GM0603": "Rijswijk", "GM0637": "Zoetermeer"}
# per municipality: jeugdhulp met verblijf per 1.000 in 2022 and 2023 (daling: falls -> op koers)
STAY = {"GM0503": (6.0, 6.5), "GM0518": (9.0, 8.0), "GM0603": (5.0, 4.0), "GM0637": (7.0, 7.5), "JZ24": (8.0, 7.5),
        "NL01": (7.0, 6.9)}
SHARE = {"GM0503": 10.1, "GM0518": 12.4, "GM0603": None, "GM0637": 8.2, "JZ24": 11.0, "NL01": 9.8}


def _level(code: str) -> str:
    return "gemeente" if code.startswith("GM") else "jeugdregio" if code.startswith("JZ") else "land"


def _row(area, year, kpi, value, status="definitief"):
    return [area, _level(area), year, kpi, None, None, value, status, False, None]


def _inputs(cfg, share: dict | None = None) -> Inputs:
    areas = [{"gebied_code": code, "naam": name, "niveau": "gemeente", "regio_code": "JZ24", "regio_naam": "Haaglanden"}
             for code, name in MEMBERS.items()]
    areas += [{"gebied_code": "JZ24", "naam": "Haaglanden", "niveau": "jeugdregio", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
              {"gebied_code": "NL01", "naam": "Nederland", "niveau": "land", "regio_code": None, "regio_naam": None}]
    rows = []
    for area, (before, now) in STAY.items():
        rows += [_row(area, 2022, "jeugdhulp_met_verblijf_per_1000", before),
                 _row(area, 2023, "jeugdhulp_met_verblijf_per_1000", now, "nader voorlopig")]
    for area, value in (share or SHARE).items():
        rows.append(_row(area, 2023, "jeugdhulp_aandeel", value))
    return memory_inputs(cfg, areas, rows, validation={"gecontroleerd": 3, "geslaagd": 3, "waarschuwingen": [], "datadocs": {}})


def _text(fragment: str) -> str:
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start: page.index("</section>", start)]


# ------------------------------------------------------------------ region overview
def test_names_per_status_names_each_municipality_under_its_status_in_status_order():
    assessments = {"Rijswijk": goals.Assessment(GOAL_NOT_MET, "x"), "Delft": goals.Assessment(GOAL_MET, "x"),
                   "'s-Gravenhage": goals.Assessment(GOAL_NOT_MET, "x"), "Almere": goals.Assessment(GOAL_MET, "x")}
    groups = overview.names_per_status(assessments)
    assert [g["status"] for g in groups] == [GOAL_MET, GOAL_NOT_MET], "in the order of GOAL_STATUSES"
    assert groups[0]["names"] == ["Almere", "Delft"] and groups[1]["names"] == ["'s-Gravenhage", "Rijswijk"]
    assert groups[0]["symbol"] == GOAL_STATUS_SYMBOLS[GOAL_MET]


def test_region_page_names_the_municipalities_per_status_of_each_goal(cfg):
    page = overview.region_page(_inputs(cfg), "JZ24")
    goal = next(g for g in cfg.goals["JZ24"] if g.id == "minder_verblijf")
    section = _section(page, "doelen-per-gemeente")
    part = section[section.index(f"<h3>{goal.text}</h3>"):]
    part = _text(part[: part.index("</ul>")])
    # daling: 's-Gravenhage and Rijswijk fell (op koers), Delft and Zoetermeer rose (niet op koers)
    assert "↗ op koers (2): 's-Gravenhage, Rijswijk" in part
    assert "↘ niet op koers (2): Delft, Zoetermeer" in part


def test_region_page_first_answers_with_the_count_of_goals_per_status(cfg):
    page = overview.region_page(_inputs(cfg), "JZ24")
    answer = _text(re.search(r'<p class="jm-antwoord">(.*?)</p>', page, re.S).group(1))
    count = len(cfg.goals["JZ24"])
    assert answer.startswith(f"Van de {count} doelen van de regiovisie staat de regio Haaglanden in 2023 zo: ")
    numbers = re.findall(r"(\d+) (" + "|".join(sorted(GOAL_STATUSES, key=len, reverse=True)) + ")", answer)
    assert sum(int(n) for n, _ in numbers) == count and ("1", "op koers") in numbers  # the region fell: op koers
    assert page.index('class="jm-antwoord"') < page.index("<table"), "the answer comes before any table"


def _svg_labels(figure: str, names: list[str]) -> list[str]:
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', figure).group(1)).decode()
    texts = [html_module.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    return [t for t in texts if t in names]


def test_small_multiples_panel_and_its_table_list_the_municipalities_in_the_same_order(cfg):
    page = overview.region_page(_inputs(cfg), "JZ24")
    panel = _section(page, "gemeenten")
    panel = panel[panel.index('id="paneel-jeugdhulp_met_verblijf_per_1000"'):]
    panel = panel[: panel.index("</table>")]
    table = [html_module.unescape(n) for n in re.findall(r'<th scope="row"><a href="GM\d{4}\.html">([^<]+)</a></th>', panel)]
    assert table == ["'s-Gravenhage", "Zoetermeer", "Delft", "Rijswijk"], "high to low"
    assert _svg_labels(panel, list(MEMBERS.values())) == table, "the chart lists them as its table does"
    assert "van hoog naar laag" in panel and "2023**, van hoog naar laag" in panel, "the direction is stated"
    assert ">Regio Haaglanden</th>" in panel and ">Nederland</th>" in panel


def test_a_municipality_without_a_figure_comes_last_without_a_place(cfg):
    rows = overview.ranked(_inputs(cfg), "jeugdhulp_aandeel", _inputs(cfg).members("JZ24"))
    assert [(r["name"], r["place"]) for r in rows] == [("'s-Gravenhage", 1), ("Delft", 2), ("Zoetermeer", 3), ("Rijswijk", None)]


def test_every_panel_carries_the_region_and_national_reference_and_highlights_nothing():
    frame = pd.DataFrame({"gebied": ["B", "A"], "waarde": [2.0, 1.0], "status": ["definitief"] * 2})
    spec = figures.vegalite_dict(charts.ranked_panel(frame, "t", "%", 1, {"Regio X": 1.5, "Nederland": 1.2}))
    text = str(spec)
    assert "Regio X: 1,5" in text and "Nederland: 1,2" in text and text.count("'mark': {'type': 'rule'") == 1
    assert "gekozen" in text  # the column exists, but no condition makes any dot different
    assert "datum.gekozen" not in text
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["B", "A"], "the rows' order"


def test_panel_labels_print_at_seven_points_or_more(cfg):
    """A panel prints at half the A4 text width (182 mm, two columns with a 6 mm gap): its SVG is
    scaled to that width, and its smallest font must stay at 7 pt or more."""
    page = overview.region_page(_inputs(cfg), "JZ24")
    column_mm = (182 - 6) / 2
    for figure in re.findall(r'<figure class="jm-grafiek".*?</figure>', page, re.S):
        svg = base64.b64decode(re.search(r'base64,([^"]+)"', figure).group(1)).decode()
        width_px = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
        smallest_px = min(float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg) + re.findall(r"font-size:\s*([\d.]+)px", svg))
        scale = min(1.0, column_mm / (width_px * 25.4 / 96))
        assert smallest_px * scale * 0.75 >= 7, (width_px, smallest_px)


def test_region_trend_compares_rates_with_nederland_and_refuses_a_count(cfg):
    inputs = _inputs(cfg)
    page = overview.region_page(inputs, "JZ24")
    trend = _section(page, "ontwikkeling")
    assert "Jeugdhulp met verblijf (per 1.000 jongeren) per jaar" in trend
    rows = re.findall(r'<tr><th scope="row">(2022|2023\*\*)</th><td class="jm-getal">([^<]*)</td><td class="jm-getal">([^<]*)</td></tr>',
                      trend[trend.index('id="ontwikkeling-jeugdhulp_met_verblijf_per_1000"'):])
    assert rows[:2] == [("2022", "8,0", "7,0"), ("2023**", "7,5", "6,9")]
    region = cfg.register.region("JZ24")
    with pytest.raises(config.ConfigError):
        overview._trend(inputs, region, cfg.kpis["jeugdhulp_aantal"])
    assert all(overview.is_rate(cfg.kpis[k]) for k in cfg.overview_kpis), "the key figures are rates and shares"
    assert not overview.is_rate(cfg.kpis["zorgelijk_wachtenden"])


def test_region_page_links_index_members_and_verantwoording(cfg):
    page = overview.region_page(_inputs(cfg), "JZ24")
    assert 'href="index.html"' in page and f'href="{paths.ACCOUNTABILITY_PAGE_NAME}"' in page
    for code in MEMBERS:
        assert f'href="{code}.html"' in page
    verantwoording = _section(page, "verantwoording-kort")
    assert "<table" not in verantwoording, "a short paragraph and a link, not the sources table"


# ------------------------------------------------------------------ index
def test_index_gives_a_status_word_with_a_symbol_per_goal_and_municipality(cfg):
    page = overview.index_page(_inputs(cfg))
    region_goals = cfg.goals["JZ24"]
    goals_table = page[page.index("Haaglanden: stand van de doelen"):]
    goals_table = goals_table[: goals_table.index("</table>")]
    for code, name in MEMBERS.items():
        row = goals_table[goals_table.index(f'<a href="{code}.html">'):]
        row = row[: row.index("</tr>")]
        cells = re.findall(r'<td class="jm-doelstatus"[^>]*>(.*?)</td>', row, re.S)
        assert len(cells) == len(region_goals), name
        for cell in cells:
            symbol, word = _text(cell).split(" ", 1)
            assert word in GOAL_STATUSES and GOAL_STATUS_SYMBOLS[word] == symbol, cell
            assert 'aria-hidden="true"' in cell, "the symbol accompanies the word, screen readers read the word"
        assert not re.search(r"\d+ (gehaald|op koers|niet op koers)", _text(row)), "no count sentence per municipality"
    delft = page[page.index('<a href="GM0503.html">'):]
    assert _text(re.findall(r'<td class="jm-doelstatus"[^>]*>(.*?)</td>', delft[: delft.index("</tr>")], re.S)[0]) == "↘ niet op koers"
    for number, goal in enumerate(region_goals, start=1):
        assert f"Doel {number}<span class=\"jm-onzichtbaar\">: {html_module.escape(goal.text)}</span>" in page


def test_index_gives_each_region_a_goals_table_and_a_key_figures_table_with_the_same_rows(cfg):
    """Two narrower tables instead of one of 14 columns: each fits a laptop's width and an A4 page."""
    page = overview.index_page(_inputs(cfg))
    section = page[page.index('data-regio="JZ24"'):]
    section = section[: section.index("</section>")]
    tables = re.findall(r"<table[^>]*><caption>(.*?)</caption>(.*?)</table>", section, re.S)
    assert [caption for caption, _ in tables] == ["Haaglanden: stand van de doelen 2023 per gemeente",
                                                  "Haaglanden: kerncijfers 2023 per gemeente"]
    goals_rows, figures_rows = (re.findall(r'<tr class="jm-(?:gemeente|referentie)".*?</tr>', body, re.S) for _, body in tables)
    names = [re.search(r'<th scope="row">(.*?)</th>', row).group(1) for row in figures_rows]
    assert names == [re.search(r'<th scope="row">(.*?)</th>', row).group(1) for row in goals_rows]
    assert len(names) == len(MEMBERS) + 1 and names[-1] == "Regio Haaglanden"
    for row in figures_rows:
        assert "jm-doelstatus" not in row and len(re.findall(r'<td class="jm-getal"', row)) == len(cfg.overview_kpis)
    for row in goals_rows:
        assert "jm-getal" not in row and len(re.findall(r'<td class="jm-doelstatus"', row)) == len(cfg.goals["JZ24"])
    assert all('_lokale_paragraaf.xlsx"' in row for row in figures_rows[:-1])


def test_index_has_a_filter_that_the_page_script_switches_on_and_loads_nothing_inline(cfg):
    page = overview.index_page(_inputs(cfg))
    assert re.search(r'<form class="jm-zoeken"[^>]*\shidden>', page), "hidden without the script"
    assert '<option value="JZ24">Haaglanden</option>' in page and 'data-regio="JZ24"' in page
    assert 'data-naam="&#39;s-Gravenhage"' in page
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts == [(f' src="{paths.INDEX_SCRIPT_NAME}" defer', "")], "one local script file, no inline code"


def test_index_script_is_written_beside_the_page_and_loads_nothing(tmp_path):
    written = overview.write_index_script(tmp_path)
    assert written == tmp_path / paths.INDEX_SCRIPT_NAME
    script = written.read_text(encoding="utf-8")
    assert "jm-zoek-naam" in script and "data" in script and "hidden = false" in script
    assert not re.search(r"fetch|XMLHttpRequest|https?://|import\(", script), "works without a network"


def test_index_keeps_developer_content_for_the_verantwoording_page(cfg):
    page = overview.index_page(_inputs(cfg))
    for developer in ("Kwaliteitslog", "Data Docs", "kpi_waarden", "harmonisatie", "datadocs", "Great Expectations"):
        assert developer not in page, developer
    assert f'href="{paths.ACCOUNTABILITY_PAGE_NAME}"' in page


# ------------------------------------------------------------------ the year's verantwoording page
def test_verantwoording_page_heading_is_an_h1_with_year_and_label(cfg):
    heading = overview.accountability_heading(_inputs(cfg))
    assert "<h1>Verantwoording en datakwaliteit 2023</h1>" in heading
    assert "Fictieve voorbeelddata" in heading and f'href="{paths.INDEX_PAGE_NAME}"' in heading
    assert '<a href="regio-JZ24.html">Haaglanden</a>' in heading, "links to every region overview"
    assert paths.ACCOUNTABILITY_PAGE_NAME == "verantwoording.html"


def test_verantwoording_page_holds_the_quality_log_and_data_docs_links(cfg, tmp_path):
    inputs = _inputs(cfg)
    assert "Kwaliteitslog van deze run" in overview.quality_section(inputs)
    docs = tmp_path / "datadocs"
    assert overview.data_docs_links(inputs, docs) == "", "no Data Docs, no links"
    docs.mkdir()
    paths.report_index(docs).write_text("x")
    inputs.validation["datadocs"] = {"kpi_waarden": {"pagina": "kpi_waarden.html"}}
    links = overview.data_docs_links(inputs, docs)
    assert 'href="datadocs/index.html"' in links and '<a href="datadocs/kpi_waarden.html">kpi_waarden</a>' in links


def test_reference_rules_start_at_their_own_label_so_none_crosses_another_label():
    frame = pd.DataFrame({"gebied": ["A", "B"], "waarde": [12.0, 7.0], "status": ["definitief"] * 2})
    spec = figures.vegalite_dict(charts.ranked_panel(frame, "t", "%", 1, {"Regio X": 8.8, "Nederland": 10.0}))
    rule = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "rule")
    rows = spec["datasets"][rule["data"]["name"]]
    # both labels are written leftwards from their rule: the rule further right carries the upper label
    assert [(r["label"], r["hoogte"]) for r in rows] == [("Nederland", -20), ("Regio X", -6)]
    assert all(r["begin"] == r["hoogte"] + 4 for r in rows) and rule["encoding"]["y"]["field"] == "begin"


def test_a_panel_caption_names_the_reference_lines_it_draws_and_those_without_a_figure(cfg):
    """Waiting times have no national figure: the caption may not say a line is Nederland."""
    page = overview.region_page(_inputs(cfg, share={**SHARE, "NL01": None}), "JZ24")
    share = _text(page[page.index('id="paneel-jeugdhulp_aandeel"'):][:20000])
    stay = _text(page[page.index('id="paneel-jeugdhulp_met_verblijf_per_1000"'):][:20000])
    assert "De stippellijn is Regio Haaglanden; voor Nederland is er geen cijfer." in share
    assert "De stippellijnen zijn Regio Haaglanden en Nederland." in stay
