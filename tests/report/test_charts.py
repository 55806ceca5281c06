"""Charts: accessible static SVG image, the interactive spec beside it, the one local runtime, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import vl_convert

from jeugdmonitor import paths, vocabulary
from jeugdmonitor.report import charts, export, figures, formatting

TEMPLATE = paths.TEMPLATE_DIR / "jeugdmonitor" / "index.html.j2"


def _series() -> pd.DataFrame:
    rows = []
    for area, base in (("Delft", 1000.0), ("Regio Haaglanden", 900.0), ("Nederland", 950.0)):
        for year, status, mark in ((2021, "definitief", ""), (2022, "nader voorlopig", "**"), (2023, "voorlopig", "*")):
            rows.append({"jaar_label": f"{year}{mark}", "gebied": area, "waarde": base + year - 2000 + 0.25,
                         "status": status, "samengesteld": area == "Delft" and year == 2021})
    return pd.DataFrame(rows)


def _trend() -> str:
    return figures.figure_html(charts.trend_chart(_series(), "Jeugdhulp", "per 1.000 jongeren", 1), "Lijngrafiek van jeugdhulp")


def _comparison() -> str:
    frame = pd.DataFrame({"gebied": ["Delft", "'s-Gravenhage", "Rijswijk", "Wassenaar"],
                          "waarde": [10.1, 12.35, None, 8.0], "status": ["nader voorlopig"] * 4})
    chart = charts.comparison_chart(frame, "Jeugdhulp 2023**", "%", 1, "Delft",
                                    {"Regio Haaglanden": 10.0, "Nederland": None})
    return figures.figure_html(chart, "Stippengrafiek")


def _small_multiples() -> str:
    frame = pd.DataFrame({"kpi_naam": ["Jeugdhulp"] * 2 + ["Wachttijd"] * 2, "gebied": ["Delft", "Rijswijk"] * 2,
                          "waarde": [10.1, 9.2, 73.0, None], "status": ["voorlopig"] * 4,
                          "eenheid": ["%", "%", "dagen", "dagen"], "decimalen": [1, 1, 0, 0]})
    references = pd.DataFrame({"kpi_naam": ["Jeugdhulp", "Jeugdhulp"], "label": ["Regio Haaglanden", "Nederland"],
                               "waarde": [9.8, 9.5]})
    return figures.figure_html(charts.small_multiples(frame, references)[0], "Overzicht")


def _region_trend() -> str:
    series = pd.DataFrame({"jaar_label": ["2022", "2023**"] * 2, "gebied": ["Regio Haaglanden"] * 2 + ["Nederland"] * 2,
                           "waarde": [8.0, 7.5, 7.0, None], "status": ["definitief", "nader voorlopig"] * 2})
    return figures.figure_html(charts.region_trend(series, "Jeugdhulp met verblijf", "per 1.000 jongeren", 1), "Trend",
                              interactive=False)


def _page_spec(html: str) -> dict:
    """The Vega-Lite spec the figure carries for its interactive view."""
    block = re.search(r'<script type="application/json" class="jm-grafiek-spec">(.*?)</script>', html, re.S)
    assert block, "the figure carries its spec"
    return json.loads(block.group(1))["spec"]


def _spec(html: str) -> dict:
    """The Vega spec the figure's Vega-Lite spec compiles to, with the Vega-Lite version of the
    chart runtime: what both the static SVG and the interactive view draw."""
    return vl_convert.vegalite_to_vega(_page_spec(html), vl_version=figures.VL_VERSION)


def _static_svg(html: str) -> str:
    """The SVG document of the figure's static image (its data: URL decoded)."""
    found = re.search(r'role="img" aria-label="([^"]+)"><img alt="([^"]*)"[^>]* src="data:image/svg\+xml;base64,([^"]+)">', html)
    assert found, "the figure carries its static SVG image"
    assert found.group(2) == found.group(1), "the image carries the figure's text alternative (a tagged PDF reads it)"
    return base64.b64decode(found.group(3)).decode("utf-8")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_the_page_carries_the_vega_lite_spec_the_static_svg_was_rendered_from():
    html = _comparison()
    spec = _page_spec(html)
    assert "layer" in spec and "marks" not in spec and "$schema" not in spec
    assert spec["config"]["locale"] == figures.locale()
    key = re.search(r'<figure class="jm-grafiek" id="(jm[0-9a-f]{10})"', html).group(1)
    assert _static_svg(html) == figures.chart_svg(spec, key)


