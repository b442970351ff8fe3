"""Framework versions and what the files declare: ordering, resolving, no-score values, the
lens pin, what an assessment offers and the content hash. Plain data, no Flask."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from selfassess.config import PROJECT_ROOT
from selfassess.domain.framework_releases import changed_in_place
from selfassess.domain.frameworks import (
    Framework,
    FrameworkError,
    FrameworkLibrary,
    FrameworkVersionNotFound,
    Item,
    ScaleValue,
    Section,
    SectionRule,
    check_directory,
    load_library,
    version_key,
)
from selfassess.domain.lens import lens_results
from selfassess.domain.scoring import framework_result, item_result

QUESTIONS = PROJECT_ROOT / "questions"
KP = "iom-key-principles"


@pytest.fixture
def questions(tmp_path) -> Path:
    target = tmp_path / "questions"
    shutil.copytree(QUESTIONS, target, ignore=shutil.ignore_patterns("sources", "examples"))
    return target


def edit(folder: Path, name: str, change, save_as: str | None = None) -> None:
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    change(data)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (folder / (save_as or name)).write_text(text, encoding="utf-8")


def welsh_too(english: str, welsh: str) -> dict:
    """A text as the shipped files give it: English, and Welsh awaiting a speaker's review."""
    return {"en": english, "cy": welsh, "cy_review": "awaiting"}


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in check_directory(folder)[1]]


# --- ordering ----------------------------------------------------------------------------


def test_versions_sort_naturally_and_any_string_has_a_place():
    versions = ["2010.rc1", "2010.10", "2010.9", "2010", "2010.1", "2010.²", "2010..1", "2009.12"]
    ordered = sorted(versions, key=version_key)  # never compares a number with text
    assert ordered[:5] == ["2009.12", "2010", "2010.1", "2010.9", "2010.10"]
    assert set(ordered[5:]) == {"2010.rc1", "2010.²", "2010..1"}


def test_a_version_with_text_beside_a_numbered_one_is_listed_not_a_crash(questions):
    edit(questions, "dip.yaml", lambda d: d.update(version="2010.rc1"), save_as="dip.rc1.yaml")
    problems = problems_of(questions)
    assert problems == [
        "dip.rc1.yaml: version: '2010.rc1' cannot be put in order with '2010.1': 'rc1' and '1' "
        "are not both numbers; use numbers only, such as '2010.2' ('2010.1' is in dip.yaml)"
    ]
    with pytest.raises(FrameworkError):  # the app refuses to start with the same message
        load_library(questions)


def test_two_versions_that_sort_as_equals_are_listed(questions):
    edit(questions, "dip.yaml", lambda d: d.update(version="2010.01"), save_as="dip.2010-01.yaml")
    problems = problems_of(questions)
    assert len(problems) == 1
    assert "sorts the same as" in problems[0]
    assert "'2010.01'" in problems[0] and "'2010.1'" in problems[0]


def test_a_numbered_new_version_is_accepted_and_is_the_newest(questions):
    edit(questions, "dip.yaml", lambda d: d.update(version="2010.10"), save_as="dip.2010.10.yaml")
    edit(questions, "dip.yaml", lambda d: d.update(version="2010.9"), save_as="dip.2010.9.yaml")
    library = load_library(questions)
    assert [fw.version for fw in library.versions("dip")] == ["2010.1", "2010.9", "2010.10"]
    assert library.get("dip").version == "2010.10"


# --- resolving ---------------------------------------------------------------------------


def test_resolve_finds_that_exact_version_even_when_a_newer_one_exists(questions):
    edit(questions, "dip.yaml", lambda d: d.update(version="2011.1"), save_as="dip.2011.yaml")
    library = load_library(questions)
    assert library.resolve("dip", "2010.1").version == "2010.1"
    assert library.get("dip").version == "2011.1"


