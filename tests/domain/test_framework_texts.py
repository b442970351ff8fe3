"""Framework texts in English and Welsh, on small files: what the checker says, and what the
library gives back. Plain Python, no Flask."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from selfassess.config import PROJECT_ROOT
from selfassess.domain.framework_releases import content_hash
from selfassess.domain.framework_texts import split_languages
from selfassess.domain.frameworks import (
    FrameworkLibrary,
    load_framework_file,
    load_library,
    load_schema,
)


def welsh(english: str, cy: str, review="awaiting") -> dict:
    return {"en": english, "cy": cy, "cy_review": review}


def small_framework(**changes) -> dict:
    """A rated framework of one principle and two questions, in English and Welsh."""
    data = {
        "id": "small",
        "version": "1",
        "languages": ["en", "cy"],
        "title": welsh("A small framework", "Fframwaith bach"),
        "kind": "rag",
        "source": {"document": "A test"},
        "section_label": welsh("Principle", "Egwyddor"),
        "item_label": welsh("Question", "Cwestiwn"),
        "scale": {
            "values": [
                {"id": "red", "label": welsh("Red", "Coch"), "score": 1},
                {"id": "amber", "label": welsh("Amber", "Ambr"), "score": 2},
                {"id": "green", "label": welsh("Green", "Gwyrdd"), "score": 3},
            ]
        },
        "section_rule": {"method": "mean", "green_at_least": 2.5, "amber_at_least": 1.75},
        "sections": [
            {
                "id": "1",
                "title": welsh("Working together", "Gweithio gyda'n gilydd"),
                "items": [
                    {"id": "1.1", "text": welsh("Is there a plan?", "A oes cynllun?")},
                    {
                        "id": "1.2",
                        "text": welsh("Is it agreed?", "A oes cytundeb arno?"),
                        "guidance": welsh("Look for minutes.", "Chwiliwch am gofnodion."),
                    },
                ],
            }
        ],
    }
    data.update(changes)
    return data


def problems_of(data: dict) -> list[str]:
    return [str(p) for p in split_languages(data, "small.yaml")[2]]


def load(tmp_path: Path, data: dict):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_framework_file(path, load_schema(PROJECT_ROOT / "questions"))


def test_a_framework_in_both_languages_has_no_problems(tmp_path):
    framework, problems = load(tmp_path, small_framework())
    assert problems == []
    assert framework.items[0].text == "Is there a plan?"  # the rest of the code reads English
    assert framework.in_language("Is there a plan?", "cy") == "A oes cynllun?"
    assert framework.in_language(framework.section_label, "cy") == "Egwyddor"


def test_a_text_missing_its_welsh_is_named_by_file_and_place():
    data = small_framework()
    data["sections"][0]["items"][1]["guidance"] = "Look for minutes."
    assert problems_of(data) == [
        "small.yaml: sections[0].items[1].guidance: has no Welsh (cy) text"
    ]


def test_a_mapping_without_its_welsh_is_named_too():
    data = small_framework()
    data["sections"][0]["items"][0]["text"] = {"en": "Is there a plan?"}
    assert problems_of(data) == ["small.yaml: sections[0].items[0].text: has no Welsh (cy) text"]


def test_welsh_in_a_file_that_does_not_declare_it_is_refused():
    data = small_framework()
    del data["languages"]
    problems = problems_of(data)
    assert problems[0] == (
        "small.yaml: title.cy: is in Welsh, which the file does not declare (add it to languages)"
    )
    assert len(problems) == 10  # every Welsh text, each named


def test_an_unknown_language_is_refused():
    problems = problems_of(small_framework(languages=["en", "fr"]))
    assert problems[0] == (
        "small.yaml: languages: must list languages from en, cy, English (en) first"
    )


def test_a_review_must_be_awaiting_or_signed_off_with_a_name_and_date():
    data = small_framework()
    data["title"]["cy_review"] = "done"
    data["sections"][0]["title"]["cy_review"] = {"signed_off_by": "Ceri", "date": "7/12/2026"}
    problems = problems_of(data)
    assert [p.split(": ")[1] for p in problems] == [
        "title.cy_review",
        "sections[0].title.cy_review",
    ]
    assert "must be 'awaiting' or signed_off_by (a name) and date (yyyy-mm-dd)" in problems[0]


def test_a_signed_off_text_keeps_who_and_when(tmp_path):
    data = small_framework()
    data["title"]["cy_review"] = {"signed_off_by": "Ceri Jones", "date": "2026-12-07"}
    framework, problems = load(tmp_path, data)
    assert problems == []
    title = framework.texts.translation("A small framework", "cy")
    assert (title.signed_off_by, title.signed_off_on, title.awaiting_review) == (
        "Ceri Jones",
        "2026-12-07",
        False,
    )
    places = framework.texts.placed("cy")
    assert [p.place for p in places][:2] == ["title", "section_label"]
    assert sum(p.translation.awaiting_review for p in places) == len(places) - 1


def test_one_english_text_translated_two_ways_is_refused():
    data = small_framework()
    data["sections"][0]["items"][1]["text"] = welsh("Is there a plan?", "Oes yna gynllun?")
    data["sections"][0]["items"][1]["id"] = "1.2"
    assert problems_of(data) == [
        "small.yaml: sections[0].items[1].text.cy: translates 'Is there a plan?' differently "
        "from an earlier place in the file"
    ]


def test_languages_under_a_key_that_is_not_a_text_are_left_for_the_schema(tmp_path):
    data = small_framework()
    data["sections"][0]["items"][0]["id"] = {"en": "1.1", "cy": "1.1", "cy_review": "awaiting"}
    _, problems = load(tmp_path, data)
    assert [str(p) for p in problems] == [
        "small.yaml: sections[0].items[0].id: {'en': '1.1', 'cy': '1.1', 'cy_review': 'awaiting'} "
        "is not of type 'string'"
    ]


def test_the_content_hash_is_the_same_with_and_without_welsh():
    def english_only(value):
        if isinstance(value, dict) and "en" in value and "cy" in value:
            return value["en"]
        if isinstance(value, dict):
            return {k: english_only(v) for k, v in value.items() if k != "languages"}
        if isinstance(value, list):
            return [english_only(v) for v in value]
        return value

    both = split_languages(small_framework(), "small.yaml")[0]
    plain = split_languages(english_only(small_framework()), "small.yaml")[0]
    assert json.dumps(both, sort_keys=True) == json.dumps(plain, sort_keys=True)
    assert content_hash(both) == content_hash(plain)


def test_the_shipped_files_hash_as_they_did_in_english_only():
    library = load_library(PROJECT_ROOT / "questions")
    # What the answers given so far were recorded against, before the Welsh was added.
    assert library.get("iom-key-principles").content_hash == (
        "sha256:bfdce068e2b3d3644f90abe26fb14244bcc8f23f646c80ac0b04ef37ea847751"
    )
    assert library.get("dip").content_hash == (
        "sha256:bf5623564c9fef6ac4f75579549f7415a908f0f41541c7b5cc1271175f673f8b"
    )


def test_the_library_falls_back_to_english(tmp_path):
    framework, _ = load(tmp_path, small_framework())
    library = FrameworkLibrary([framework])
    assert library.in_language("Is it agreed?", "cy") == "A oes cytundeb arno?"
    assert library.in_language("Is it agreed?", "en") == "Is it agreed?"
    assert library.in_language("A text no framework holds", "cy") == "A text no framework holds"
    assert library.in_language(None, "cy") is None


def test_the_yes_partly_no_options_have_their_welsh_in_the_library():
    library = FrameworkLibrary([])
    assert [library.in_language(t, "cy") for t in ("Yes", "Partly", "No")] == [
        "Ie",
        "Yn rhannol",
        "Na",
    ]
