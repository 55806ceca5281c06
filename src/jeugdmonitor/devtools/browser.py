"""Open built pages in headless Chromium with the network cut: what a reader's browser shows.

One job: load a page from reports/<year>/ the way a reader's browser does and record what
happened (console errors, failed requests, every request that would leave the machine,
axe-core's WCAG 2.1 A/AA findings, the headings, the charts), and take screenshots.
tests/integration/test_browser.py asserts on the record; `make screenshots` writes the
README's pictures with `python -m jeugdmonitor.devtools.browser screenshots`.

The browser is Debian's Chromium (`make browser-deps` installs it), driven by Playwright
for Python without Playwright's own browser download. Chromium runs in a network namespace
of its own (`unshare -n`: no interface but a loopback that is down) wherever the machine
allows it, and every request that is not file:, data: or blob: is recorded and aborted
either way, so no page can load anything from outside the machine. Its profile lives in a
temporary folder that is deleted when the browser closes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from jeugdmonitor import paths

AXE_SCRIPT = Path("node_modules") / "axe-core" / "axe.min.js"  # from package-lock.json (npm ci)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
VIEWPORT = {"width": 1200, "height": 900}
# defaults of the DOM contract; the browser test passes its own (constants at its top).
# The interactive chart runtime is a local file under reports/<year>/grafieken/; a page that
# loads it with <script src=...> must show the interactive view of each chart once scripts ran.
INTERACTIVE_RUNTIME = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*grafieken/[^\"]*\"", re.I)
# inside each figure.jm-grafiek: the view the runtime drew (figures.figure_html; jm-actief once drawn)
INTERACTIVE_VIEW = ".jm-grafiek.jm-actief .jm-grafiek-interactief svg, .jm-grafiek.jm-actief .jm-grafiek-interactief canvas"
CHART = "figure.jm-grafiek"


class BrowserError(RuntimeError):
    """The browser or axe-core is not installed, or a page could not be opened."""


@dataclass
class Visit:
    """What happened when one page was opened."""

    path: Path
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)  # not file:/data:/blob: (aborted)
    violations: list[dict[str, Any]] = field(default_factory=list)  # axe-core, WCAG 2.1 A and AA
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text) in document order
    charts: list[dict[str, Any]] = field(default_factory=list)  # per figure.jm-grafiek
    page_done: bool = False  # loaded, scripts ran and the checks read the page; then axe-core runs
    uses_interactive_runtime: bool = False
    interactive_timed_out: bool = False  # the runtime did not draw every chart within the wait
    visible_text: str = ""
    summary: list[dict[str, Any]] | None = None  # #samenvatting .jm-doel items; None: no #samenvatting

    def describe_violations(self) -> str:
        lines = []
        for v in self.violations:
            targets = "; ".join(", ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                                for node in v["nodes"][:8])
            more = f" (+{len(v['nodes']) - 8} meer)" if len(v["nodes"]) > 8 else ""
            lines.append(f"  {v['id']} [{v.get('impact')}] {v['help']} ({v['helpUrl']})\n    op: {targets}{more}")
        return f"{self.path}: {len(self.violations)} axe-overtreding(en)\n" + "\n".join(lines)


def chromium_path() -> Path:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise BrowserError("chromium is niet geïnstalleerd: voer `make browser-deps` uit (als root: installeert Debians chromium)")
    return Path(found)


def axe_script(root: Path | None = None) -> Path:
    script = (root or paths.PROJECT_ROOT) / AXE_SCRIPT
    if not script.exists():
        raise BrowserError(f"{script} ontbreekt: voer `make browser-deps` uit (npm ci uit package-lock.json)")
    return script


def network_namespace_tool() -> str | None:
    """The `unshare` command when it may create a network namespace here (root, or user
    namespaces allowed), else None (requests are then only recorded and aborted)."""
    unshare = shutil.which("unshare")
    if not unshare:
        return None
    result = subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=10, check=False)
    return unshare if result.returncode == 0 else None


_VISIT_SCRIPT = """
([chart, interactiveView]) => {
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .map(h => [Number(h.tagName[1]), h.textContent.trim()]);
  const charts = [...document.querySelectorAll(chart)].map((figure, index) => {
    const drawn = [...figure.querySelectorAll('img, svg, canvas')].filter(el => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
    return {index, caption: (figure.querySelector('figcaption') || {}).textContent || '',
            static_image: figure.querySelectorAll('.jm-grafiek-statisch img[src^="data:image/svg+xml"]').length,
            drawn: drawn.length,
            interactive: figure.querySelectorAll(interactiveView).length};
  });
  const box = document.querySelector('#samenvatting');
  const summary = box === null ? null : [...box.querySelectorAll('.jm-doel')].map(item => ({
    text: item.textContent.trim(),
    statuses: [...item.querySelectorAll('.jm-status')].map(s => s.textContent.trim()),
  }));
  return {headings, charts, summary, text: document.body.innerText};
}
"""


class OfflineBrowser:
    """Headless Chromium without network. Use as a context manager; `visit` each page."""

    def __init__(self, axe: Path | None = None, chart: str = CHART, interactive_view: str = INTERACTIVE_VIEW,
                 interactive_runtime: re.Pattern[str] = INTERACTIVE_RUNTIME) -> None:
        self.axe = axe_script() if axe is None else axe
        self.chart, self.interactive_view, self.interactive_runtime = chart, interactive_view, interactive_runtime
        self.executable = chromium_path()
        self.unshare = network_namespace_tool()
        self.isolated = self.unshare is not None  # Chromium in a network namespace of its own
        self._workdir: tempfile.TemporaryDirectory[str] | None = None
        self._playwright: Any = None
        self._browser: Any = None

    def _offline_executable(self, work: Path) -> Path:
        """Chromium, started in a network namespace of its own when `unshare` can make one: a
        wrapper script in `work` (Playwright talks to Chromium over a pipe: no socket is needed)."""
        if not self.unshare:
            return self.executable
        wrapper = work / "chromium-offline"
        wrapper.write_text(f'#!/bin/sh\nexec "{self.unshare}" -n -- "{self.executable}" "$@"\n', encoding="utf-8")
        wrapper.chmod(0o700)
        return wrapper

    def __enter__(self) -> OfflineBrowser:
        """Start Chromium with its home in a temporary folder, without background network traffic."""
        self._workdir = tempfile.TemporaryDirectory(prefix="jeugdmonitor-browser-")
        work = Path(self._workdir.name)
        executable = self._offline_executable(work)
        home = work / "home"  # Chromium writes caches and crash reports under $HOME: keep them here
        home.mkdir()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(executable), headless=True,
                env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "nl_NL.UTF-8", "TZ": "UTC"},
                args=["--disable-background-networking", "--disable-component-update", "--no-first-run",
                      "--disable-crash-reporter", "--disable-breakpad", "--lang=nl-NL"])
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    @contextmanager
    def page(self, path: Path, visit: Visit | None = None, viewport: dict[str, int] | None = None) -> Iterator[Any]:
        """A tab showing `path`, every event recorded in `visit`."""
        if self._browser is None:
            raise BrowserError("OfflineBrowser gebruikt buiten zijn `with`-blok")
        if not path.is_file():
            raise BrowserError(f"{path} bestaat niet")
        record = visit if visit is not None else Visit(path)
        context = self._browser.new_context(viewport=viewport or VIEWPORT, locale="nl-NL", timezone_id="UTC",
                                            offline=True, service_workers="block")
        _block_outside_requests(context, record)
        page = context.new_page()
        _record_page_events(page, record)
        try:
            page.goto(path.resolve().as_uri(), wait_until="load")
            yield page
        finally:
            context.close()

    def reading(self, path: Path, width: int, height: int = 844, first: str = ".jm-doel .jm-status") -> dict[str, Any]:
        """What a reader at `width` px sees: the text that is clipped or needs the page to scroll
        sideways (text in a box that scrolls on its own is fine), and whether the first `first`
        element lies on the first screen, fully visible."""
        with self.page(path, viewport={"width": width, "height": height}) as page:
            page.wait_for_load_state("networkidle")
            return page.evaluate(_READING_SCRIPT, first)

    def visit(self, path: Path, screenshot: Path | None = None, full_page: bool = True,
              interactive_timeout_ms: int = 15_000) -> Visit:
        """Open `path`, let its scripts run, and record everything the checks need."""
        record = Visit(path)
        with self.page(path, record) as page:
            html = path.read_text(encoding="utf-8")
            record.uses_interactive_runtime = bool(self.interactive_runtime.search(html))
            if record.uses_interactive_runtime:
                self._wait_for_interactive_charts(page, record, interactive_timeout_ms)
            page.wait_for_load_state("networkidle")
            self._record_contents(page, record)
            record.page_done = True
            self._record_violations(page, record)
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=full_page, animations="disabled")
        return record

    def _wait_for_interactive_charts(self, page: Any, record: Visit, timeout_ms: int) -> None:
        """Wait until the runtime has drawn every chart; it draws asynchronously, and a chart it
        never draws fails the check on `record.charts`, so a timeout is only recorded."""
        try:
            page.wait_for_function(
                "([c, v]) => [...document.querySelectorAll(c)].every(f => f.querySelector(v))",
                arg=[self.chart, self.interactive_view], timeout=timeout_ms)
        except PlaywrightTimeout:
            record.interactive_timed_out = True

    def _record_contents(self, page: Any, record: Visit) -> None:
        """The page's headings, charts, summary and visible text, as the checks read them."""
        found = page.evaluate(_VISIT_SCRIPT, [self.chart, self.interactive_view])
        record.headings = [(int(level), text) for level, text in found["headings"]]
        record.charts = found["charts"]
        record.summary = found["summary"]
        record.visible_text = found["text"]

    def _record_violations(self, page: Any, record: Visit) -> None:
        """axe-core's WCAG violations on the page."""
        page.add_script_tag(path=str(self.axe))
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", WCAG_TAGS)
        record.violations = result["violations"]


def _block_outside_requests(context: Any, record: Visit) -> None:
    """Abort every request that would leave the machine, recording its URL once in `record`
    (local files are not intercepted at all)."""

    def leaves_the_machine(url: str) -> bool:
        return not url.startswith(LOCAL_SCHEMES)

    def abort(request_route: Any) -> None:
        if request_route.request.url not in record.outside_requests:
            record.outside_requests.append(request_route.request.url)
        request_route.abort("internetdisconnected")

    context.route(leaves_the_machine, abort)


def _record_page_events(page: Any, record: Visit) -> None:
    """Record the page's own errors, failed requests and requests that leave the machine.
    axe-core's attempts to read file:// stylesheets (which a browser refuses from a file://
    page) come after record.page_done and are not the page's."""
    page.on("console", lambda m: record.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
            if m.type == "error" and not record.page_done else None)
    page.on("pageerror", lambda error: None if record.page_done else record.console_errors.append(f"niet afgevangen: {error}"))
    page.on("requestfailed", lambda r: None if record.page_done else record.failed_requests.append(f"{r.url}: {r.failure}"))
    page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES) or r.url in record.outside_requests
            else record.outside_requests.append(r.url))


