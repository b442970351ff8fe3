"""The national picture on plain data: answers built to known marginals, no database, no Flask.

Ten returns to a small survey (and to the Key Principles, for a rated item and a section):

- q1 in place? yes 6 (r1-r6), partly 3 (r7-r9), no 1 (r10).
- q2 fully/partly, asked if q1 is yes or partly: asked of 9, answered by 8 (fully 5, partly 3).
- q3 agencies per arrangement (multi, unit arrangement), asked if q1 is yes or partly. r1 and r2
  have two arrangements, r3-r9 one: 11 arrangements asked, 10 answered: police 10, probation
  9, health 4.
- q4 multi, asked of all: answered by 7 (a 5, b 4, c 1).
- q5 asked if q4 is a or b: a multi target with two listed values, so the counts cannot give
  the denominator (a and b overlap: 5 + 4 = 9, but 7 returns chose either).
- Key Principles 1.1: green 4, amber 3, red 1, don't know 1, not answered 1.
- Principle 1's section RAG: green 5, amber 3, red 1, none 1.

Regions: north_west r1-r5, london r6-r8, wales r9-r10.
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from collections import Counter
from dataclasses import replace

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import load_framework_file, load_library, load_schema
from selfassess.domain.national import (
    AskedCondition,
    asked_conditions_to_query,
    build_picture,
    build_regional_pictures,
    collection_items,
    derive_asked,
    percent,
    suppress,
    with_change,
)

QUESTIONS = PROJECT_ROOT / "questions"
S = "test-survey"
KP = "iom-key-principles"

SURVEY_YAML = """
id: test-survey
version: "1"
title: Test survey
kind: survey
unit_of_analysis: partnership
source: {document: Test, publisher: Tests, year: 2024}
sections:
  - id: main
    title: Main
    items:
      - id: q1
        type: yes_no_partly
        text: Are IOM arrangements in place?
      - id: q2
        type: single
        text: Fully or partly established?
        asked_if: {item: q1, in: ["yes", partly]}
        options:
          - {id: fully, label: Fully}
          - {id: partly, label: Partly}
      - id: q3
        type: multi
        unit: arrangement
        text: Which agencies are involved in this arrangement?
        asked_if: {item: q1, in: ["yes", partly]}
        options:
          - {id: police, label: Police}
          - {id: probation, label: Probation}
          - {id: health, label: Health}
      - id: q4
        type: multi
        text: Which apply?
        options:
          - {id: a, label: A}
          - {id: b, label: B}
          - {id: c, label: C}
      - id: q5
        type: single
        text: Follow-up to a or b
        asked_if: {item: q4, in: [a, b]}
        options:
          - {id: x, label: X}
          - {id: "y", label: "Y"}
