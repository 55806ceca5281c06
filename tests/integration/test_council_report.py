"""What a council member reads: the answer on the first screen, every goal with a status word,
the municipality among its region, the region overviews, the index and the lokale paragraaf."""

from __future__ import annotations

import csv
import html
import json
import re

import openpyxl
import pytest
import yaml

from jeugdmonitor.report import formatting
from jeugdmonitor.vocabulary import GOAL_STATUSES

from .conftest import YEAR

pytestmark = pytest.mark.integration

STATUS_WORD = re.compile(r'<strong class="jm-status jm-status-[a-z-]+">([^<]+)</strong>')


def _goals(root) -> dict[str, list[dict]]:
    return yaml.safe_load((root / "config" / "doelen.yaml").read_text(encoding="utf-8"))["doelen"]


def _members(root) -> dict[str, list[str]]:
    register = yaml.safe_load((root / "config" / "gemeenten.yaml").read_text(encoding="utf-8"))
    members: dict[str, list[str]] = {}
    for entry in register["gemeenten"]:
        if entry.get("tot") is None and entry["regio"]:
            members.setdefault(entry["regio"], []).append(entry["code"])
    return members


def _names(root) -> dict[str, str]:
    register = yaml.safe_load((root / "config" / "gemeenten.yaml").read_text(encoding="utf-8"))
    return {entry["code"]: entry["naam"] for entry in register["gemeenten"] if entry.get("tot") is None}


def _section(page: str, anchor: str) -> str:
    """The <section> with id `anchor` (nbconvert writes attributes in alphabetical order)."""
    start = page.rindex("<section", 0, page.index(f'id="{anchor}"'))
    return page[start: page.index("</section>", start)]


def _summary(page: str) -> str:
    return _section(page, "samenvatting")


def test_every_report_opens_with_every_goal_of_its_region_and_a_status_word(built):
    goals = _goals(built)
    for region, codes in _members(built).items():
        for code in codes:
            page = (built / "reports" / str(YEAR) / f"{code}.html").read_text(encoding="utf-8")
            summary = _summary(page)
            assert page.index('id="samenvatting"') < page.index('id="kerncijfers"'), "summary first"
            assert page.index("</h1>") < page.index('class="jm-antwoord"') < page.index('class="jm-tabel jm-doelen"')
            lines = re.findall(r'<tr class="jm-doel" id="doel-([a-z0-9_]+)">(.*?)</tr>', summary, flags=re.S)
            assert [goal_id for goal_id, _ in lines] == [g["id"] for g in goals.get(region, [])], code
            for _, line in lines:
                words = STATUS_WORD.findall(line)
                assert len(words) == 2 and set(words) <= set(GOAL_STATUSES), (code, words)  # region and municipality


def test_summary_says_what_changed_most_with_status_marks(built):
    sentences = []
    for page in sorted((built / "reports" / str(YEAR)).glob("GM[0-9][0-9][0-9][0-9].html")):
        changes = [c for c in re.findall(r"<li>([^<]*(?:steeg|daalde)[^<]*)</li>", _summary(page.read_text(encoding="utf-8")))
                   if "Hoe kan dat?" not in c]
        assert 1 <= len(changes) <= 3, page.name
        assert all(re.search(r": (een verbetering|een verslechtering|ongeveer gelijk gebleven|geen doel zegt of dat "
                             r"beter of slechter is)\.$", c) for c in changes), changes  # judged in words
        sentences += changes
    assert any(f"in {YEAR}** (" in s for s in sentences), "a CBS figure of 2023 is nader voorlopig in the sample"
    assert all(re.search(rf"van .+ in {YEAR - 1}\*{{0,2}} naar .+ in {YEAR}\*{{0,2}} \([+−]", s) for s in sentences)


