"""Which pages a run builds: every municipality of the year's regions (or those asked for), a page
per region and the index, each known current or stale from the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.report import templates
from jeugdmonitor.runner.manifest import OK_STATUSES, STALE_STATUS, is_current, is_published, page_inputs
from jeugdmonitor.runner.page import INDEX_KEY, Page
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY


# ------------------------------------------------------------------------------ the run
@dataclass
class Plan:
    """What a run does with each page of the set."""
    keep: list[Page] = field(default_factory=list)  # finished in the staging folder of an interrupted run
    take_over: list[Page] = field(default_factory=list)  # unchanged: from the published set
    stale: list[Page] = field(default_factory=list)  # not selected, inputs changed: kept, marked STALE_STATUS
    build: list[Page] = field(default_factory=list)


def page_of(cfg: config.Config, year: int, kind: str, code: str) -> Page:
    """The page of one municipality (kind LEVEL_MUNICIPALITY) or region ("regio")."""
    register = cfg.register
    if kind == LEVEL_MUNICIPALITY:
        name = register.municipality(code).name
        return Page(code, LEVEL_MUNICIPALITY, paths.REPORT_NOTEBOOK_NAME, {"gemeente": code}, paths.report_page_name(code),
                    templates.word("titel_gemeente", name, year), name,
                    ((paths.APPENDIX_TAG, paths.appendix_page_name(code), templates.word("titel_bijlage", name, year)),))
    name = register.region(code).name
    return Page(code, "regio", paths.REGION_NOTEBOOK_NAME, {"regio": code}, paths.region_page_name(code),
                templates.word("titel_regio", name, year), name)


def pages_of_year(cfg: config.Config, year: int, municipalities: list[str], regions: list[str]) -> list[Page]:
    result = [page_of(cfg, year, LEVEL_MUNICIPALITY, code) for code in municipalities]
    result += [page_of(cfg, year, "regio", code) for code in regions]
    result.append(Page(INDEX_KEY, "index", paths.INDEX_NOTEBOOK_NAME, {"gemeenten": municipalities},
                       paths.INDEX_PAGE_NAME, templates.word("titel_index", year), templates.word("titel_index", year),
                       ((paths.ACCOUNTABILITY_TAG, paths.ACCOUNTABILITY_PAGE_NAME,
                         templates.word("titel_verantwoording", year)),)))
    return result


def choose_municipalities(available: list[str], published: dict[str, Any], only: Sequence[str] | None,
                          limit: int | None) -> tuple[list[str], set[str]]:
    """(the municipalities of the report set, those selected for this run). Without a selection
    the set is every municipality of the year; with one (--only, --limit) it is the selection
    plus every municipality already published, whose pages are kept."""
    if not only and limit is None:
        return list(available), set(available)
    selected = set(only or ())
    if limit is not None:
        selected |= set(available[:limit])
    published_codes = {entry["parameters"].get("gemeente") for entry in published["pagina's"].values()
                       if entry.get("soort") == LEVEL_MUNICIPALITY and entry.get("status") in (*OK_STATUSES, STALE_STATUS)}
    return [code for code in available if code in selected or code in published_codes], selected


def plan_run(year: int, pages_of_set: list[Page], selected: set[str], inputs: dict[str, dict[str, str]],
             published: dict[str, Any], resumed: dict[str, Any], staging: Path, force: bool, everything: bool) -> Plan:
    """Keep, take over or build each page. `force` builds the selected municipalities (and, when
    `everything` is selected, every page) even when unchanged; region pages and the index follow
    their inputs."""
    plan = Plan()
    target = paths.report_dir(year)
    for page in pages_of_set:
        own_inputs = page_inputs(page, inputs)
        chosen = page.kind != LEVEL_MUNICIPALITY or page.key in selected
        if is_current(resumed["pagina's"].get(page.key), page, own_inputs, staging, year):
            plan.keep.append(page)
        elif force and (page.key in selected or everything):
            plan.build.append(page)
        elif is_current(published["pagina's"].get(page.key), page, own_inputs, target, year):
            plan.take_over.append(page)
        elif not chosen and is_published(published["pagina's"].get(page.key), page, target, year):
            plan.stale.append(page)  # not selected: the published page stays until a full run rebuilds it
        else:
            plan.build.append(page)
    return plan
