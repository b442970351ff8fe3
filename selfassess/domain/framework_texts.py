"""Framework texts in more than one language.

A text in a framework file (a title, a question, guidance, an option or scale label) is either a
plain string, in English, or a mapping with one entry per language:

    text:
      en: "Is there a clear and common strategic vision of IOM ...?"
      cy: "A oes gweledigaeth strategol glir a chyffredin ...?"
      cy_review: awaiting

A Welsh text the source documents did not give is a translation, and carries its review: either
``awaiting`` (a Welsh speaker has still to check it) or ``{signed_off_by: <name>, date:
"<yyyy-mm-dd>"}`` once they have. The framework declares which languages it holds
(``languages: [en, cy]``); every text then has each of them, and the checker says which do not.

Answers never depend on the language: they are stored as ids, and loading puts the English text
back where the rest of the code reads it, so the content hash (what answers are given against)
is the same whichever languages a version holds. Translations are kept beside it, looked up by
the English text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from selfassess.domain.framework_checks import Problem

SOURCE_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}
# How each language names itself, for the language toggle.
ENDONYMS = {"en": "English", "cy": "Cymraeg"}
AWAITING_REVIEW = "awaiting"

# The keys whose values are texts people read; ids, routing and numbers are not translated.
TEXT_KEYS = frozenset(
    (
        "title short_title description text guidance label section_label item_label "
        "section_label_plural item_label_plural"
    ).split()
)
# Parts of a file that hold no texts to translate: the source is cited as published.
_NOT_TEXT = frozenset(("source", "tags", "published", "asked_if", "section_rule", "assessment"))

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Translation:
    """One text in one language other than English, and whether a Welsh speaker signed it off."""

    text: str
    signed_off_by: str | None = None
    signed_off_on: str | None = None

    @property
    def awaiting_review(self) -> bool:
        return self.signed_off_by is None


@dataclass(frozen=True)
class FrameworkTexts:
    """A framework's texts in its other languages, by their English wording."""

    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)
    by_english: Mapping[str, Mapping[str, Translation]] = field(default_factory=dict)

    def translation(self, english: str, language: str) -> Translation | None:
        return (self.by_english.get(english) or {}).get(language)

    def in_language(self, english: str, language: str) -> str:
        """The text in ``language``; English where the framework holds no such translation."""
        if getattr(language, "marks_texts", False):
            # The pseudo-locale's language: the text marked, so a test walking the pages sees
            # that it came through here.
            return f"⟦{self.in_language(english, str(language))}⟧"
        if language == SOURCE_LANGUAGE:
            return english
        found = self.translation(english, language)
        return found.text if found else english

    def awaiting_review(self, language: str) -> list[tuple[str, Translation]]:
        """(English, translation) for each text still to be checked by a speaker, in file order."""
        return [
            (english, by_language[language])
            for english, by_language in self.by_english.items()
            if language in by_language and by_language[language].awaiting_review
        ]


def merge(texts: Iterable[FrameworkTexts]) -> FrameworkTexts:
    """One lookup over several frameworks (the library's). The first wording of a text wins."""
    merged: dict[str, dict[str, Translation]] = {}
    languages: list[str] = []
    for one in texts:
        languages.extend(lang for lang in one.languages if lang not in languages)
        for english, by_language in one.by_english.items():
            slot = merged.setdefault(english, {})
            for language, translation in by_language.items():
                slot.setdefault(language, translation)
    return FrameworkTexts(tuple(languages), merged)


def _is_language_key(key: Any) -> bool:
    return isinstance(key, str) and (key in LANGUAGE_NAMES or key.endswith("_review"))


def _is_multilingual(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and SOURCE_LANGUAGE in value
        and all(_is_language_key(k) for k in value)
    )


def split_languages(data: Any, name: str) -> tuple[Any, FrameworkTexts, list[Problem]]:
    """(the file's data with English in every text, its translations, problems found).

    Problems name the file and the place: a text missing a declared language, a language the
    file does not declare, a review that is neither awaiting nor signed off, or one English text
    given two different translations.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return data, FrameworkTexts(), problems
    declared = data.get("languages", [SOURCE_LANGUAGE])
    if (
        not isinstance(declared, list)
        or not declared
        or declared[0] != SOURCE_LANGUAGE
        or any(lang not in LANGUAGE_NAMES for lang in declared)
        or len(set(declared)) != len(declared)
    ):
        known = ", ".join(LANGUAGE_NAMES)
        problems.append(
            Problem(name, "languages", f"must list languages from {known}, English (en) first")
        )
        declared = [SOURCE_LANGUAGE]
    others = [lang for lang in declared if lang != SOURCE_LANGUAGE]
    found: dict[str, dict[str, Translation]] = {}

    def add(path: str, message: str) -> None:
        problems.append(Problem(name, path, message))

    def text_of(value: dict, path: str) -> str:
        english = value[SOURCE_LANGUAGE]
        if not isinstance(english, str) or not english.strip():
            add(f"{path}.en", "must be the English text")
            return english if isinstance(english, str) else ""
        for language in [k for k in value if k in LANGUAGE_NAMES and k != SOURCE_LANGUAGE]:
            if language not in declared:
                add(
                    f"{path}.{language}",
                    f"is in {LANGUAGE_NAMES[language]}, which the file does not declare "
                    f"(add it to languages)",
                )
                continue
            translation = _translation(value, language, path, add)
            if translation is None:
                continue
            slot = found.setdefault(english, {})
            earlier = slot.get(language)
            if earlier is not None and earlier.text != translation.text:
                add(
                    f"{path}.{language}",
                    f"translates {english!r} differently from an earlier place in the file",
                )
            slot.setdefault(language, translation)
        for key in value:
            if key.endswith("_review") and key[: -len("_review")] not in value:
                add(f"{path}.{key}", "reviews a language this text does not give")
        for language in others:
            if language not in value:
                add(path, f"has no {LANGUAGE_NAMES[language]} ({language}) text")
        return english

    def walk(value: Any, path: str, key: str | None) -> Any:
        if _is_multilingual(value):
            if key not in TEXT_KEYS:
                add(path, "gives languages where a single value is expected")
            return text_of(value, path)
        if isinstance(value, dict):
            return {
                k: (v if k in _NOT_TEXT else walk(v, f"{path}.{k}" if path else str(k), k))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v, f"{path}[{i}]", key) for i, v in enumerate(value)]
        if isinstance(value, str) and key in TEXT_KEYS and others and path:
            for language in others:
                add(path, f"has no {LANGUAGE_NAMES[language]} ({language}) text")
        return value

    english_data = walk({k: v for k, v in data.items() if k != "languages"}, "", None)
    return english_data, FrameworkTexts(tuple(declared), found), problems


def _translation(value: dict, language: str, path: str, add) -> Translation | None:
    text = value[language]
    where = f"{path}.{language}"
    if not isinstance(text, str) or not text.strip():
        add(where, f"must be the {LANGUAGE_NAMES[language]} text")
        return None
    review = value.get(f"{language}_review")
    if review == AWAITING_REVIEW:
        return Translation(text)
    if isinstance(review, dict) and set(review) == {"signed_off_by", "date"}:
        who, when = review["signed_off_by"], str(review["date"])
        if isinstance(who, str) and who.strip() and _DATE.match(when):
            return Translation(text, who.strip(), when)
    add(
        f"{where}_review",
        f"must be {AWAITING_REVIEW!r} or signed_off_by (a name) and date (yyyy-mm-dd), "
        "saying whether a Welsh speaker has checked the translation",
    )
    return None
