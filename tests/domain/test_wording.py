"""Words on plain data: plurals of labels, section headings, history in labels, next cycles."""

from __future__ import annotations

from datetime import date

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.domain.assessment_status import can_start_next_cycle
from selfassess.domain.frameworks import load_library, plural
from selfassess.domain.history import change_lines
from selfassess.domain.scoring import framework_result


@pytest.fixture(scope="module")
def library():
    return load_library(PROJECT_ROOT / "questions")


def test_labels_are_made_plural_as_english_does():
    assert [plural(w) for w in ("Criterion", "Question", "Core function", "Principle")] == [
        "Criteria",
        "Questions",
        "Core functions",
        "Principles",
    ]
    assert plural("criterion") == "criteria"


def test_the_frameworks_say_criteria(library):
    assert library.get("dip").item_label_plural == "Criteria"
    assert library.get("ppo-traffic-light").item_label_plural == "Criteria"


def test_a_named_section_is_headed_once_and_a_numbered_one_with_its_title(library):
    ppo = framework_result(library.get("ppo-traffic-light"))
    named = ppo.sections[0]
    assert named.heading == f'Enabler "{named.title}"'
    kp = framework_result(library.get("iom-key-principles"))
    assert kp.sections[0].heading == f"Principle 1: {kp.sections[0].title}"


def test_every_section_description_reads_as_a_sentence(library):
    for framework in library:
        for section in framework.sections:
            if section.description:
                assert section.description[0].isupper(), (framework.id, section.id)


def test_history_speaks_in_labels_and_dates_as_people_write_them():
    words = {"value": str.capitalize, "status": {"not_started": "Not started"}.get}
    assert change_lines(None, {"value": "amber", "version": 1}, words) == ["Rating: Amber"]
    before = {"status": "not_started", "due_on": "2026-05-01", "owner": "Police", "version": 1}
    after = {"status": "not_started", "due_on": "2027-06-30", "owner": None, "version": 2}
    assert change_lines(before, after, words) == [
        "Owner: Police → blank",
        "Due: 1 May 2026 → 30 June 2027",
    ]
    assert change_lines(None, {"due_on": date(2026, 1, 9)}, {}) == ["Due: 9 January 2026"]


def test_a_next_cycle_starts_only_from_an_assessment_that_was_opened():
    assert not can_start_next_cycle("draft")
    assert all(can_start_next_cycle(s) for s in ("open", "agreed", "submitted"))