def test_resolve_refuses_a_version_no_file_holds_by_name():
    library = load_library(QUESTIONS)
    with pytest.raises(FrameworkVersionNotFound) as raised:
        library.resolve("dip", "2009.1")
    assert (raised.value.framework_id, raised.value.version) == ("dip", "2009.1")
    assert (
        str(raised.value) == "dip version 2009.1 is not among the framework files (it holds 2010.1)"
    )
    with pytest.raises(FrameworkVersionNotFound, match="there is no such framework"):
        library.resolve("no-such-framework", "1")


# --- the scale's no-score values ---------------------------------------------------------


def _unsure_value(meaning: str):
    def change(data):
        data["scale"]["values"][3] = {
            "id": "unsure",
            "label": welsh_too("Unsure", "Ansicr"),
            "counts_as": meaning,
        }

    return change


def test_a_no_score_value_with_a_meaning_scoring_does_not_know_is_listed(questions):
    edit(questions, "dip.yaml", _unsure_value("maybe"))
    assert problems_of(questions) == [
        "dip.yaml: scale.values[3].counts_as: 'maybe' is not known to scoring "
        "(known: dont_know, not_applicable)"
    ]


def test_a_scale_value_with_neither_score_nor_meaning_or_with_both_is_listed(questions):
    def change(data):
        data["scale"]["values"][3].pop("counts_as")
        data["scale"]["values"][4]["score"] = 4

    edit(questions, "dip.yaml", change)
    problems = problems_of(questions)
    assert "dip.yaml: scale.values[3]: needs a score or counts_as" in problems[0]
    assert "dip.yaml: scale.values[4]: has a score and counts_as" in problems[1]


def test_two_values_counting_as_the_same_no_score_are_listed(questions):
    edit(questions, "dip.yaml", _unsure_value("not_applicable"))
    assert problems_of(questions) == [
        "dip.yaml: scale.values[4].counts_as: another value already counts as 'not_applicable'"
    ]


def _framework_with_other_no_score_names() -> Framework:
    item = Item("q1", "Is it in place?", "s1", 0)
    return Framework(
        id="other-scale",
        version="1",
        title="Another scale",
        kind="rag",
        source={"document": "test"},
        sections=(Section("s1", "One", (item,)),),
        file="other-scale.yaml",
        scale=(
            ScaleValue("low", "Low", 1),
            ScaleValue("mid", "Middle", 2),
            ScaleValue("high", "High", 3),
            ScaleValue("unsure", "Unsure", None, counts_as="dont_know"),
            ScaleValue("n_a", "Does not apply", None, counts_as="not_applicable"),
            ScaleValue("dont_know", "An id, not a meaning", None, counts_as="not_applicable"),
        ),
        section_rule=SectionRule("mean", 2.5, 1.75),
    )


def test_scoring_reads_the_no_score_values_from_the_framework_not_their_ids():
    fw = _framework_with_other_no_score_names()
    votes = {"police": {"unsure": 2, "high": 1}, "probation": {"n_a": 1, "dont_know": 1}}
    result = item_result(fw, fw.items[0], votes)
    assert (result.n, result.n_scored, result.dont_know, result.not_applicable) == (5, 1, 2, 2)
    assert result.uncertain  # 2 of 5 unsure is at least the 30% share
    assert result.explanation == (
        "Provisional: the one rating given is high; 2 of 5 said unsure and 2 of 5 said "
        "does not apply."
    )
    assert framework_result(fw, {"q1": votes}).item("q1").rating_score == 3


# --- the lens pin ------------------------------------------------------------------------


def _new_hallmarks_version(questions: Path) -> None:
    def change(data):
        data["version"] = "2011.1"
        data["sections"][0]["items"].append(
            {"id": "new-hallmark", "text": welsh_too("A new hallmark", "Nodwedd newydd")}
        )

    edit(questions, "hallmarks.yaml", change, save_as="hallmarks.2011.yaml")


