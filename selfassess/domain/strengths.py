"""Strengths and gaps of an assessment, from its item and section results.

Strengths are green sections, then green items. Gaps are red items, amber items, then contested,
then uncertain items not yet agreed, each item once under its first reason, in framework order.
A rating the board agreed settles a contest: the item is listed by that rating alone, and the
contest stays in its ``why`` and on its detail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from selfassess.domain.i18n import N_

if TYPE_CHECKING:
    from selfassess.domain.scoring import FrameworkResult, ItemResult, SectionResult


@dataclass(frozen=True)
class Strength:
    framework_id: str
    kind: str  # "section" or "item"
    result: SectionResult | ItemResult
    why: str


@dataclass(frozen=True)
class Gap:
    framework_id: str
    item: ItemResult
    reason: str  # why it is listed where it is: "red", "amber", "contested" or "uncertain"
    why: str


@dataclass(frozen=True)
class StrengthsAndGaps:
    strengths: tuple[Strength, ...]
    gaps: tuple[Gap, ...]


HOW_WORDS = {
    "carried forward": N_("carried forward"),
    "provisional": N_("provisional"),
    "agreed": N_("agreed"),
}


def how_reached(item: ItemResult) -> str:
    """How an item's rating stands: "carried forward", "provisional" or "agreed" (a key of
    HOW_WORDS, shown translated)."""
    if item.carried_forward:
        return "carried forward"
    return "provisional" if item.provisional else "agreed"


_how = how_reached


def strengths_and_gaps(results: Iterable[FrameworkResult]) -> StrengthsAndGaps:
    """Strengths: green sections, then green items. Gaps: red items, amber items, then
    contested, then uncertain items; each item once, under its first reason, in framework order.

    A contested or uncertain item is a gap only until the board agrees a rating for it (in this
    cycle: a rating carried forward from the last one settles nothing); an agreed green is a
    strength and nothing else, and its ``why`` still says the votes were contested.
    """
    results = tuple(results)
    strengths: list[Strength] = []
    for r in results:
        fid = r.framework.id
        strengths += [
            Strength(fid, "section", s, s.explanation) for s in r.sections if s.rag == "green"
        ]
        strengths += [
            Strength(fid, "item", i, _strength_why(i)) for i in r.items if i.rating == "green"
        ]

    gaps: list[Gap] = []
    listed: set[tuple[str, str]] = set()
    checks = (
        ("red", lambda i: i.rating == "red"),
        ("amber", lambda i: i.rating == "amber"),
        ("contested", lambda i: i.contested and not i.settled),
        ("uncertain", lambda i: i.uncertain and not i.settled),
    )
    for reason, applies in checks:
        for r in results:
            for i in r.items:
                key = (r.framework.id, i.item_id)
                if key in listed or not applies(i):
                    continue
                listed.add(key)
                gaps.append(Gap(r.framework.id, i, reason, _gap_why(i)))
    return StrengthsAndGaps(tuple(strengths), tuple(gaps))


def _strength_why(item: ItemResult) -> str:
    why = f"Rated {item.rating_label.lower()} ({_how(item)})"
    if item.contested:
        why += f"; the votes were contested ({item.contested_reason})"
    return why + "."


def _gap_why(item: ItemResult) -> str:
    parts = []
    if item.rating_score is not None:
        parts.append(f"Rated {item.rating_label.lower()} ({_how(item)})")
    if item.contested:
        parts.append(f"contested: {item.contested_reason}")
    if item.uncertain:
        parts.append(f"uncertain: {item.dont_know} of {item.n} said don't know")
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."
