"""The live workshop's plain rules: join codes, the walking order, progress."""

from __future__ import annotations

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import load_library
from selfassess.domain.workshop import (
    JOIN_CODE_ALPHABET,
    Change,
    Walk,
    contested_filter,
    is_valid_join_code,
    movement,
    new_join_code,
    normalise_join_code,
    progress_among,
    seconds_left,
    tally_words,
)


@pytest.fixture(scope="module")
def library():
    return load_library(PROJECT_ROOT / "questions")


@pytest.fixture(scope="module")
def walk(library):
    return Walk([library.get("iom-key-principles")])


def test_join_codes_are_eight_characters_without_look_alikes():
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200  # 31^8 possibilities: repeats here would mean no randomness
    for code in codes:
        assert len(code) == 8
        assert is_valid_join_code(code)
        assert not set(code) & set("01IOL")
    assert not set(JOIN_CODE_ALPHABET) & set("01IOL")


def test_typed_codes_are_read_forgivingly():
    assert normalise_join_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalise_join_code(None) == ""
    assert not is_valid_join_code("ABCDEFG")  # too short
    assert not is_valid_join_code("ABCDEFG0")  # zero is not in the alphabet


def test_the_walk_takes_the_32_key_principles_questions_in_order(walk):
    assert len(walk) == 32
    assert [s.item_id for s in walk][:3] == ["1.1", "1.2", "1.3"]
    assert walk.stops[9].item_id == "1.10"
    assert walk.stops[10].item_id == "2.1"
    assert walk.stops[-1].item_id == "5.5"


def test_next_and_previous_stop_at_the_ends(walk):
    first = walk.first
    second = walk.next(first)
    assert second.number == 2
    assert walk.previous(second) == first
    assert walk.previous(first) is None
    assert walk.next(walk.stops[-1]) is None
    assert walk.next(None) == first


def test_frameworks_follow_the_assessments_order_and_unrated_ones_are_skipped(library):
    walk = Walk(
        [library.get("dip"), library.get("national-survey-2013"), library.get("iom-key-principles")]
    )
    dip_items = len(library.get("dip").items)
    assert len(walk) == dip_items + 32
    assert walk.first.framework_id == "dip"
    assert walk.stops[dip_items].framework_id == "iom-key-principles"
    assert walk.stops[dip_items].item_id == "1.1"


def test_jump_finds_any_item(walk):
    stop = walk.find("iom-key-principles", "2.3")
    assert stop.item_id == "2.3"
    assert walk.find("iom-key-principles", "9.9") is None
    assert walk.find(None, None) is None


def test_contested_only_skips_the_others(walk):
    contested = {("iom-key-principles", "1.3"), ("iom-key-principles", "4.1")}
    only = contested_filter(contested)
    first = walk.next(None, only)
    assert first.item_id == "1.3"
    assert walk.next(first, only).item_id == "4.1"
    assert walk.next(walk.find("iom-key-principles", "4.1"), only) is None
    assert walk.previous(walk.find("iom-key-principles", "5.5"), only).item_id == "4.1"
    # From an item that is not contested, the next contested one after it.
    assert walk.next(walk.find("iom-key-principles", "2.1"), only).item_id == "4.1"
    assert progress_among(walk.only(contested), first).label == "Question 1 of 2"
    assert progress_among(walk.only(contested), walk.first) is None


def test_progress_reads_question_n_of_total(walk):
    stop = walk.stops[6]
    progress = walk.progress(stop)
    assert progress.label == "Question 7 of 32"
    assert progress.percent == 22
    assert walk.progress(walk.stops[-1]).percent == 100


# --- rounds ----------------------------------------------------------------------------------


def test_movement_counts_who_moved_per_agency_among_those_who_voted_in_both_rounds():
    moved = movement(
        [
            Change("police", "Pat", "red", "amber"),
            Change("police", "Pol", "red", "red"),
            Change("police", "Pip", "red", "amber"),
            Change("health", "Hal", "green", "amber"),
            Change("housing", "Nia", "green", "green"),
        ]
    )
    by_agency = {m.agency: m for m in moved}
    assert [m.agency for m in moved] == ["health", "housing", "police"]
    police = by_agency["police"]
    assert (police.voted_both, police.moved) == (3, 2)
    assert police.shifts == (("red", "amber", 2),)
    assert police.movers == (("Pat", "red", "amber"), ("Pip", "red", "amber"))
    assert (by_agency["housing"].moved, by_agency["housing"].shifts) == (0, ())
    assert by_agency["health"].shifts == (("green", "amber", 1),)
    assert movement([]) == []


def test_a_rounds_votes_in_words_name_every_choice_and_the_total():
    labels = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
    assert tally_words({"red": 2, "green": 1}, labels) == "Red 2, Amber 0, Green 1 (3 votes)"
    assert tally_words({"amber": 1}, labels) == "Red 0, Amber 1, Green 0 (1 vote)"


def test_the_countdown_informs_and_stops_at_nought():
    assert seconds_left(None, 60) is None
    assert seconds_left(10, None) is None
    assert seconds_left(10.4, 60) == 49
    assert seconds_left(500, 60) == 0
