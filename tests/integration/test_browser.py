"""The built pages as a reader's browser shows them: headless Chromium with the network cut.

Every page type of the run (a municipality report, the index, the Data Docs index and every
region overview regio-*.html) is opened once (jeugdmonitor.devtools.browser) and checked: no axe-core
violation of WCAG 2.1 A and AA, no console error, no failed request and no request leaving
the machine, every chart drawn, headings in order, the fictitious-data label visible, and
the municipality report's summary naming a goal status. Screenshots of a municipality
report, a region overview and the index are kept as artefacts (folder printed at the end;
JEUGDMONITOR_ARTEFACTS chooses it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jeugdmonitor import vocabulary
from jeugdmonitor.devtools import browser as browser_module

from .conftest import YEAR

pytestmark = pytest.mark.integration

MUNICIPALITY = "GM1963"  # the municipality report that is opened (Hoeksche Waard)
# The lead builds a region overview per jeugdregio (reports/<year>/regio-<JZcode>.html). Every
# one present is checked; flip this to True once they are part of every run, so that their
# absence fails instead of skipping.
REQUIRE_REGION_PAGES = True
FICTITIOUS = "Fictieve voorbeelddata"
# DOM contract of the pages (also in the final report to the lead)
# each chart (holds a static <svg> for print and PDF), and its interactive view, asserted only on
# a page whose HTML loads the local chart runtime (a <script src=...> under grafieken/)
CHART = browser_module.CHART
INTERACTIVE_VIEW = browser_module.INTERACTIVE_VIEW
INTERACTIVE_RUNTIME = browser_module.INTERACTIVE_RUNTIME
SUMMARY = "#samenvatting"  # municipality report: the summary block
SUMMARY_ITEM = ".jm-doel"  # one goal in it, holding a .jm-status with a word from vocabulary.GOAL_STATUSES
PAGE_KINDS = ("gemeenterapport", "bijlage", "index", "verantwoording", "datadocs", "regio")
SCREENSHOTS = {"gemeenterapport", "index", "regio"}  # the first page of each kind


def pages_of(kind: str, built: Path) -> list[Path]:
    out = built / "reports" / str(YEAR)
    if kind == "regio":
        found = sorted(out.glob("regio-*.html"))
        if not found:
            if REQUIRE_REGION_PAGES:
                pytest.fail(f"no region overview page regio-*.html in {out} (REQUIRE_REGION_PAGES is set)")
            pytest.skip(f"no region overview page regio-*.html in {out} yet (REQUIRE_REGION_PAGES is off)")
        return found
    page = {"gemeenterapport": out / f"{MUNICIPALITY}.html", "bijlage": out / f"{MUNICIPALITY}-bijlage.html",
            "index": out / "index.html", "verantwoording": out / "verantwoording.html",
            "datadocs": out / "datadocs" / "index.html"}[kind]
    assert page.is_file(), f"{page} was not built"
    return [page]


def say(request, line: str) -> None:
    """A line on the terminal, past pytest's output capture (where the artefacts are)."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)