@pytest.mark.parametrize("make", [_trend, _comparison, _small_multiples])
def test_figure_is_an_image_with_a_text_alternative_and_its_spec(make):
    html = make()
    tags = _tags(html)
    static = [a for t, a in tags if "jm-grafiek-statisch" in a.get("class", "")]
    assert static and static[0].get("role") == "img" and static[0].get("aria-label")
    assert "<svg" not in html and "<figcaption>" in html
    # the wrapper is the image with the text alternative; the image inside carries the same text,
    # which a tagged PDF reads (browsers treat the content of role="img" as presentational)
    images = [a for t, a in tags if t == "img"]
    assert len(images) == 1 and images[0]["alt"] == static[0]["aria-label"]
    assert images[0]["src"].startswith("data:image/svg+xml;base64,")
    svg = _static_svg(html)
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg, "a standalone SVG document"
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1)
    assert images[0]["width"] == width, "sized as vl-convert laid it out"
    interactive = [a for t, a in tags if "jm-grafiek-interactief" in a.get("class", "")]
    assert interactive and interactive[0].get("role") == "img" and interactive[0].get("aria-label") == static[0]["aria-label"]
    # nothing focusable: the interactive view adds no stop to the keyboard order
    assert not [a for t, a in tags if "tabindex" in a or t in ("a", "button", "input", "details")]
    spec = _spec(html)
    assert spec["config"]["locale"]["number"]["decimal"] == "," and spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["config"]["locale"]["time"]["months"][2] == "maart"


def test_locale_comes_from_formatting_locale():
    from jeugdmonitor.report import formatting
    assert figures.D3_LOCALE == formatting.LOCALE.replace("_", "-") == "nl-NL"
    source = Path(charts.__file__).read_text(encoding="utf-8")
    assert "nl-NL" not in source and "nl_NL" not in source, "no second hard-coded locale"
    script = figures.PAGE_SCRIPT.read_text(encoding="utf-8")
    assert "nl-NL" not in script and "locale.number" in script, "the runtime takes the locale from the spec"


def test_static_svg_uses_dutch_number_format():
    svg = _static_svg(_trend())
    assert re.search(r">1\.0\d\d,0<", svg), "axis labels like 1.020,0"
    assert "2023*<" in svg and "2022**<" in svg, "status marks on the year labels"


def test_tooltips_show_the_value_as_in_the_table_and_its_status():
    for make in (_trend, _comparison, _small_multiples):
        spec = _spec(make())
        tooltips = [m["encode"]["update"]["tooltip"]["signal"] for m in _marks(spec)
                    if "tooltip" in m.get("encode", {}).get("update", {})]
        assert tooltips, make.__name__
        for signal in tooltips:
            assert '"Status": isValid(datum["status"])' in signal or 'datum["status"]' in signal
            assert 'datum["waarde_tekst"]' in signal
    trend_tooltip = [m["encode"]["update"]["tooltip"]["signal"] for m in _marks(_spec(_trend()))
                     if "tooltip" in m.get("encode", {}).get("update", {})][0]
    assert 'datum["jaar_label"]' in trend_tooltip, "the year as the table labels its row"
    data = _values(_spec(_trend()))
    by_key = {(row["gebied"], row["jaar_as"]): row for row in data}
    # the same text as the data table: formatting.number, the merge mark where the table has it
    assert by_key[("Delft", "2021¹")]["waarde_tekst"] == formatting.number(1021.25, 1) + charts.MERGED_MARK == "1.021,3¹"
    assert by_key[("Nederland", "2023*")]["waarde_tekst"] == "973,3"
    assert by_key[("Nederland", "2023*")]["status"] == "voorlopig"


def _marks(spec: dict):
    for mark in spec.get("marks", []):
        yield mark
        yield from _marks(mark)


def _values(spec: dict) -> list[dict]:
    return [row for data in spec.get("data", []) for row in data.get("values", [])]


