"""Sentences scoring writes about ratings, that a page can say again in its reader's language.

A ``Sentence`` is a str holding the English, so everything that reads it as text (exports in
English, tests, logs) is unchanged; it also keeps how it was built, so a page in Welsh says it
with gettext's interface (``flask_babel.get_translations()``) and the framework's own labels in
Welsh. Each sentence is one message with named placeholders: Welsh word order is its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from selfassess.domain.rating_words import ENGLISH, Translations, join_and_said
from selfassess.domain.reference import agency_name

if TYPE_CHECKING:
    from selfassess.domain.frameworks import Framework, Section

Build = Callable[[Translations, str], str]


class Sentence(str):
    """English text that can be said again in another language."""

    build: Build

    def __new__(cls, build: Build) -> Sentence:
        made = super().__new__(cls, build(ENGLISH, "en"))
        made.build = build
        return made

    def said(self, translations: Translations, language: str) -> str:
        return self.build(translations, language)


def said(text, translations: Translations, language: str):
    """A Sentence in ``language``; any other text as it is."""
    return text.said(translations, language) if isinstance(text, Sentence) else text


def word(framework: Framework, value_id: str | None, language: str) -> str:
    """A scale value as it reads inside a sentence: "amber", "don't know"."""
    value = framework.scale_value(value_id) if value_id else None
    if value is None:
        return str(value_id)
    return framework.in_language(value.label, language).lower()


def _or(parts: list[str], t: Translations) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {t.gettext('or')} " + parts[-1]


def _agency(t: Translations, agency: str) -> str:
    return t.gettext(agency_name(agency))


def contested_reason(
    framework: Framework,
    ends: tuple[str, str] | None,
    agencies: tuple[str, str, str, str] | None,
) -> Sentence | None:
    """Why a question is contested: both ends of the scale given (``ends``: the two values),
    or two agencies' middle ratings two levels apart (low agency, its value, high agency, its
    value)."""
    if not ends and not agencies:
        return None

    def build(t: Translations, language: str) -> str:
        reasons = []
        if ends:
            reasons.append(
                t.gettext("some rated it %(low)s and some %(high)s")
                % {
                    "low": word(framework, ends[0], language),
                    "high": word(framework, ends[1], language),
                }
            )
        if agencies:
            low, low_value, high, high_value = agencies
            reasons.append(
                t.gettext("%(low_agency)s rated it %(low)s and %(high_agency)s %(high)s")
                % {
                    "low_agency": _agency(t, low),
                    "low": word(framework, low_value, language),
                    "high_agency": _agency(t, high),
                    "high": word(framework, high_value, language),
                }
            )
        return join_and_said(reasons, t)

    return Sentence(build)


def _unscored(
    framework: Framework, counts: dict[str, int], n: int, t: Translations, language: str
) -> str:
    """ "2 of 5 said don't know and 1 of 5 said not applicable"."""
    parts = []
    for meaning, count in counts.items():
        value = framework.no_score_value(meaning)
        if count and value is not None:
            parts.append(
                t.gettext("%(count)s of %(n)s said %(answer)s")
                % {"count": count, "n": n, "answer": word(framework, value.id, language)}
            )
    return join_and_said(parts, t)


def item_explanation(
    framework: Framework,
    *,
    agreed: str | None,
    carried_forward: bool,
    derived: str | None,
    scored: int,
    n: int,
    unscored_counts: dict[str, int],
) -> Sentence:
    """How a question's rating was reached, in one sentence."""

    def build(t: Translations, language: str) -> str:
        if agreed is not None:
            rating = word(framework, agreed, language)
            if carried_forward:
                return t.gettext(
                    "Carried forward from the previous assessment: %(rating)s; "
                    "not yet agreed afresh."
                ) % {"rating": rating}
            return t.gettext("Agreed by the board: %(rating)s.") % {"rating": rating}
        unscored = _unscored(framework, unscored_counts, n, t, language)
        if derived is not None:
            values = {
                "rating": word(framework, derived, language),
                "scored": scored,
                "unscored": unscored,
            }
            if scored == 1:
                if unscored:
                    message = t.gettext(
                        "Provisional: the one rating given is %(rating)s; %(unscored)s."
                    )
                else:
                    message = t.gettext("Provisional: the one rating given is %(rating)s.")
            elif unscored:
                message = t.gettext(
                    "Provisional: of %(scored)s ratings given, the middle one is %(rating)s; "
                    "%(unscored)s."
                )
            else:
                message = t.gettext(
                    "Provisional: of %(scored)s ratings given, the middle one is %(rating)s."
                )
            return message % values
        if n:
            scale = _or(
                [word(framework, v.id, language) for v in framework.scale if v.score is not None],
                t,
            )
            return t.gettext("Not rated: no one gave it %(scale)s; %(unscored)s.") % {
                "scale": scale,
                "unscored": unscored,
            }
        item = framework.in_language(framework.item_label, language).lower()
        return t.gettext("Not rated: no one has rated this %(item)s yet.") % {"item": item}

    return Sentence(build)


def settled_note_for(rating_label: str | None) -> Sentence:
    """For a contested or uncertain question the board agreed (its rating's label: a RAG word,
    which the catalogue holds)."""
    return Sentence(
        lambda t, language: (
            t.gettext("The board agreed %(rating)s, which settles it.")
            % {"rating": t.gettext(rating_label).lower() if rating_label else ""}
        )
    )


def section_name(framework: Framework, section: Section) -> Sentence:
    """How sentences name a section: "Principle 2", or 'Enabler "Data and analysis"'."""

    def build(t: Translations, language: str) -> str:
        number = framework.section_number(section, language)
        if number:
            return number
        return t.gettext('%(label)s "%(title)s"') % {
            "label": framework.in_language(framework.section_label, language),
            "title": framework.in_language(section.title, language),
        }

    return Sentence(build)


def overall_name(framework: Framework) -> Sentence:
    """ "IOM Key Principles overall"."""
    return Sentence(
        lambda t, language: (
            t.gettext("%(framework)s overall")
            % {"framework": framework.in_language(framework.name, language)}
        )
    )


def group_not_rated(
    name: str, items_label: Callable[[str], str], scored: int, total: int, need: int
) -> Sentence:
    """A section with too few rated questions to have a RAG yet."""

    def build(t: Translations, language: str) -> str:
        values = {
            "name": said(name, t, language),
            "items": items_label(language),
            "scored": scored,
            "total": total,
            "need": need,
        }
        if not total:
            return t.gettext("%(name)s is not rated: it has no %(items)s.") % values
        return (
            t.ngettext(
                "%(name)s is not rated yet: %(scored)s of its %(total)s %(items)s has a rating, "
                "and it needs at least %(need)s.",
                "%(name)s is not rated yet: %(scored)s of its %(total)s %(items)s have a "
                "rating, and it needs at least %(need)s.",
                scored,
            )
            % values
        )

    return Sentence(build)
