"""Consistency rules a survey framework declares, kept the same way wherever answers come from:
the survey in the tool and returns imported from files. Plain Python (no Flask, no database).

- ``exclusive``: options chosen only on their own ("none" beside "police" contradicts itself).
- ``arrangements``: how many IOM arrangements an answer means ("one arrangement" is exactly one;
  "yes, IOM is in place" at least one), held against the number of arrangements the return
  answers for.

Which items apply to whom is ``asked_if``: the survey asks an item only when it holds, and the
import refuses an answer where it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from selfassess.domain.frameworks import Framework, Item
from selfassess.domain.i18n import N_
from selfassess.domain.phrases import FrameworkText, Phrase

EXACTLY = "exactly"
AT_LEAST = "at_least"


@dataclass(frozen=True)
class RuleProblem:
    """An answer that contradicts a rule: the item it is about, and why."""

    framework_id: str
    item_id: str
    arrangement: int  # 0: the partnership's own answer
    rule: str  # "exclusive" or "arrangements"
    message: str


def _label(item: Item, option_id: str) -> str:
    option = item.option(option_id)
    if option is None:
        return option_id
    return Phrase(N_("%(id)s (%(label)s)"), id=option_id, label=FrameworkText(option.label))


def exclusive_problem(item: Item, values: Iterable[str]) -> str | None:
    """Why these options cannot be chosen together, or None when they can."""
    chosen = list(values)
    alone = [v for v in chosen if v in item.exclusive]
    if alone and len(chosen) > 1:
        others = [_label(item, v) for v in chosen if v != alone[0]]
        return Phrase(
            N_("%(alone)s is chosen with %(others)s: %(id)s is chosen on its own or not at all"),
            alone=_label(item, alone[0]),
            others=_listed(others),
            id=alone[0],
        )
    return None


def _listed(parts: list[str]) -> str:
    """Parts joined with commas, each still translatable where it is a Phrase."""
    if len(parts) == 1:
        return parts[0]
    template = ", ".join(f"%(p{i})s" for i in range(len(parts)))
    return Phrase(template, **{f"p{i}": part for i, part in enumerate(parts)})


def arrangement_problem(item: Item, values: Iterable[str], count: int) -> str | None:
    """Why an answer contradicts the number of arrangements answered for, or None."""
    for value in values:
        if value not in item.arrangements:
            continue
        how, number = item.arrangements[value]
        if (how == EXACTLY and count != number) or (how == AT_LEAST and count < number):
            if how == EXACTLY:
                means = Phrase(
                    N_("%(count)s IOM arrangement")
                    if number == 1
                    else N_("%(count)s IOM arrangements"),
                    count=number,
                )
            else:
                means = Phrase(N_("at least %(count)s"), count=number)
            given = Phrase(N_("none")) if count == 0 else str(count)
            return Phrase(
                N_(
                    "%(item)s is %(answer)s, which means %(means)s, but the return answers "
                    "for %(given)s"
                ),
                item=item.id,
                answer=_label(item, value),
                means=means,
                given=given,
            )
    return None


def arrangements_meant(
    framework: Framework, answers: Mapping[tuple[str, str, int], list[str]]
) -> tuple[int, int | None]:
    """The fewest arrangements the partnership's answers so far allow, and the exact number
    when an answer fixes it (None when none does)."""
    low, exact = 0, None
    for item in framework.items:
        for value in answers.get((framework.id, item.id, 0)) or []:
            how, number = item.arrangements.get(value, (None, 0))
            if how == EXACTLY:
                exact = number
            elif how == AT_LEAST:
                low = max(low, number)
    return low, exact


def answers_from_rows(
    rows: Iterable[tuple[str, str, int, str]],
) -> dict[tuple[str, str, int], list[str]]:
    """Stored answer rows (framework, item, arrangement, option id) as one list per answer."""
    answers: dict[tuple[str, str, int], list[str]] = {}
    for fid, iid, arrangement, value in rows:
        answers.setdefault((fid, iid, arrangement), []).append(value)
    return answers


def consistency_problems(
    frameworks: Iterable[Framework],
    answers: Mapping[tuple[str, str, int], list[str]],
    arrangements: int,
) -> list[RuleProblem]:
    """Every answer of one return that breaks a rule its framework declares, in item order.

    ``answers``: ``(framework_id, item_id, arrangement) -> option ids`` (0: the partnership);
    ``arrangements``: how many IOM arrangements the return answers for."""
    problems = []
    for fw in frameworks:
        if fw.kind != "survey":
            continue
        for item in fw.items:
            keys = sorted(k for k in answers if k[0] == fw.id and k[1] == item.id)
            for key in keys:
                values = answers[key] or []
                if item.exclusive and (message := exclusive_problem(item, values)):
                    problems.append(RuleProblem(fw.id, item.id, key[2], "exclusive", message))
                if item.arrangements and key[2] == 0:
                    if message := arrangement_problem(item, values, arrangements):
                        problems.append(
                            RuleProblem(fw.id, item.id, key[2], "arrangements", message)
                        )
    return problems
