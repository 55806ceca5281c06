"""Comparable municipalities: the peer group follows the configured rule (nearest in inhabitants,
within the factor, from every municipality in the data), and the comparison shows rates only."""

from __future__ import annotations

import dataclasses
import math

import pytest

from jeugdmonitor.definitions import config
from jeugdmonitor.report import peers
from jeugdmonitor.report.inputs import Inputs
from jeugdmonitor.report.subject import Report

from .helpers import memory_inputs

# code -> (name, region, inhabitants)
PEOPLE = {"GM0503": ("Delft", "JZ24", 100_000), "GM0518": ("'s-Gravenhage", "JZ24", 550_000),
          "GM0603": ("Rijswijk", "JZ24", 55_000), "GM0637": ("Zoetermeer", "JZ24", 125_000),
          "GM0505": ("Dordrecht", "JZ31", 120_000), "GM0034": ("Almere", "JZ08", 210_000),
          "GM0995": ("Lelystad", "JZ08", 80_000), "GM0748": ("Bergen op Zoom", "JZ36", 68_000),
          "GM1674": ("Roosendaal", "JZ36", 80_000), "GM0184": ("Urk", "JZ08", 21_000)}


def _inputs(cfg, people=PEOPLE) -> Inputs:
    areas = [{"gebied_code": code, "naam": name, "niveau": "gemeente", "regio_code": region, "regio_naam": region}
             for code, (name, region, _) in people.items()]
    rows = [[code, "gemeente", 2023, "inwoners", None, None, float(count), "definitief", False, None]
            for code, (_, _, count) in people.items()]
    rows += [[code, "gemeente", 2023, "jeugdhulp_aandeel", None, None, 8.0 + i, "definitief", False, None]
             for i, code in enumerate(people)]
    return memory_inputs(cfg, areas, rows)


def _expected(code: str, spec: dict) -> list[str]:
    """The rule written out: within the factor, nearest by ratio, ties by name, at most `aantal`."""
    own = PEOPLE[code][2]
    factor = spec["inwoners_factor"]
    near = [(abs(math.log(n / own)), name.casefold(), c) for c, (name, _, n) in PEOPLE.items()
            if c != code and own / factor <= n <= own * factor]
    return [c for *_, c in sorted(near)][: spec["aantal"]]


@pytest.mark.parametrize("code", sorted(PEOPLE))
def test_the_peer_group_follows_the_rule_and_draws_from_every_municipality(cfg, code):
    inputs = _inputs(cfg)
    group = peers.peers(inputs, code)
    assert group == _expected(code, cfg.peers)
    assert code not in group and len(group) <= cfg.peers["aantal"]
    own = PEOPLE[code][2]
    assert all(own / 2 <= PEOPLE[c][2] <= own * 2 for c in group)


def test_delfts_peers_come_from_other_regions_too_nearest_first(cfg):
    group = peers.peers(_inputs(cfg), "GM0503")
    # 120.000 and 80.000 are as near to 100.000 by ratio as 125.000 and 80.000; ties by name
    assert group == ["GM0505", "GM0995", "GM1674", "GM0637", "GM0748"]
    assert {PEOPLE[c][1] for c in group} > {"JZ24"}


def test_the_bijlage_says_how_the_group_was_chosen_lists_it_and_compares_rates(cfg):
    inputs = _inputs(cfg)
    html = peers.section(Report(inputs, "GM0503", "Delft", "JZ24", "JZ24"))
    assert "met ten hoogste 2 keer zo veel of zo weinig inwoners" in html
    assert "uit alle 10 gemeenten in de gegevens" in html and "het dichtst bij dat van Delft ligt (100.000)" in html
    assert "Dordrecht (120.000, buiten de regio)" in html and "Zoetermeer (125.000)" in html
    assert "Jongeren met jeugdhulp (%)" in html and "Inwoners (" not in html
    # the group's middle value: Dordrecht 12, Lelystad 14, Roosendaal 16, Zoetermeer 11, Bergen op Zoom 15 -> 14
    row = html[html.index("Jongeren met jeugdhulp (%)"):]
    row = row[: row.index("</tr>")]
    assert row.count("<td") == 1 + 5 + 1 and row.rstrip().endswith('<td class="jm-getal">14,0</td>')


def test_the_groups_middle_value_keeps_the_least_final_status(cfg):
    inputs = _inputs(cfg)
    kpis = inputs.kpi_values
    kpis.loc[(kpis["kpi"] == "jeugdhulp_aandeel") & (kpis["gebied_code"] == "GM0505"), "status"] = "voorlopig"
    html = peers.section(Report(_inputs_from(inputs), "GM0503", "Delft", "JZ24", "JZ24"))
    row = html[html.index("Jongeren met jeugdhulp (%)"):]
    assert row[: row.index("</tr>")].rstrip().endswith('<td class="jm-getal">14,0*</td>')


def _inputs_from(inputs: Inputs) -> Inputs:
    """The same tables in fresh inputs (their value lookup is built once, from the tables as they are)."""
    return dataclasses.replace(inputs)


def test_a_municipality_without_inhabitants_has_no_group_and_says_so(cfg):
    people = {**PEOPLE, "GM0503": ("Delft", "JZ24", 0)}
    inputs = _inputs(cfg, people)
    assert peers.peers(inputs, "GM0503") == []
    html = peers.section(Report(inputs, "GM0503", "Delft", "JZ24", "JZ24"))
    assert "is geen groep vergelijkbare gemeenten te vormen" in html


def test_a_count_in_the_comparison_is_refused(cfg):
    counted = dataclasses.replace(cfg, peers={**cfg.peers, "kpis": ["jeugdhulp_aantal"]})
    with pytest.raises(config.ConfigError, match="jeugdhulp_aantal is een aantal"):
        peers.rule(counted)
