"""Executed notebook -> standalone HTML page with nbconvert (no code, no prompts, no CDN).

The template loads no remote script and holds no inline executable code. A page with a chart
loads one local script, the report set's chart runtime (figures.RUNTIME_URL, written by
figures.write_runtime); each chart's spec is a `<script type="application/json">` data block.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from jeugdmonitor import paths

TEMPLATE_DIR = paths.TEMPLATE_DIR
TEMPLATE_NAME = "jeugdmonitor"
# notebook-only cells (parameters, section headings for researchers) never reach the HTML
HIDDEN_TAGS = {"parameters", "injected-parameters", "alleen-notebook"}


class RenderError(RuntimeError):
    """The executed notebook holds output that must not reach a reader."""


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without the pass it makes over the finished page with
    BeautifulSoup, which parses and writes out again the whole page (a megabyte of inlined CSS,
    chart images and specs: a sixth of the time a report takes) only to add an English alt text
    to images that have none and a tab stop to every output. Here every image has its text
    alternative from figures.figure_html, and the template gives outputs their tab stop (see
    its data_html block). The filters it registers are HTMLExporter's own."""

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                           **kw: object) -> tuple[str, dict]:
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        self.register_filter("highlight_code", self.filters.get("highlight_code",
                                                                Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@cache
def exporter(hidden_tags: frozenset[str] = frozenset()) -> ReportExporter:
    """One exporter per process and set of hidden tags: its templates and preprocessors are set
    up once (a warm worker renders many pages). Cells tagged with `hidden_tags` (besides
    HIDDEN_TAGS) are left out: they belong to another page made from the same notebook."""
    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.language_code = "nl"
    c.HTMLExporter.embed_images = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = HIDDEN_TAGS | hidden_tags
    return ReportExporter(config=c)


def check_outputs(notebook: nbformat.NotebookNode, source: Path) -> None:
    """Refuse to render errors, warnings or stderr text into a report."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise RenderError(f"{source}: cel {index} heeft een foutuitvoer ({output.get('ename')})")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                raise RenderError(f"{source}: cel {index} schreef naar stderr: {output.get('text', '')[:200]!r}")


def node_to_html(notebook: nbformat.NotebookNode, source: Path, target: Path, title: str, banner: str | None,
                 other_pages: Sequence[tuple[str, Path, str]] = ()) -> Path:
    """Render an executed notebook held in memory (`source`: where it is saved, for messages).
    `other_pages`: (tag, file, title) of pages made of the notebook's cells with that tag (a
    municipality's bijlage, the year's verantwoording); those cells stay off the main page."""
    check_outputs(notebook, source)
    tags = frozenset(tag for tag, _, _ in other_pages)
    _export(notebook, target, title, banner, exporter(tags))
    for tag, file, page_title in other_pages:
        part = nbformat.from_dict({**notebook, "cells": [c for c in notebook.cells if tag in c.metadata.get("tags", ())]})
        _export(part, file, page_title, banner, exporter(tags - {tag}))
    return target


def _export(notebook: nbformat.NotebookNode, target: Path, title: str, banner: str | None,
            page_exporter: ReportExporter) -> None:
    notebook.metadata["title"] = title
    body, _ = page_exporter.from_notebook_node(notebook, resources={"jeugdmonitor": {"banner": banner}})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