def test_status_shapes_and_merged_years_are_on_the_chart():
    html = _trend()
    spec = _spec(html)
    shapes = [s for s in spec["scales"] if s["name"] == "shape"][0]
    assert shapes["domain"] == ["definitief", "nader voorlopig (**)", "voorlopig (*)"]
    assert shapes["range"] == ["circle", "triangle-up", "square"]
    assert any(legend.get("title") == "Status" for legend in spec["legends"])
    svg = _static_svg(html)
    years = [t for t in re.findall(r">([^<>]+)</text>", svg) if t[:2] == "20"]
    assert years[:3] == ["2021¹", "2022**", "2023*"], "merged year marked on the axis, status marks kept"
    caption = html[html.index("<figcaption>"):]
    assert charts.MERGED_NOTE in caption
    assert charts.MERGED_MARK == vocabulary.MERGED_MARK and charts.MERGED_NOTE.startswith("¹ opgeteld uit de gemeenten")
    # without merged years no mark and no note
    plain = figures.figure_html(charts.trend_chart(_series().drop(columns="samengesteld"), "x", "%", 1), "x")
    assert charts.MERGED_MARK not in plain


def test_hover_highlights_one_area():
    for make in (_trend, _comparison):  # a region-overview panel highlights nothing
        spec = _spec(make())
        text = json.dumps(spec)
        assert f"{figures.SELECTION}_store" in text, make.__name__
        assert "pointerover" in text and str(charts.FADED_OPACITY) in text


def test_comparison_chart_highlight_not_by_colour_alone_and_labelled_references():
    html = _comparison()
    spec = _spec(html)
    text = json.dumps(spec, ensure_ascii=False)
    assert 'datum.value === \\"Delft\\"' in text and "bold" in text, "bold axis label for the chosen municipality"
    assert "160" in text, "the chosen municipality has a larger mark"
    labels = [row["tekst"] for row in _values(spec) if "tekst" in row]
    assert labels == ["Regio Haaglanden: 10,0"], "a missing reference draws no line"
    order = [row["gebied"] for row in sorted((r for r in _values(spec) if "gekozen" in r), key=lambda r: -r["waarde"])]
    assert order == ["'s-Gravenhage", "Delft", "Wassenaar"]
    assert "Rijswijk" in html[html.index("<figcaption>"):], "a missing value is named in a note"


def test_small_multiples_one_panel_per_kpi_with_own_format():
    frame = pd.DataFrame({"kpi_naam": ["Jeugdhulp"] * 2 + ["Wachttijd"] * 2, "gebied": ["Delft", "Rijswijk"] * 2,
                          "waarde": [10.1, 9.2, 73.0, None], "status": ["voorlopig"] * 4,
                          "eenheid": ["%", "%", "dagen", "dagen"], "decimalen": [1, 1, 0, 0]})
    panels = charts.small_multiples(frame)
    assert len(panels) == 2, "a chart per KPI, so the panels reflow in the page's grid"
    first, second = (json.dumps(_spec(figures.figure_html(p, "x")), ensure_ascii=False) for p in panels)
    assert '"text": "Jeugdhulp"' in first and '",.1f"' in first
    assert '"text": "Wachttijd"' in second and '"title": "dagen"' in second and '",.0f"' in second
    assert "Rijswijk (Wachttijd)" not in second and "Rijswijk" in figures.figure_html(panels[1], "x").split("<figcaption>")[1]


def test_small_multiples_panels_carry_their_own_references_only():
    frame = pd.DataFrame({"kpi_naam": ["a", "a", "b", "b"], "gebied": ["x", "y", "x", "y"], "waarde": [1.0, 2, 3, 4],
                          "status": ["definitief"] * 4})
    references = pd.DataFrame({"kpi_naam": ["a", "b"], "label": ["Nederland", "Nederland"], "waarde": [1.5, 3.5]})
    first, second = (json.dumps(figures.vegalite_dict(p), ensure_ascii=False) for p in charts.small_multiples(frame, references))
    assert "Nederland: 1,5" in first and "Nederland: 3,5" not in first
    assert "Nederland: 3,5" in second


def test_json_block_cannot_end_the_script_element():
    frame = pd.DataFrame({"gebied": ["</script><script>alert(1)</script>"], "waarde": [1.0], "status": ["definitief"]})
    html = figures.figure_html(charts.comparison_chart(frame, "t", "%", 1, None, {}), "alt")
    block = html[html.index('class="jm-grafiek-spec">'):]
    assert "</script><script>" not in block.split("</script>", 1)[0]
    assert "alert(1)" in json.dumps(_spec(html))


def test_no_remote_url_in_the_page_fragment():
    for make in (_trend, _comparison, _small_multiples):
        assert not re.search(r"https?://", make()), make.__name__


