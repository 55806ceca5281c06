"""Goal statuses from the rules in config/doelen.yaml (goals.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor.definitions import config
from jeugdmonitor.report import goals
from jeugdmonitor.vocabulary import (
    GOAL_MET,
    GOAL_NONE,
    GOAL_NOT_MET,
    GOAL_OFF_TRACK,
    GOAL_ON_TRACK,
    GOAL_UNDECIDABLE,
)


def _values(*rows):
    """rows: (kpi, area, year, value[, status])"""
    frame = pd.DataFrame([(r[0], r[1], r[2], r[3], r[4] if len(r) > 4 else "definitief") for r in rows],
                         columns=["kpi", "gebied_code", "jaar", "waarde", "status"])
    frame["waarde"] = frame["waarde"].astype("Float64")
    return goals.Values(frame)


def _goal(rule, kpi="k", **extra):
    return config.Goal(region="JZ31", id="g", text="doel", source="bron", kpi=kpi, rule=rule, **extra)


def test_falling_is_on_track_and_rising_is_not():
    values = _values(("k", "JZ31", 2022, 8.0), ("k", "JZ31", 2023, 7.5, "nader voorlopig"), ("k", "GM1", 2022, 1.0),
                     ("k", "GM1", 2023, 1.0))
    falling = goals.assess(_goal("daling"), values, "JZ31", 2023)
    assert (falling.status, falling.reason, falling.previous, falling.data_status) == (GOAL_ON_TRACK, "vorig_jaar", 8.0, "nader voorlopig")
    assert goals.assess(_goal("daling"), values, "GM1", 2023).status == GOAL_OFF_TRACK  # equal is not lower
    assert goals.assess(_goal("daling"), values, "JZ31", 2022).status == GOAL_UNDECIDABLE  # no 2021


def test_missing_and_suppressed_values_cannot_be_decided():
    values = _values(("k", "JZ31", 2023, None, "voorlopig"))
    assert goals.assess(_goal("daling"), values, "JZ31", 2023).reason == "onderdrukt"
    assert goals.assess(_goal("daling"), values, "JZ99", 2023).reason == "geen_cijfer"


def test_below_national():
    values = _values(("k", "JZ31", 2023, 300.0), ("k", "NL01", 2023, 325.0), ("k", "GM1", 2023, 330.0))
    assert goals.assess(_goal("onder_landelijk"), values, "JZ31", 2023).status == GOAL_MET
    assert goals.assess(_goal("onder_landelijk"), values, "GM1", 2023).status == GOAL_NOT_MET


def test_maximum_in_target_year_and_the_path_before_it():
    goal = _goal("max_waarde", value=100.0, year=2023, base_year=2019)
    values = _values(("k", "JZ31", 2019, 120.0), ("k", "JZ31", 2021, 109.0), ("k", "JZ31", 2022, 106.0),
                     ("k", "JZ31", 2023, 100.0), ("k", "JZ31", 2024, 101.0))
    on_path = goals.assess(goal, values, "JZ31", 2021)  # path: 120 -> 100 over 4 years: 110 in 2021
    assert (on_path.status, on_path.target) == (GOAL_ON_TRACK, pytest.approx(110.0))
    assert goals.assess(goal, values, "JZ31", 2022).status == GOAL_OFF_TRACK  # path 105 in 2022
    assert goals.assess(goal, values, "JZ31", 2023).status == GOAL_MET  # at most 100
    assert goals.assess(goal, values, "JZ31", 2024).status == GOAL_NOT_MET  # after the target year it still counts
    no_base = _goal("max_waarde", value=100.0, year=2023)
    assert goals.assess(no_base, values, "JZ31", 2021).reason == "doeljaar_vooruit_geen_pad"


def test_minimum_without_target_year():
    values = _values(("k", "JZ08", 2023, 61.0))
    assert goals.assess(_goal("min_waarde", value=60.0), values, "JZ08", 2023).status == GOAL_MET
    assert goals.assess(_goal("min_waarde", value=65.0), values, "JZ08", 2023).status == GOAL_NOT_MET


def test_municipality_is_judged_against_its_share_by_inhabitants():
    goal = _goal("max_waarde", value=100.0, year=2023, base_year=2019, municipality="aandeel_inwoners")
    values = _values(("k", "GM1", 2023, 21.0), ("inwoners", "GM1", 2023, 20000.0), ("inwoners", "JZ31", 2023, 100000.0),
                     ("k", "GM2", 2023, 19.0), ("inwoners", "GM2", 2023, 20000.0))
    above = goals.assess(goal, values, "GM1", 2023, region="JZ31")
    assert (above.status, above.target, above.share) == (GOAL_NOT_MET, pytest.approx(20.0), pytest.approx(0.2))
    assert goals.assess(goal, values, "GM2", 2023, region="JZ31").status == GOAL_MET
    assert goals.assess(goal, values, "GM3", 2023, region="JZ31").status == GOAL_UNDECIDABLE


def test_ratio_and_follow_and_region_only():
    values = _values(("in", "JZ36", 2023, 90.0), ("uit", "JZ36", 2023, 100.0), ("in", "GM1", 2023, 12.0),
                     ("uit", "GM1", 2023, 10.0))
    ratio = _goal("verhouding_max", kpi="in", value=1.0, relative_to="uit")
    assert goals.assess(ratio, values, "JZ36", 2023).status == GOAL_MET
    assert goals.assess(ratio, values, "GM1", 2023).status == GOAL_NOT_MET
    assert goals.assess(_goal("volgen", kpi="in"), values, "JZ36", 2023).status == GOAL_NONE
    region_only = _goal("daling", kpi="in", municipality="alleen_regio")
    assert goals.municipality_assessment(region_only, values, "GM1", "JZ36", 2023).reason == "alleen_regio"


def test_largest_changes_are_ranked_by_size_in_report_order_on_ties():
    frame = pd.DataFrame([
        ("a", "GM1", 2023, 110.0, "definitief", 10.0), ("a", "GM1", 2022, 100.0, "definitief", None),
        ("b", "GM1", 2023, 50.0, "voorlopig", -50.0), ("b", "GM1", 2022, 100.0, "definitief", None),
        ("c", "GM1", 2023, 90.0, "definitief", -10.0), ("c", "GM1", 2022, 100.0, "definitief", None),
        ("d", "GM1", 2023, 100.0, "definitief", 0.0), ("d", "GM1", 2022, 100.0, "definitief", None),
    ], columns=["kpi", "gebied_code", "jaar", "waarde", "status", "verandering_pct"])
    top = goals.largest_changes(frame, "GM1", 2023, ("a", "b", "c", "d"), count=3)
    assert top["kpi"].tolist() == ["b", "a", "c"]  # no unchanged KPI among them
    assert top["status"].iloc[0] == "voorlopig"


def test_every_configured_goal_has_a_known_rule_and_kpi(cfg):
    for region, region_goals in cfg.goals.items():
        assert region in cfg.register.regions
        for goal in region_goals:
            assert goal.rule in config.GOAL_RULES and goal.kpi in cfg.kpis


def test_rising_goal():
    values = _values(("k", "JZ08", 2022, 60.0), ("k", "JZ08", 2023, 64.0))
    assert goals.assess(_goal("stijging"), values, "JZ08", 2023).status == GOAL_ON_TRACK
    assert goals.assess(_goal("daling"), values, "JZ08", 2023).status == GOAL_OFF_TRACK


def test_a_goal_with_a_looptijd_keeps_the_status_of_its_last_year():
    goal = _goal("min_waarde", value=90.0, period=(2019, 2021))
    values = _values(("k", "JZ24", 2019, 80.0), ("k", "JZ24", 2021, 95.0))
    assert goals.assess(goal, values, "JZ24", 2018).status == GOAL_NONE
    assert goals.assess(goal, values, "JZ24", 2019).status == GOAL_NOT_MET
    after = goals.assess(goal, values, "JZ24", 2023)  # no 2023 figure: the fund ended in 2021
    assert (after.status, after.reason_year, after.value) == (GOAL_MET, 2021, 95.0)


def _kpi(direction="lager_beter", margin=5.0, decimals=0):
    return config.Kpi(id="k", name="K", description="", numerator={"bron": "jeugdzorg"}, denominator=None, scale=1,
                      unit="jongeren", direction=direction, decimals=decimals, max_jump_pct=None, margin=margin)


@pytest.mark.parametrize(("direction", "change", "word"), [
    ("lager_beter", -10.0, "beter"), ("lager_beter", 10.0, "slechter"), ("hoger_beter", 10.0, "beter"),
    ("hoger_beter", -10.0, "slechter"), ("neutraal", 10.0, "hoger"), ("neutraal", -10.0, "lager"),
    ("lager_beter", 4.9, "gelijk"), ("hoger_beter", -4.9, "gelijk"), ("neutraal", 0.0, "gelijk"),
    ("lager_beter", 5.0, "slechter"), ("lager_beter", None, "onbekend"),
])
def test_a_change_is_judged_in_words_with_the_kpis_margin(direction, change, word):
    assert goals.judge_change(_kpi(direction), change) == word


def test_a_change_is_computed_from_the_values_as_shown():
    # 24.54 and 20.36 are shown as 24,5 and 20,4: the page says -4,1, not -4,18 rounded to -4,2
    values = _values(("k", "GM1", 2022, 24.54), ("k", "GM1", 2023, 20.36))
    assert goals.change_on_previous_year(values, _kpi(decimals=1), "GM1", 2023) == pytest.approx(-4.1)


def test_a_goal_met_or_missed_within_the_margin_is_close():
    values = _values(("k", "GM1", 2022, 175.0), ("k", "GM1", 2023, 178.0), ("k", "JZ31", 2022, 990.0),
                     ("k", "JZ31", 2023, 1010.0))
    near = goals.assess(_goal("daling"), values, "GM1", 2023)
    far = goals.assess(_goal("daling"), values, "JZ31", 2023)
    assert near.status == far.status == GOAL_OFF_TRACK
    assert near.close(_kpi()) and not far.close(_kpi())
    # a ratio: 2362 started against 2363 ended meets "at most 1,00" by one trajectory
    ratio = _values(("in", "GM1", 2023, 2362.0), ("uit", "GM1", 2023, 2363.0))
    met = goals.assess(_goal("verhouding_max", kpi="in", value=1.0, relative_to="uit"), ratio, "GM1", 2023)
    assert met.status == GOAL_MET and met.close(_kpi(margin=10))


def test_the_base_year_itself_starts_the_path():
    goal = _goal("max_waarde", value=100.0, year=2023, base_year=2019)
    assessment = goals.assess(goal, _values(("k", "JZ31", 2019, 120.0)), "JZ31", 2019)
    assert (assessment.status, assessment.reason) == (GOAL_UNDECIDABLE, "is_basisjaar")
    before = goals.assess(goal, _values(("k", "JZ31", 2018, 120.0)), "JZ31", 2018)
    assert before.reason == "doeljaar_vooruit_geen_pad"
