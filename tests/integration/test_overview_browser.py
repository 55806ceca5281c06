"""The index and the region overviews on a phone (390 px wide): no text cut off, the answer on
the first screen, and the index's filter and search working offline (headless Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jeugdmonitor.devtools import browser as browser_module

from .conftest import YEAR

pytestmark = pytest.mark.integration

PHONE = {"width": 390, "height": 844}

def _pages(built: Path) -> list[Path]:
    out = built / "reports" / str(YEAR)
    found = [out / "index.html", *sorted(out.glob("regio-*.html"))]
    assert len(found) >= 5, found
    return found


@pytest.fixture(scope="module")
def chromium():
    with browser_module.OfflineBrowser() as offline:
        yield offline


@pytest.mark.parametrize("width", [320, PHONE["width"], 1280])
def test_no_text_is_cut_off_from_a_small_phone_to_a_laptop(built, chromium, width):
    for path in _pages(built):
        result = chromium.reading(path, width, PHONE["height"])  # the same check as the municipality pages'
        assert result["clipped"] == [], f"{path.name}: text cut off at {width} px: {result['clipped'][:5]}"
        assert result["pageWidth"] <= result["width"], f"{path.name}: the page itself scrolls sideways at {width} px"


def test_region_overview_answers_on_the_first_screen_of_a_phone(built, chromium):
    for path in sorted((built / "reports" / str(YEAR)).glob("regio-*.html")):
        with chromium.page(path) as page:
            page.set_viewport_size(PHONE)
            box = page.locator(".jm-antwoord").bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"{path.name}: {box}"


def _shown(page) -> list[str]:
    """The municipalities shown, each once (it has a row in its region's goals and key figures tables)."""
    return page.evaluate("() => [...new Set([...document.querySelectorAll('tr.jm-gemeente')]"
                         ".filter(r => r.getClientRects().length).map(r => r.dataset.naam))]")


def test_index_filter_by_region_and_search_by_name_work_offline(built, chromium):
    index = built / "reports" / str(YEAR) / "index.html"
    visit = browser_module.Visit(index)
    with chromium.page(index, visit) as page:
        page.set_viewport_size(PHONE)
        page.wait_for_selector("form.jm-zoeken:not([hidden])")
        everyone = _shown(page)
        assert len(everyone) >= 30
        page.fill("#jm-zoek-naam", "s grav")  # apostrophe and hyphen do not matter
        assert _shown(page) == ["'s-Gravenhage"]
        assert page.locator(".jm-zoek-aantal").inner_text() == "1"
        assert page.locator("section.jm-regio:visible").count() == 1
        page.fill("#jm-zoek-naam", "")
        page.select_option("#jm-zoek-regio", "JZ08")
        flevoland = _shown(page)
        assert 1 < len(flevoland) < len(everyone) and "Almere" in flevoland and "Delft" not in flevoland
        page.fill("#jm-zoek-naam", "xyz")
        assert _shown(page) == [] and page.locator(".jm-zoek-geen").is_visible()
    assert visit.console_errors == [] and visit.failed_requests == [] and visit.outside_requests == []


def test_index_shows_everything_without_its_script(built, chromium, tmp_path):
    """Without zoeken.js (blocked, or not yet loaded) every municipality shows and no control that does nothing."""
    out = built / "reports" / str(YEAR)
    page_copy = tmp_path / "index.html"
    page_copy.write_text((out / "index.html").read_text(encoding="utf-8"), encoding="utf-8")  # no zoeken.js beside it
    with chromium.page(page_copy) as page:
        assert not page.locator("form.jm-zoeken").is_visible()
        assert len(_shown(page)) >= 30


def test_the_clipping_check_catches_cut_off_text(chromium, tmp_path):
    page_file = tmp_path / "smal.html"
    page_file.write_text('<!DOCTYPE html><html lang="nl"><body><div style="overflow-x:hidden;width:200px">'
                         '<p style="white-space:nowrap">Voortgangsrapportages jeugdhulp in een heel lange regel</p></div>'
                         '<div style="overflow-x:auto;width:200px"><p style="white-space:nowrap">Deze regel schuift mee '
                         'in zijn eigen vak</p></div><span style="position:absolute;left:500px">buiten beeld</span>'
                         '</body></html>', encoding="utf-8")
    result = chromium.reading(page_file, PHONE["width"], PHONE["height"])
    assert result["clipped"] == ["Voortgangsrapportages jeugdhulp in een heel lange regel", "buiten beeld"]
    assert result["pageWidth"] > result["width"]


WIDER_THAN_THEIR_BOX = ("() => [...document.querySelectorAll('.jm-index-tabel')]"
                        ".filter(t => t.closest('.jm-tabelvak').scrollWidth > t.closest('.jm-tabelvak').clientWidth)"
                        ".map(t => t.caption.textContent)")


def test_the_index_tables_read_as_one_block_per_municipality_on_a_phone(built, chromium):
    """On a phone each region's tables are columns of blocks, one per municipality, every figure
    named beside it: nothing to scroll sideways, no status without the goal it belongs to. On a
    laptop they are tables that fit its width: the key figures are no longer hidden to the right."""
    index = built / "reports" / str(YEAR) / "index.html"
    with chromium.page(index) as page:
        page.set_viewport_size(PHONE)
        wide = page.evaluate(WIDER_THAN_THEIR_BOX)
        assert wide == [], f"tables wider than a phone: {wide}"
        cells = page.evaluate("() => [...document.querySelectorAll('.jm-index-tabel tr.jm-gemeente td')]"
                              ".filter(td => td.getClientRects().length)"
                              ".map(td => getComputedStyle(td, '::before').content)")
        assert len(cells) > 100 and all(label.startswith('"') and label.endswith(': "') for label in cells), cells[:5]
        assert any(label.startswith('"Doel 1') for label in cells)
        page.set_viewport_size({"width": 1280, "height": 844})  # on a laptop it is a table with column headers
        assert page.locator(".jm-index-tabel thead").first.is_visible()
        wide = page.evaluate(WIDER_THAN_THEIR_BOX)
        assert wide == [], f"tables that scroll sideways on a laptop: {wide}"