# Every URL the bundle holds, and why none of them is ever fetched. A new one fails this test
# until someone has looked at what it does.
RUNTIME_URLS = {
    "http://www.w3.org/1999/xlink": "XML namespace name (createElementNS), not fetched",
    "http://www.w3.org/2000/svg": "XML namespace name (createElementNS), not fetched",
    "http://www.w3.org/2000/xmlns/": "XML namespace name, not fetched",
    "https://github.com/vega/vega-lite/issues/2415": "text of a Vega-Lite warning message",
    "https://vega.github.io/editor/": "vega-embed's 'open in editor' menu link; the menu is off (actions: false)",
    "https://vega.github.io/schema/vega/v6.json": "$schema written into exported specs, an identifier",
}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory) -> Path:
    return figures.write_runtime(tmp_path_factory.mktemp("rapporten"))


def test_runtime_is_written_once_into_the_report_set(runtime):
    assert runtime == runtime.parent.parent / "grafieken" / "vega.js"
    assert figures.RUNTIME_URL == "grafieken/vega.js" == runtime.relative_to(runtime.parent.parent).as_posix()
    text = runtime.read_text(encoding="utf-8")
    assert "script.jm-grafiek-spec" in text and "jm-actief" in text, "the page script is bundled in"
    modified = runtime.stat().st_mtime_ns
    assert figures.write_runtime(runtime.parent.parent) == runtime and runtime.stat().st_mtime_ns == modified, \
        "an unchanged runtime is not rewritten"
    # the page carries no copy of the runtime
    assert len(_trend()) < 100_000 and "vegaEmbed" not in _trend()


def test_a_runtime_with_the_same_first_line_is_taken_as_it_is(runtime, tmp_path, monkeypatch):
    # the runner links the published runtime into a new set: bundling again takes over a second
    shared = tmp_path / "nieuw" / figures.RUNTIME_URL
    shared.parent.mkdir(parents=True)
    os.link(runtime, shared)
    monkeypatch.setattr(figures.vl_convert, "javascript_bundle", lambda *a, **k: pytest.fail("bundled again"))
    assert figures.write_runtime(tmp_path / "nieuw") == shared and shared.read_bytes() == runtime.read_bytes()
    assert runtime.read_text(encoding="utf-8").startswith(figures.runtime_header())
    assert hashlib.sha256(figures.PAGE_SCRIPT.read_bytes()).hexdigest() in figures.runtime_header()


def test_a_runtime_bundled_from_another_page_script_is_replaced_without_changing_the_file_it_shares(tmp_path):
    published = tmp_path / "gepubliceerd" / figures.RUNTIME_URL
    published.parent.mkdir(parents=True)
    published.write_text(figures.runtime_header().replace("sha256 ", "sha256 0") + "oude bundel", encoding="utf-8")
    staged = tmp_path / "nieuw" / figures.RUNTIME_URL
    staged.parent.mkdir(parents=True)
    os.link(published, staged)
    figures.write_runtime(tmp_path / "nieuw")
    assert staged.read_text(encoding="utf-8").startswith(figures.runtime_header())
    assert published.read_text(encoding="utf-8").endswith("oude bundel"), "the published runtime is not written through"


def test_runtime_fetches_nothing(runtime):
    text = runtime.read_text(encoding="utf-8")
    body = re.sub(r"/\*.*?\*/", "", text, count=1, flags=re.S)  # the licence header
    urls = set(re.findall(r"https?://[^\s\"'`)\\]+", body))
    assert urls <= set(RUNTIME_URLS), f"unreviewed URLs in the runtime: {sorted(urls - set(RUNTIME_URLS))}"
    script = figures.PAGE_SCRIPT.read_text(encoding="utf-8")
    # every load a view could make (data, images) is refused by the page script's loader
    assert "loader: geenNetwerk" in script and "actions: false" in script
    for method in ("load", "sanitize", "http", "file"):
        assert re.search(rf"\b{method}: \(\) => Promise\.reject", script), method


def test_rendered_page_loads_the_local_runtime_only_when_it_has_a_chart(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def page(html: str, name: str) -> str:
        cell = new_code_cell("x", outputs=[new_output("display_data", data={"text/html": html})])
        nbformat.write(new_notebook(cells=[cell]), tmp_path / f"{name}.ipynb")
        saved = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4)
        return export.node_to_html(saved, tmp_path / f"{name}.ipynb", tmp_path / f"{name}.html", "Titel", None).read_text()

    with_chart = page(_trend(), "grafiek")
    scripts = [a for t, a in _tags(with_chart) if t == "script"]
    assert [a.get("src") for a in scripts if a.get("src")] == [figures.RUNTIME_URL]
    assert all(a.get("type") == "application/json" for a in scripts if not a.get("src")), "no inline code"
    assert "<script" not in page("<p>Geen grafiek</p>", "zonder")


