"""The index and the region overviews on a phone (390 px wide): no text cut off, the answer on
the first screen, and the index's filter and search working offline (headless Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jeugdmonitor import browser as browser_module

from .conftest import YEAR

pytestmark = pytest.mark.integration

PHONE = {"width": 390, "height": 844}

# Text a reader cannot see or reach: outside the screen or outside an ancestor that clips it.
# Text inside a scroll container is reachable (the container scrolls); visually hidden text for
# screen readers (.jm-onzichtbaar) is meant not to be seen.
CLIPPED_TEXT = r"""() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element.getClientRects().length || element.closest('.jm-onzichtbaar')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (!box.width) continue;
    let ancestor = element, scrolls = false, clippedBy = null;
    while (ancestor && ancestor !== document.documentElement) {
      const overflow = getComputedStyle(ancestor).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
      if (overflow === 'hidden' || overflow === 'clip') {
        const edge = ancestor.getBoundingClientRect();
        if (box.left < edge.left - 1 || box.right > edge.right + 1) { clippedBy = ancestor; break; }
      }
      ancestor = ancestor.parentElement;
    }
    if (scrolls) continue;
    if (clippedBy || box.left < -1 || box.right > width + 1) {
      found.push(`${element.tagName.toLowerCase()}: ${node.textContent.trim().slice(0, 60)}`);
    }
  }
  return {clipped: found, pageWidth: document.documentElement.scrollWidth, width};
}"""


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
        with chromium.page(path) as page:
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            result = page.evaluate(CLIPPED_TEXT)
        assert result["clipped"] == [], f"{path.name}: text cut off at {width} px"
        assert result["pageWidth"] <= result["width"], f"{path.name}: the page itself scrolls sideways at {width} px"


def test_region_overview_answers_on_the_first_screen_of_a_phone(built, chromium):
    for path in sorted((built / "reports" / str(YEAR)).glob("regio-*.html")):
        with chromium.page(path) as page:
            page.set_viewport_size(PHONE)
            box = page.locator(".jm-antwoord").bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"{path.name}: {box}"


def _shown(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('tr.jm-gemeente')]"
                         ".filter(r => r.getClientRects().length).map(r => r.dataset.naam)")


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
    with chromium.page(page_file) as page:
        page.set_viewport_size(PHONE)
        result = page.evaluate(CLIPPED_TEXT)
    assert result["clipped"] == ["p: Voortgangsrapportages jeugdhulp in een heel lange regel", "span: buiten beeld"]
    assert result["pageWidth"] > result["width"]