def _tag_first_question(tag: str, pin: str | None = None):
    def change(data):
        data["sections"][0]["items"][0]["tags"]["hallmarks"].append(tag)
        if pin:
            data["tags"]["hallmarks"]["version"] = pin

    return change


def test_a_tag_is_checked_against_the_pinned_lens_version_not_the_newest(questions):
    _new_hallmarks_version(questions)
    edit(questions, "iom-key-principles.yaml", _tag_first_question("new-hallmark"))
    assert problems_of(questions) == [
        "iom-key-principles.yaml: sections[0].items[0].tags.hallmarks: 'new-hallmark' is not an "
        "item of hallmarks 2010.1"
    ]


def test_moving_the_pin_to_the_new_lens_version_accepts_its_items(questions):
    _new_hallmarks_version(questions)
    edit(questions, "iom-key-principles.yaml", _tag_first_question("new-hallmark", "2011.1"))
    assert problems_of(questions) == []


def test_a_pin_to_a_lens_version_no_file_holds_is_listed(questions):
    edit(questions, "iom-key-principles.yaml", lambda d: d["tags"]["hallmarks"].update(version="9"))
    assert problems_of(questions) == [
        "iom-key-principles.yaml: tags.hallmarks.version: hallmarks version 9 is not among the "
        "framework files (it holds 2010.1)"
    ]


def test_the_lens_reads_the_pinned_version_when_a_newer_one_exists(questions):
    _new_hallmarks_version(questions)
    library = load_library(questions)
    assert library.get("hallmarks").version == "2011.1"
    kp = library.resolve(KP, "2010.1")
    (lens,) = lens_results(library, [framework_result(kp)])
    assert lens.framework.version == "2010.1"
    assert "new-hallmark" not in [g.id for g in lens.groups]


# --- what an assessment offers -----------------------------------------------------------


def test_the_files_declare_what_an_assessment_offers_in_their_order():
    library = load_library(QUESTIONS)
    assert [fw.id for fw in library.offered("always")] == [KP]
    assert [fw.id for fw in library.offered("optional")] == ["ppo-traffic-light", "dip"]


def test_offering_a_survey_in_an_assessment_is_listed(questions):
    edit(
        questions,
        "national-survey-2013.yaml",
        lambda d: d.update(assessment={"offered": "optional", "position": 4}),
    )
    assert problems_of(questions) == [
        "national-survey-2013.yaml: assessment.offered: only rag frameworks are rated in an "
        "assessment, not survey"
    ]


# --- changed in place --------------------------------------------------------------------


def test_the_hash_ignores_layout_and_help_text_but_not_wording(questions):
    before = load_library(questions).get("dip").content_hash
    edit(
        questions,
        "dip.yaml",
        lambda d: d["sections"][0]["items"][0].update(guidance=welsh_too("Look.", "Edrychwch.")),
    )
    assert load_library(questions).get("dip").content_hash == before  # rewritten, new guidance
    edit(
        questions,
        "dip.yaml",
        lambda d: d["sections"][0]["items"][0].update(text=welsh_too("Changed?", "Wedi newid?")),
    )
    assert load_library(questions).get("dip").content_hash != before


def test_a_version_changed_after_answers_were_given_against_it_is_refused(questions):
    held = [(fw.id, fw.version, fw.content_hash) for fw in load_library(questions)]
    assert changed_in_place(load_library(questions), held) == []
    edit(
        questions,
        "dip.yaml",
        lambda d: d["sections"][1]["items"][0].update(
            text=welsh_too("Reworded?", "Wedi aileirio?")
        ),
    )
    problems = [str(p) for p in changed_in_place(load_library(questions), held)]
    assert problems == [
        "dip.yaml: version: dip 2010.1 was changed in place after answers were given against "
        "it: publish the change as a new version"
    ]
    # A version in use that no file holds any more is not a change in place.
    assert changed_in_place(FrameworkLibrary([]), held) == []
