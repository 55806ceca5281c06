"""Backtests: figures in the rendered reports against values computed independently from data/raw/.

The expected values are computed here with the csv module straight from the raw files,
sharing no code with the package."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from .conftest import YEAR

pytestmark = pytest.mark.integration

PREDECESSORS_HOEKSCHE_WAARD = ["GM0585", "GM0611", "GM0588", "GM0584", "GM0617"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _key(data: Path, dimension: str, title: str) -> str:
    """The key the table uses for a CBS title (keys change between tables, titles stay)."""
    (key,) = [r["Key"] for r in _rows(data.with_name(data.name.replace("TypedDataSet", dimension))) if r["Title"] == title]
    return key


def _count(root: Path, form: str, area: str, year: int) -> int:
    """The published count of form of care `form` (a CBS title) from the table of the series that holds `year`."""
    data = root / ("data/raw/cbs/84134NED_TypedDataSet.csv" if year <= 2020 else "data/raw/cbs/85099NED_TypedDataSet.csv")
    key = _key(data, "VormenVanJeugdzorg", form)
    for row in _rows(data):
        if row["VormenVanJeugdzorg"] == key and row["RegioS"].strip() == area and row["Perioden"] == f"{year}JJ00":
            return int(row["JongerenMetJeugdzorg_1"].strip())
    raise LookupError((form, area, year))


def _young(root: Path, area: str, year: int, low: int, high: int) -> int:
    keys = {str(10010 + 100 * age) for age in range(low, high + 1)}
    return sum(int(r["BevolkingOp1Januari_1"].strip()) for r in _rows(root / "data/raw/cbs/03759ned_TypedDataSet.csv")
               if r["RegioS"].strip() == area and r["Perioden"] == f"{year}JJ00" and r["Leeftijd"] in keys)


def _dutch(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _summary_cell(page: str, indicator: str) -> str:
    match = re.search(rf'<th scope="row">{re.escape(indicator)} <span class="jm-eenheid">[^<]*</span></th>'
                      r'<td class="jm-getal">([^<]*)</td>', page)
    assert match, indicator
    return match.group(1)


def _series_cell(page: str, caption_start: str, year_label: str) -> str:
    table = page[page.index(f"<caption>{caption_start}"):]
    table = table[: table.index("</table>")]
    match = re.search(rf'<th scope="row">{re.escape(year_label)}</th><td class="jm-getal">([^<]*)</td>', table)
    assert match, (caption_start, year_label)
    return match.group(1)


def test_share_with_jeugdhulp_in_hardinxveld_giessendam(built):
    expected = 100 * _count(built, "JH 1 Totaal jeugdhulp", "GM0523", YEAR) / _young(built, "GM0523", YEAR, 0, 22)
    page = (built / f"reports/{YEAR}/GM0523.html").read_text(encoding="utf-8")
    assert _summary_cell(page, "Jongeren met jeugdhulp") == _dutch(expected, 1) + "**"


def test_jeugdbescherming_per_1000_in_almere(built):
    expected = 1000 * _count(built, "JB 1 Totaal jeugdbescherming", "GM0034", YEAR) / _young(built, "GM0034", YEAR, 0, 17)
    page = (built / f"reports/{YEAR}/GM0034.html").read_text(encoding="utf-8")
    assert _summary_cell(page, "Jeugdbescherming") == _dutch(expected, 1) + "**"


def test_suppressed_cell_stays_suppressed(built):
    data = built / "data/raw/cbs/85099NED_TypedDataSet.csv"  # the table of the series that holds YEAR
    youth_justice = _key(data, "VormenVanJeugdzorg", "JR 1 Totaal jeugdreclassering")
    suppressed = [r for r in _rows(data)
                  if r["VormenVanJeugdzorg"] == youth_justice and r["Perioden"] == f"{YEAR}JJ00"
                  and r["RegioS"].startswith("GM") and r["JongerenMetJeugdzorg_1"].strip() == "."]
    assert suppressed, "the sample data should hold a suppressed jeugdreclassering cell"
    code = suppressed[0]["RegioS"].strip()
    page = (built / f"reports/{YEAR}/{code}.html").read_text(encoding="utf-8")
    assert _summary_cell(page, "Jeugdreclassering") == "–"
    appendix = (built / f"reports/{YEAR}/{code}-bijlage.html").read_text(encoding="utf-8")
    assert "onderdrukt vanwege kleine aantallen" in appendix


def test_hoeksche_waard_2018_is_the_sum_of_its_predecessors(built):
    count = sum(_count(built, "JH 1 Totaal jeugdhulp", code, 2018) for code in PREDECESSORS_HOEKSCHE_WAARD)
    young = sum(_young(built, code, 2018, 0, 22) for code in PREDECESSORS_HOEKSCHE_WAARD)
    page = (built / f"reports/{YEAR}/GM1963-bijlage.html").read_text(encoding="utf-8")  # every indicator's series
    # marked as built from predecessors
    assert _series_cell(page, "Jongeren met jeugdhulp (%) per jaar", "2018") == _dutch(100 * count / young, 1) + "¹"
    assert "Binnenmaas (GM0585), 2015–2018: opgeteld bij Hoeksche Waard (GM1963)" in page


def test_zuid_holland_zuid_cost_goal(built):
    realised = sum(int(r["gerealiseerd_euro"]) for r in _rows(built / "data/raw/regio/JZ31/budget.csv")
                   if r["jaar"] == str(YEAR) and not r["begrotingspost"].startswith("Transformatiefonds: "))
    page = (built / f"reports/{YEAR}/GM0505.html").read_text(encoding="utf-8")
    assert f"Regio: {_dutch(realised / 1e6, 1)} mln euro" in _goal_note(page, "kosten_100_mln")  # the region's value
    region_status = _status_words(_goal_row(page, "kosten_100_mln"))[1]
    assert region_status == ("gehaald" if realised <= 100e6 else "niet gehaald")  # target year reached


def test_waiting_time_is_the_weighted_mean_of_monthly_medians(built):
    rows = [r for r in _rows(built / "data/raw/regio/JZ24/wachttijden.csv")
            if r["gemeentecode"] == "GM0518" and r["peildatum"].endswith(str(YEAR))]
    assert len(rows) == 12
    weighted = sum(int(r["mediaan_wachttijd_dagen"]) * int(r["aantal_wachtenden"]) for r in rows)
    expected = weighted / sum(int(r["aantal_wachtenden"]) for r in rows)
    page = (built / f"reports/{YEAR}/GM0518.html").read_text(encoding="utf-8")
    assert _summary_cell(page, "Wachttijd") == _dutch(expected, 0)


IV3_TABLE_2023 = "data/raw/cbs/iv3/45063NED_TypedDataSet.csv"  # "Gemeenten 2023 onbewerkte Iv3-data"


def _youth_care_lasten(root: Path, code: str | None) -> int:
    """Jaarrekening lasten on taakvelden 6.72 and 6.82, 2e plaatsing, in euro; code None: every municipality."""
    total = 0
    for r in _rows(root / IV3_TABLE_2023):
        if (r["Verslagsoort"] == f"{YEAR}X005" and r["Categorie"].startswith("L")
                and r["TaakveldBalanspost"].strip() in ("6.72", "6.82") and (code is None or r["Gemeenten"].strip() == code)):
            total += int(r["k_2ePlaatsing_2"].strip())
    return total * 1000


def _summary_cells(page: str, indicator: str) -> list[str]:
    """The figures of a row of the kerncijfers: the municipality, then the region and the country."""
    row = page[page.index(f'<th scope="row">{indicator} <span class="jm-eenheid">'):]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="jm-getal">([^<]*)</td>', row)


def test_spending_per_young_person_in_delft_and_the_country_from_iv3(built):
    assert YEAR == 2023, "IV3_TABLE_2023 is the table of the report year"
    delft = _youth_care_lasten(built, "GM0503") / _young(built, "GM0503", YEAR, 0, 17)
    country = _youth_care_lasten(built, None) / _young(built, "NL01", YEAR, 0, 17)
    page = (built / f"reports/{YEAR}/GM0503.html").read_text(encoding="utf-8")
    values = _summary_cells(page, "Uitgaven jeugdhulp per jongere")  # municipality, region, country
    assert values[0] == _dutch(delft, 0) + "**"  # Iv3 2e plaatsing: nader voorlopig
    assert values[2] == _dutch(country, 0) + "**"


# ---------------------------------------------------------------------------- the regiovisie goals
ZUID_HOLLAND_ZUID_2023 = ["GM0482", "GM0505", "GM0512", "GM0523", "GM0531", "GM1963", "GM1978", "GM0590", "GM0610",
                          "GM0642"]


def _inhabitants(root: Path, area: str, year: int) -> int:
    for r in _rows(root / "data/raw/cbs/03759ned_TypedDataSet.csv"):
        if r["RegioS"].strip() == area and r["Perioden"] == f"{year}JJ00" and r["Leeftijd"] == "10000":
            return int(r["BevolkingOp1Januari_1"].strip())
    raise LookupError((area, year))


def _goal_row(page: str, goal_id: str) -> str:
    row = page[page.index(f'id="doel-{goal_id}"'):]
    return row[: row.index("</tr>")]


def _status_words(row: str) -> list[str]:
    return re.findall(r'<strong class="jm-status[^"]*">([^<]+)</strong>', row)  # municipality, then region


def _own_value(row: str) -> str:
    """The municipality's figure in its goal row."""
    match = re.search(r'<td class="jm-getal"[^>]*>([^<]*)</td>', row)
    assert match, row[:200]
    return match.group(1)


