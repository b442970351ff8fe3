"""The national survey as a partnership answers it in the tool: one question per page, in order,
honouring ``asked_if``; arrangement-level questions once per IOM arrangement, after asking how many
arrangements there are. Plain Python (no Flask, no database).

Answers are ``{(framework_id, item_id, arrangement): [option ids]}``, arrangement 0 being the
partnership. The number of arrangements is itself an answer: item :data:`ARRANGEMENTS_ITEM` of
the framework whose arrangement-level questions it unlocks, holding ``["2"]``, say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from selfassess.domain.frameworks import Framework, Item
from selfassess.domain.national_figures import ARRANGEMENT, item_unit

ARRANGEMENTS_ITEM = "_arrangements"
MAX_ARRANGEMENTS = 20
Answers = Mapping[tuple[str, str, int], list[str]]


@dataclass(frozen=True)
class Step:
    framework_id: str
    item_id: str
    arrangement: int  # 0: the partnership

    @property
    def asks_arrangements(self) -> bool:
        return self.item_id == ARRANGEMENTS_ITEM


def arrangement_count(framework_id: str, answers: Answers) -> int:
    raw = answers.get((framework_id, ARRANGEMENTS_ITEM, 0)) or []
    try:
        return max(0, min(int(raw[0]), MAX_ARRANGEMENTS)) if raw else 0
    except ValueError:
        return 0


def _holds(fw: Framework, item: Item, answers: Answers, arrangement: int, count: int) -> bool:
    cond = item.asked_if
    if cond is None:
        return True
    target = fw.item(cond.item)
    if target is None:
        return True
    if item_unit(fw, target) == ARRANGEMENT:
        places = [arrangement] if arrangement else list(range(1, count + 1))
        return any(cond.holds(answers.get((fw.id, target.id, a)) or []) for a in places)
    return cond.holds(answers.get((fw.id, target.id, 0)) or [])


def survey_steps(frameworks: Iterable[Framework], answers: Answers) -> list[Step]:
    """The questions to put to the partnership, given its answers so far, in order."""
    steps: list[Step] = []
    for fw in frameworks:
        if fw.kind != "survey":
            continue
        count = arrangement_count(fw.id, answers)
        asked_count = False
        for item in fw.items:
            if item_unit(fw, item) != ARRANGEMENT:
                if _holds(fw, item, answers, 0, count):
                    steps.append(Step(fw.id, item.id, 0))
                continue
            if item.asked_if is not None:
                target = fw.item(item.asked_if.item)
                if target is not None and item_unit(fw, target) != ARRANGEMENT:
                    if not _holds(fw, item, answers, 0, count):
                        continue
            if not asked_count:
                steps.append(Step(fw.id, ARRANGEMENTS_ITEM, 0))
                asked_count = True
            for number in range(1, count + 1):
                if _holds(fw, item, answers, number, count):
                    steps.append(Step(fw.id, item.id, number))
    return steps


def return_rows(
    frameworks: Iterable[Framework], answers: Answers
) -> tuple[list[tuple[str, str, int, str]], int]:
    """The answers to submit (only those to questions still asked) and the arrangement count."""
    frameworks = list(frameworks)
    steps = survey_steps(frameworks, answers)
    rows = []
    arrangements = None
    for step in steps:
        if step.asks_arrangements:
            arrangements = (arrangements or 0) + arrangement_count(step.framework_id, answers)
            continue
        for value in answers.get((step.framework_id, step.item_id, step.arrangement)) or []:
            rows.append((step.framework_id, step.item_id, step.arrangement, value))
    if arrangements is None:
        has_arrangement_items = any(
            item_unit(fw, i) == ARRANGEMENT
            for fw in frameworks
            if fw.kind == "survey"
            for i in fw.items
        )
        arrangements = 0 if has_arrangement_items else 1
    return rows, arrangements


def unanswered(frameworks: Iterable[Framework], answers: Answers) -> list[Step]:
    return [
        s
        for s in survey_steps(frameworks, answers)
        if not answers.get((s.framework_id, s.item_id, s.arrangement))
    ]