@pytest.fixture(scope="module")
def artefacts(request, tmp_path_factory) -> Path:
    chosen = os.environ.get("JEUGDMONITOR_ARTEFACTS")
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("browser-artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    say(request, f"browser test artefacts (screenshots): {folder}")


@pytest.fixture(scope="module")
def offline_browser(request):
    with browser_module.OfflineBrowser(chart=CHART, interactive_view=INTERACTIVE_VIEW,
                                       interactive_runtime=INTERACTIVE_RUNTIME) as chromium:
        yield chromium
    how = "in its own network namespace (unshare -n)" if chromium.isolated else "without a network namespace (unshare -n not allowed here)"
    say(request, f"browser: {chromium.executable} {how}; every non-local request recorded and aborted")


@pytest.fixture(scope="module")
def visits(built, offline_browser, artefacts):
    """kind -> the visits of its pages; each page is opened once for all the checks."""
    done: dict[str, list[browser_module.Visit]] = {}

    def visit(kind: str) -> list[browser_module.Visit]:
        if kind not in done:
            found = []
            for number, page in enumerate(pages_of(kind, built)):
                shot = artefacts / f"{kind}-{page.stem}.png" if kind in SCREENSHOTS and number == 0 else None
                found.append(offline_browser.visit(page, screenshot=shot))
            done[kind] = found
        return done[kind]

    return visit


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_loads_nothing_from_outside_and_logs_no_error(visits, kind):
    for visit in visits(kind):
        assert visit.outside_requests == [], f"{visit.path}: requests that would leave the machine"
        assert visit.failed_requests == [], f"{visit.path}: failed requests"
        assert visit.console_errors == [], f"{visit.path}: console errors"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_wcag21_a_or_aa_violation(visits, kind):
    found = [visit.describe_violations() for visit in visits(kind) if visit.violations]
    if found:
        print("\n\n".join(found))
    assert not found, "\n\n".join(found)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_chart_is_drawn(visits, kind):
    for visit in visits(kind):
        least = {"gemeenterapport": 2, "bijlage": 7}.get(kind, 0)  # a chart per goal; the bijlage one per indicator
        assert len(visit.charts) >= least, f"{visit.path}: {len(visit.charts)} charts ({CHART})"
        for chart in visit.charts:
            where = f"{visit.path}: chart {chart['index'] + 1} ({chart['caption'][:60]!r})"
            assert chart["static_image"] == 1, f"{where} has no static SVG image (print)"
            assert chart["drawn"] >= 1, f"{where} shows no image, svg or canvas of any size"
            if visit.uses_interactive_runtime:
                assert not visit.interactive_timed_out and chart["interactive"] >= 1, \
                    f"{where}: the page loads the chart runtime but shows no interactive view ({INTERACTIVE_VIEW})"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_headings_start_with_one_h1_and_skip_no_level(visits, kind):
    for visit in visits(kind):
        levels = [level for level, _ in visit.headings]
        assert levels and levels[0] == 1, f"{visit.path}: first heading is {visit.headings[:1]}, not an h1"
        assert levels.count(1) == 1, f"{visit.path}: {levels.count(1)} h1 headings"
        for (before, _), (level, text) in zip(visit.headings, visit.headings[1:], strict=False):
            assert level <= before + 1, f"{visit.path}: h{level} {text!r} follows an h{before}"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_fictitious_data_label_is_visible(visits, kind):
    for visit in visits(kind):
        assert FICTITIOUS in visit.visible_text, f"{visit.path}: {FICTITIOUS!r} is not visible"


def test_municipality_summary_gives_each_goal_a_status(visits):
    (visit,) = visits("gemeenterapport")
    if visit.summary is None:
        pytest.skip(f"{visit.path} has no {SUMMARY} block yet (the lead is adding the summary)")
    assert visit.summary, f"{visit.path}: {SUMMARY} holds no {SUMMARY_ITEM} item"
    for item in visit.summary:
        assert item["statuses"], f"{visit.path}: {SUMMARY} {SUMMARY_ITEM} {item['text'][:80]!r} has no .jm-status"
        for status in item["statuses"]:
            assert status in vocabulary.GOAL_STATUSES, \
                f"{visit.path}: status {status!r} of {item['text'][:80]!r} is not one of {vocabulary.GOAL_STATUSES}"


def test_screenshots_are_kept_as_artefacts(built, visits, artefacts):
    kinds = ["gemeenterapport", "index"] + (["regio"] if list((built / "reports" / str(YEAR)).glob("regio-*.html")) else [])
    for kind in kinds:
        visits(kind)
        (shot,) = artefacts.glob(f"{kind}-*.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, shot


# ------------------------------------------------------------------ the checks themselves can fail
BAD_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>fout</title></head><body>
<h2>Geen h1</h2><h4>overgeslagen niveau</h4>
<p style="color:#bbb;background:#fff">te weinig contrast</p>
<img src="https://voorbeeld.invalid/logo.png">
<script>console.error("kapot"); fetch("http://127.0.0.1:9/");</script>
<figure class="jm-grafiek"><figcaption>geen grafiek</figcaption></figure>
<script src="grafieken/ontbreekt.js"></script>
</body></html>"""


def test_the_checks_catch_a_bad_page(offline_browser, tmp_path):
    page = tmp_path / "fout.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    visit = offline_browser.visit(page, interactive_timeout_ms=1_000)
    assert "https://voorbeeld.invalid/logo.png" in visit.outside_requests
    assert "http://127.0.0.1:9/" in visit.outside_requests, "not even the loopback is reachable"
    assert any("grafieken/ontbreekt.js" in failed for failed in visit.failed_requests), visit.failed_requests
    assert any("kapot" in error for error in visit.console_errors)
    assert visit.uses_interactive_runtime and visit.interactive_timed_out, "the runtime drew no interactive view"
    rules = {v["id"] for v in visit.violations}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= rules, rules
    assert "image-alt" in visit.describe_violations() and "img" in visit.describe_violations()
    assert [level for level, _ in visit.headings] == [2, 4]
    assert visit.charts == [{"index": 0, "caption": "geen grafiek", "static_image": 0, "drawn": 0, "interactive": 0}]
    assert FICTITIOUS not in visit.visible_text