"""


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    path = tmp_path_factory.mktemp("fw") / "test-survey.yaml"
    path.write_text(textwrap.dedent(SURVEY_YAML), encoding="utf-8")
    fw, problems = load_framework_file(path, load_schema(QUESTIONS))
    assert problems == []
    return fw


@pytest.fixture(scope="module")
def library():
    return load_library(QUESTIONS)


@pytest.fixture(scope="module")
def frameworks(survey, library):
    return [survey, library.get(KP)]


# --- the returns, one by one -----------------------------------------------------------------

REGION = {f"r{i}": "north_west" for i in range(1, 6)}
REGION |= {"r6": "london", "r7": "london", "r8": "london", "r9": "wales", "r10": "wales"}
ARRANGEMENTS = {"r1": 2, "r2": 2, "r10": 1} | {f"r{i}": 1 for i in range(3, 10)}
# r10 (no IOM) keeps the model's default of one arrangement: it must not count anywhere.


def _returns() -> dict[str, list[tuple[str, str, int, str]]]:
    """(framework, item, arrangement, value) rows per return, as return_answer holds them."""
    rows: dict[str, list] = {f"r{i}": [] for i in range(1, 11)}

    def add(ret, item, *values, arrangement=0, fw=S):
        rows[ret].extend((fw, item, arrangement, v) for v in values)

    for i in range(1, 11):
        add(f"r{i}", "q1", "yes" if i <= 6 else "partly" if i <= 9 else "no")
    for i in range(1, 9):
        add(f"r{i}", "q2", "fully" if i <= 5 else "partly")
    arrangements = [(r, a) for r in (f"r{i}" for i in range(1, 10)) for a in (1, 2)]
    arrangements = [(r, a) for r, a in arrangements if a <= ARRANGEMENTS[r]]
    assert len(arrangements) == 11
    health = {("r1", 1), ("r1", 2), ("r2", 1), ("r3", 1)}
    for ret, a in arrangements:
        if ret == "r9":
            continue  # the one arrangement that did not answer
        values = ["police"] + ([] if ret == "r8" else ["probation"])
        values += ["health"] if (ret, a) in health else []
        add(ret, "q3", *values, arrangement=a)
    q4 = {"r1": "ab", "r2": "ab", "r3": "ac", "r4": "a", "r5": "a", "r6": "b", "r7": "b"}
    for ret, letters in q4.items():
        add(ret, "q4", *letters)
    for ret, value in {"r1": "x", "r2": "x", "r3": "y", "r4": "y", "r5": "y"}.items():
        add(ret, "q5", value)
    kp = ["green"] * 4 + ["amber"] * 3 + ["red", "dont_know"]
    for i, value in enumerate(kp, start=1):
        add(f"r{i}", "1.1", value, fw=KP)
    return rows


RETURNS = _returns()
SECTION_RAG = {f"r{i}": "green" for i in range(1, 6)}
SECTION_RAG |= {"r6": "amber", "r7": "amber", "r8": "amber", "r9": "red", "r10": None}


def grouped(returns=RETURNS, by_region=False):
    """counts, answered and section rows, grouped as the documented queries group them."""
    counts, arrs, answered, sections = Counter(), Counter(), Counter(), Counter()
    for ret, rows in returns.items():
        lead = (REGION[ret],) if by_region else ()
        for fw, item, _arrangement, value in rows:
            counts[lead + (fw, item, value)] += 1
            arrs[lead + (fw, item, value)] += ARRANGEMENTS[ret]
        for fw, item, _arrangement in {(f, i, a) for f, i, a, _ in rows}:
            answered[lead + (fw, item)] += 1
        sections[lead + (KP, "1", SECTION_RAG[ret])] += 1
    return (
        sorted((*k, c, arrs[k]) for k, c in counts.items()),
        sorted((*k, c) for k, c in answered.items()),
        [(*k, c) for k, c in sections.items()],
    )


@pytest.fixture(scope="module")
def picture(frameworks):
    counts, answered, sections = grouped()
    return build_picture(
        "round-2024",
        frameworks,
        10,
        counts,
        answered,
        arrangements=sum(ARRANGEMENTS.values()),
        asked=[(S, "q5", 7)],
        section_rags=sections,
    )


def figures(item):
    return {o.id: (o.count, o.percent) for o in item.options}


# --- percentages, n, missing, denominators ------------------------------------------------------


def test_percent_rounds_half_up_to_one_place():
    assert percent(6, 10) == 60.0
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(1, 8) == 12.5
    assert percent(1, 16) == 6.3  # 6.25: half up, where round() would give 6.2
    assert percent(0, 5) == 0.0
    assert percent(0, 0) is None
    assert percent(3, None) is None


def test_in_place_item_over_all_returns(picture):
    q1 = picture.items["q1"]
    assert (q1.n, q1.asked, q1.missing) == (10, 10, 0)
    assert figures(q1) == {"yes": (6, 60.0), "partly": (3, 30.0), "no": (1, 10.0)}
    assert not q1.multi and q1.percentages_sum_to_100


def test_follow_up_asked_only_where_iom_is_in_place(picture):
    q2 = picture.items["q2"]
    assert (q2.n, q2.asked, q2.missing) == (8, 9, 1)
    assert figures(q2) == {"fully": (5, 62.5), "partly": (3, 37.5)}


def test_arrangement_level_multi_item_counts_arrangements(picture):
    q3 = picture.items["q3"]
    assert q3.unit == "arrangement"
    assert (q3.n, q3.asked, q3.missing) == (10, 11, 1)
    assert figures(q3) == {"police": (10, 100.0), "probation": (9, 90.0), "health": (4, 40.0)}
    assert q3.multi and not q3.percentages_sum_to_100
    assert sum(o.percent for o in q3.options) > 100


def test_multi_item_percentages_over_those_who_answered(picture):
    q4 = picture.items["q4"]
    assert (q4.n, q4.asked, q4.missing) == (7, 10, 3)
    assert figures(q4) == {"a": (5, 71.4), "b": (4, 57.1), "c": (1, 14.3)}
    assert q4.multi and sum(o.percent for o in q4.options) == pytest.approx(142.8)


def test_denominator_given_by_the_sql_side_where_counts_cannot_tell(picture):
    q5 = picture.items["q5"]
    assert (q5.n, q5.asked, q5.missing) == (5, 7, 2)
    assert figures(q5) == {"x": (2, 40.0), "y": (3, 60.0)}


def test_rated_item_share_of_returns_at_each_rating(picture):
    item = picture.item(KP, "1.1")
    assert item.key == "1.1" and item.kind == "rag" and item.unit == "partnership"
    assert (item.n, item.asked, item.missing) == (9, 10, 1)
    assert figures(item) == {
        "red": (1, 11.1),
        "amber": (3, 33.3),
        "green": (4, 44.4),
        "dont_know": (1, 11.1),
        "not_applicable": (0, 0.0),
    }
    untouched = picture.item(KP, "1.2")
    assert (untouched.n, untouched.missing) == (0, 10)
    assert all(o.count == 0 and o.percent is None for o in untouched.options)


def test_section_rag_shares(picture):
    section = picture.section(KP, "1")
    assert (section.n, section.missing) == (9, 1)
    assert [(o.id, o.count, o.percent) for o in section.options] == [
        ("red", 1, 11.1),
        ("amber", 3, 33.3),
        ("green", 5, 55.6),
    ]
    assert picture.section(KP, "2").n == 0 and picture.section(KP, "2").missing == 10
    assert S not in picture.sections  # a survey has no RAG sections


def test_json_is_exactly_the_report_shape(picture):
    data = json.loads(json.dumps(picture.to_json()))
    assert set(data) == {"collection", "returns", "items"}
    assert data["collection"] == "round-2024" and data["returns"] == 10
    assert data["items"]["q2"] == {
        "framework": S,
        "text": "Fully or partly established?",
        "unit": "partnership",
        "n": 8,
        "missing": 1,
        "options": {
            "fully": {"label": "Fully", "count": 5, "percent": 62.5},
            "partly": {"label": "Partly", "count": 3, "percent": 37.5},
        },
    }
    assert data["items"]["1.1"]["options"]["dont_know"] == {
        "label": "Don't know",
        "count": 1,
        "percent": 11.1,
    }
    assert data["items"]["q3"]["unit"] == "arrangement"
    assert len(data["items"]) == 5 + 32


def test_detailed_json_flags_multi_items_and_carries_sections(picture):
    data = picture.to_json(detail=True)
    assert data["items"]["q3"]["multi"] is True
    assert data["items"]["q3"]["percentages_sum_to_100"] is False
    assert data["items"]["q1"]["percentages_sum_to_100"] is True
    assert data["items"]["q2"]["asked"] == 9
    assert data["sections"][KP]["1"]["options"]["green"]["percent"] == 55.6


# --- deriving "asked" -------------------------------------------------------------------------


def test_asked_derived_from_the_target_items_counts(frameworks):
    counts, _, _ = grouped()
    asked = derive_asked(frameworks, counts, returns=10, arrangements=12)
    assert asked[(S, "q1")] == 10
    assert asked[(S, "q2")] == 9  # yes 6 + partly 3
    assert asked[(S, "q3")] == 11  # arrangements of the returns answering yes or partly
    assert asked[(S, "q4")] == 10
    assert asked[(S, "q5")] is None  # a and b overlap: only the SQL side can count
    assert asked[(KP, "1.1")] == 10


def test_four_column_counts_leave_cross_level_denominators_unknown(frameworks):
    counts, answered, _ = grouped()
    picture = build_picture("c", frameworks, 10, [r[:4] for r in counts], answered)
    assert picture.items["q3"].asked is None and picture.items["q3"].missing is None
    assert picture.items["q3"].n == 10  # the percentages do not need it
    assert picture.items["q2"].asked == 9


def test_conditions_the_sql_side_must_count(frameworks, library):
    assert asked_conditions_to_query(frameworks) == [
        AskedCondition(
            S,
            "q5",
            "partnership",
            "q4",
            "partnership",
            ("a", "b"),
            "the target is multi-choice and several of its options are listed",
        )
    ]
    shipped = [library.get("national-survey-2013"), library.get("national-survey-2011")]
    assert asked_conditions_to_query(shipped) == []


def test_answered_needed_for_multi_items(frameworks):
    counts, _, _ = grouped()
    with pytest.raises(ValueError, match="multi-choice"):
        build_picture("c", frameworks, 10, counts)


def test_answered_derived_for_single_answer_items(frameworks):
    counts, answered, _ = grouped()
    multi_only = [row for row in answered if row[1] in ("q3", "q4")]
    picture = build_picture("c", frameworks, 10, counts, multi_only, asked=[(S, "q5", 7)])
    assert picture.items["q2"].n == 8 and picture.items["q1"].n == 10


def test_values_the_framework_does_not_list_are_shown(frameworks):
    counts, answered, _ = grouped()
    counts = counts + [(S, "q2", "retired", 1, 1)]
    answered = [(f, i, n + 1) if (f, i) == (S, "q2") else (f, i, n) for f, i, n in answered]
    q2 = build_picture("c", frameworks, 10, counts, answered).items["q2"]
    assert figures(q2)["retired"] == (1, 11.1)
    assert q2.n == 9 and q2.missing == 0


def test_documented_queries_give_these_rows():
    """The SQL in the module's notes, run on stdlib sqlite3 over the same answers."""
    db = sqlite3.connect(":memory:")
    db.execute('CREATE TABLE "return" (id INTEGER PRIMARY KEY, arrangements INTEGER)')
    db.execute(
        "CREATE TABLE return_answer (return_id INTEGER, collection_id INTEGER, "
        "framework_id TEXT, item_id TEXT, arrangement INTEGER, value TEXT)"
    )
    for number, (ret, rows) in enumerate(RETURNS.items(), start=1):
        db.execute('INSERT INTO "return" VALUES (?, ?)', (number, ARRANGEMENTS[ret]))
        db.executemany(
            "INSERT INTO return_answer VALUES (?, 1, ?, ?, ?, ?)",
            [(number, *row) for row in rows],
        )
    counts = db.execute(
        "SELECT a.framework_id, a.item_id, a.value, count(*), sum(r.arrangements) "
        'FROM return_answer a JOIN "return" r ON r.id = a.return_id '
        "WHERE a.collection_id = :c GROUP BY a.framework_id, a.item_id, a.value",
        {"c": 1},
    ).fetchall()
    answered = db.execute(
        "SELECT framework_id, item_id, count(*) FROM ("
        "SELECT DISTINCT framework_id, item_id, return_id, arrangement "
        "FROM return_answer WHERE collection_id = :c) AS answered_units "
        "GROUP BY framework_id, item_id",
        {"c": 1},
    ).fetchall()
    expected_counts, expected_answered, _ = grouped()
    assert sorted(counts) == expected_counts
    assert sorted(answered) == expected_answered