def _goal_note(page: str, goal_id: str) -> str:
    """The note under the goal table with the figures behind the goal's statuses."""
    note = page[page.index(f'id="toelichting-{goal_id}"'):]
    return re.sub(r"<[^>]+>", "", note[: note.index("</li>")])


def test_hoeksche_waard_against_its_share_of_the_zuid_holland_zuid_ceiling(built):
    share = _inhabitants(built, "GM1963", YEAR) / sum(_inhabitants(built, c, YEAR) for c in ZUID_HOLLAND_ZUID_2023)
    ceiling = 100 * share  # mln euro, naar rato inwonertal
    costs = sum(int(r["gerealiseerd_euro"]) for r in _rows(built / "data/raw/regio/JZ31/budget.csv")
                if r["jaar"] == str(YEAR) and r["gemeentecode"] == "GM1963"
                and not r["begrotingspost"].startswith("Transformatiefonds: ")) / 1e6
    page = (built / f"reports/{YEAR}/GM1963.html").read_text(encoding="utf-8")
    note = _goal_note(page, "kosten_100_mln")
    target = f"het doel is ten hoogste {_dutch(ceiling, 1)} in 2023"
    assert f"{target} (het aandeel naar inwonertal, {_dutch(100 * share, 1)}%, van 100,0" in note
    row = _goal_row(page, "kosten_100_mln")
    assert _own_value(row) == _dutch(costs, 1)
    assert _status_words(row)[0] == ("gehaald" if costs <= ceiling else "niet gehaald")