def test_print_and_no_script_show_the_static_svg():
    css = TEMPLATE.read_text(encoding="utf-8")
    screen, print_css = css.split("@media print", 1)
    # without the runtime (no script) the interactive place stays hidden; the runtime marks a
    # figure jm-actief only after drawing its view
    assert re.search(r"\.jm-grafiek-interactief \{ display: none; \}", screen)
    assert re.search(r"\.jm-grafiek\.jm-actief \.jm-grafiek-statisch \{ display: none; \}", screen)
    assert re.search(r"\.jm-grafiek\.jm-actief \.jm-grafiek-interactief[^{]*\{ display: none !important; \}", print_css)
    assert re.search(r"\.jm-grafiek\.jm-actief \.jm-grafiek-statisch \{ display: block !important; \}", print_css)
    assert "figure.jm-actief" not in figures.PAGE_SCRIPT.read_text() and 'classList.add("jm-actief")' in \
        figures.PAGE_SCRIPT.read_text()
    assert f"'{figures.RUNTIME_URL}'" in css, "the template's default runtime path is figures.RUNTIME_URL"


def _clipped() -> str:
    """A chart whose SVG has clip paths (vl-convert numbers those per process)."""
    frame = pd.DataFrame({"gebied": ["x", "y"], "waarde": [1.0, 3.0]})
    chart = charts.alt.Chart(frame).mark_bar(clip=True).encode(
        x=charts.alt.X("waarde:Q", scale=charts.alt.Scale(domain=[0, 2])), y="gebied:N").properties(name="v")
    return figures.figure_html(chart, "b")


def _all_figures() -> str:
    return _trend() + _comparison() + _small_multiples() + _clipped()


def test_same_chart_gives_the_same_html_after_other_charts_and_in_a_fresh_process():
    first, first_clipped = _trend(), _clipped()
    assert 'clip-path="url(#' in _static_svg(first_clipped)
    _comparison(), _small_multiples(), _trend(), _clipped()
    assert (_trend(), _clipped()) == (first, first_clipped)
    ids = re.findall(r'\bid="([^"]+)"', _all_figures())
    assert len(ids) == len(set(ids)), "figure ids unique on a page"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import test_charts; "
            "sys.stdout.write(test_charts._trend() + '\\n' + test_charts._all_figures())")
    fresh = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], capture_output=True, text=True,
                           check=True).stdout
    fresh_trend, fresh_all = fresh.split("\n", 1)
    assert fresh_trend == first
    assert fresh_all == _all_figures()


def test_svg_ids_are_renamed_per_chart():
    frame = pd.DataFrame({"kpi_naam": ["a", "a", "b", "b"], "gebied": ["x", "y", "x", "y"], "waarde": [1.0, 2, 3, 4],
                          "status": ["definitief"] * 4})
    chart = charts.small_multiples(frame)[0]
    for html, clipped in ((figures.figure_html(chart, "a"), False), (_clipped(), True)):
        key = re.search(r'<figure class="jm-grafiek" id="([^"]+)"', html).group(1)
        svg = _static_svg(html)
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert bool(ids) == clipped and all(i.startswith(key) for i in ids)
        refs = re.findall(r"url\(#([^)]+)\)", svg)
        assert set(refs) <= set(ids) and not re.search(r'id="clip\d', svg)


def test_inline_values_are_what_altair_makes_of_the_frame():
    from altair.utils.data import to_values

    frame = pd.DataFrame({
        "gebied": pd.array(["Delft", None, "Wassenaar"], dtype="string"),
        "waarde": [1.5, float("nan"), 3.0],
        "aantal": [1, 2, 3],
        "gekozen": [True, False, True],
        "tekst": ["1,5", "–", None],
    }, index=[7, 3, 5])
    inline = figures.inlined(frame)
    assert inline == to_values(frame)
    assert json.dumps(inline, sort_keys=True) == json.dumps(to_values(frame), sort_keys=True)
    # a column kind it does not handle is left to Altair
    dated = frame.assign(dag=pd.to_datetime(["2023-01-01"] * 3))
    assert figures.inlined(dated) is dated


