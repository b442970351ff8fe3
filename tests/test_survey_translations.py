"""The national IOM surveys in Welsh: every text a partnership or an analyst reads has a Welsh
text awaiting a Welsh speaker's review, and adding it changed nothing that answers depend on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from selfassess.config import PROJECT_ROOT
from selfassess.domain.framework_texts import SOURCE_LANGUAGE, FrameworkTexts, split_languages
from selfassess.domain.frameworks import load_framework_file, load_library, load_schema

QUESTIONS = PROJECT_ROOT / "questions"
SURVEYS = (
    "national-survey-2011.2011.1.yaml",
    "national-survey-2011.yaml",
    "national-survey-2013.2013.1.yaml",
    "national-survey-2013.yaml",
)


def english_only(value):
    """The file's data as it was before Welsh was added: each text its English, no languages."""
    if isinstance(value, dict):
        if SOURCE_LANGUAGE in value and "cy" in value:
            return value[SOURCE_LANGUAGE]
        return {k: english_only(v) for k, v in value.items() if k != "languages"}
    if isinstance(value, list):
        return [english_only(v) for v in value]
    return value


def load(path: Path):
    framework, problems = load_framework_file(path, load_schema(QUESTIONS))
    assert problems == []
    return framework


@pytest.fixture(scope="module")
def library():
    return load_library(QUESTIONS)


@pytest.fixture(params=SURVEYS)
def survey(request):
    return load(QUESTIONS / request.param)


def test_each_survey_declares_welsh(survey):
    assert survey.texts.languages == ("en", "cy")


def test_every_item_option_and_figure_has_welsh(survey, library):
    def welsh(text):
        found = survey.texts.translation(text, "cy")
        return found.text if found else None

    # A yes_no_partly item's options (Yes, Partly, No) are built in, not in the file: the pages
    # find their Welsh across the library, as they do every framework text.
    built_in = [o.label for i in survey.items if i.type == "yes_no_partly" for o in i.options]
    assert [t for t in built_in if library.in_language(t, "cy") == t] == []
    missing = []
    texts = [survey.title, survey.short_title, survey.description]
    texts += [survey.section_label, survey.item_label]
    texts += [survey.section_label_plural, survey.item_label_plural]
    for section in survey.sections:
        texts += [section.title, section.description]
        for item in section.items:
            texts += [item.text, item.guidance]
            if item.type != "yes_no_partly":
                texts += [o.label for o in item.options]
    texts += [f.text for f in survey.figures]
    for text in filter(None, texts):
        if not welsh(text):
            missing.append(text)
    assert missing == []
    assert survey.in_language("Yes", "cy") == "Ydy"
    assert survey.in_language(survey.item_label_plural, "cy") == "Cwestiynau"


def test_english_and_what_answers_depend_on_are_unchanged(tmp_path, survey):
    """Stripping the Welsh gives the same framework, with the same content hash."""
    data = yaml.safe_load((QUESTIONS / survey.file).read_text(encoding="utf-8"))
    stripped = tmp_path / survey.file
    stripped.write_text(
        yaml.safe_dump(english_only(data), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    english = load(stripped)
    assert english.texts.languages == ("en",)
    assert english.content_hash == survey.content_hash
    assert replace(survey, texts=FrameworkTexts()) == english


def test_the_pages_show_each_survey_text_in_the_surveys_welsh(library):
    """The pages look a text up across every framework, the first wording winning: a text the
    surveys share with each other or with another framework must read the same in all."""
    clashes = []
    for name in SURVEYS:
        texts = load(QUESTIONS / name).texts
        for english, by_language in texts.by_english.items():
            if library.in_language(english, "cy") != by_language["cy"].text:
                clashes.append((name, english))
    assert clashes == []


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("national-survey-2011.2011.1.yaml", 146),
        ("national-survey-2011.yaml", 154),
        ("national-survey-2013.2013.1.yaml", 81),
        ("national-survey-2013.yaml", 84),
    ],
)
def test_every_welsh_text_is_awaiting_review(name, count):
    """The surveys were published in English only: no Welsh text is signed off yet."""
    data = yaml.safe_load((QUESTIONS / name).read_text(encoding="utf-8"))
    _, texts, problems = split_languages(data, name)
    assert problems == []
    welsh = [e for e, by_language in texts.by_english.items() if "cy" in by_language]
    awaiting = texts.awaiting_review("cy")
    assert len(welsh) == count
    assert len(awaiting) == len(welsh)
    assert [english for english, _ in awaiting] == welsh
