"""A chart as a figure of a page, rendered twice from one Vega-Lite spec (the charts themselves
are built in report/charts).

- Static: vl-convert compiles the spec and renders it to SVG in one call; the SVG is an image in
  the page (`<img>` with a `data:` URL, so the page stays one file). It is what a reader sees
  without scripts, and always in print. As an image rather than inline markup its thousands of
  elements are not parsed again by nbconvert's HTML pass over the page.
- Interactive: the same Vega-Lite spec travels in the figure as a `<script type="application/json">`
  block; where scripts run, the local runtime (`write_runtime`, loaded as `RUNTIME_URL`, with
  the same Vega-Lite version, VL_VERSION) compiles it and puts a Vega view over the static SVG
  with tooltips and a highlight of one area on hover.

Every value a tooltip shows is also in the chart's data table, formatted the same way
(formatting.number), so nothing is reachable by mouse only. The number and time locale of both
renderings derive from formatting.LOCALE. Output is deterministic: selections and views are
named here, datasets are named by Altair from their content, and SVG ids are renamed from a
hash of the spec (vl-convert numbers clip paths per process).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from jeugdmonitor import paths
from jeugdmonitor.report import vegatemplates
from jeugdmonitor.report.formatting import LOCALE, escape, is_missing

# Vega-Lite version Altair writes; the SVG compile and the browser bundle use the same one
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


D3_LOCALE = LOCALE.replace("_", "-")  # Babel's name -> the d3-format / d3-time-format name


# the runtime lives once per report set, beside the pages that use it: reports/<year>/grafieken/
RUNTIME_DIR = "grafieken"


RUNTIME_FILE = "vega.js"


RUNTIME_URL = f"{RUNTIME_DIR}/{RUNTIME_FILE}"  # relative to a page in reports/<year>/


PAGE_SCRIPT = paths.TEMPLATE_DIR / "jeugdmonitor" / "static" / "grafieken.js"


SELECTION = "jm_gebied"  # hover selection of one area, the same name in every chart


# ------------------------------------------------------------------ locale and rendering
@cache
def locale() -> dict:
    """Vega's locale config (number and time), derived from formatting.LOCALE."""
    return {"number": vl_convert.get_format_locale(D3_LOCALE), "time": vl_convert.get_time_format_locale(D3_LOCALE)}


def shaped(value: object) -> object:
    """A spec's structure without its values: what differs between two reports' charts of one kind
    is data, titles and names, not which properties are set."""
    if isinstance(value, dict):
        return {key: shaped(item) for key, item in value.items() if key != "datasets"}
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):  # a sort order, a domain: values
            return sorted({type(item).__name__ for item in value})
        return [shaped(item) for item in value]
    return type(value).__name__


# Vega-Lite shapes (see shaped) this process has validated against the schema
_validated_shapes: set[str] = set()


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """Altair's debug mode (on by default) serialises every schema object as it is created, only
    to check it; charts are built with it off (Altair's own switch), and vegalite_dict validates
    the whole spec of each structure once, so an invalid chart still fails."""
    with alt.utils.schemapi.debug_mode(False):
        yield


def builds_unchecked(function: Callable) -> Callable:
    @functools.wraps(function)
    def wrapper(*args: object, **kwargs: object) -> object:
        with unchecked():
            return function(*args, **kwargs)
    return wrapper