def test_a_chart_built_outside_debug_mode_is_still_validated():
    import altair as alt

    @figures.builds_unchecked
    def invalid_chart() -> alt.Chart:
        chart = alt.Chart(figures.inlined(pd.DataFrame({"a": [1.0]}))).mark_point().encode(x="a:Q")
        chart.width = "breed"  # attribute assignment is not checked while the chart is built
        return chart

    chart = invalid_chart()
    assert alt.utils.schemapi.DEBUG_MODE  # the switch is Altair's and is back on after the chart function
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        figures.vegalite_dict(chart)


@pytest.mark.parametrize("make", [_trend, _comparison, _small_multiples])
def test_parts_copied_shallowly_give_the_spec_of_plain_altair_charts(make, monkeypatch):
    """Layers and panels are charts._Part, whose copy shares its channels; built from alt.Chart,
    which Altair deep-copies, every chart has the same spec, hover selection included."""
    import altair as alt

    shared = _spec(make())
    monkeypatch.setattr(charts, "_Part", alt.Chart)
    plain = _spec(make())
    assert shared == plain
    if make is not _small_multiples:  # a region-overview panel highlights nothing
        assert json.dumps(shared).count(figures.SELECTION) >= 2  # declared once and used


def test_combining_parts_leaves_the_parts_as_they_were():
    import altair as alt

    part = charts._Part(figures.inlined(pd.DataFrame({"a": [1.0]}))).mark_point().encode(x="a:Q").properties(width=10)
    before = part.to_dict()
    copy = part.__deepcopy__()
    copy.width = 20
    alt.layer(part, part.mark_line())
    assert part.to_dict() == before and copy.width == 20


def test_an_invalid_hover_selection_still_fails_validation():
    import altair as alt

    @figures.builds_unchecked
    def chart_with_bad_selection() -> alt.LayerChart:
        part = charts._Part(figures.inlined(pd.DataFrame({"a": [1.0]}))).mark_point().encode(x="a:Q").properties(name="p")
        chart = alt.layer(part, width=100)
        chart.params = [charts._Selection(name=figures.SELECTION, select={"type": "lasso"}, views=["p"])]
        return chart

    chart = chart_with_bad_selection()
    chart.to_dict(validate=False)  # Altair's own copies of the selection do not check it
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        figures.vegalite_dict(chart)


def _axes(node: object):
    if isinstance(node, dict):
        yield from node.get("axes", [])
        for value in node.values():
            yield from _axes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _axes(value)


def test_names_on_an_axis_keep_their_limit_and_numbers_have_none():
    """Municipality names are cut at their axis's label limit; numbers and years never are, so
    their axes have no limit (Vega then does not measure each label against one)."""
    comparison = {axis["scale"]: axis.get("labelLimit") for axis in _axes(_spec(_comparison())) if "scale" in axis}
    assert comparison == {"x": 0, "y": 220}
    spec = _spec(_trend())
    trend = {axis["scale"]: axis.get("labelLimit") for axis in _axes(spec) if "scale" in axis}
    assert trend["y"] == 0
    assert spec["config"]["axisX"]["labelLimit"] == 0  # the years' axis takes it from the config


def test_region_trend_draws_region_and_nederland_as_lines_without_an_interactive_view():
    html = _region_trend()
    assert "jm-grafiek-spec" not in html and "jm-grafiek-interactief" not in html, "static only: no runtime needed"
    svg = _static_svg(html)
    assert "Regio Haaglanden" in svg and "Nederland" in svg and "2023**" in svg
    assert 'role="img"' in html and "<figcaption>Trend</figcaption>" in html


def _trend_data_by_frame(series: pd.DataFrame, decimals: int) -> tuple[list[dict], list[str], bool]:
    """The trend chart's data as it was prepared before _trend_rows: pandas operations on a copy
    of the frame, then figures.inlined (the reference the plain-Python rows must equal)."""
    frame = series.copy()
    if "samengesteld" not in frame.columns:
        frame["samengesteld"] = False
    frame["samengesteld"] = frame["samengesteld"].fillna(False).astype(bool) & frame["waarde"].notna()
    merged_years = set(frame.loc[frame["samengesteld"], "jaar_label"])
    frame["jaar_as"] = frame["jaar_label"].map(lambda y: f"{y}{vocabulary.MERGED_MARK}" if y in merged_years else str(y))
    years = list(dict.fromkeys(frame["jaar_as"]))
    data = frame.dropna(subset=["waarde"]).assign(
        waarde=lambda f: f["waarde"].astype(float),
        waarde_tekst=lambda f: [charts._value_text(v, decimals, m) for v, m in zip(f["waarde"], f["samengesteld"], strict=True)],
        status_tekst=lambda f: f["status"].map(charts._status_text),
    )[["jaar_as", "jaar_label", "gebied", "waarde", "waarde_tekst", "status", "status_tekst"]]
    return figures.inlined(data)["values"], years, bool(merged_years)


