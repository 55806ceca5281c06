"""A quick preview: one municipality report or region overview in reports/voorbeeld/.

`make voorbeeld GEMEENTE=GM0503` (or REGIO=JZ24) builds that one page as the runner would (its
notebook in a warmed kernel, then its HTML), into the scratch folder of notebooks run by hand
(paths.scratch_report_dir). The published set in reports/<jaar>/ and its manifest are not
touched, so a researcher can look at a template or code change within seconds before `make
reports` builds and publishes every page that uses it.
"""

from __future__ import annotations

import time
from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.report import figures, templates
from jeugdmonitor.report.inputs import FICTITIOUS_LABEL, load_inputs
from jeugdmonitor.runner import plan, workers
from jeugdmonitor.runner.kernel import DEFAULT_TIMEOUT, StageError
from jeugdmonitor.runner.page import Page
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY


def preview_page(cfg: config.Config, year: int, municipality: str | None, region: str | None) -> Page:
    """The runner's page for the municipality or region asked for (exactly one of them)."""
    if (municipality is None) == (region is None):
        raise config.ConfigError("geef één pagina: GEMEENTE=GM0503 of REGIO=JZ24")
    if municipality is not None:
        cfg.register.municipality(municipality)  # an unknown code: UnknownMunicipalityError, exit 2
        return plan.page_of(cfg, year, LEVEL_MUNICIPALITY, municipality)
    cfg.register.region(region)
    return plan.page_of(cfg, year, "regio", region)


def build_preview(year: int, municipality: str | None = None, region: str | None = None,
                  timeout: float | None = DEFAULT_TIMEOUT) -> Path:
    """Build one page into reports/voorbeeld/ and return its HTML file. Fails with the page's
    error (StageError, as a run of the runner does) and publishes nothing."""
    started = time.perf_counter()
    templates.check_templates()  # a template's syntax error: its file and line, before the kernel starts
    inputs = load_inputs(year)
    page = preview_page(inputs.cfg, year, municipality, region)
    out = paths.scratch_report_dir()
    out.mkdir(parents=True, exist_ok=True)
    figures.write_runtime(out)  # the chart runtime the page loads, beside it
    banner = FICTITIOUS_LABEL if inputs.fictitious else None
    workers.start_worker(year)
    try:
        result = workers.build_page(year, page, str(out), banner, timeout)
    finally:
        workers.stop_worker()
    if not result.ok:
        raise StageError(f"voorbeeld van {page.key} {page.name} is mislukt: {result.error}\n    uitgevoerd notebook: "
                         f"{paths.display_path(paths.executed_notebook_dir(out) / page.executed_name)}",
                         ename=result.ename)
    html = out / page.page
    print(f"voorbeeld van {page.key} {page.name} ({time.perf_counter() - started:.1f} s), niet gepubliceerd: "
          f"{paths.display_path(html)}")
    return html