def vegalite_dict(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec. Altair's schema validation costs more than building the chart,
    and a chart function gives the same structure for every report: a structure is validated the
    first time this process meets it (an invalid chart still fails), not once per report."""
    with unchecked():
        spec = chart.to_dict(validate=False)
    shape = hashlib.sha256(json.dumps(shaped(spec), sort_keys=True).encode()).hexdigest()
    if shape not in _validated_shapes:
        chart.to_dict(validate=True)  # raises the schema error
        _validated_shapes.add(shape)
    return spec


def page_spec(chart: alt.TopLevelMixin | dict) -> dict:
    """The Vega-Lite spec both renderings use, with the locale and without a remote $schema
    (`chart`: an Altair chart or its Vega-Lite dict from vegalite_dict). The page carries this
    spec rather than the compiled Vega: a single vl-convert call then compiles and renders the
    static SVG (a sixth less time per chart than compiling first), and it is a third smaller."""
    spec = dict(chart) if isinstance(chart, dict) else vegalite_dict(chart)
    spec.pop("$schema", None)
    spec["config"] = {**spec.get("config", {}), "locale": locale(),
                      # the figure is one image with a text alternative: no ARIA noise per mark
                      "aria": False,
                      # x axes carry years and numbers, and so do quantitative y axes: labels that are
                      # never cut need no limit, and without one Vega does not measure each label
                      # against it (a tenth of the SVG's rendering time; the SVG is the same)
                      "axisX": {"labelLimit": 0}, "axisQuantitative": {"labelLimit": 0}}
    # vl-convert lays out the static SVG with the fonts it has; a reader's sans-serif may be
    # wider, so labels get room at the edges instead of being cut off there
    spec.setdefault("padding", {"left": 24, "right": 24, "top": 5, "bottom": 5})
    return spec


def spec_key(spec: dict) -> str:
    return "jm" + hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:10]


def chart_svg(spec: dict, key: str) -> str:
    # the spec carries its locale (config.locale, from page_spec): passing it again as arguments
    # gives the same SVG and makes vl-convert set and reset Vega's default locale on every call
    # compiled to Vega once per chart structure, each chart's texts and data filled in (vegatemplates)
    svg = vegatemplates.svg(spec, VL_VERSION)
    # vl-convert numbers clip paths and gradients per process (clip1, clip2, ...): rename them in
    # order of appearance under the chart's own key, so a chart's bytes do not depend on the charts
    # rendered before it
    ids: dict[str, str] = {}
    for found in re.findall(r'\bid="([^"]+)"', svg):
        ids.setdefault(found, f"{key}-{len(ids) + 1}")
    if ids:
        pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
        svg = pattern.sub(lambda m: m.group(1) + ids[m.group(2)], svg)
    return svg


def svg_image(svg: str, label: str) -> str:
    """The SVG as an image in its own document, sized as vl-convert laid it out. The element
    around it is the image for assistive technology (role="img" makes its content presentational);
    the image carries the same text alternative (`label`, escaped) for a tagged PDF, which reads
    the <img> itself."""
    root = svg[:svg.index(">")]
    size = "".join(f' {name}="{match.group(1)}"' for name in ("width", "height")
                   if (match := re.search(rf'\s{name}="([\d.]+)"', root)))
    return f'<img alt="{label}"{size} src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode("ascii")}">'


def json_block(data: dict) -> str:
    """JSON that can sit inside <script>: no '<', '>' or '&' that could end the block."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figure_html(chart: alt.TopLevelMixin, alt_text: str, caption: str | None = None,
                notes: list[str] | None = None, interactive: bool = True) -> str:
    """An accessible figure (WCAG 1.1.1): the static SVG image with a text alternative,
    an empty place for the interactive view (filled by the runtime; hidden in print and without
    scripts), the Vega-Lite spec as a JSON data block, and a caption (`caption`, default `alt_text`)
    with the chart's notes (those the chart functions put in `usermeta`, then `notes`)."""
    vegalite = vegalite_dict(chart)
    spec = page_spec(vegalite)
    key = spec_key(spec)
    label = escape(alt_text)
    all_notes = list((vegalite.get("usermeta") or {}).get("jeugdmonitor", {}).get("noten", [])) + list(notes or [])
    note_html = "".join(f'<span class="jm-grafiek-noot">{escape(n)}</span>' for n in dict.fromkeys(all_notes))
    parts = [f'<figure class="jm-grafiek" id="{key}">',
             f'<div class="jm-grafiek-statisch" role="img" aria-label="{label}">{svg_image(chart_svg(spec, key), label)}</div>']
    if interactive:
        # the Vega view goes in the inner element, which Vega gives its own (English) ARIA role;
        # the outer image with the Dutch text alternative is what assistive technology reads
        parts.append(f'<div class="jm-grafiek-interactief" role="img" aria-label="{label}">'
                     f'<div class="jm-grafiek-vega" aria-hidden="true"></div></div>'
                     f'<script type="application/json" class="jm-grafiek-spec">{json_block({"spec": spec})}</script>')
    parts.append(f"<figcaption>{escape(caption if caption is not None else alt_text)}{note_html}</figcaption></figure>")
    return "".join(parts)


def runtime_header() -> str:
    """The first line of the chart runtime: what it bundles, their licences, and the versions and
    page script it was bundled from. These determine the bundle, so an equal first line means an
    equal runtime."""
    script = PAGE_SCRIPT.read_text(encoding="utf-8")
    return (f"/* jeugdmonitor grafieken: Vega {vl_convert.get_vega_version()}, Vega-Lite {VL_VERSION}, "
            f"vega-embed {vl_convert.get_vega_embed_version()} (BSD-3-Clause, copyright University of Washington "
            f"Interactive Data Lab) and their dependencies (BSD-3-Clause, ISC, MIT), bundled by vl-convert "
            f"{vl_convert.__version__}, with the page script grafieken.js of jeugdmonitor (EUPL-1.2, sha256 "
            f"{hashlib.sha256(script.encode()).hexdigest()}). */\n")


def write_runtime(target_dir: Path) -> Path:
    """Write the interactive runtime (Vega, Vega-Lite, vega-embed and the page script, bundled by
    vl-convert) to `target_dir`/grafieken/vega.js, once per report set; pages in `target_dir`
    load it as RUNTIME_URL. A runtime there with the same first line (runtime_header) is left as
    it is: bundling takes more than a second. A new one replaces the file by rename, so a file it
    shares with the published set (a hard link) is not changed."""
    target = target_dir / RUNTIME_DIR / RUNTIME_FILE
    header = runtime_header()
    if target.exists():
        with target.open(encoding="utf-8") as existing:
            if existing.readline() == header:
                return target
    bundle = vl_convert.javascript_bundle(PAGE_SCRIPT.read_text(encoding="utf-8"), vl_version=VL_VERSION)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(target.name + ".tmp")
    scratch.write_text(header + bundle, encoding="utf-8")
    scratch.replace(target)
    return target


# ------------------------------------------------------------------ shared parts
def inlined(frame: pd.DataFrame) -> dict | pd.DataFrame:
    """A chart's data as the inline values Altair would make of `frame`, built column by column:
    Altair's own sanitising copies and converts the frame cell by cell. Same values, same types
    (missing -> None), same order, so the same dataset name and spec; a column kind not handled
    here leaves the frame to Altair."""
    columns = {}
    for name, column in frame.items():
        kind = column.dtype.kind
        if not isinstance(name, str) or kind not in "fiubOT" and str(column.dtype) not in ("string", "str"):
            return frame
        values = column.astype(object).tolist()
        if column.hasnans:
            values = [None if is_missing(value) else value for value in values]
        columns[name] = values
    return {"values": [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]}