# --- regions and suppression --------------------------------------------------------------


@pytest.fixture(scope="module")
def regions(frameworks):
    counts, answered, sections = grouped(by_region=True)
    returns_by_region = Counter(REGION.values())
    arrangements = Counter()
    for ret, region in REGION.items():
        arrangements[region] += ARRANGEMENTS[ret]
    return build_regional_pictures(
        "round-2024",
        frameworks,
        dict(returns_by_region),
        counts,
        answered,
        arrangements_by_region=arrangements,
        section_rags=sections,
    )


def test_regions_add_up_to_the_national_counts(regions, picture):
    assert list(regions) == ["north_west", "london", "wales"]
    assert [p.returns for p in regions.values()] == [5, 3, 2]
    nw, london = regions["north_west"], regions["london"]
    assert figures(nw.items["q1"]) == {"yes": (5, 100.0), "partly": (0, 0.0), "no": (0, 0.0)}
    # London's q1 (yes 1, partly 2) is hidden with Wales's: see the suppression tests.
    assert london.items["q1"].n == 3 and london.items["q1"].suppressed
    assert figures(london.items["q2"]) == {"fully": (0, 0.0), "partly": (3, 100.0)}
    assert (london.items["q2"].n, london.items["q2"].asked) == (3, 3)
    assert (nw.items["q3"].n, nw.items["q3"].asked) == (7, 7)