def test_the_municipality_stands_among_every_municipality_of_its_region(built):
    members = _members(built)["JZ08"]
    page = (built / "reports" / str(YEAR) / "GM0995-bijlage.html").read_text(encoding="utf-8")
    section = _section(page, "jeugdhulp_met_verblijf_per_1000")
    table = section[section.index('<table class="jm-tabel jm-vergelijking">'):]
    rows = re.findall(r'<tr(?: class="(jm-deze|jm-referentie)")?><td[^>]*>[^<]*</td><th scope="row">(.*?)</th>', table)
    assert len([r for r in rows if r[0] != "jm-referentie"]) == len(members)
    assert [r[1] for r in rows if r[0] == "jm-deze"] == ["<strong>Lelystad</strong> (deze gemeente)"]
    assert [r[1] for r in rows if r[0] == "jm-referentie"] == ["Regio Flevoland", "Nederland"]
    assert section.count('src="data:image/svg+xml;base64,') >= 2  # trend and comparison


def test_region_overviews_link_every_member_and_state_their_goals(built):
    goals = _goals(built)
    for region, codes in _members(built).items():
        page = (built / "reports" / str(YEAR) / f"regio-{region}.html").read_text(encoding="utf-8")
        assert "<h1>Jeugdhulp in jeugdregio " in page
        for code in codes:
            assert f'href="{code}.html"' in page
        lines = re.findall(r'<tr class="jm-doel">(.*?)</tr>', _summary(page), flags=re.S)
        assert len(lines) == len(goals.get(region, []))
        assert all(STATUS_WORD.search(line) for line in lines)
        assert 'src="data:image/svg+xml;base64,' in page and 'role="img"' in page
        assert 'href="index.html"' in page and 'href="verantwoording.html"' in page


