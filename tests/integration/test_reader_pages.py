"""The pages as a council member reads them: no figure on a page contradicts another, nothing
is clipped on a phone, the answer is on the first screen, and a printed report is short."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from html import unescape
from pathlib import Path

import pypdf
import pytest

from jeugdmonitor.devtools import browser as browser_module
from jeugdmonitor.vocabulary import GOAL_STATUSES

from ..conftest import REPO_ROOT
from .conftest import YEAR, run

pytestmark = pytest.mark.integration

PYTHON = str(REPO_ROOT / ".venv" / "bin" / "python")
MUNICIPALITY = "GM1963"  # Hoeksche Waard: a merger, a goal shared naar rato inwonertal
MAX_PRINTED_PAGES = 12


def _reports(built: Path) -> list[Path]:
    return sorted(p for p in (built / "reports" / str(YEAR)).glob("GM*.html") if re.fullmatch(r"GM\d{4}", p.stem))


def _number(text: str) -> Decimal:
    """'1.234,5**' or '−0,5' -> Decimal('1234.5') / Decimal('-0.5')."""
    clean = unescape(text).replace("−", "-").replace("+", "").replace(".", "").replace(",", ".").rstrip("*¹ ")
    return Decimal(clean)


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


# ------------------------------------------------------------------------------ consistency
def _figure(phrase: str, cfg) -> Decimal:  # noqa: ANN001
    """'25,2%' -> 25.2; a net figure in words ('10 trajecten meer beëindigd dan gestart', 'evenveel
    gestart als beëindigd') -> -10 / 0, from the sign words of config/kpis.yaml."""
    for above, below, zero in (k.sign_words for k in cfg.kpis.values() if k.sign_words):
        if phrase == zero:
            return Decimal(0)
        if phrase.endswith(f" {below}"):
            return -_number(phrase.split(" ")[0])
        if phrase.endswith(f" {above}"):
            return _number(phrase.split(" ")[0])
    return _number(re.match(r"−?[\d.,]+", phrase).group(0))


def test_every_stated_difference_is_the_difference_of_the_figures_beside_it(built, cfg):
    """'van 25,2% in 2022 naar 30,8% in 2023 (+5,6 %-punt)': the difference of the shown values;
    also for a net figure said in words ('van 3 trajecten meer gestart dan beëindigd ... naar 10
    trajecten meer beëindigd dan gestart ... (−13)')."""
    checked = worded = 0
    for page in _reports(built):
        html = page.read_text(encoding="utf-8")
        for before, after, diff in re.findall(r"van ([^<(]*?) in \d{4}\**[^<(]*? naar ([^<(]*?) in \d{4}\** "
                                              r"\(([+−]?[\d.,]+)", html):
            assert _figure(after, cfg) - _figure(before, cfg) == _number(diff), (page.name, before, after, diff)
            checked += 1
            worded += any(w in before + after for k in cfg.kpis.values() for w in k.sign_words or ())
    assert checked >= len(_reports(built)), "every report states at least one change"
    assert worded, "no report states the change of a net figure in words: the check above never read one"


def test_the_answer_counts_the_statuses_of_the_goal_table(built):
    for page in _reports(built):
        html = page.read_text(encoding="utf-8")
        answer = re.search(r'<p class="jm-antwoord">(.*?)</p>', html, flags=re.S)
        rows = re.findall(r'<tr class="jm-doel".*?</tr>', html, flags=re.S)
        if not rows:
            continue
        own = [re.findall(r'jm-status-[a-z-]+">([^<]+)</strong>', row)[0] for row in rows]  # the municipality's first
        for status in GOAL_STATUSES:
            stated = re.search(rf"(\d+) {status}\b(?! op)", _text(answer.group(1)))
            assert (int(stated.group(1)) if stated else 0) == own.count(status), (page.name, status, answer.group(1))


def test_every_rank_agrees_with_the_table_beside_it(built):
    """'staat op plaats 3 van 10' (van hoog naar laag) is the row of the municipality in the
    table sorted the same way, and the table runs from high to low."""
    checked = 0
    for page in sorted((built / "reports" / str(YEAR)).glob("GM*-bijlage.html")):
        html = page.read_text(encoding="utf-8")
        for section in re.findall(r'<section class="jm-kpi".*?</section>', html, flags=re.S):
            stated = re.search(r"staat op plaats (\d+) van (\d+)", section)
            table = re.search(r'<table class="jm-tabel jm-vergelijking">.*?</table>', section, flags=re.S)
            if table is None:
                assert stated is None, (page.name, "a rank without its table")
                continue
            assert "van hoog naar laag" in section
            rows = re.findall(r"<tr( class=\"jm-deze\")?><td class=\"jm-getal\">([^<]*)</td><th scope=\"row\">.*?</th>"
                              r"<td class=\"jm-getal\">([^<]*)</td>", table.group(0))
            values = [_number(v) for _, _, v in rows if v != "–"]
            assert values == sorted(values, reverse=True), (page.name, values)
            if stated:
                own = [place for mark, place, _ in rows if mark]
                assert own == [stated.group(1)], (page.name, own, stated.group(0))
                assert int(stated.group(2)) == len(values)
                checked += 1
    assert checked > 0


def test_every_highest_and_lowest_agrees_with_the_table_beside_it(built):
    """A region overview's panel says 'Hoogste: X (v); laagste: Y (w)' and gives the region and
    Nederland: the same as the first and last rows and the reference rows of its table."""
    checked = 0
    for page in sorted((built / "reports" / str(YEAR)).glob("regio-*.html")):
        html = unescape(page.read_text(encoding="utf-8"))
        for panel in re.findall(r'<div class="jm-paneel" id="paneel-.*?</table>', html, flags=re.S):
            said = re.search(r"Hoogste: (.+?) \(([^)]+)\); laagste: (.+?) \(([^)]+)\)\. (.+?): (.+?)(?:; Nederland: (.+?))?\. ",
                             panel)
            assert said, (page.name, panel[:200])
            rows = [(_text(name), value) for name, value in
                    re.findall(r'<tr><td class="jm-getal">\d+</td><th scope="row">(.*?)</th><td class="jm-getal">([^<]*)</td>',
                               panel)]
            valued = [(name, value) for name, value in rows if value != "–"]
            values = [_number(value) for _, value in valued]
            assert values == sorted(values, reverse=True), (page.name, values)
            assert (valued[0][0], _number(valued[0][1])) == (said.group(1), _number(said.group(2))), page.name
            assert (valued[-1][0], _number(valued[-1][1])) == (said.group(3), _number(said.group(4))), page.name
            references = dict(re.findall(r'<tr class="jm-referentie"><td></td><th scope="row">(.*?)</th>'
                                         r'<td class="jm-getal">([^<]*)</td>', panel))
            assert _number(references[said.group(5)]) == _number(said.group(6)), page.name
            if said.group(7) is not None:  # a region's own export has no national figure
                assert _number(references["Nederland"]) == _number(said.group(7)), page.name
            checked += 1
    assert checked >= 4, "every region overview has its panels"


def test_no_count_is_ranked_or_set_beside_the_country(built):
    for page in sorted((built / "reports" / str(YEAR)).glob("GM*-bijlage.html")):
        html = page.read_text(encoding="utf-8")
        for kpi in ("jeugdhulp_aantal", "zorgelijk_wachtenden", "netto_instroom"):
            start = html.find(f'id="{kpi}"')
            if start < 0:
                continue
            section = html[start: html.index("</section>", start)]
            assert "jm-vergelijking" not in section and "plaats" not in section, (page.name, kpi)
            assert '<th scope="col">Nederland</th>' not in section, (page.name, kpi)



# ------------------------------------------------------------------------------ any screen
@pytest.fixture(scope="module")
def reader(built):
    with browser_module.OfflineBrowser() as chromium:
        yield chromium


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("page", [f"{MUNICIPALITY}.html", f"{MUNICIPALITY}-bijlage.html", "index.html",
                                  "verantwoording.html", "regio-JZ31.html"])
def test_no_text_is_clipped_and_the_page_never_scrolls_sideways(built, reader, page, width):
    seen = reader.reading(built / "reports" / str(YEAR) / page, width)
    assert seen["clipped"] == [], f"{page} at {width} px: clipped or off-screen text {seen['clipped'][:5]}"
    assert seen["pageWidth"] <= seen["width"], f"{page} at {width} px is {seen['pageWidth']} px wide"


# every word in a table's body that the browser split over two lines (a name broken mid-word);
# a hyphenated name may break after its hyphen, and a file path (.jm-bestand) anywhere
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('tbody th, tbody td')) {
    if (!cell.getClientRects().length || cell.closest('.jm-bestand')) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${cell.closest('table').className}: ${match[0]}`);
      }
    }
  }
  return [...new Set(broken)];
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page", [f"{MUNICIPALITY}.html", f"{MUNICIPALITY}-bijlage.html", "index.html",
                                  "verantwoording.html", "regio-JZ24.html", "regio-JZ31.html"])
def test_no_name_in_a_table_is_broken_mid_word(built, reader, page, width):
    """JupyterLab gives a table's columns equal widths: a region panel's rank column took a third of
    it and broke 'Leidschendam-Voorburg' as 'Leidschend / am-Voorburg'. Columns now take the width
    their content needs; a name may still break after its hyphen."""
    with reader.page(built / "reports" / str(YEAR) / page, viewport={"width": width, "height": 844}) as tab:
        broken = tab.evaluate(BROKEN_WORDS)
    assert broken == [], f"{page} at {width} px: {broken[:8]}"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_municipalitys_status_is_on_the_first_screen(built, reader, width):
    for code in (MUNICIPALITY, "GM0518", "GM0184"):
        seen = reader.reading(built / "reports" / str(YEAR) / f"{code}.html", width)
        assert seen["onFirstScreen"] is True, f"{code} at {width} px: the first goal status is not on the first screen"


# ------------------------------------------------------------------------------ print
@pytest.fixture(scope="module")
def printed(built, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lezer-pdf") / "project"
    shutil.copytree(built / "reports" / str(YEAR), root / "reports" / str(YEAR),
                    ignore=shutil.ignore_patterns("uitgevoerde-notebooks", "pdf"))
    run(root, PYTHON, "-m", "jeugdmonitor.cli", "pdf", "--year", str(YEAR), *PRINTED_ARGS)
    return root / "reports" / str(YEAR) / "pdf"


# Hoeksche Waard (two goals, a merger) and 's-Gravenhage (seven goals, the longest report)
PRINTED = {MUNICIPALITY: ("Hoeksche Waard", "Regionale jeugdhulpkosten in 2023"),
           "GM0518": ("'s-Gravenhage", "Minder jeugdhulp met verblijf")}
PRINTED_ARGS = [arg for code in PRINTED for arg in ("--gemeente", code)]


@pytest.mark.parametrize("code", PRINTED)
def test_a_printed_report_is_short_starts_with_the_goals_and_leaves_no_page_nearly_empty(printed, code):
    name, first_goal = PRINTED[code]
    reader = pypdf.PdfReader(printed / f"{code}.pdf")
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert 1 < len(texts) <= MAX_PRINTED_PAGES, f"{len(texts)} pages"
    assert "Zijn we op koers?" in texts[0] and first_goal in texts[0], "goal table on page 1"
    header = f"Jeugdhulp in {name}: voortgangsrapportage 2023"
    for number, text in enumerate(texts, start=1):
        assert header in text, f"page {number}: running header"
        assert "Fictieve voorbeelddata" in text, f"page {number}: the label"
        body = text.replace(header, "")
        least = 150 if number == len(texts) else 400  # the last page may be shorter, but not a line or two
        assert len(body) > least, f"page {number} is nearly empty: {body[:200]!r}"


def test_printed_pages_are_tagged_with_a_title_and_language(printed):
    for name in (f"{MUNICIPALITY}.pdf", f"{MUNICIPALITY}-bijlage.pdf"):
        reader = pypdf.PdfReader(printed / name)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root, f"{name}: not tagged"
        assert str(root["/Lang"]).startswith("nl"), name
        assert "Hoeksche Waard" in reader.metadata.title, name
