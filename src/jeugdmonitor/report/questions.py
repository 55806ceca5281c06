"""Questions for the council's debate (gespreksvragen): which configured questions a page shows.

A goal's questions (config/doelen.yaml `gespreksvragen`, each with the regiovisie passage it
rests on) are shown only beside a goal that is off course ("niet op koers" or "niet gehaald"),
never beside one on course, met or without a verdict; a key figure's questions
(config/kpis.yaml `gespreksvragen`) only beside a figure that worsened on the year before.
The rule lives here once, so the municipality report and the region overview agree; the words
around the questions are in the templates.
"""

from __future__ import annotations

from typing import Any

from jeugdmonitor.definitions import config
from jeugdmonitor.report import goals, trend_breaks
from jeugdmonitor.vocabulary import CHANGE_WORSE, GOAL_NOT_MET, GOAL_OFF_TRACK

OFF_COURSE = (GOAL_OFF_TRACK, GOAL_NOT_MET)  # the goal statuses that call for questions


def for_goal(goal: config.Goal, assessment: goals.Assessment) -> tuple[config.Question, ...]:
    """The goal's questions when `assessment` is off course; none otherwise."""
    return goal.questions if assessment.status in OFF_COURSE else ()


def for_goal_line(line: goals.GoalLine) -> tuple[config.Question, ...]:
    """A municipality's questions on a goal: on its own status, or on the region's where the goal
    is judged for the region only (the municipality then has no status of its own)."""
    if line.municipality.reason == "alleen_regio":
        return for_goal(line.goal, line.region)
    return for_goal(line.goal, line.municipality)


def for_figure(kpi: config.Kpi, judgement: str) -> tuple[str, ...]:
    """The key figure's questions when it worsened on the year before (goals.judge_change); none otherwise."""
    return kpi.questions if judgement == CHANGE_WORSE else ()


def worsened_figures(cfg: config.Config, values: goals.Values, area: str, year: int,
                     kpi_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Per KPI of `kpi_ids` that worsened for `area` since the year before and has questions:
    the KPI, its change, its questions and the breaks the change crosses, in the order of `kpi_ids`."""
    result = []
    for kpi_id in kpi_ids:
        kpi = cfg.kpis[kpi_id]
        change = goals.change_on_previous_year(values, kpi, area, year)
        questions = for_figure(kpi, goals.judge_change(kpi, change))
        if questions:
            result.append({"kpi": kpi, "change": change, "questions": questions,
                           "breaks": trend_breaks.between(cfg, kpi, year - 1, year)})
    return result
