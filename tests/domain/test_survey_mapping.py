"""Comparison across surveys as data: the shipped 2011 to 2013 mapping, and how ``frameworks
check`` refuses a mapping that names what the surveys do not hold. Plain data, no database."""

from __future__ import annotations

import shutil

import pytest
import yaml

from selfassess.domain.frameworks import check_directory, load_library
from tests.domain.test_framework_errors import QUESTIONS

MAPPING = "comparisons/national-survey-2011-to-2013.yaml"


def test_the_shipped_mapping_pairs_what_the_2013_report_compares():
    (mapping,) = load_library(QUESTIONS).comparisons
    assert (mapping.earlier, mapping.later) == ("national-survey-2011", "national-survey-2013")
    pairs = {p.later: p for p in mapping.pairs}
    assert pairs["q1"].earlier == "q39" and dict(pairs["q1"].options)["yes"] == ("implemented",)
    assert dict(pairs["q6"].options)["housing_services"] == ("housing",)
    assert all(not p.like_for_like and p.note for p in mapping.pairs)


def _edit(folder, change):
    path = folder / MAPPING
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda d: d.update(later="national-survey-2099"), "later", "no framework"),
        (lambda d: d.update(earlier="iom-key-principles"), "earlier", "is not a survey"),
        (lambda d: d["pairs"][0].update(earlier="q99"), "pairs[0].earlier", "not an item"),
        (
            lambda d: d["pairs"][2]["options"].update(courts=["courts"]),
            "pairs[2].options.courts",
            "'courts' is not an option of earlier q40",
        ),
        (
            lambda d: d["pairs"][2]["options"].update(police=["police", "probation"]),
            "pairs[2].options.police",
            "count some twice",
        ),
        (lambda d: d["pairs"][0].pop("note"), "pairs[0].note", "how the bases differ"),
        (lambda d: d["pairs"][0].pop("like_for_like"), "pairs[0].like_for_like", "required"),
        (lambda d: d["pairs"].append(dict(d["pairs"][0])), "pairs[3].later", "paired twice"),
    ],
    ids=[
        "unknown-survey",
        "not-a-survey",
        "unknown-item",
        "unknown-option",
        "adding-multi-choices",
        "unlike-without-note",
        "like-for-like-unsaid",
        "paired-twice",
    ],
)
def test_frameworks_check_refuses_a_broken_mapping(tmp_path, change, where, message):
    questions = tmp_path / "questions"
    shutil.copytree(QUESTIONS, questions)
    _edit(questions, change)
    _, problems = check_directory(questions)
    found = [p for p in problems if p.file == MAPPING]
    assert any(where == p.path and message in p.message for p in found), [str(p) for p in found]