def _words(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_region_overview_answers_first_and_names_every_member_under_a_status_per_goal(built):
    names = _names(built)
    for region, codes in _members(built).items():
        page = (built / "reports" / str(YEAR) / f"regio-{region}.html").read_text(encoding="utf-8")
        region_goals = _goals(built).get(region, [])
        answer = _words(re.search(r'<p class="jm-antwoord">(.*?)</p>', page, re.S).group(1))
        counted = re.findall(r"(\d+) (" + "|".join(sorted(GOAL_STATUSES, key=len, reverse=True)) + ")", answer)
        assert sum(int(n) for n, _ in counted) == len(region_goals), (region, answer)
        assert page.index('class="jm-antwoord"') < page.index("<table"), "the answer before any table"
        if not region_goals:
            continue
        section = html.unescape(page[page.index('id="doelen-per-gemeente"'):])
        for goal in region_goals:
            part = section[section.index(f"<h3>{goal['doel']}</h3>"):]
            part = part[: part.index("</ul>")]
            named = [n for group in re.findall(r"\(\d+\): ([^<]+)</li>", part) for n in group.split(", ")]
            assert sorted(named) == sorted(names[c] for c in codes), (region, goal["id"])


def test_region_overview_panels_rank_as_their_tables_and_compare_rates_only(built):
    kpis = yaml.safe_load((built / "config" / "kpis.yaml").read_text(encoding="utf-8"))["kpis"]
    for region in _members(built):
        page = (built / "reports" / str(YEAR) / f"regio-{region}.html").read_text(encoding="utf-8")
        panels = re.findall(r'<div class="jm-paneel" id="(?:paneel|ontwikkeling)-([a-z0-9_]+)">', page)
        assert panels and all("noemer" in kpis[kpi] for kpi in panels), "only rates and shares are compared"
        for table in re.findall(r'<table class="jm-tabel jm-klein jm-rangorde">(.*?)</table>', page, re.S):
            places = [int(p) for p in re.findall(r'<tr><td class="jm-getal">(\d+)</td>', table)]
            assert places == list(range(1, len(places) + 1))
            values = [float(v.replace(".", "").replace(",", ".").rstrip("*"))
                      for v in re.findall(r'</a></th><td class="jm-getal">([\d.,]+)\**</td>', table)]
            assert values == sorted(values, reverse=True), "high to low, as the panel says"


def test_index_gives_key_figures_and_goal_status_per_municipality(built):
    index = (built / "reports" / str(YEAR) / "index.html").read_text(encoding="utf-8")
    for region, codes in _members(built).items():
        for code in codes:
            # a row in the region's goals table (when it has goals), then one in its key figures table
            rows = [part[: part.index("</tr>")] for part in index.split(f'<a href="{code}.html">')[1:]]
            assert len(rows) == (2 if _goals(built).get(region) else 1), (code, len(rows))
            row = "".join(rows)
            assert f'href="{code}_lokale_paragraaf.xlsx"' in row and f'href="{code}_lokale_paragraaf.csv"' in row
            words = STATUS_WORD.findall(row)
            assert len(words) == len(_goals(built).get(region, [])) and set(words) <= set(GOAL_STATUSES), (code, words)
            assert not re.search(r"\d+ (" + "|".join(GOAL_STATUSES) + ")", _words(row)), "a word per goal, no count sentence"
    assert f'href="overzicht_{YEAR}.csv"' in index and 'href="verantwoording.html"' in index
    assert 'src="zoeken.js"' in index and (built / "reports" / str(YEAR) / "zoeken.js").is_file()


def test_developer_content_is_in_the_cells_of_the_verantwoording_page(built):
    """The quality log and the Data Docs links are cells tagged `verantwoording` of the index
    notebook (rendered into verantwoording.html); the index's own cells hold none of it."""
    executed = json.loads((built / "reports" / str(YEAR) / "uitgevoerde-notebooks" / "04_overzicht.ipynb")
                          .read_text(encoding="utf-8"))
    tagged, own = "", ""
    for cell in executed["cells"]:
        html_out = "".join("".join(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))
        if "verantwoording" in cell["metadata"].get("tags", []):
            tagged += html_out
        else:
            own += html_out
    assert "<h1>Verantwoording en datakwaliteit 2023</h1>" in tagged and "Kwaliteitslog van deze run" in tagged
    assert 'href="datadocs/index.html"' in tagged and "<h3>Bronnen</h3>" in tagged
    for developer in ("Kwaliteitslog", "Data Docs", "datadocs", "kpi_waarden", "harmonisatie"):
        assert developer not in own, developer
    accountability = built / "reports" / str(YEAR) / "verantwoording.html"
    if accountability.is_file():  # once the runner renders the tagged cells into their own page
        assert "Kwaliteitslog" not in (built / "reports" / str(YEAR) / "index.html").read_text(encoding="utf-8")


def test_lokale_paragraaf_is_the_same_in_page_csv_and_excel(built):
    out = built / "reports" / str(YEAR)
    page = (out / "GM0523.html").read_text(encoding="utf-8")
    section = _section(page, "lokale-paragraaf")
    page_rows = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", section)]
    with (out / "GM0523_lokale_paragraaf.csv").open(encoding="utf-8-sig", newline="") as handle:
        csv_rows = list(csv.reader(handle, delimiter=";"))
    sheet = openpyxl.load_workbook(out / "GM0523_lokale_paragraaf.xlsx").active
    assert csv_rows[0][:2] == ["Indicator", "Eenheid"] and len(csv_rows) > 10
    assert page_rows[1:] == csv_rows[1:]
    # the workbook: numbers to calculate with, each with its status mark in the column beside it
    excel_rows = []
    for row in sheet.iter_rows(min_row=2, max_row=len(csv_rows)):
        shown = [row[0].value, row[1].value]
        for number, status in zip(row[2::2], row[3::2], strict=True):
            decimals = len(number.number_format.partition(".")[2])
            shown.append(number.value if isinstance(number.value, str)
                         else formatting.number(number.value, decimals) + (status.value or ""))
        excel_rows.append(shown)
    assert excel_rows == csv_rows[1:]
    assert any(isinstance(c.value, float) for row in sheet.iter_rows(min_row=2, max_row=len(csv_rows)) for c in row)
    assert any("**" in cell for row in csv_rows for cell in row), "status marks travel into the download"
    notes = [row[0] for row in sheet.iter_rows(min_row=len(csv_rows) + 1, values_only=True) if row[0]]
    assert any("Fictieve voorbeelddata" in note for note in notes)
