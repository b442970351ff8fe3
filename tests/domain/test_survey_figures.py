"""Figures combining answers as data: what the surveys declare, how a unit is counted, and how
``frameworks check`` refuses a figure that cannot be computed. Plain data, no database."""

from __future__ import annotations

import shutil

import pytest

from selfassess.domain.frameworks import check_directory, load_library
from tests.domain.test_framework_errors import QUESTIONS, edit

S = "national-survey-2013"


@pytest.fixture(scope="module")
def survey():
    return load_library(QUESTIONS).get(S)


def test_the_2013_survey_declares_the_combined_figures_it_prints(survey):
    several = next(f for f in survey.figures if f.id == "several_offender_types")
    # Every q11 option counts; two or more of them make "more than one type".
    assert several.counted(survey.item("q11")) == (
        tuple(o.id for o in survey.item("q11").options),
        2,
    )
    colocated = next(f for f in survey.figures if f.id == "police_colocated_with_three")
    values, at_least = colocated.counted(survey.item("q8"))
    assert set(values) == {"probation", "drug_alcohol_services", "local_authority"}
    assert at_least == 3


def _figure(**changes):
    def change(data):
        # The survey is in English and Welsh: a figure added to it gives its text in both.
        text = {"en": "Broken", "cy": "Wedi torri", "cy_review": "awaiting"}
        figure = {"id": "broken", "text": text, "item": "q11", "rule": "more_than_one"}
        figure.update(changes)
        data["figures"] = [*data.get("figures", []), figure]

    return change


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (_figure(item="q99"), "figures[2].item", "'q99', which is not an item"),
        (_figure(options=["ppo", "aliens"]), "figures[2].options", "'aliens' is not an option"),
        (_figure(rule="all_of"), "figures[2].options", "lists the options it counts"),
        (_figure(rule="all_of", options=["ppo"]), "figures[2].options", "two options or more"),
        (_figure(item="q3"), "figures[2].rule", "needs a multi item"),
        (
            _figure(item="q8", rule="all_of", options=["probation", "none"]),
            "figures[2].options",
            "chosen only on its own",
        ),
        (_figure(id="several_offender_types"), "figures[2].id", "duplicate figure id"),
        (_figure(base="everyone"), "figures[2].base", ""),
    ],
    ids=[
        "unknown-item",
        "unknown-option",
        "all-of-without-options",
        "all-of-one-option",
        "more-than-one-on-single",
        "all-of-with-exclusive",
        "duplicate-id",
        "unknown-base",
    ],
)
def test_frameworks_check_refuses_figures_that_cannot_be_computed(tmp_path, change, where, message):
    questions = tmp_path / "questions"
    shutil.copytree(QUESTIONS, questions)
    edit(questions, "national-survey-2013.yaml", change)
    _, problems = check_directory(questions)
    found = [p for p in problems if p.file == "national-survey-2013.yaml"]
    assert any(where in p.path and message in p.message for p in found), [str(p) for p in found]


def test_figures_do_not_change_a_published_version(survey, tmp_path):
    """A figure reads answers and changes none, so adding one to a version in use is allowed."""
    questions = tmp_path / "questions"
    shutil.copytree(QUESTIONS, questions)
    edit(questions, "national-survey-2013.yaml", _figure(id="another"))
    frameworks, problems = check_directory(questions)
    assert not problems
    edited = next(f for f in frameworks if f.id == S and f.version == survey.version)
    assert edited.content_hash == survey.content_hash