# every text node whose box is cut off by an ancestor that hides overflow, or lies beyond the
# screen's width, unless an ancestor that fits the screen scrolls sideways on its own (a wide
# table's .jm-tabelvak; not the page itself);
# text hidden on purpose (display:none, visibility:hidden, a clip for screen readers) is skipped
_READING_SCRIPT = """(first) => {
  const width = document.documentElement.clientWidth, clipped = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const hidden = (el) => { for (let a = el; a; a = a.parentElement) { const cs = getComputedStyle(a);
    if (cs.display === 'none' || cs.visibility === 'hidden' || (cs.clip && cs.clip !== 'auto')) return true; } return false; };
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || hidden(el)) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width === 0) continue;
      let cut = false, scrolls = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const cs = getComputedStyle(a), box = a.getBoundingClientRect();
        const fits = box.right <= width + 1 && box.left >= -1, outside = r.right > box.right + 1 || r.left < box.left - 1;
        if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && a.tagName !== 'MAIN' && fits) { scrolls = true; break; }
        if ((cs.overflowX === 'hidden' || cs.overflowX === 'clip') && outside) { cut = true; break; }
      }
      if (cut || (!scrolls && (r.right > width + 1 || r.left < -1))) { clipped.push(node.textContent.trim().slice(0, 80)); break; }
    }
  }
  const target = document.querySelector(first);
  let onFirstScreen = null;
  if (target) { const r = target.getBoundingClientRect();
    onFirstScreen = r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= width; }
  return {clipped, onFirstScreen, pageWidth: document.documentElement.scrollWidth, width};
}"""