def test_groups_below_the_threshold_are_suppressed(regions):
    wales = regions["wales"]
    q1 = wales.items["q1"]
    assert q1.n == 2 and q1.suppressed
    assert all(o.count is None and o.percent is None and o.suppressed for o in q1.options)
    assert wales.items["q2"].n == 0 and wales.items["q2"].suppressed
    assert wales.section(KP, "1").suppressed  # one red, one without a RAG
    london = regions["london"]
    # 3 is not below 3, but shown it would give Wales's q1 away (national less the others).
    assert london.items["q1"].suppressed
    assert regions["north_west"].items["q1"].suppressed is False
    assert london.items["q4"].n == 2 and london.items["q4"].suppressed
    cell = wales.to_json()["items"]["q1"]["options"]["yes"]
    assert cell == {"label": "Yes", "count": None, "percent": None, "suppressed": True}
    assert wales.to_json()["region"] == "wales"
    assert q1.missing == 0  # how many answered stays: it says nothing about what


def test_threshold_is_configurable(frameworks):
    counts, answered, sections = grouped(by_region=True)
    pictures = build_regional_pictures(
        "c",
        frameworks,
        {"london": 3},
        counts,
        answered,
        section_rags=sections,
        threshold=4,
    )
    assert pictures["london"].items["q1"].suppressed
    assert pictures["london"].threshold == 4
    national = build_picture("c", frameworks, 10, *grouped()[:2], asked=[(S, "q5", 7)])
    assert not suppress(national, 3).items["q1"].suppressed
    assert suppress(national, 11).items["q1"].suppressed


