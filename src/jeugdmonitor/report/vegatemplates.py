"""Static chart SVGs from Vega compiled once per chart structure, each chart's texts and data filled in.

vl-convert renders a chart's static SVG (figures.chart_svg) from its Vega-Lite spec in two steps:
compiling Vega-Lite to Vega (about a quarter of its CPU time) and rendering the Vega spec. Charts
of one kind differ between pages in their data and in a few texts (area names in a sort order or
a scale's domain, titles, notes), not in structure. So a structure is compiled once per process,
with those texts and the dataset names replaced by tokens; each chart gets a copy with its own
texts and data values filled in, and only the Vega rendering is paid per chart.

Guarantees: the filled Vega spec equals a full compile of the chart's spec. Each structure's
first two uses are checked against a full compile, and a difference raises TemplateMismatch;
texts that the compiler could escape or quote (quotes, backslashes, control characters) are
never tokenised: such a chart is compiled in full. `disabled()` switches the templates off (the
benchmark and the tests compare pages and CPU time with and without them).
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import vl_convert

TOKEN = "jmtoken{}x"
_TOKEN_PATTERN = re.compile(r"jmtoken(\d+)x")
DATA_MARK = "jmdata{}x"
_DATA_PATTERN = re.compile(r'"jmdata(\d+)x"')
# string values under these keys are texts the compiler copies, never reads
TEXT_KEYS = frozenset({"title", "description", "text"})
# a condition's test is an expression: only its string literals are texts ('datum.value === "Delft"')
TEST_KEY = "test"
_LITERAL = re.compile(r'"([^"\\]*)"')
# lists of values (not field names) whose strings the compiler copies: sort orders, scale domains
VALUE_LIST_KEYS = frozenset({"sort", "domain"})
# a text with one of these could be escaped differently inside a compiled expression
_UNSAFE = re.compile(r'["\\\x00-\x1f\u2028\u2029]|jmtoken|jmdata')
CHECKED_USES = 2  # the first uses of a structure that are compared with a full compile

enabled = True
stats: Counter = Counter()  # compiled, reused, checked, full (no template), CPU seconds per step and per kind of chart


class TemplateMismatch(RuntimeError):
    """A chart's Vega spec filled in from its structure differs from a full compile."""


@dataclass
class _Template:
    text: str  # the compiled Vega spec as JSON, with tokens and data markers
    uses: int = 0


_templates: dict[str, _Template] = {}


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Compile every chart in full, as without this module (for comparisons)."""
    global enabled
    before, enabled = enabled, False
    try:
        yield
    finally:
        enabled = before


def svg(spec: dict, vl_version: str) -> str:
    """The static SVG of the Vega-Lite `spec`, the same as vl_convert.vegalite_to_svg(spec)."""
    kind = str(spec.get("description", "")).split(":")[0] or "?"  # Lijngrafiek, Stippengrafiek, Kaart
    before = stats["cpu_full"] + stats["cpu_render"]
    if not enabled:
        svg = _timed("full", vl_convert.vegalite_to_svg, spec, vl_version=vl_version)
    else:
        svg = _timed("render", vl_convert.vega_to_svg, to_vega(spec, vl_version))
    stats[f"kind_cpu_{kind}"] += stats["cpu_full"] + stats["cpu_render"] - before
    stats[f"kind_calls_{kind}"] += 1
    return svg


def to_vega(spec: dict, vl_version: str) -> dict:
    """The Vega spec of `spec` (see vega_text). Passed to vl-convert as a dict, not as text:
    vl-convert's JSON parser may round a number's last digit differently from Python's, which
    moves a point in the SVG by a fraction of a pixel and changes the page's bytes."""
    return json.loads(vega_text(spec, vl_version))