def _same_rows(found: list[dict], expected: list[dict]) -> bool:
    """Equal values, keys in the same order, and the same Python types (a float stays a float)."""
    return [[(k, type(v), v) for k, v in row.items()] for row in found] == \
        [[(k, type(v), v) for k, v in row.items()] for row in expected]


@pytest.mark.parametrize("series", [
    _series(),
    _series().drop(columns="samengesteld"),
    _series().assign(waarde=[None, 1.5, 2.0, float("nan"), 3.0, 4.0, 5.0, 6.0, 7.0]),
    _series().assign(samengesteld=[None, True, False, True, False, False, False, False, False],
                     waarde=[1.0, None, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]),
    _series().assign(jaar_label=[2021, 2022, 2023] * 3),
    _series().astype({"waarde": "Float64", "status": "string", "gebied": "string"}),
], ids=["merged", "no-merged-column", "missing", "merged-missing", "int-years", "nullable"])
def test_trend_rows_equal_the_frame_altair_would_have_inlined(series):
    rows, years, merged = charts._trend_rows(series, 1)
    expected_rows, expected_years, expected_merged = _trend_data_by_frame(series, 1)
    assert _same_rows(rows, expected_rows) and years == expected_years and merged == expected_merged


def test_trend_rows_equal_the_frame_for_every_kpi_of_the_sample(cfg, tables):
    from jeugdmonitor.report import appendix, subject
    from jeugdmonitor.report.inputs import Inputs
    inputs = Inputs(year=2023, cfg=cfg, areas=tables["gebieden"], kpi_values=tables["kpi_waarden"],
                    sources=tables["bronnen"], harmonisation=tables["harmonisatie"], validation={})
    for code in ("GM0503", "GM1963", "GM0034"):  # with a merger before 2019 among them (Hoeksche Waard)
        rapport = subject.build(inputs, code)
        for kpi in cfg.kpis.values():
            series = appendix.series_of(rapport, kpi)[["jaar_label", "gebied", "waarde", "status", "samengesteld"]]
            rows, years, merged = charts._trend_rows(series, kpi.decimals)
            assert (rows, years, merged) == _trend_data_by_frame(series, kpi.decimals)
            assert _same_rows(rows, _trend_data_by_frame(series, kpi.decimals)[0])


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"gebied": ["Delft", "'s-Gravenhage", "Rijswijk", "Wassenaar"], "waarde": [10.1, 12.35, None, 8.0],
                  "status": ["nader voorlopig", "definitief", None, "voorlopig"]}),
    pd.DataFrame({"gebied": ["Delft", "Rijswijk"], "waarde": [float("nan"), 3.0], "status": ["definitief"] * 2}),
    pd.DataFrame({"gebied": ["Delft", "Rijswijk"], "waarde": [2.5, None], "status": [None, "definitief"]})
    .astype({"waarde": "Float64", "status": "string"}),
], ids=["missing-value", "nan", "nullable"])
def test_comparison_rows_equal_the_frame_altair_would_have_inlined(frame):
    rows, missing = charts._dot_rows(frame, 1, "Delft")
    assert _same_rows(rows, figures.inlined(charts._dot_data(frame, 1, "Delft"))["values"])
    assert charts._missing_note_of(missing) == charts._missing_note(frame)


def test_a_comparison_chart_s_reference_rules_start_at_a_float_as_from_a_frame():
    """The rules' top was a frame's minimum, a NumPy number that Altair writes as a float (-16.0)."""
    frame = pd.DataFrame({"gebied": ["Delft", "Rijswijk"], "waarde": [10.0, 8.0], "status": ["definitief"] * 2})
    spec = figures.vegalite_dict(charts.comparison_chart(frame, "t", "%", 1, "Delft", {"Regio": 9.0, "Nederland": 9.5}))
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert rule["encoding"]["y"] == {"value": -16.0} and isinstance(rule["encoding"]["y"]["value"], float)
