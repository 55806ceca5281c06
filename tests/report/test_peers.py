"""Comparable municipalities: the peer group follows the configured rule (stedelijkheid within the
configured classes, inhabitants within the factor, nearest by inhabitants and share of young
people, from every municipality in the data), and the comparison shows rates only."""

from __future__ import annotations

import dataclasses
import math

import pytest

from jeugdmonitor.definitions import config
from jeugdmonitor.errors import ReportYearError
from jeugdmonitor.report import peers
from jeugdmonitor.report.inputs import Inputs
from jeugdmonitor.report.subject import Report

from .helpers import memory_inputs

# code -> (name, region, inhabitants, stedelijkheid, share of young people %)
PEOPLE = {"GM0503": ("Delft", "JZ24", 100_000, 1, 15.0), "GM0518": ("'s-Gravenhage", "JZ24", 550_000, 1, 20.0),
          "GM0603": ("Rijswijk", "JZ24", 55_000, 1, 18.0), "GM0637": ("Zoetermeer", "JZ24", 125_000, 2, 20.0),
          "GM0505": ("Dordrecht", "JZ31", 120_000, 2, 19.0), "GM0034": ("Almere", "JZ08", 210_000, 2, 23.0),
          "GM0995": ("Lelystad", "JZ08", 80_000, 3, 21.0), "GM0748": ("Bergen op Zoom", "JZ36", 68_000, 2, 18.0),
          "GM1674": ("Roosendaal", "JZ36", 80_000, 2, 18.0), "GM0184": ("Urk", "JZ08", 21_000, 2, 33.0)}


def _inputs(cfg, people=PEOPLE, shares=True) -> Inputs:
    areas = [{"gebied_code": code, "naam": name, "niveau": "gemeente", "regio_code": region, "regio_naam": region,
              "stedelijkheid": urban} for code, (name, region, _, urban, _) in people.items()]
    rows = [[code, "gemeente", 2023, "inwoners", None, None, float(count), "definitief", False, None]
            for code, (_, _, count, _, _) in people.items()]
    rows += [[code, "gemeente", 2023, "jeugdhulp_aandeel", None, None, 8.0 + i, "definitief", False, None]
             for i, code in enumerate(people)]
    if shares:
        rows += [[code, "gemeente", 2023, "aandeel_jongeren", None, None, share, "definitief", False, None]
                 for code, (*_, share) in people.items()]
    frame = memory_inputs(cfg, areas, rows)
    frame.areas = frame.areas.astype({"stedelijkheid": "Int64"})
    return frame


def _expected(code: str, spec: dict) -> list[str]:
    """The rule written out: within the classes and the factor, same class first, then nearest by
    inhabitants and share of young people (ratios), ties by name, at most `aantal`."""
    _, _, own, urban, share = PEOPLE[code]
    factor, apart = spec["inwoners_factor"], spec["stedelijkheid_verschil"]
    near = [(abs(u - urban), abs(math.log(n / own)) + abs(math.log(s / share)), name.casefold(), c)
            for c, (name, _, n, u, s) in PEOPLE.items()
            if c != code and own / factor <= n <= own * factor and abs(u - urban) <= apart]
    return [c for *_, c in sorted(near)][: spec["aantal"]]


@pytest.mark.parametrize("code", sorted(PEOPLE))
def test_the_peer_group_follows_the_rule_and_draws_from_every_municipality(cfg, code):
    inputs = _inputs(cfg)
    group = peers.peers(inputs, code)
    assert group == _expected(code, cfg.peers)
    assert code not in group and len(group) <= cfg.peers["aantal"]
    _, _, own, urban, _ = PEOPLE[code]
    assert all(own / 2 <= PEOPLE[c][2] <= own * 2 and abs(PEOPLE[c][3] - urban) <= 1 for c in group)


