"""What building the national picture needs from the frameworks, worked out once per set of
frameworks: each item's options, unit and denominator rule, and the RAG sections (no Flask, no
database). ``selfassess.domain.national`` builds the figures with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from selfassess.domain.frameworks import Framework
from selfassess.domain.national_figures import (
    ARRANGEMENT,
    PARTNERSHIP,
    CollectionItem,
    collection_items,
    item_unit,
)

Key = tuple[str, str]  # (framework_id, item_id)


@dataclass(frozen=True)
class AskedCondition:
    """An asked_if whose "asked" count the counts query cannot give (see the module notes)."""

    framework_id: str
    item_id: str
    unit: str
    target_item_id: str
    target_unit: str
    values: tuple[str, ...]
    reason: str


def unsettled(ci: CollectionItem) -> AskedCondition | None:
    cond = ci.item.asked_if
    if cond is None:
        return None
    target = ci.framework.item(cond.item)
    tunit = item_unit(ci.framework, target) if target else PARTNERSHIP
    reason = None
    if target is not None and target.type == "multi" and len(cond.values) > 1:
        reason = "the target is multi-choice and several of its options are listed"
    elif ci.unit == PARTNERSHIP and tunit == ARRANGEMENT:
        reason = "a partnership counts once however many of its arrangements hold"
    if reason is None:
        return None
    return AskedCondition(
        ci.framework_id, ci.item_id, ci.unit, cond.item, tunit, cond.values, reason
    )


@dataclass(frozen=True)
class ItemPlan:
    """What building an item's figures needs from its framework, worked out once."""

    ci: CollectionItem
    key: Key
    kind: str
    options: tuple[tuple[str, str], ...]
    known: frozenset[str]
    # "returns" or "arrangements" (no asked_if), "same" / "via" (asked_if on the same unit /
    # on a partnership-level answer, for arrangements), or "unknown" (see _unsettled).
    asked: str
    target: Key | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    frameworks: tuple[Framework, ...]
    items: tuple[ItemPlan, ...]
    sections: tuple[tuple[str, tuple[tuple[str, str], ...], dict[str, str]], ...]


_plans: dict[tuple, Plan] = {}


def plan_of(frameworks: Iterable[Framework]) -> Plan:
    """The items, their options and denominators, and the RAG sections of these frameworks.

    Kept per set of framework objects (the library's live as long as the app): working them
    out again cost more than building the figures.
    """
    fws = tuple(frameworks)
    key = tuple(id(fw) for fw in fws)
    found = _plans.get(key)
    if found is not None and all(a is b for a, b in zip(found.frameworks, fws, strict=True)):
        return found
    items = []
    for ci in collection_items(fws):
        options = ci.options
        plan = ItemPlan(
            ci,
            (ci.framework_id, ci.item_id),
            ci.kind,
            options,
            frozenset(o for o, _ in options),
            "",
        )
        cond = ci.item.asked_if
        if cond is None:
            plan = replace(plan, asked="returns" if ci.unit == PARTNERSHIP else "arrangements")
        elif unsettled(ci) is not None:
            plan = replace(plan, asked="unknown")
        else:
            target = ci.framework.item(cond.item)
            tunit = item_unit(ci.framework, target) if target else PARTNERSHIP
            plan = replace(
                plan,
                asked="same" if ci.unit == tunit else "via",
                target=(ci.framework_id, cond.item),
                values=tuple(cond.values),
            )
        items.append(plan)
    sections = tuple(
        (
            fw.id,
            tuple((section.id, section.title) for section in fw.sections),
            {v.id: v.label for v in fw.scale},
        )
        for fw in fws
        if fw.is_rated
    )
    if len(_plans) > 32:
        _plans.clear()
    found = _plans[key] = Plan(fws, tuple(items), sections)
    return found


def asked_of(plan: ItemPlan, table: dict, returns: int, arrangements: int | None) -> int | None:
    if plan.asked == "returns":
        return returns
    if plan.asked == "arrangements":
        return arrangements
    if plan.asked == "unknown" or plan.target is None:
        return None
    given = table.get(plan.target, {})
    chosen = [given[v] for v in plan.values if v in given]
    if plan.asked == "same":
        return sum(c for c, _ in chosen)
    if any(a is None for _, a in chosen):
        return None  # four-column rows: arrangements in those returns not known
    return sum(a or 0 for _, a in chosen)