def _age_table(root: Path, year: int) -> Path:
    return root / ("data/raw/cbs/84135NED_TypedDataSet.csv" if year <= 2020 else "data/raw/cbs/85100NED_TypedDataSet.csv")


def _under_12_residential(root: Path, area: str, year: int) -> int | None:
    """Jeugdhulp met verblijf, ages 0-3 plus 4-11 (CBS groups); None when a group is suppressed."""
    data = _age_table(root, year)
    residential = _key(data, "VormenVanJeugdzorg", "JH 122 Totaal jeugdhulp met verblijf")
    groups = {_key(data, "Persoonskenmerken", title) for title in ("Leeftijd: 0 tot 4 jaar", "Leeftijd: 4 tot 12 jaar")}
    cells = [r["TotaalJongerenMetJeugdzorg_1"].strip() for r in _rows(data)
             if r["RegioS"].strip() == area and r["Perioden"] == f"{year}JJ00" and r["VormenVanJeugdzorg"] == residential
             and r["Persoonskenmerken"] in groups]
    assert len(cells) == 2, (area, year)
    return None if "." in cells else sum(int(c) for c in cells)


def test_haaglanden_children_under_12_in_residential_care(built):
    now, before = _under_12_residential(built, "GM0518", YEAR), _under_12_residential(built, "GM0518", YEAR - 1)
    assert now is not None and before is not None, "'s-Gravenhage is large enough to be published"
    row = _goal_row((built / f"reports/{YEAR}/GM0518.html").read_text(encoding="utf-8"), "onder_12_niet_in_verblijf")
    assert _own_value(row) == f"{_dutch(now, 0)}**"  # 2023 is nader voorlopig
    assert _status_words(row)[0] == ("op koers" if now < before else "niet op koers")


def _ambulant_share(root: Path, code: str, year: int) -> float:
    started = [r for r in _rows(root / "data/raw/regio/JZ08/trajecten.csv")
               if r["gemeentecode"] == code and r["startdatum"].endswith(str(year))]
    return 100 * sum(r["zorgvorm"] == "ambulant" for r in started) / len(started)


def test_flevoland_ambulant_share_of_started_trajectories(built):
    now, before = _ambulant_share(built, "GM0995", YEAR), _ambulant_share(built, "GM0995", YEAR - 1)
    row = _goal_row((built / f"reports/{YEAR}/GM0995.html").read_text(encoding="utf-8"), "meer_ambulant")
    assert _own_value(row) == _dutch(now, 1)
    assert _status_words(row)[0] == ("op koers" if now > before else "niet op koers")