def test_delfts_peers_come_from_other_regions_too_same_class_first(cfg):
    group = peers.peers(_inputs(cfg), "GM0503")
    # Rijswijk is the one other class 1 within the factor; then class 2 by inhabitants and share of
    # young people together: Roosendaal ln(1,25) + ln(1,2) = 0,41, Dordrecht ln(1,2) + ln(1,27) = 0,42,
    # Zoetermeer 0,51, Bergen op Zoom 0,57; Lelystad (class 3) and 's-Gravenhage (5,5 times as many)
    # are not candidates
    assert group == ["GM0603", "GM1674", "GM0505", "GM0637", "GM0748"]
    assert {PEOPLE[c][1] for c in group} > {"JZ24"}
    assert "GM0995" not in group and "GM0518" not in group


def test_the_share_of_young_people_decides_between_places_of_like_size(cfg):
    """By inhabitants alone Dordrecht (120.000) is nearer to Zoetermeer-like 110.000 than Delft;
    with the share of young people, Delft (20 %, as the municipality) is nearer than Dordrecht (30 %)."""
    people = {"GM0637": ("Zoetermeer", "JZ24", 110_000, 2, 20.0), "GM0505": ("Dordrecht", "JZ31", 120_000, 2, 30.0),
              "GM0503": ("Delft", "JZ24", 95_000, 2, 20.0)}
    one = dataclasses.replace(cfg, peers={**cfg.peers, "aantal": 1})
    assert peers.peers(_inputs(one, people), "GM0637") == ["GM0503"]
    plain = dataclasses.replace(one, peers={k: v for k, v in one.peers.items() if k != "aandeel_jongeren"})
    assert peers.peers(_inputs(plain, people), "GM0637") == ["GM0505"]


def test_the_same_class_only_when_so_configured(cfg):
    same = dataclasses.replace(cfg, peers={**cfg.peers, "stedelijkheid_verschil": 0})
    assert peers.peers(_inputs(same), "GM0503") == ["GM0603"]
    html = peers.section(Report(_inputs(same), "GM0503", "Delft", "JZ24", "JZ24"))
    assert "een stedelijkheid die gelijk is aan die van Delft (zeer sterk stedelijk, klasse 1 van 5)" in html
    assert "eerst in stedelijkheid" not in html


def test_without_a_share_kpi_inhabitants_alone_decide(cfg):
    spec = {k: v for k, v in cfg.peers.items() if k != "aandeel_jongeren"}
    plain = dataclasses.replace(cfg, peers=spec)
    group = peers.peers(_inputs(plain, shares=False), "GM0503")
    # class 1 first (Rijswijk), then class 2 by inhabitants: Dordrecht 120.000 (ratio 1,2), Roosendaal 80.000 and
    # Zoetermeer 125.000 (both 1,25, by name), Bergen op Zoom 68.000
    assert group == ["GM0603", "GM0505", "GM1674", "GM0637", "GM0748"]
    html = peers.section(Report(_inputs(plain, shares=False), "GM0503", "Delft", "JZ24", "JZ24"))
    assert "aandeel jongeren" not in html and "in aantal inwoners (gemeten als verhouding)" in html


def test_the_bijlage_says_how_the_group_was_chosen_lists_it_and_compares_rates(cfg):
    inputs = _inputs(cfg)
    html = peers.section(Report(inputs, "GM0503", "Delft", "JZ24", "JZ24"))
    assert ("De vergelijkbare gemeenten zijn gekozen uit alle 10 gemeenten in de gegevens: de gemeenten die in 2023 "
            "ten hoogste 2 keer zo veel of zo weinig inwoners hebben als Delft (100.000) en een stedelijkheid die ten "
            "hoogste 1 klasse verschilt van die van Delft (zeer sterk stedelijk, klasse 1 van 5), en daarvan de 5 die "
            "het dichtst bij Delft liggen, eerst in stedelijkheid, dan in aantal inwoners en aandeel jongeren tot 18 "
            "jaar (15,0 %) samen (gemeten als verhouding): ") in html
    assert "Rijswijk (55.000 inwoners, zeer sterk stedelijk, 18,0 % jongeren)" in html
    assert "Dordrecht (120.000 inwoners, sterk stedelijk, 19,0 % jongeren, buiten de regio)" in html
    assert "Jongeren met jeugdhulp (%)" in html and "Inwoners (" not in html
    # the group's middle value: Rijswijk 10, Roosendaal 16, Bergen op Zoom 15, Dordrecht 12, Zoetermeer 11 -> 12
    row = html[html.index("Jongeren met jeugdhulp (%)"):]
    row = row[: row.index("</tr>")]
    assert row.count("<td") == 1 + 5 + 1 and row.rstrip().endswith('<td class="jm-getal">12,0</td>')


