"""How far each member has got: section status words and the completion matrix. No Flask.

A section is "not started" until any of its items has a rating, "completed" once every item has
one, and "in progress" in between. Evidence alone does not count as a rating.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from selfassess.domain.frameworks import Framework, Section
from selfassess.domain.i18n import N_

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
STATUS_WORDS = {
    NOT_STARTED: N_("Not started"),
    IN_PROGRESS: N_("In progress"),
    COMPLETED: N_("Completed"),
}


@dataclass(frozen=True)
class SectionRef:
    """One section a member rates: a principle of the Key Principles, an enabler of the PPO..."""

    framework: Framework
    section: Section

    @property
    def key(self) -> tuple[str, str]:
        return (self.framework.id, self.section.id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.section.items)

    @property
    def name(self) -> str:
        return self.framework.section_short_name(self.section)

    @property
    def title(self) -> str:
        return self.section.title


@dataclass(frozen=True)
class SectionProgress:
    ref: SectionRef
    rated: int
    total: int

    @property
    def status(self) -> str:
        if self.rated == 0:
            return NOT_STARTED
        return COMPLETED if self.rated >= self.total else IN_PROGRESS

    @property
    def status_word(self) -> str:
        return STATUS_WORDS[self.status]


def sections_of(frameworks: Iterable[Framework]) -> list[SectionRef]:
    """Every section to rate, in the assessment's framework order (rated frameworks only)."""
    return [SectionRef(fw, s) for fw in frameworks if fw.is_rated for s in fw.sections]


def progress(
    sections: Iterable[SectionRef], rated: Mapping[str, set[str]]
) -> list[SectionProgress]:
    """rated: framework id -> the item ids this member has given a rating."""
    out = []
    for ref in sections:
        done = rated.get(ref.framework.id, set())
        out.append(
            SectionProgress(ref, sum(1 for i in ref.item_ids if i in done), len(ref.item_ids))
        )
    return out


def first_unfinished(rows: Iterable[SectionProgress]) -> SectionProgress | None:
    """Where a member resumes: the first section not yet completed."""
    return next((row for row in rows if row.status != COMPLETED), None)


def all_completed(rows: Iterable[SectionProgress]) -> bool:
    return all(row.status == COMPLETED for row in rows)
