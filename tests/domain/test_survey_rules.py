"""Consistency rules as data: what the 2013 survey declares, how answers are held to it, and how
``frameworks check`` refuses rules that cannot be kept. Plain data, no database."""

from __future__ import annotations

import shutil

import pytest

from selfassess.domain.frameworks import check_directory, load_library
from selfassess.domain.survey_rules import consistency_problems
from tests.domain.test_framework_errors import QUESTIONS, edit

S = "national-survey-2013"


@pytest.fixture(scope="module")
def survey():
    return load_library(QUESTIONS).get(S)


def _problems(survey, answers, arrangements):
    given = {(S, iid, arr): values for (iid, arr), values in answers.items()}
    return [
        (p.item_id, p.arrangement, p.rule)
        for p in consistency_problems([survey], given, arrangements)
    ]


def test_the_2013_survey_declares_its_rules(survey):
    assert survey.item("q13").exclusive == ("none",)
    assert survey.item("q8").exclusive == ("none",)
    assert survey.item("q12").exclusive == ("not_formally_monitored",)
    assert survey.item("q4").arrangements == {"one": ("exactly", 1), "several": ("at_least", 2)}
    assert survey.item("q5").arrangements["four_or_more"] == ("at_least", 4)
    assert survey.item("q13").asked_if.item == "q1"


@pytest.mark.parametrize(
    ("answers", "arrangements", "broken"),
    [
        ({("q13", 0): ["iom_key_principles", "none"]}, 0, [("q13", 0, "exclusive")]),
        ({("q13", 0): ["none"]}, 0, []),
        ({("q1", 0): ["yes"], ("q4", 0): ["one"]}, 2, [("q4", 0, "arrangements")]),
        ({("q1", 0): ["yes"], ("q4", 0): ["one"]}, 1, []),
        ({("q1", 0): ["yes"]}, 0, [("q1", 0, "arrangements")]),
        ({("q1", 0): ["no"]}, 1, [("q1", 0, "arrangements")]),
        ({("q4", 0): ["several"], ("q5", 0): ["three"]}, 2, [("q5", 0, "arrangements")]),
        ({("q4", 0): ["several"], ("q5", 0): ["four_or_more"]}, 6, []),
    ],
)
def test_answers_are_held_to_the_rules(survey, answers, arrangements, broken):
    assert _problems(survey, answers, arrangements) == broken


def _q13(d):
    return next(i for s in d["sections"] for i in s["items"] if i["id"] == "q13")


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda d: _q13(d).update(exclusive=["nothing"]),
            "exclusive",
            "'nothing' is not an option",
        ),
        (
            lambda d: d["sections"][0]["items"][0].update(exclusive=["yes"]),
            "exclusive",
            "only a multi item",
        ),
        (
            lambda d: _q13(d).update(exclusive=[o["id"] for o in _q13(d)["options"]]),
            "exclusive",
            "every option is exclusive",
        ),
        (
            lambda d: d["sections"][0]["items"][3].update(arrangements={"many": {"exactly": 9}}),
            "arrangements",
            "'many' is not an option",
        ),
        (
            lambda d: _q13(d).update(arrangements={"none": {"exactly": 0}}),
            "arrangements",
            "a multi item's options cannot each set the number",
        ),
        (
            lambda d: d["sections"][1]["items"][0].update(arrangements={"police": {"at_least": 1}}),
            "arrangements",
            "per arrangement",
        ),
        (
            lambda d: d["sections"][0]["items"][3].update(arrangements={"one": {"about": 1}}),
            "arrangements",
            "",
        ),
    ],
    ids=[
        "exclusive-unknown-option",
        "exclusive-on-single",
        "every-option-exclusive",
        "count-unknown-option",
        "count-on-multi",
        "count-per-arrangement",
        "count-neither-exactly-nor-at-least",
    ],
)
def test_frameworks_check_refuses_rules_that_cannot_be_kept(tmp_path, change, where, message):
    questions = tmp_path / "questions"
    shutil.copytree(QUESTIONS, questions)
    edit(questions, "national-survey-2013.yaml", change)
    _, problems = check_directory(questions)
    found = [p for p in problems if p.file == "national-survey-2013.yaml"]
    assert any(where in p.path and message in p.message for p in found), [str(p) for p in found]
