"""How a rating is explained in words a board member reads without a statistics course, and the
exact rule, kept one click away. Plain Python, used by scoring and the report.

The sentences are English unless the caller passes ``translations`` (gettext's interface, as
``flask_babel.get_translations()`` gives it: ``gettext`` and ``ngettext`` returning the message
unformatted) and the ``language`` of the framework's own texts (its labels). Each sentence is one
message with named placeholders, so a language with another word order says it whole.
"""

from __future__ import annotations

from fractions import Fraction
from gettext import NullTranslations
from typing import TYPE_CHECKING, Protocol

from selfassess.domain.i18n import N_

if TYPE_CHECKING:
    from selfassess.domain.frameworks import Framework, SectionRule

# What the pages call the rating worked out from people's votes (the median, towards red).
VOTES_RATING = N_("Rating from the votes")
VOTES_RATING_HINT = N_(
    "The middle of the votes given, rounded towards red where it falls between two; "
    "the board's agreed rating replaces it."
)


class Translations(Protocol):
    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def pgettext(self, context: str, message: str) -> str: ...


# The sentences as written here: English.
ENGLISH: Translations = NullTranslations()


def _label(framework: Framework, text: str, language: str) -> str:
    """One of the framework's own texts (a scale or item label) in the sentence's language."""
    return framework.in_language(text, language) if language != "en" else text


def join_and(parts: list[str], word: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúàèìòù")


def join_and_said(parts: list[str], translations: Translations) -> str:
    """ "Red = 1, Amber = 2 and Green = 3" in the translations' language. Some languages change
    the word before a vowel (Welsh "a", "ac"): that one is the "and" of context "before a vowel"."""
    if len(parts) > 1 and parts[-1][:1].lower() in VOWELS:
        word = translations.pgettext("before a vowel", "and")
    else:
        word = translations.gettext("and")
    return join_and(parts, word)


def scored_values(framework: Framework) -> list:
    return sorted((v for v in framework.scale if v.score is not None), key=lambda v: v.score)


def score_key(
    framework: Framework, translations: Translations = ENGLISH, language: str = "en"
) -> str:
    """ "Red = 1, Amber = 2 and Green = 3"."""
    return join_and_said(
        [f"{_label(framework, v.label, language)} = {v.score}" for v in scored_values(framework)],
        translations,
    )


def _short(value: Fraction, places: int) -> str:
    rounded = round(float(value), places)
    text = f"{rounded:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def average_words(mean: Fraction, thresholds: list[float]) -> str:
    """The average to one decimal place, or two where one would seem to reach a threshold it
    does not (2.47 is "2.47", not "2.5", when green needs 2.5)."""
    one = _short(mean, 1)
    if any(Fraction(one) >= Fraction(str(t)) > mean for t in thresholds):
        return _short(mean, 2)
    return one


def section_sentence(
    framework: Framework,
    rule: SectionRule,
    name: str,
    rag_label: str,
    mean: Fraction,
    scored: int,
    total: int,
    translations: Translations = ENGLISH,
    language: str = "en",
) -> str:
    """ "Principle 1 is amber: its 6 questions average 2.2, where Red = 1, Amber = 2 and
    Green = 3; green needs 2.5 or more." """
    t = translations
    item = _label(framework, framework.item_label, language).lower()
    items = item if total == 1 else _label(framework, framework.item_label_plural, language).lower()
    labels = {v.id: _label(framework, v.label, language).lower() for v in framework.scale}
    if mean < Fraction(str(rule.amber_at_least)):
        level, threshold = labels.get("amber", "amber"), rule.amber_at_least
    else:
        level, threshold = labels.get("green", "green"), rule.green_at_least
    need = t.gettext("%(level)s needs %(threshold)s or more") % {
        "level": level,
        "threshold": f"{threshold:g}",
    }
    if scored == total:
        sentence = t.ngettext(
            "%(name)s is %(rating)s: its %(total)s %(items)s averages %(average)s, "
            "where %(key)s; %(need)s.",
            "%(name)s is %(rating)s: its %(total)s %(items)s average %(average)s, "
            "where %(key)s; %(need)s.",
            scored,
        )
    else:
        sentence = t.ngettext(
            "%(name)s is %(rating)s: its %(scored)s rated %(items)s (of %(total)s) averages "
            "%(average)s, where %(key)s; %(need)s.",
            "%(name)s is %(rating)s: its %(scored)s rated %(items)s (of %(total)s) average "
            "%(average)s, where %(key)s; %(need)s.",
            scored,
        )
    return sentence % {
        "name": name,
        "rating": _label(framework, rag_label, language).lower(),
        "items": items,
        "scored": scored,
        "total": total,
        "average": average_words(mean, [rule.green_at_least, rule.amber_at_least]),
        "key": score_key(framework, t, language),
        "need": need,
    }


def exact_rule(
    framework: Framework, translations: Translations = ENGLISH, language: str = "en"
) -> str:
    """The rule in full, for the reader who wants it (behind a "How ratings are worked out")."""
    t = translations
    rule = framework.section_rule
    unscored = [
        _label(framework, v.label, language).lower() for v in framework.scale if v.score is None
    ]
    item = _label(framework, framework.item_label, language).lower()
    items = _label(framework, framework.item_label_plural, language).lower()
    sections = _label(framework, framework.section_label_plural, language).lower()
    key = score_key(framework, t, language)
    if unscored:
        first = t.ngettext(
            "Each %(item)s scores %(key)s (%(unscored)s is counted but not scored).",
            "Each %(item)s scores %(key)s (%(unscored)s are counted but not scored).",
            len(unscored),
        ) % {"item": item, "key": key, "unscored": join_and_said(unscored, t)}
    else:
        first = t.gettext("Each %(item)s scores %(key)s.") % {"item": item, "key": key}
    sentences = [
        first,
        t.gettext(
            "A question's rating is the one the board agreed; until then it is the middle of "
            "the ratings people gave (the median), and where that falls between two ratings, "
            "the lower one."
        ),
    ]
    if rule is not None:
        need = rule.min_scored_items
        sentences.append(
            t.gettext(
                "The %(sections)s and the framework as a whole take the average score of their "
                "rated %(items)s, worked out exactly: green at %(green)s or more, amber at "
                "%(amber)s or more, otherwise red."
            )
            % {
                "sections": sections,
                "items": items,
                "green": f"{rule.green_at_least:g}",
                "amber": f"{rule.amber_at_least:g}",
            }
        )
        sentences.append(
            t.gettext("At least %(need)s %(items)s must be rated first.")
            % {"need": need, "items": item if need == 1 else items}
        )
    sentences.append(
        t.gettext(
            "A question is flagged contested when both ends of the scale were given, or two "
            "agencies' middle ratings are two levels apart; the board's agreed rating settles it."
        )
    )
    return " ".join(sentences)


def sentence_start(text: str | None) -> str:
    """A capital first letter and the rest as written (unlike ``capitalize``, which would
    lower-case the agency names after it)."""
    text = text or ""
    return text[:1].upper() + text[1:]