# --- change since the previous collection --------------------------------------------------------


def _previous(frameworks, q1_counts, collection="round-2023"):
    counts = [(S, "q1", v, c) for v, c in q1_counts.items()]
    return build_picture(collection, frameworks[:1], sum(q1_counts.values()), counts)


def test_change_in_percentage_points(frameworks, picture):
    previous = _previous(frameworks, {"yes": 5, "partly": 4, "no": 1})
    changed = with_change(picture, previous)
    assert changed.previous_collection == "round-2023"
    assert changed.previous_title == "round-2023"  # no title given: the slug is all there is
    titled = replace(previous, title="Returns 2023")
    assert with_change(picture, titled).previous_title == "Returns 2023"
    q1 = changed.items["q1"]
    assert [(o.id, o.percent, o.change) for o in q1.options] == [
        ("yes", 60.0, 10.0),
        ("partly", 30.0, -10.0),
        ("no", 10.0, 0.0),
    ]
    assert all(o.change is None for o in changed.items["q2"].options)  # not in the previous
    assert changed.to_json(detail=True)["items"]["q1"]["options"]["yes"]["change"] == 10.0
    assert "change" not in changed.to_json()["items"]["q1"]["options"]["yes"]


def test_change_comes_from_exact_shares(frameworks, survey):
    now = build_picture("now", [survey], 8, [(S, "q1", "yes", 1), (S, "q1", "no", 7)])
    then = build_picture("then", [survey], 16, [(S, "q1", "yes", 1), (S, "q1", "no", 15)])
    changed = with_change(now, then)
    yes = changed.items["q1"].option("yes")
    assert (yes.percent, then.items["q1"].option("yes").percent) == (12.5, 6.3)
    assert yes.change == 6.3  # 12.5 - 6.25, not 12.5 - 6.3
    assert changed.items["q1"].option("partly").change == 0.0  # 0 of 8 against 0 of 16


def test_change_needs_both_percentages(frameworks, survey):
    now = build_picture("now", [survey], 4, [(S, "q1", "yes", 4)])
    then = build_picture("then", [survey], 0, [])
    yes = with_change(now, then).items["q1"].option("yes")
    assert yes.percent == 100.0 and yes.change is None


def test_section_change(frameworks, picture, library):
    previous = build_picture(
        "round-2023",
        [library.get(KP)],
        10,
        [],
        section_rags=[(KP, "1", "green", 2), (KP, "1", "amber", 8)],
    )
    section = with_change(picture, previous).section(KP, "1")
    assert [(o.id, o.change) for o in section.options] == [
        ("red", 11.1),
        ("amber", -46.7),
        ("green", 35.6),
    ]


def test_regional_change_never_reveals_a_suppressed_figure(frameworks):
    counts, answered, sections = grouped(by_region=True)
    earlier = build_picture("2023", frameworks[:1], 2, [(S, "q1", "yes", 2)], region="london")
    pictures = build_regional_pictures(
        "c",
        frameworks,
        {"north_west": 5, "london": 3, "wales": 2},
        counts,
        answered,
        section_rags=sections,
        previous={"north_west": earlier, "london": earlier, "wales": earlier},
    )
    # north west now shows q1 (n 5), but in 2023 only 2 answered: no change may be worked out.
    assert not pictures["north_west"].items["q1"].suppressed
    assert all(o.change is None for o in pictures["north_west"].items["q1"].options)
    assert all(o.change is None for o in pictures["london"].items["q1"].options)
    assert all(o.change is None for o in pictures["wales"].items["q1"].options)


def test_collection_keys_qualify_shared_item_ids(library):
    both = [library.get("national-survey-2013"), library.get("national-survey-2011")]
    keys = [ci.key for ci in collection_items(both)]
    assert "national-survey-2013:q1" in keys and "national-survey-2011:q1" in keys
    assert "national-survey-2011:q38" not in keys and "q38" in keys  # only 2011 has q38
    alone = [ci.key for ci in collection_items(both[:1])]
    assert alone[:3] == ["q1", "q2", "q3"]
    picture = build_picture("c", both, 0, [], [])
    assert picture.to_json()["items"]["national-survey-2013:q1"]["framework"] == both[0].id
    assert picture.items["q38"].n == 0 and picture.items["q38"].options[0].percent is None