def test_a_municipality_without_a_class_is_matched_on_inhabitants_and_share_and_says_so(cfg):
    people = {**PEOPLE, "GM0503": ("Delft", "JZ24", 100_000, None, 15.0)}
    inputs = _inputs(cfg, people)
    group = peers.peers(inputs, "GM0503")
    assert "GM0995" in group or len(group) == 5  # Lelystad (class 3) is a candidate now
    html = peers.section(Report(inputs, "GM0503", "Delft", "JZ24", "JZ24"))
    assert "De stedelijkheid van Delft is onbekend" in html and "eerst in stedelijkheid" not in html


def test_a_peer_without_a_class_is_left_out_when_the_municipality_has_one(cfg):
    people = {**PEOPLE, "GM0603": ("Rijswijk", "JZ24", 55_000, None, 18.0)}
    assert "GM0603" not in peers.peers(_inputs(cfg, people), "GM0503")


def test_the_groups_middle_value_keeps_the_least_final_status(cfg):
    inputs = _inputs(cfg)
    kpis = inputs.kpi_values
    kpis.loc[(kpis["kpi"] == "jeugdhulp_aandeel") & (kpis["gebied_code"] == "GM0505"), "status"] = "voorlopig"
    html = peers.section(Report(_inputs_from(inputs), "GM0503", "Delft", "JZ24", "JZ24"))
    row = html[html.index("Jongeren met jeugdhulp (%)"):]
    assert row[: row.index("</tr>")].rstrip().endswith('<td class="jm-getal">12,0*</td>')


def _inputs_from(inputs: Inputs) -> Inputs:
    """The same tables in fresh inputs (their value lookup is built once, from the tables as they are)."""
    return dataclasses.replace(inputs)


def test_a_municipality_without_inhabitants_has_no_group_and_says_so(cfg):
    people = {**PEOPLE, "GM0503": ("Delft", "JZ24", 0, 1, 15.0)}
    inputs = _inputs(cfg, people)
    assert peers.peers(inputs, "GM0503") == []
    html = peers.section(Report(inputs, "GM0503", "Delft", "JZ24", "JZ24"))
    assert "is geen groep vergelijkbare gemeenten te vormen" in html


def test_a_count_in_the_comparison_is_refused(cfg):
    counted = dataclasses.replace(cfg, peers={**cfg.peers, "kpis": ["jeugdhulp_aantal"]})
    with pytest.raises(config.ConfigError, match="jeugdhulp_aantal is een aantal"):
        peers.rule(counted)


def test_a_share_kpi_that_is_not_a_percentage_is_refused(cfg):
    wrong = dataclasses.replace(cfg, peers={**cfg.peers, "aandeel_jongeren": "inwoners"})
    with pytest.raises(config.ConfigError, match="aandeel_jongeren noemt 'inwoners'"):
        peers.rule(wrong)


def test_a_clean_table_from_before_stedelijkheid_is_refused_with_the_command_that_renews_it(cfg):
    inputs = _inputs(cfg)
    inputs.areas = inputs.areas.drop(columns="stedelijkheid")
    with pytest.raises(ReportYearError, match="mist de kolom 'stedelijkheid'.*make clean-data YEAR=2023") as caught:
        peers.profiles(inputs)
    assert caught.value.exit_code == 2
