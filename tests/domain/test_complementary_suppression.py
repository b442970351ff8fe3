"""Disclosure control in the regional picture: a figure hidden because its region is small
cannot be worked out from the England and Wales figures and the other regions. Plain data.

The attacker here knows what the pages show: the national counts, every region's n and every
figure a region shows. For each hidden figure they take the shown regions from the national
count; that recovers the figure when it is the only one hidden, or when the hidden ones together
are too few to say who answered what.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import load_library
from selfassess.domain.national import build_picture, build_regional_pictures, complementary

S = "national-survey-2013"
THRESHOLD = 3


@pytest.fixture(scope="module")
def survey():
    return load_library(PROJECT_ROOT / "questions").get(S)


def _pictures(survey, answers: dict[str, list[str]]):
    """answers: region -> each return's q1 answer. Returns (national, regional)."""
    rows = [
        (region, S, "q1", value, values.count(value))
        for region, values in answers.items()
        for value in set(values)
    ]
    returns = {region: len(values) for region, values in answers.items()}
    regional = build_regional_pictures("c", [survey], returns, rows, threshold=THRESHOLD)
    national = build_picture("c", [survey], sum(returns.values()), [r[1:] for r in rows])
    return national, regional


def recover(national, regional, key="q1") -> dict[str, dict[str, int]]:
    """What the attacker works out: the option counts of a region hidden on its own (or among
    hidden regions holding fewer than the threshold between them, one at a time)."""
    hidden = [r for r, p in regional.items() if p.items[key].suppressed and p.items[key].n]
    if not hidden:
        return {}
    left = {
        o.id: o.count - sum(p.items[key].option(o.id).count or 0 for p in regional.values())
        for o in national.items[key].options
    }
    if len(hidden) == 1:
        return {hidden[0]: left}
    if sum(regional[r].items[key].n for r in hidden) < THRESHOLD:
        # So few that every combination is tiny: count it as given away.
        return dict.fromkeys(hidden, left)
    # Several hidden regions sharing the remainder: only when one answer takes all of it is
    # anyone's answer known, and then for at least THRESHOLD returns, as for a shown region.
    return {}


def test_one_small_region_hides_the_next_smallest_too(survey):
    national, regional = _pictures(
        survey,
        {
            "north_west": ["yes"] * 6,
            "london": ["yes"] * 3 + ["no"],
            "wales": ["no"],  # one return: hidden as too few
        },
    )
    assert regional["wales"].items["q1"].suppressed
    # London (4 returns) would give Wales away: national "no" 2 - north west 0 - london 1.
    assert regional["london"].items["q1"].suppressed
    assert not regional["north_west"].items["q1"].suppressed
    assert regional["london"].items["q1"].option("no").count is None
    assert recover(national, regional) == {}


def test_without_the_complement_the_hidden_figure_would_be_recovered(survey):
    """The attack works on what primary suppression alone would show."""
    national, regional = _pictures(
        survey, {"north_west": ["yes"] * 6, "london": ["yes"] * 3 + ["no"], "wales": ["no"]}
    )
    unhidden = dict(regional)
    london = build_picture("c", [survey], 4, [(S, "q1", "yes", 3), (S, "q1", "no", 1)])
    unhidden["london"] = replace(regional["london"], items=london.items)
    assert recover(national, unhidden) == {"wales": {"yes": 0, "no": 1}}


def test_two_tiny_regions_hidden_together_are_not_enough(survey):
    """Two regions of one return each: their sum (2) is below the threshold, so a third hides."""
    national, regional = _pictures(
        survey,
        {
            "north_west": ["yes"] * 5,
            "london": ["yes"] * 4,
            "wales": ["no"],
            "north_east": ["no"],
        },
    )
    hidden = {r for r, p in regional.items() if p.items["q1"].suppressed}
    assert hidden == {"wales", "north_east", "london"}  # london is the smaller of the two left
    assert recover(national, regional) == {}


@pytest.mark.parametrize(
    ("sizes", "hidden", "more"),
    [
        ({"a": 5, "b": 4, "c": 1}, {"c"}, {"b"}),
        ({"a": 5, "b": 4, "c": 1, "d": 1}, {"c", "d"}, {"b"}),
        ({"a": 5, "b": 4, "c": 2, "d": 1}, {"c", "d"}, set()),
        ({"a": 5, "b": 0, "c": 1}, {"b", "c"}, {"a"}),  # a region without answers hides nothing
        ({"a": 5, "b": 4}, set(), set()),
        ({"a": 1}, {"a"}, set()),  # nothing left to hide: the national total is the region's
    ],
)
def test_the_rule(sizes, hidden, more):
    assert complementary(sizes, hidden, THRESHOLD) == more


def test_a_combined_figure_is_hidden_with_its_item(survey):
    """Over every return, a figure's base passes the threshold where the answers it counts do
    not: it is hidden whenever its item is."""
    from selfassess.domain.frameworks import FigureRule

    every = FigureRule("any_yes", "Said yes", "q1", "any_of", ("yes",), base="returns")
    with_figure = replace(survey, figures=(every,))
    rows = [
        ("london", S, "q1", "yes", 1),
        ("wales", S, "q1", "yes", 4),
        ("wales", S, "q1", "no", 2),
    ]
    regional = build_regional_pictures(
        "c",
        [with_figure],
        {"london": 5, "wales": 6},  # four London returns left q1 blank
        rows,
        threshold=THRESHOLD,
        figure_counts=[("london", S, "any_yes", 1), ("wales", S, "any_yes", 4)],
    )
    london = regional["london"]
    assert london.items["q1"].suppressed and london.figures["any_yes"].base == 5
    assert london.figures["any_yes"].suppressed and london.figures["any_yes"].n is None
    # Wales's q1 is hidden to protect London's, and its figure with it.
    assert regional["wales"].items["q1"].suppressed
    assert regional["wales"].figures["any_yes"].suppressed
