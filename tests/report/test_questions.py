"""Questions for the council (gespreksvragen): shown beside an off-course goal or a worsened
figure, never beside a goal on course; every bundled goal with a target carries its questions."""

from __future__ import annotations

import dataclasses

import pytest

from jeugdmonitor.definitions import config, configcheck
from jeugdmonitor.report import goals, municipal, overview, questions
from jeugdmonitor.report.inputs import Inputs
from jeugdmonitor.report.subject import Report
from jeugdmonitor.vocabulary import GOAL_STATUSES

from .helpers import memory_inputs

MEMBERS = {"GM0503": "Delft", "GM0603": "Rijswijk"}
GOAL_QUESTION = "Welke jongeren kwamen dit jaar in een voorziening met verblijf terecht"
FIGURE_QUESTION = "Wat verklaart de stijging van het aantal zorgelijk wachtenden?"


def _level(code: str) -> str:
    return "gemeente" if code.startswith("GM") else "jeugdregio" if code.startswith("JZ") else "land"


def _inputs(cfg, values: dict[tuple[str, str], tuple[float, float]]) -> Inputs:
    """Inputs of 2023 with, per (kpi, area), the values of 2022 and 2023."""
    areas = [{"gebied_code": code, "naam": name, "niveau": "gemeente", "regio_code": "JZ24", "regio_naam": "Haaglanden"}
             for code, name in MEMBERS.items()]
    areas += [{"gebied_code": "JZ24", "naam": "Haaglanden", "niveau": "jeugdregio", "regio_code": "JZ24",
               "regio_naam": "Haaglanden"},
              {"gebied_code": "NL01", "naam": "Nederland", "niveau": "land", "regio_code": None, "regio_naam": None}]
    rows = [[area, _level(area), year, kpi, None, None, value, "definitief", False, None]
            for (kpi, area), pair in values.items() for year, value in zip((2022, 2023), pair, strict=True)]
    return memory_inputs(cfg, areas, rows, validation={"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": [], "datadocs": {}})


def _note(html: str, goal_id: str) -> str:
    note = html[html.index(f'id="toelichting-{goal_id}"'):]
    return note[: note.index("</li>\n<li") if "</li>\n<li" in note else note.index("</ol>")]


@pytest.mark.parametrize("status", GOAL_STATUSES)
def test_a_goal_carries_its_questions_only_when_off_course(cfg, status):
    goal = cfg.goals["JZ24"][0]
    shown = questions.for_goal(goal, goals.Assessment(status, "x"))
    assert shown == (goal.questions if status in ("niet op koers", "niet gehaald") else ())


def test_the_report_shows_questions_beside_the_off_course_goal_and_not_beside_the_on_course_one(cfg):
    # Delft rises (niet op koers), the region falls (op koers)
    inputs = _inputs(cfg, {("jeugdhulp_met_verblijf_per_1000", "GM0503"): (6.0, 6.5),
                           ("jeugdhulp_met_verblijf_per_1000", "JZ24"): (8.0, 7.5)})
    html = municipal.summary(Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))
    note = _note(html, "minder_verblijf")
    assert GOAL_QUESTION in note and "(regiovisie: Transformatiefonds Jeugdhulp Haaglanden" in note
    assert "Vragen voor het gesprek in de raad" in note
    # Rijswijk falls (op koers): no question anywhere on its page
    inputs = _inputs(cfg, {("jeugdhulp_met_verblijf_per_1000", "GM0603"): (5.0, 4.0),
                           ("jeugdhulp_met_verblijf_per_1000", "JZ24"): (8.0, 7.5)})
    html = municipal.summary(Report(inputs, "GM0603", "Rijswijk", "JZ24", "Haaglanden"))
    assert GOAL_QUESTION not in html and "Vragen voor het gesprek" not in html


def test_a_worsened_figure_carries_its_questions_and_an_improved_one_does_not(cfg):
    inputs = _inputs(cfg, {("zorgelijk_wachtenden", "GM0503"): (20.0, 40.0), ("zorgelijk_wachtenden", "JZ24"): (100.0, 90.0)})
    html = municipal.summary(Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))
    section = html[html.index('id="gespreksvragen"'):]
    assert FIGURE_QUESTION in section and "Zorgelijk wachtenden is in Delft verslechterd sinds 2022 (+20 jongeren)" in section
    inputs = _inputs(cfg, {("zorgelijk_wachtenden", "GM0503"): (40.0, 20.0)})
    html = municipal.summary(Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))
    assert FIGURE_QUESTION not in html and 'id="gespreksvragen"' not in html
    # within the margin (5 jongeren) is about the same, not worse
    inputs = _inputs(cfg, {("zorgelijk_wachtenden", "GM0503"): (20.0, 24.0)})
    assert FIGURE_QUESTION not in municipal.summary(Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))


def test_the_region_overview_shows_questions_only_for_the_regions_off_course_goals(cfg):
    rising = _inputs(cfg, {("jeugdhulp_met_verblijf_per_1000", "JZ24"): (7.5, 8.0)})
    assert GOAL_QUESTION in overview.region_page(rising, "JZ24")
    falling = _inputs(cfg, {("jeugdhulp_met_verblijf_per_1000", "JZ24"): (8.0, 7.5)})
    assert GOAL_QUESTION not in overview.region_page(falling, "JZ24")


def test_a_goal_for_the_region_only_takes_the_regions_status():
    goal = config.Goal("JZ24", "g", "doel", "bron", "kpi", "daling", municipality="alleen_regio",
                       questions=(config.Question("Waarom?", "passage"),))
    kpi = config.Kpi("kpi", "n", "o", {"bron": "jeugdzorg"}, None, 1.0, "jongeren", "lager_beter", 0, None)
    none = goals.Assessment("geen doel", "alleen_regio")
    off = goals.GoalLine(goal, kpi, none, goals.Assessment("niet op koers", "vorig_jaar"), None)
    on = dataclasses.replace(off, region=goals.Assessment("op koers", "vorig_jaar"))
    assert questions.for_goal_line(off) == goal.questions and questions.for_goal_line(on) == ()


def test_every_bundled_goal_with_a_verdict_has_questions_tied_to_a_passage(cfg):
    for region, region_goals in cfg.goals.items():
        for goal in region_goals:
            if goal.rule == "volgen":  # never off course: a question would never be shown
                assert not goal.questions, (region, goal.id)
                continue
            assert goal.questions, (region, goal.id)
            assert all(q.text.endswith("?") and q.passage for q in goal.questions), (region, goal.id)


def test_a_question_without_its_passage_is_refused(project):
    path = project / "config" / "doelen.yaml"
    text = path.read_text(encoding="utf-8")
    old = "          passage: \"Transformatiefonds Jeugdhulp Haaglanden 2019-2021, § 4: 'de gemeenten"
    assert old in text
    path.write_text(text.replace(old, "          toelichting: \"x", 1), encoding="utf-8")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match="passage"):
        configcheck.check()


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    ("doelen.yaml", "      regel: volgen\n", "      regel: volgen\n      gespreksvragen: [{vraag: \"Waarom?\", passage: \"p\"}]\n",
     "regel volgen is dat nooit"),
    ("kpis.yaml", "    richting: neutraal\n", "    richting: neutraal\n    gespreksvragen: [\"Waarom?\"]\n",
     "richting neutraal verslechtert nooit"),
])
def test_a_question_that_could_never_be_shown_is_refused(project, name, old, new, message):
    path = project / "config" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match=message):
        config.load()