# ------------------------------------------------------------------------------ screenshots
def screenshot_pages(report_dir: Path) -> dict[str, Path]:
    """The pages the README shows: one municipality report, one region overview (when the
    run made them) and the index."""
    pages = {"gemeenterapport": report_dir / "GM1963.html", "index": report_dir / "index.html"}
    regions = sorted(report_dir.glob("regio-*.html"))
    if regions:
        pages["regio-overzicht"] = regions[0]
    missing = [str(p) for p in pages.values() if not p.exists()]
    if missing:
        raise BrowserError(f"niet gebouwd: {', '.join(missing)} (voer eerst `make reports` uit)")
    return pages


def write_screenshots(report_dir: Path, out_dir: Path, full_page: bool = False) -> list[Path]:
    """A PNG per page of screenshot_pages in `out_dir`: the top of the page (viewport) by
    default, so the fictitious-data label shows and the files stay small."""
    written = []
    with OfflineBrowser() as browser:
        for name, page in screenshot_pages(report_dir).items():
            target = out_dir / f"{name}.png"
            visit = browser.visit(page, screenshot=target, full_page=full_page)
            if "Fictieve voorbeelddata" not in visit.visible_text and "fictieve voorbeelddata" not in visit.visible_text.lower():
                raise BrowserError(f"{page}: het label fictieve voorbeelddata is niet zichtbaar; schermafdruk niet bewaard")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jeugdmonitor.devtools.browser",
                                     description="gebouwde pagina's openen in Chromium zonder netwerk: schermafdrukken")
    sub = parser.add_subparsers(dest="command", required=True)
    shots = sub.add_parser("screenshots", help="schermafdrukken van de gebouwde pagina's van een jaar (plaatjes in de README)")
    shots.add_argument("--year", type=int, required=True)
    shots.add_argument("--out", type=Path, required=True, help="map voor de PNG-bestanden (binnen het project)")
    shots.add_argument("--full-page", action="store_true")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if not out.is_relative_to(paths.PROJECT_ROOT):
        print(f"FOUT: {out} ligt buiten het project {paths.PROJECT_ROOT}", file=sys.stderr)
        return 2
    try:
        for path in write_screenshots(paths.report_dir(args.year), out, args.full_page):
            print(path.relative_to(paths.PROJECT_ROOT))
    except BrowserError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