def vega_text(spec: dict, vl_version: str) -> str:
    """The Vega spec of `spec` as JSON: its structure's compiled template, kept as JSON text, with
    its texts and data filled in (compiled in full when a text cannot be tokenised safely). As
    text, filling in is a substitution (Python's json reads it back exactly)."""
    abstract = _abstract(spec)
    if abstract is None:
        stats["full"] += 1
        return json.dumps(_compile(spec, vl_version), ensure_ascii=False)
    tokenised, key, texts, values = abstract
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = _Template(_marked_text(_compile(tokenised, vl_version), list(values)))
        stats["compiled"] += 1
    else:
        stats["reused"] += 1
    data = [json.dumps(rows, ensure_ascii=False, allow_nan=False, separators=(",", ":")) for rows in values.values()]
    text = _TOKEN_PATTERN.sub(lambda m: texts[int(m.group(1))], template.text)
    text = _DATA_PATTERN.sub(lambda m: data[int(m.group(1))], text)
    template.uses += 1
    if template.uses <= CHECKED_USES:
        stats["checked"] += 1
        if json.loads(text) != _compile(spec, vl_version):
            raise TemplateMismatch(f"grafiek {spec.get('description', '?')!r}: de Vega-spec uit het sjabloon van "
                                   f"zijn structuur wijkt af van een volledige compilatie")
    return text


def _marked_text(vega: dict, datasets: list[str]) -> str:
    """The compiled template as JSON, each dataset's values (a Vega data entry named by the
    dataset's token) replaced by a marker "jmdata<i>x", i its place in `datasets`."""
    def mark(value: object) -> object:
        if isinstance(value, dict):
            name = value.get("name")
            if isinstance(name, str) and name in datasets and "values" in value:
                return {**value, "values": DATA_MARK.format(datasets.index(name))}
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value
    return json.dumps(mark(vega), ensure_ascii=False, separators=(",", ":"))


def clear() -> None:
    """Forget every template and count (a test or benchmark starts from nothing)."""
    _templates.clear()
    stats.clear()


def _compile(spec: dict, vl_version: str) -> dict:
    return _timed("compile", vl_convert.vegalite_to_vega, spec, vl_version=vl_version)


def _timed(step: str, function, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    start = time.process_time()
    try:
        return function(*args, **kwargs)
    finally:
        stats[f"cpu_{step}"] += time.process_time() - start
        stats[f"calls_{step}"] += 1


def _abstract(spec: dict) -> tuple[dict, str, list[str], dict[str, list]] | None:
    """(spec with tokens, its structure's key, the texts the tokens stand for, dataset token ->
    values), or None when a text is unsafe to tokenise. The key is the tokenised spec without
    the datasets' values (only their columns)."""
    # one token per text and kind of place (dataset names, texts, value lists, test literals): equal
    # texts keep one token, so layers sharing a scale domain still share it, while where a name
    # recurs in another kind of place (the highlighted area among the sorted ones) is no part of the key
    texts: dict[tuple[str, str], str] = {}

    def token(text: str, kind: str) -> str:
        if (kind, text) not in texts:
            texts[kind, text] = TOKEN.format(len(texts))
        return texts[kind, text]

    datasets = spec.get("datasets") or {}
    names = {name: token(name, "data") for name in datasets}

    def walk(value: object, key: str | None) -> object:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items() if k != "datasets"}
        if isinstance(value, list):
            return [walk(item, key) for item in value]
        if not isinstance(value, str):
            return value
        if value in names:
            return names[value]
        if key in TEXT_KEYS:
            return token(value, "text")
        if key in VALUE_LIST_KEYS:
            return token(value, key)
        if key == TEST_KEY:
            return _LITERAL.sub(lambda m: f'"{token(m.group(1), key)}"', value)
        return value

    tokenised = walk({k: v for k, v in spec.items() if k != "usermeta"}, None)
    if "usermeta" in spec:  # notes under the chart: copied as they are
        tokenised["usermeta"] = _tokenise_all(spec["usermeta"], lambda text: token(text, "usermeta"))
    if any(_UNSAFE.search(text) for _, text in texts):
        return None
    values = {names[name]: rows for name, rows in datasets.items()}
    shape = {**tokenised, "datasets": {names[name]: sorted({c for row in rows for c in row}) if rows else []
                                       for name, rows in datasets.items()}}
    if datasets:
        tokenised["datasets"] = {names[name]: rows for name, rows in datasets.items()}
    return tokenised, json.dumps(shape, sort_keys=True, ensure_ascii=False), [text for _, text in texts], values


def _tokenise_all(value: object, token) -> object:  # noqa: ANN001
    if isinstance(value, dict):
        return {k: _tokenise_all(v, token) for k, v in value.items()}
    if isinstance(value, list):
        return [_tokenise_all(item, token) for item in value]
    return token(value) if isinstance(value, str) else value
