"""The shipped frameworks, loaded as plain data (no Flask)."""

from __future__ import annotations

import re

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import check_directory, load_library

QUESTIONS = PROJECT_ROOT / "questions"
SOURCE = QUESTIONS / "sources" / "iom-key-principles-2010.md"


@pytest.fixture(scope="module")
def library():
    return load_library(QUESTIONS)


def test_every_shipped_file_is_valid():
    frameworks, problems = check_directory(QUESTIONS)
    assert problems == []
    assert {fw.id for fw in frameworks} == {
        "iom-key-principles",
        "hallmarks",
        "ppo-traffic-light",
        "dip",
        "national-survey-2011",
        "national-survey-2013",
    }


def test_key_principles_has_five_principles_and_32_questions_in_order(library):
    kp = library.get("iom-key-principles")
    assert [s.id for s in kp.sections] == ["1", "2", "3", "4", "5"]
    expected = [
        f"{p}.{q}" for p, n in ((1, 10), (2, 6), (3, 5), (4, 6), (5, 5)) for q in range(1, n + 1)
    ]
    assert [i.id for i in kp.items] == expected
    assert len(kp.items) == 32
    assert kp.sections[0].title == "All partners tackling offenders together"


def _source_text() -> str:
    text = SOURCE.read_text(encoding="utf-8")
    text = text.split("\n---\n", 1)[1]  # the passage, without its provenance header
    text = re.sub(r"[*#]", "", text)
    return re.sub(r"\s+", " ", text)


def test_the_source_excerpt_says_where_it_comes_from():
    header = SOURCE.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "Integrated Offender Management: Key Principles" in header
    assert "Home Office and Ministry of Justice" in header
    assert "2010" in header


def test_questions_are_word_for_word_from_the_source(library):
    source = _source_text()
    kp = library.get("iom-key-principles")
    for item in kp.items:
        assert f"{item.id} {item.text}" in source, item.id
    for section in kp.sections:
        assert f"Principle {section.id}. {section.title}" in source, section.id
        # The source runs each description on after a dash ("... together - local partners
        # agree ..."); on its own it starts with a capital. Otherwise word for word.
        description = section.description[0].lower() + section.description[1:]
        assert f"{section.title} - {description}" in source, section.id


def test_every_question_evidences_at_least_one_hallmark(library):
    hallmark_ids = {i.id for i in library.get("hallmarks").items}
    assert len(hallmark_ids) == 6
    for item in library.get("iom-key-principles").items:
        assert item.tags.get("hallmarks"), item.id
        assert set(item.tags["hallmarks"]) <= hallmark_ids


def test_hallmarks_are_named_as_the_source_names_them(library):
    assert [i.text for i in library.get("hallmarks").items] == [
        "Empowered and Effective Leadership",
        "Visible and Constructive Accountability",
        "Intelligence-led Business Processes",
        "Effective and Responsive Delivery Structures",
        "Engaged Communities",
        "Appropriate Skills and Knowledge",
    ]


@pytest.mark.parametrize(
    ("framework_id", "sections"),
    [
        ("ppo-traffic-light", ["people-relationships", "data-analysis", "structures-processes"]),
        ("dip", ["identification", "assessment", "case-management"]),
    ],
)
def test_ppo_and_dip_have_their_sections_and_mark_derived_wording(library, framework_id, sections):
    fw = library.get(framework_id)
    assert [s.id for s in fw.sections] == sections
    assert all(len(s.items) >= 3 for s in fw.sections)
    assert fw.has_derived_wording
    assert all(item.derived for item in fw.items)


def test_rated_frameworks_declare_scale_and_section_rule(library):
    for fw in library.of_kind("rag"):
        assert [(v.id, v.score) for v in fw.scale] == [
            ("red", 1),
            ("amber", 2),
            ("green", 3),
            ("dont_know", None),
            ("not_applicable", None),
        ]
        assert fw.section_rule.method == "mean"
        assert fw.section_rule.green_at_least >= fw.section_rule.amber_at_least


def test_survey_follow_ups_point_back_to_earlier_items(library):
    for fw in library.of_kind("survey"):
        seen: dict[str, object] = {}
        for item in fw.items:
            assert item.type in {"single", "multi", "yes_no_partly", "band"}
            assert item.unit in {"partnership", "arrangement"}
            if item.asked_if:
                target = seen[item.asked_if.item]
                assert set(item.asked_if.values) <= {o.id for o in target.options}
            seen[item.id] = item


def test_2013_survey_covers_the_published_categories(library):
    survey = library.get("national-survey-2013")
    labels = " | ".join(o.label.lower() for i in survey.items for o in i.options)
    for category in (
        "police",
        "probation",
        "housing",
        "prison",
        "youth",
        "courts",
        "drug",
        "women",
        "gang",
        "foreign national",
        "idiom",
        "key principles",
        "ppo",
    ):
        assert category in labels, category
    assert any(i.unit == "arrangement" for i in survey.items)
    assert any(i.type == "band" for i in survey.items)
    assert any(i.type == "multi" for i in survey.items)


def test_asked_if_holds_only_for_listed_answers(library):
    survey = library.get("national-survey-2013")
    follow_up = next(i for i in survey.items if i.asked_if)
    listed = follow_up.asked_if.values[0]
    assert follow_up.asked_if.holds(listed)
    assert follow_up.asked_if.holds([listed, "something_else"])
    assert not follow_up.asked_if.holds("something_else")
    assert not follow_up.asked_if.holds(None)


def test_sections_are_named_by_number_or_by_title(library):
    kp = library.get("iom-key-principles")
    ppo = library.get("ppo-traffic-light")
    assert kp.section_heading("1") == "Principle 1: All partners tackling offenders together"
    assert kp.section_short_name("1") == "Principle 1"
    assert ppo.section_heading("people-relationships") == "People and relationships"
    assert ppo.section_short_name("data-analysis") == "Data and analysis"
