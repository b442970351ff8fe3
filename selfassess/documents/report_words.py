"""The report's sentences in the reader's language, from the parts the domain gives.

The domain (``selfassess.domain.summary``, ``strengths``) works out what a sentence says; here
it is said, through the catalogue, whole sentences with placeholders, for the report page and
the PDF alike (each renders inside the reader's language). Framework words (a rating's label,
"question") come from the framework's own texts.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import gettext, ngettext

from selfassess.documents.language import current_language, local, said
from selfassess.domain.i18n import N_
from selfassess.domain.sentences import Sentence
from selfassess.domain.strengths import HOW_WORDS, how_reached
from selfassess.domain.summary import CHANGE_WORDS, Participation, Tile


def _local(text: str | None) -> str:
    return "" if text is None else str(local(text))


def rating_word(label: str | None) -> str:
    """A rating's label inside a sentence: "green", "gwyrdd"."""
    return _local(label).lower()


def participation(people: Participation) -> str:
    """ "6 people from 3 agencies gave ratings." """
    return gettext(
        "%(people)s from %(agencies)s gave ratings.",
        people=ngettext("%(num)d person", "%(num)d people", people.people),
        agencies=ngettext("%(num)d agency", "%(num)d agencies", people.agencies),
    )


def _listed(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return gettext("%(list)s and %(last)s", list=", ".join(parts[:-1]), last=parts[-1])


def tile_sentence(tile: Tile) -> str:
    """Why a section has its RAG: "Of its 6 questions, 1 is green, 4 amber and 1 red." """
    parts = tile.parts
    if parts is None:
        return tile.sentence
    items = _local(parts.item_label).lower()
    if parts.rag is None:
        if not parts.total:
            return gettext("It has no %(items)s yet.", items=items)
        return gettext(
            "%(rated)s of its %(total)s %(items)s rated so far: too few to give it a rating.",
            rated=parts.rated,
            total=parts.total,
            items=items,
        )
    counts = []
    for n, (label, count) in enumerate(parts.counts):
        if n == 0:
            counts.append(
                ngettext(
                    "%(num)d is %(rating)s",
                    "%(num)d are %(rating)s",
                    count,
                    rating=rating_word(label),
                )
            )
        else:
            counts.append(gettext("%(count)s %(rating)s", count=count, rating=rating_word(label)))
    if parts.rated < parts.total:
        return gettext(
            "Of its %(total)s %(items)s, %(counts)s; %(unrated)s not rated yet.",
            total=parts.total,
            items=items,
            counts=_listed(counts),
            unrated=parts.total - parts.rated,
        )
    return gettext(
        "Of its %(total)s %(items)s, %(counts)s.",
        total=parts.total,
        items=items,
        counts=_listed(counts),
    )


def tile_change(tile: Tile) -> str | None:
    words = CHANGE_WORDS.get(tile.change) if tile.change else None
    return gettext(words) if words else None


def _rated(item) -> str:
    return gettext(
        "Rated %(rating)s (%(how)s)",
        rating=rating_word(item.rating_label),
        how=gettext(HOW_WORDS[how_reached(item)]),
    )


def strength_why(strength) -> str:
    """Why a strength is listed: a green section's explanation, or how a green item was rated."""
    if strength.kind == "section":
        return said(strength.why)
    item = strength.result
    if item.contested:
        return gettext(
            "%(rated)s; the votes were contested (%(reason)s).",
            rated=_rated(item),
            reason=said(item.contested_reason),
        )
    return _rated(item) + "."


def gap_why(gap) -> str:
    """Why a gap is listed: its rating, and whether the votes were contested or unsure."""
    item = gap.item
    parts = []
    if item.rating_score is not None:
        parts.append(_rated(item))
    if item.contested:
        parts.append(gettext("contested: %(reason)s", reason=said(item.contested_reason)))
    if item.uncertain:
        parts.append(
            gettext(
                "uncertain: %(dont_know)s of %(n)s said don't know",
                dont_know=item.dont_know,
                n=item.n,
            )
        )
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


FILTERS = {
    "participation_sentence": participation,
    "tile_sentence": tile_sentence,
    "tile_change": tile_change,
    "strength_why": strength_why,
    "gap_why": gap_why,
    "rating_word": rating_word,
}


def _pseudo() -> bool:
    return bool(has_app_context() and current_app.config.get("PSEUDO_LOCALE"))


def _named(text) -> str:
    """A section's name: scoring's sentence for it ('Enabler "Data and analysis"') said in the
    reader's language, or a framework text."""
    return said(text) if isinstance(text, Sentence) else _local(text)


def section_heading(section, framework) -> str:
    """A section's heading in the reader's language: "Principle 2: …", or its name alone."""
    language = current_language()
    if _pseudo():
        return _named(section.heading)
    if framework.section_number(section.id, language):
        return framework.section_heading(section.id, language)
    return _named(section.heading)


def section_name(section, framework) -> str:
    """A section's short name: "Principle 2", or a named section's name."""
    if _pseudo():
        return _named(section.name)
    return framework.section_number(section.id, current_language()) or _named(section.name)


FILTERS.update(section_heading=section_heading, section_name=section_name)


STATUS_WORDS = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "agreed": N_("Agreed"),
    "submitted": N_("Submitted"),
}


def status_word(status: str) -> str:
    """An assessment's status as a word: "Open", "Agored"."""
    words = STATUS_WORDS.get(status)
    return gettext(words) if words else status.capitalize()


FILTERS["status_word"] = status_word
