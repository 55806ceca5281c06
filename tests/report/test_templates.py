"""Page templates (templates.py): HTML escapes data, plain text does not, a misspelt name is an error."""

from __future__ import annotations

import re

import jinja2
import pytest

from jeugdmonitor import errors
from jeugdmonitor.report import formatting, templates
from jeugdmonitor.report.inputs import FICTITIOUS_LABEL, STATUS_LEGEND


def test_html_templates_escape_values_from_data():
    html = templates.render("kwaliteit.html.j2", heading="<b>Kop</b>", anchor="a", checked=3, passed=3, total=0, warnings=[], others=0,
                        municipality=None)
    assert "&lt;b&gt;Kop&lt;/b&gt;" in html and "<b>Kop</b>" not in html


def test_plain_text_templates_are_not_escaped_and_come_out_as_one_line(cfg):
    kpi = cfg.kpis["jeugdhulp_aandeel"]
    text = templates.render_text("grafiek_trend.txt.j2", kpi=kpi, first=2015, year=2023, areas=["'s-Gravenhage", "Nederland"],
                             trend={"name": "'s-Gravenhage", "start": 9.1, "start_label": "2015", "end": 10.1,
                                    "end_label": "2023**", "decimals": 1})
    assert "'s-Gravenhage" in text and "&#39;" not in text and "\n" not in text
    assert "gestegen van 9,1 in 2015 naar 10,1 in 2023**" in text
    with pytest.raises(ValueError, match="platte tekst"):
        templates.render_text("kwaliteit.html.j2")


def test_a_misspelt_name_in_a_template_is_an_error_naming_the_template_and_line():
    with pytest.raises(errors.TemplateError) as failed:
        templates.render("kwaliteit.html.j2", heading="x", anchor="a", checked=1)  # no `passed`
    message = str(failed.value)
    assert re.match(r"src/jeugdmonitor/templates/pages/kwaliteit\.html\.j2, regel \d+: UndefinedError: 'passed' is undefined", message)
    line = int(re.search(r"regel (\d+)", message).group(1))
    shown = (templates.PAGES_DIR / "kwaliteit.html.j2").read_text(encoding="utf-8").splitlines()[line - 1].strip()
    assert message.endswith("\n    " + shown) and "passed" in shown
    assert failed.value.__cause__ is None and failed.value.__suppress_context__, "the template frames are left out"


def test_an_error_that_does_not_come_from_a_template_is_raised_as_it_is():
    with pytest.raises(jinja2.TemplateNotFound):
        templates.render("bestaat-niet.html.j2")


def test_words_come_from_their_template():
    assert templates.word("regio", "Haaglanden") == "Regio Haaglanden"
    assert templates.word("titel_gemeente", "Delft", 2023) == "Jeugdhulp Delft 2023"
    assert FICTITIOUS_LABEL.startswith("Fictieve voorbeelddata")


def test_status_legend_explains_every_mark():
    legend = STATUS_LEGEND
    assert "* voorlopig" in legend and "** nader voorlopig" in legend and "–" in legend


def test_a_count_of_exactly_one_takes_the_singular_unit_where_config_gives_one(cfg):
    with_unit = templates.ENVIRONMENT.filters["eenheid"]
    trajectories = next(k for k in cfg.kpis.values() if k.unit == "trajecten")
    assert trajectories.unit_singular == "traject"
    assert with_unit(1, trajectories) == "1 traject"
    assert with_unit(5, trajectories) == "5 trajecten" and with_unit(0, trajectories) == "0 trajecten"
    share = next(k for k in cfg.kpis.values() if k.unit == "%")
    assert share.unit_singular is None and with_unit(1, share) == "1,0%"
    per_1000 = next(k for k in cfg.kpis.values() if k.unit == "per 1.000 jongeren")
    assert with_unit(1, per_1000).endswith(" per 1.000 jongeren")  # no singular given: the unit as it is


def test_a_net_figure_says_its_sign_in_words_where_config_gives_them(cfg):
    """'−10 trajecten' reads as a negative number of trajectories: a net figure with sign words
    says '10 trajecten meer beëindigd dan gestart', and zero (as shown, after rounding) in words."""
    with_unit = templates.ENVIRONMENT.filters["eenheid"]
    net = cfg.kpis["netto_instroom"]
    above, below, zero = net.sign_words
    assert with_unit(-10, net) == f"10 trajecten {below}"
    assert with_unit(1, net) == f"1 traject {above}" and with_unit(-1234, net) == f"1.234 trajecten {below}"
    assert with_unit(0, net) == zero and with_unit(-0.4, net) == zero
    assert with_unit(None, net) == "– trajecten"  # missing stays missing, with no sign to state


def test_the_nipt_note_gives_a_margin_of_a_percentage_in_percentage_points(cfg):
    """'kleiner dan 1,0 %' read as one percent of the figure; the pages state every difference of
    a percentage in %-punt, and so does the note on a goal met or missed by less than the margin."""
    close_note = templates.ENVIRONMENT.get_template("macros.html.j2").module.close_note
    share = next(k for k in cfg.kpis.values() if k.unit == "%")
    per_1000 = next(k for k in cfg.kpis.values() if k.unit == "per 1.000 jongeren")
    assert f"kleiner dan {formatting.number(share.margin, share.decimals)} %-punt," in str(close_note(share))
    assert f"kleiner dan {formatting.number(per_1000.margin, per_1000.decimals)} per 1.000 jongeren," in str(close_note(per_1000))
