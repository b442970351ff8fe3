"""The one-page summary a board reads first: plain logic over the results, no database.

A tile per section (each principle, each PPO and DIP section) with its RAG, one plain sentence
saying why, and how it moved since the previous cycle; the five most pressing gaps; how many
actions are open, due within a month and overdue; and how many people from how many agencies
took part.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from selfassess.domain.i18n import N_

if TYPE_CHECKING:
    from selfassess.domain.frameworks import Framework
    from selfassess.domain.scoring import FrameworkResult, SectionResult
    from selfassess.domain.strengths import Gap

PRESSING_GAPS = 5
DUE_SOON_DAYS = 31  # "due in the next month"

# How a section moved since the previous cycle, in words a board reads.
CHANGE_WORDS = {
    "up": N_("Better than last cycle"),
    "down": N_("Worse than last cycle"),
    "same": N_("Same as last cycle"),
    "new": N_("Not rated last cycle"),
    "gone": N_("Rated last cycle, not now"),
}


@dataclass(frozen=True)
class Tile:
    framework_id: str
    section_id: str
    heading: str  # "Principle 1: All partners…" (the title once)
    name: str  # "Principle 1", or 'Enabler "Data and analysis"'
    title: str
    rag: str | None
    rag_label: str | None
    provisional: bool
    sentence: str
    change: str | None  # a key of CHANGE_WORDS; None when there is no previous cycle to compare
    # The sentence's parts, for saying it in another language: how many items it has and how
    # many are rated, and each rating's label (highest level first) with its count.
    parts: SentenceParts | None = None

    @property
    def subtitle(self) -> str | None:
        """The title, where the name does not already hold it."""
        return None if self.title in self.name else self.title

    @property
    def change_words(self) -> str | None:
        return CHANGE_WORDS.get(self.change) if self.change else None


@dataclass(frozen=True)
class ActionCounts:
    open: int
    due_soon: int  # open and due from today to a month ahead
    overdue: int


@dataclass(frozen=True)
class Participation:
    people: int
    agencies: int

    @property
    def sentence(self) -> str:
        people = "1 person" if self.people == 1 else f"{self.people} people"
        agencies = "1 agency" if self.agencies == 1 else f"{self.agencies} agencies"
        return f"{people} from {agencies} gave ratings."


@dataclass(frozen=True)
class SentenceParts:
    total: int
    rated: int
    item_label: str  # the framework's own label, singular or plural as the total asks
    counts: tuple[tuple[str, int], ...]  # (scale label, count), highest level first
    rag: str | None


def sentence_parts(framework: Framework, section: SectionResult) -> SentenceParts:
    total = section.items_total
    counts: dict[str, int] = {}
    for item in section.items:
        if item.rating_score is not None:
            counts[item.rating] = counts.get(item.rating, 0) + 1
    scored = sorted((v for v in framework.scale if v.score is not None), key=lambda v: -v.score)
    return SentenceParts(
        total,
        sum(counts.values()),
        framework.item_label if total == 1 else framework.item_label_plural,
        tuple((v.label, counts[v.id]) for v in scored if counts.get(v.id)),
        section.rag,
    )


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def plain_sentence(framework: Framework, section: SectionResult) -> str:
    """Why a section has its RAG, in one sentence without statistics: how many of its questions
    are rated what ("Of its 6 questions, 1 is green, 4 amber and 1 red.")."""
    total = section.items_total
    noun = (framework.item_label if total == 1 else framework.item_label_plural).lower()
    counts: dict[str, int] = {}
    for item in section.items:
        if item.rating_score is not None:
            counts[item.rating] = counts.get(item.rating, 0) + 1
    rated = sum(counts.values())
    if section.rag is None:
        if not total:
            return f"It has no {noun} yet."
        return f"{rated} of its {total} {noun} rated so far: too few to give it a rating."
    # Highest level first: green, amber, red.
    scored = sorted((v for v in framework.scale if v.score is not None), key=lambda v: -v.score)
    parts = [f"{counts[v.id]} {v.label.lower()}" for v in scored if counts.get(v.id)]
    first = parts[0].split(" ", 1)
    parts[0] = f"{first[0]} {'is' if first[0] == '1' else 'are'} {first[1]}"
    sentence = f"Of its {total} {noun}, {_join(parts)}"
    if rated < total:
        sentence += f"; {total - rated} not rated yet"
    return sentence + "."


def _change(now: SectionResult, before: SectionResult | None) -> str:
    if before is None or before.score is None:
        return "new" if now.score is not None else "same"
    if now.score is None:
        return "gone"
    levels = {"red": 1, "amber": 2, "green": 3}
    a, b = levels.get(now.rag or "", 0), levels.get(before.rag or "", 0)
    return "up" if a > b else "down" if a < b else "same"


def tiles(
    results: Iterable[FrameworkResult], previous: dict[str, FrameworkResult | None] | None
) -> list[Tile]:
    """A tile per section of every rated framework, in the assessment's order. ``previous``
    maps framework ids to last cycle's results; None when there was no previous cycle."""
    out = []
    for r in results:
        before = previous.get(r.framework.id) if previous is not None else None
        for s in r.sections:
            change = None
            if previous is not None:
                change = _change(s, before.section(s.id) if before else None)
            out.append(
                Tile(
                    r.framework.id,
                    s.id,
                    s.heading,
                    s.name,
                    s.title,
                    s.rag,
                    s.rag_label,
                    s.provisional,
                    plain_sentence(r.framework, s),
                    change,
                    sentence_parts(r.framework, s),
                )
            )
    return out


def pressing_gaps(gaps: Sequence[Gap], limit: int = PRESSING_GAPS) -> list[Gap]:
    return list(gaps[:limit])


def action_counts(
    actions: Iterable[tuple[str, date | None]], today: date, open_statuses: Sequence[str]
) -> ActionCounts:
    """From (status, due date) pairs: open ones, those due within a month, and overdue ones."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    open_ = due_soon = overdue = 0
    for status, due in actions:
        if status not in open_statuses:
            continue
        open_ += 1
        if due is not None and due < today:
            overdue += 1
        elif due is not None and due <= soon:
            due_soon += 1
    return ActionCounts(open_, due_soon, overdue)


@dataclass(frozen=True)
class Summary:
    tiles: list[Tile]
    gaps: list[Gap]  # the most pressing, at most PRESSING_GAPS
    gaps_total: int
    actions: ActionCounts
    participation: Participation | None  # None for a reader who may not see others' ratings
