"""Aggregation on plain data: rows as the grouped query returns them, no database, no Flask."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import (
    Framework,
    FrameworkVersionNotFound,
    Item,
    ScaleValue,
    Section,
    SectionRule,
    load_library,
)
from selfassess.domain.scoring import (
    AgreedInput,
    assess,
    framework_result,
    item_result,
    low_median,
    strengths_and_gaps,
)

KP = "iom-key-principles"
SCALE = (
    ScaleValue("red", "Red", 1),
    ScaleValue("amber", "Amber", 2),
    ScaleValue("green", "Green", 3),
    ScaleValue("dont_know", "Don't know", None, counts_as="dont_know"),
    ScaleValue("not_applicable", "Not applicable", None, counts_as="not_applicable"),
)
SCORES = {"red": 1, "amber": 2, "green": 3}


@pytest.fixture(scope="module")
def library():
    return load_library(PROJECT_ROOT / "questions")


def tiny(sizes=(2,), rule=None, section_label="Principle", tags=None) -> Framework:
    """A small rated framework: sections "1", "2"... holding items "1.1", "1.2"..."""
    sections = []
    position = 0
    for s, size in enumerate(sizes, start=1):
        items = []
        for i in range(1, size + 1):
            item_id = f"{s}.{i}"
            items.append(
                Item(
                    item_id,
                    f"Question {item_id}?",
                    str(s),
                    position,
                    tags=(tags or {}).get(item_id, {}),
                )
            )
            position += 1
        sections.append(Section(str(s), f"Section {s}", tuple(items)))
    return Framework(
        id="tiny",
        version="1",
        title="Tiny framework",
        kind="rag",
        source={},
        sections=tuple(sections),
        file="tiny.yaml",
        section_label=section_label,
        item_label="Question",
        scale=SCALE,
        section_rule=rule or SectionRule("mean", 2.5, 1.75),
    )


def one(values, agency="police", framework=None, agreed=None, **kwargs):
    """The result for item 1.1 of a tiny framework given some votes from one agency."""
    framework = framework or tiny()
    return item_result(
        framework, framework.item("1.1"), {agency: Counter(values)}, agreed, **kwargs
    )


def rows(framework_id, item_id, agency, *values):
    """Rows as SQL groups them: one per distinct value, with its count."""
    return [(framework_id, item_id, agency, v, c) for v, c in Counter(values).items()]


def agreed_all(framework, values):
    """Agree the items of a framework, in order, with the values given (None skips one)."""
    return {i.id: AgreedInput(v) for i, v in zip(framework.items, values, strict=False) if v}


# --- items ------------------------------------------------------------------------------


def test_no_ratings_at_all():
    r = one([])
    assert (r.n, r.n_scored, r.dont_know, r.not_applicable) == (0, 0, 0, 0)
    assert r.distribution == {
        "red": 0,
        "amber": 0,
        "green": 0,
        "dont_know": 0,
        "not_applicable": 0,
    }
    assert r.by_agency == {}
    assert r.derived is None and r.rating is None and r.rating_score is None
    assert r.agreement is None
    assert not r.contested and not r.uncertain
    assert r.provisional
    assert r.explanation == "Not rated: no one has rated this question yet."


def test_all_dont_know_is_uncertain_and_not_rated():
    r = one(["dont_know"] * 3)
    assert (r.n, r.n_scored, r.dont_know) == (3, 0, 3)
    assert r.derived is None and r.rating is None and r.agreement is None
    assert r.uncertain
    assert r.explanation == "Not rated: no one gave it red, amber or green; 3 of 3 said don't know."


def test_all_not_applicable_is_counted_but_not_rated_and_not_uncertain():
    r = one(["not_applicable"] * 4)
    assert (r.n, r.n_scored, r.not_applicable) == (4, 0, 4)
    assert r.rating is None
    assert not r.uncertain and not r.contested
    assert (
        r.explanation
        == "Not rated: no one gave it red, amber or green; 4 of 4 said not applicable."
    )


def test_one_rater():
    r = one(["green"])
    assert (r.n, r.n_scored, r.derived, r.rating, r.agreement) == (1, 1, "green", "green", 100)
    assert r.rating_label == "Green" and r.rating_score == 3
    assert r.explanation == "Provisional: the one rating given is green."


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["amber", "green"], "amber"),
        (["red", "green"], "red"),
        (["red", "amber"], "red"),
        (["red", "amber", "green", "green"], "amber"),
        (["red", "red", "green", "green"], "red"),
        (["amber", "amber", "green", "green", "green", "green"], "green"),
        (["red", "amber", "green"], "amber"),
        (["green", "green", "red"], "green"),
    ],
)
def test_median_rounds_towards_red_between_two_levels(values, expected):
    assert one(values).derived == expected


def test_unscored_votes_do_not_move_the_median():
    r = one(["red", "green", "green", "dont_know", "dont_know", "not_applicable"])
    assert r.derived == "green"
    assert (r.n, r.n_scored) == (6, 3)


@pytest.mark.parametrize(
    ("values", "agreement"),
    [
        (["amber"] * 3, 100),
        (["red", "amber", "amber", "green", "green"], 40),  # median amber: 2 of 5
        (["amber", "amber", "green"], 67),  # 66.7 rounds up
        (["red", "amber"] + ["green"] * 6, 75),  # median green: 6 of 8
        (["red"] + ["green"] * 7, 88),  # 87.5 rounds half up
        (["amber", "green", "dont_know"], 50),  # only scored votes count
    ],
)
def test_agreement_is_the_share_of_scored_votes_at_the_derived_rating(values, agreement):
    assert one(values).agreement == agreement


def test_distribution_overall_and_by_agency_in_scale_and_agency_order():
    framework = tiny()
    votes = {
        "probation": Counter(["green", "dont_know"]),
        "police": Counter(["red", "amber", "amber"]),
        "zz_new_agency": Counter(["green"]),
    }
    r = item_result(framework, framework.item("1.1"), votes)
    assert list(r.distribution.items()) == [
        ("red", 1),
        ("amber", 2),
        ("green", 2),
        ("dont_know", 1),
        ("not_applicable", 0),
    ]
    assert list(r.by_agency) == ["police", "probation", "zz_new_agency"]
    assert r.by_agency["police"] == {
        "red": 1,
        "amber": 2,
        "green": 0,
        "dont_know": 0,
        "not_applicable": 0,
    }
    assert r.agency_medians == {"police": "amber", "probation": "green", "zz_new_agency": "green"}


def test_values_off_the_scale_are_left_out():
    r = one(["amber", "purple"])
    assert r.n == 1 and "purple" not in r.distribution


def test_contested_when_red_and_green_are_both_given():
    r = one(["red", "amber", "amber", "amber", "green"])
    assert r.contested
    assert r.contested_reason == "some rated it red and some green"
    assert not one(["red", "amber", "amber"]).contested
    assert not one(["amber", "green", "green"]).contested


def test_contested_when_two_agencies_medians_are_two_levels_apart():
    framework = tiny()
    votes = {
        "police": Counter(["red", "red", "amber"]),
        "probation": Counter(["green", "green", "amber"]),
        "housing": Counter(["amber"]),
    }
    r = item_result(framework, framework.item("1.1"), votes)
    assert r.agency_medians == {"police": "red", "probation": "green", "housing": "amber"}
    assert r.contested
    assert "Police rated it red and Probation Service green" in (r.contested_reason)


def test_agencies_one_level_apart_are_not_contested():
    framework = tiny()
    votes = {"police": Counter(["red", "amber"]), "probation": Counter(["amber"])}
    r = item_result(framework, framework.item("1.1"), votes)
    assert r.agency_medians == {"police": "red", "probation": "amber"}
    assert not r.contested and r.contested_reason is None


def test_uncertain_at_the_default_share_of_dont_know():
    assert one(["dont_know"] * 3 + ["amber"] * 7).uncertain  # exactly 30%
    assert not one(["dont_know"] * 2 + ["amber"] * 8).uncertain
    assert not one(["dont_know"] * 3 + ["amber"] * 7, uncertain_share=0.5).uncertain
    assert one(["dont_know"] * 1 + ["amber"] * 9, uncertain_share=0.1).uncertain


def test_provisional_explanation_counts_dont_know_and_not_applicable():
    r = one(["red", "amber", "amber", "amber", "green", "dont_know", "dont_know"])
    assert (
        r.explanation
        == "Provisional: of 5 ratings given, the middle one is amber; 2 of 7 said don't know."
    )
    r = one(["amber", "green", "dont_know", "not_applicable"])
    assert r.explanation == (
        "Provisional: of 2 ratings given, the middle one is amber; "
        "1 of 4 said don't know and 1 of 4 said not applicable."
    )
    assert one(["red", "green", "green"]).explanation == (
        "Provisional: of 3 ratings given, the middle one is green."
    )


def test_agreed_rating_overrides_the_derived_one():
    r = one(["red", "red", "amber"], agreed=AgreedInput("green", "Seen the new protocol"))
    assert r.derived == "red"
    assert r.rating == "green" and r.rating_score == 3
    assert not r.provisional and r.agreed and not r.carried_forward
    assert r.rationale == "Seen the new protocol"
    assert r.explanation == "Agreed by the board: green."


def test_agreed_rating_counts_without_any_votes():
    r = one([], agreed=AgreedInput("amber"))
    assert (r.n, r.derived, r.rating, r.provisional) == (0, None, "amber", False)


def test_carried_forward_rating_says_so():
    r = one(["green"], agreed=AgreedInput("amber", "Last year", carried_forward=True))
    assert r.rating == "amber" and r.carried_forward and not r.provisional
    assert r.explanation == (
        "Carried forward from the previous assessment: amber; not yet agreed afresh."
    )


@given(st.lists(st.sampled_from(["red", "amber", "green"]), min_size=1, max_size=40))
def test_derived_rating_is_the_median_rounded_towards_red(values):
    r = one(values)
    scores = sorted(SCORES[v] for v in values)
    middle = len(scores) // 2
    true_median = scores[middle] if len(scores) % 2 else (scores[middle - 1] + scores[middle]) / 2
    derived = SCORES[r.derived]
    assert derived <= true_median
    # The derived rating is the highest level that more than half of the votes reach.
    assert 2 * sum(s >= derived for s in scores) > len(scores)
    assert all(
        2 * sum(s >= level for s in scores) <= len(scores) for level in range(derived + 1, 4)
    )
    assert 0 < r.agreement <= 100


def test_low_median():
    assert low_median([]) is None
    assert low_median([3, 1, 2, 3]) == 2
    assert low_median([1, 3]) == 1


# --- sections ---------------------------------------------------------------------------


def section_of(values, rule=None, size=None):
    framework = tiny((size or len(values),), rule=rule)
    result = framework_result(framework, agreed=agreed_all(framework, values))
    return result.section("1")


@pytest.mark.parametrize(
    ("values", "score", "rag"),
    [
        (["green", "amber"], 2.5, "green"),  # exactly green_at_least
        (["green", "green", "amber", "amber"], 2.5, "green"),
        (["green", "amber", "amber"], 2.33, "amber"),
        (["amber", "amber", "amber", "red"], 1.75, "amber"),  # exactly amber_at_least
        (["amber", "red", "red"], 1.33, "red"),
        (["red"], 1.0, "red"),
        (["green"], 3.0, "green"),
    ],
)
def test_section_mean_and_thresholds(values, score, rag):
    s = section_of(values)
    assert (s.score, s.rag, s.items_scored, s.items_total) == (score, rag, len(values), len(values))


def test_section_explanations():
    assert section_of(["green", "amber"]).explanation == (
        "Principle 1 is green: its 2 questions average 2.5, "
        "where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more."
    )
    assert section_of(["amber", "amber", "red"]).explanation == (
        "Principle 1 is red: its 3 questions average 1.7, "
        "where Red = 1, Amber = 2 and Green = 3; amber needs 1.75 or more."
    )
    assert section_of(["amber", None, "amber"]).explanation == (
        "Principle 1 is amber: its 2 rated questions (of 3) average 2, "
        "where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more."
    )


def test_section_counts_only_items_with_a_scored_rating():
    framework = tiny((4,))
    votes = {
        "1.1": {"police": {"green": 2}},
        "1.2": {"police": {"dont_know": 3}},
        "1.3": {"police": {"not_applicable": 1}},
    }
    s = framework_result(framework, votes, {"1.4": AgreedInput("not_applicable")}).section("1")
    assert (s.score, s.rag, s.items_scored, s.items_total) == (3.0, "green", 1, 4)
    assert s.provisional


def test_min_scored_items():
    rule = SectionRule("mean", 2.5, 1.75, min_scored_items=3)
    s = section_of(["green", "green", None, None], rule=rule)
    assert (s.score, s.rag, s.items_scored) == (None, None, 2)
    assert s.explanation == (
        "Principle 1 is not rated yet: 2 of its 4 questions have a rating, and it needs at least 3."
    )
    assert section_of(["green", "green", "red", None], rule=rule).rag == "amber"


def test_section_with_nothing_rated():
    s = section_of([None, None])
    assert (s.score, s.rag, s.rag_label) == (None, None, None)
    assert s.explanation == (
        "Principle 1 is not rated yet: 0 of its 2 questions have a rating, and it needs at least 1."
    )


def test_sections_named_by_title_when_not_numbered(library):
    ppo = library.get("ppo-traffic-light")
    result = framework_result(ppo, agreed=agreed_all(ppo, ["green"] * len(ppo.items)))
    assert result.sections[0].explanation == (
        'Enabler "People and relationships" is green: its 6 criteria average 3, '
        "where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more."
    )


def test_real_principle_two_example(library):
    kp = library.get(KP)
    values = ["red"] * 10 + ["green", "green", "amber", "amber", "amber", "red"]
    result = framework_result(kp, agreed=agreed_all(kp, values))
    p2 = result.section("2")
    assert (p2.score, p2.rag, p2.rag_label, p2.items_total) == (2.17, "amber", "Amber", 6)
    assert (
        p2.explanation == "Principle 2 is amber: its 6 questions average 2.2, "
        "where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more."
    )
    assert not p2.provisional
    assert result.overall.items_scored == 16 and result.overall.items_total == 32
    assert result.overall.explanation == (
        "IOM Key Principles overall is red: its 16 rated questions (of 32) average 1.4, "
        "where Red = 1, Amber = 2 and Green = 3; amber needs 1.75 or more."
    )


def test_section_uses_agreed_where_present_else_derived():
    framework = tiny((2,))
    votes = {"1.1": {"police": {"red": 3}}, "1.2": {"police": {"red": 3}}}
    result = framework_result(framework, votes, {"1.1": AgreedInput("green")})
    s = result.section("1")
    assert s.score == 2.0 and s.rag == "amber"
    assert s.provisional  # 1.2 is still only derived


# --- assess: rows in, results out ------------------------------------------------------


def test_assess_from_rows_with_several_agencies_and_frameworks(library):
    kp, dip = library.get(KP), library.get("dip")
    data = (
        rows(KP, "1.1", "police", "green", "green", "amber")
        + rows(KP, "1.1", "probation", "red", "dont_know")
        + rows(KP, "9.9", "police", "green")  # not an item: ignored
        + rows("ppo-traffic-light", "pr-1", "police", "red")  # not in this assessment
        + rows("dip", "id-1", "health", "amber")
        + [(KP, "1.1", "police", "green", 1)]  # a second row for the same group adds up
    )
    results = assess(
        library,
        [(KP, kp.version), ("dip", dip.version), ("hallmarks", library.get("hallmarks").version)],
        data,
        {(KP, "1.2"): AgreedInput("red", "No data sharing agreement")},
    )
    assert [r.framework.id for r in results.frameworks] == [KP, "dip"]  # lens is not rated
    item = results.framework(KP).item("1.1")
    assert item.distribution == {
        "red": 1,
        "amber": 1,
        "green": 3,
        "dont_know": 1,
        "not_applicable": 0,
    }
    assert (item.n, item.n_scored, item.derived) == (6, 5, "green")
    assert item.contested and item.provisional
    assert results.framework(KP).item("1.2").rating == "red"
    assert results.framework("dip").item("id-1").rating == "amber"
    assert results.framework("ppo-traffic-light") is None
    assert results.lens is not None and results.lens.framework.id == "hallmarks"


def test_assess_with_nothing_at_all(library):
    results = assess(library, [(KP, library.get(KP).version)], [], {})
    kp = results.framework(KP)
    assert all(i.rating is None for i in kp.items)
    assert all(s.rag is None for s in kp.sections) and kp.overall.rag is None
    assert all(g.rag is None for g in results.lens.groups)
    found = results.strengths_and_gaps()
    assert found.strengths == () and found.gaps == ()


def test_assess_refuses_a_version_the_library_does_not_have(library):
    with pytest.raises(FrameworkVersionNotFound, match="iom-key-principles version 1999.1"):
        assess(library, [(KP, "1999.1")], [])


def test_assess_passes_the_uncertain_share_on(library):
    data = rows(KP, "1.1", "police", "dont_know", "green", "green", "green")
    version = [(KP, library.get(KP).version)]
    assert not assess(library, version, data).framework(KP).item("1.1").uncertain
    assert assess(library, version, data, uncertain_share=0.25).framework(KP).item("1.1").uncertain


# --- the Hallmarks lens -----------------------------------------------------------------


def test_lens_groups_tagged_items_by_hallmark(library):
    kp = library.get(KP)
    leadership = [i.id for i in kp.items if "leadership" in i.tags["hallmarks"]]
    agreed = {(KP, item_id): AgreedInput("green") for item_id in leadership}
    agreed[(KP, leadership[0])] = AgreedInput("red")
    lens = assess(library, [(KP, kp.version)], [], agreed).lens
    assert lens.tag == "hallmarks" and lens.rule_from == KP
    assert [g.id for g in lens.groups] == [i.id for i in library.get("hallmarks").items]
    group = lens.group("leadership")
    assert [i.item_id for i in group.items] == leadership
    n = len(leadership)
    mean = round((3 * (n - 1) + 1) / n, 2)
    assert (group.score, group.rag, group.items_scored) == (mean, "green", n)
    assert group.explanation == (
        f"Empowered and Effective Leadership is green: its {n} questions average "
        f"{round(mean, 1):g}, where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more."
    )
    # An item tagged with two Hallmarks counts towards both.
    both = kp.item(leadership[0]).tags["hallmarks"]
    for hallmark in both:
        assert leadership[0] in [i.item_id for i in lens.group(hallmark).items]


def test_lens_pools_items_of_every_framework_sharing_the_tag(library):
    kp, ppo = library.get(KP), library.get("ppo-traffic-light")
    agreed = {(KP, "1.6"): AgreedInput("green"), ("ppo-traffic-light", "pr-4"): AgreedInput("red")}
    results = assess(library, [("ppo-traffic-light", ppo.version), (KP, kp.version)], [], agreed)
    assert len(results.lenses) == 1
    lens = results.lens
    assert lens.rule_from == "ppo-traffic-light"  # the first framework in the assessment
    tagged = [
        (fw.id, i.id)
        for fw in (ppo, kp)
        for i in fw.items
        if "skills-knowledge" in i.tags.get("hallmarks", ())
    ]
    group = lens.group("skills-knowledge")
    assert [(i.framework_id, i.item_id) for i in group.items] == tagged
    assert (group.items_scored, group.rag) == (1, "red")
    assert lens.group("leadership").rag == "green"  # 1.6 is tagged leadership only


# --- strengths and gaps -----------------------------------------------------------------


def test_strengths_and_gaps_order_and_reasons():
    framework = tiny((3, 2, 3))
    votes = {
        "1.3": {"police": {"red": 1, "green": 2}},  # contested, derived green
        "2.1": {"police": {"dont_know": 2, "amber": 1}},  # uncertain, derived amber
        "3.1": {"police": {"dont_know": 1}},  # uncertain, not rated
        "3.2": {"police": {"red": 1, "amber": 2, "green": 1}, "probation": {"dont_know": 3}},
    }
    agreed = {
        "1.1": AgreedInput("green"),
        "1.2": AgreedInput("green"),
        "2.2": AgreedInput("red"),
        "3.3": AgreedInput("red"),
    }
    result = framework_result(framework, votes, agreed)
    found = strengths_and_gaps([result])

    assert [
        (s.kind, s.result.id if s.kind == "section" else s.result.item_id) for s in found.strengths
    ] == [
        ("section", "1"),
        ("item", "1.1"),
        ("item", "1.2"),
        ("item", "1.3"),
    ]
    assert (
        found.strengths[0].why == "Principle 1 is green: its 3 questions average 3, "
        "where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more."
    )
    assert found.strengths[1].why == "Rated green (agreed)."

    listed = [(g.item.item_id, g.reason) for g in found.gaps]
    assert listed == [
        ("2.2", "red"),
        ("3.3", "red"),
        ("2.1", "amber"),
        ("3.2", "amber"),  # amber, contested and uncertain: listed once, as amber
        ("1.3", "contested"),
        ("3.1", "uncertain"),
    ]
    why = {g.item.item_id: g.why for g in found.gaps}
    assert why["2.2"] == "Rated red (agreed)."
    assert why["3.2"] == (
        "Rated amber (provisional); contested: some rated it red and some green; "
        "uncertain: 3 of 7 said don't know."
    )
    assert why["3.1"] == "Uncertain: 1 of 1 said don't know."


def test_an_agreed_rating_settles_a_contest_and_the_contest_stays_in_its_why():
    framework = tiny((4,))
    contested = {"police": {"red": 1, "green": 2}}
    unsure = {"police": {"dont_know": 3, "green": 1}}
    votes = {"1.1": contested, "1.2": contested, "1.3": unsure, "1.4": contested}
    agreed = {
        "1.1": AgreedInput("green"),  # the board settled it: a strength only
        "1.3": AgreedInput("green"),  # agreed despite the don't knows: settled too
        "1.4": AgreedInput("green", carried_forward=True),  # last cycle's: settles nothing
    }
    found = strengths_and_gaps([framework_result(framework, votes, agreed)])

    strengths = {s.result.item_id: s.why for s in found.strengths if s.kind == "item"}
    gaps = [(g.item.item_id, g.reason) for g in found.gaps]
    assert "1.1" in strengths and "1.1" not in dict(gaps)
    assert strengths["1.1"] == (
        "Rated green (agreed); the votes were contested (some rated it red and some green)."
    )
    assert "1.3" in strengths and "1.3" not in dict(gaps)
    assert gaps == [("1.2", "contested"), ("1.4", "contested")]  # 1.2 derived, 1.4 carried


def test_strengths_and_gaps_across_frameworks_keep_framework_order(library):
    kp, dip = library.get(KP), library.get("dip")
    agreed = {
        ("dip", "id-1"): AgreedInput("red"),
        (KP, "5.5"): AgreedInput("red"),
        (KP, "1.1"): AgreedInput("amber"),
    }
    results = assess(library, [(KP, kp.version), ("dip", dip.version)], [], agreed)
    gaps = results.strengths_and_gaps().gaps
    assert [(g.framework_id, g.item.item_id, g.reason) for g in gaps] == [
        (KP, "5.5", "red"),
        ("dip", "id-1", "red"),
        (KP, "1.1", "amber"),
    ]
