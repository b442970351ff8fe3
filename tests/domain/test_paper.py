"""What a scanned question's boxes say, from the ink in each: sure only when every box is
plainly empty or plainly marked and at most one is marked; anything else is put to the lead."""

from selfassess.domain.paper import (
    CANCELLED,
    DOUBTFUL,
    EMPTY,
    MARKED,
    BoxInk,
    box_state,
    read_question,
)

EMPTY_INK = BoxInk(0.002, 0.005)
TICK = BoxInk(0.2, 0.3)
FILLED = BoxInk(0.97, 0.99)
FAINT = BoxInk(0.0, 0.2)
HALF_FILLED = BoxInk(0.78, 0.9)
SPECK = BoxInk(0.04, 0.05)


def boxes(**marks):
    values = ["red", "amber", "green", "dont_know", "not_applicable"]
    return {v: marks.get(v, EMPTY_INK) for v in values}


def test_each_box_is_empty_marked_cancelled_or_doubtful():
    assert box_state(EMPTY_INK) == EMPTY
    assert box_state(TICK) == MARKED
    assert box_state(FILLED) == CANCELLED
    assert box_state(FAINT) == DOUBTFUL
    assert box_state(HALF_FILLED) == DOUBTFUL  # a big scribble or a small fill: not guessed
    assert box_state(SPECK) == DOUBTFUL


def test_one_tick_is_read_with_confidence():
    reading = read_question("1.1", boxes(green=TICK))
    assert (reading.value, reading.sure, reading.reason) == ("green", True, None)


def test_nothing_marked_is_a_sure_blank():
    reading = read_question("1.1", boxes())
    assert (reading.value, reading.sure) == (None, True)


def test_two_marks_are_put_to_the_lead_without_a_value():
    reading = read_question("1.1", boxes(red=TICK, green=TICK))
    assert (reading.value, reading.doubtful) == (None, True)
    assert reading.reason == "More than one box is marked"


def test_a_cancelled_box_beside_a_tick_reads_the_tick_but_asks():
    reading = read_question("1.1", boxes(red=FILLED, amber=TICK))
    assert (reading.value, reading.doubtful) == ("amber", True)
    assert reading.reason == "A box is filled in (a changed answer)"


def test_a_faint_mark_is_put_to_the_lead():
    reading = read_question("1.1", boxes(amber=FAINT))
    assert (reading.value, reading.doubtful) == (None, True)
    assert reading.reason == "A box holds a faint or partial mark"
    reading = read_question("1.1", boxes(green=TICK, red=FAINT))
    assert (reading.value, reading.doubtful) == ("green", True)
