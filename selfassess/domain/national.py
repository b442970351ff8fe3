"""The national picture: per item and per section, from grouped counts (no Flask, no database).

The SQL side hands over what a few grouped queries return; this module turns them into counts,
percentages, denominators, regional suppression and the change since the previous collection.

Units. A partnership-level item is counted in returns, an arrangement-level item (``unit:
arrangement``) in IOM arrangements. ``return_answer`` holds one row per chosen option per unit
(arrangement 0 is the partnership itself, 1..n its arrangements), so ``count(*)`` over a value
counts units, each at most once.

Denominators. For every item:

- ``n`` (answered): units that gave any answer. Percentages are ``100 * count / n``, rounded half
  up to one decimal place, None when n is 0. A multi-choice unit counts once in n however many
  options it chose, so its percentages do not sum to 100 (``ItemFigures.multi``).
- ``asked``: units the item was put to: every return (or every arrangement) unless the item has
  ``asked_if``, then the units whose answer to the target item holds. A question asked only of
  CSPs with IOM in place has those CSPs as its denominator.
- ``missing = asked - answered`` (never below 0; answers where asked_if does not hold can only come
  from bad data, which the import refuses).

The queries, per collection (for the regional breakdown add ``partnership.region`` as the first
column and to GROUP BY, and pass the rows to :func:`build_regional_pictures`):

1. counts, one row per (framework_id, item_id, value)::

       SELECT a.framework_id, a.item_id, a.value, count(*), sum(r.arrangements)
       FROM return_answer a JOIN "return" r ON r.id = a.return_id
       WHERE a.collection_id = :c
       GROUP BY a.framework_id, a.item_id, a.value

   The fifth column (arrangements in the returns giving that value) is read only on
   partnership-level items: it is the denominator of an arrangement-level item asked only when a
   partnership-level answer holds (2013 q6: agencies per arrangement, asked if q1 is yes). Rows
   of four columns are accepted; such denominators are then unknown.
2. answered, one row per (framework_id, item_id)::

       SELECT framework_id, item_id, count(*) FROM (
           SELECT DISTINCT framework_id, item_id, return_id, arrangement
           FROM return_answer WHERE collection_id = :c) AS answered_units
       GROUP BY framework_id, item_id

   Needed for multi-choice items; for single-answer items it equals the sum of the counts, which
   is used when an item has no row here.
3. scalars: the number of returns, and ``sum(return.arrangements)`` (only read for
   arrangement-level items without asked_if).
4. section RAGs, rows (framework_id, section_id, rag, count) of per-return section RAGs as the
   scoring module computes them (rag None, or anything but red/amber/green, counts as missing).

"asked" comes from the counts (:func:`derive_asked`): the sum of the target item's counts over
the listed values. That is exact when the target takes one answer per unit (or asked_if lists a
single value). The conditions it cannot settle (a multi-choice target with several listed
values, whose choices overlap; a partnership-level item asked on an arrangement-level answer) are
listed by :func:`asked_conditions_to_query`; for those (none in the shipped frameworks) the SQL
side supplies rows (framework_id, item_id, asked) from a DISTINCT count of the units concerned,
and any such row overrides the derived figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from selfassess.domain.frameworks import Framework
from selfassess.domain.national_figures import (
    ARRANGEMENT,
    PARTNERSHIP,
    CollectionItem,
    CombinedFigure,
    ItemFigures,
    NationalPicture,
    OptionFigure,
    SectionFigures,
    change_pp,
    collection_figures,
    collection_items,
    item_unit,
    percent,
)
from selfassess.domain.national_plan import (
    AskedCondition,
    ItemPlan,
    Plan,
    asked_of,
    plan_of,
    unsettled,
)

__all__ = [
    "ARRANGEMENT",
    "PARTNERSHIP",
    "SECTION_RAGS",
    "SUPPRESSION_THRESHOLD",
    "AskedCondition",
    "CollectionItem",
    "CombinedFigure",
    "ItemFigures",
    "NationalPicture",
    "OptionFigure",
    "SectionFigures",
    "asked_conditions_to_query",
    "build_picture",
    "build_regional_pictures",
    "collection_figures",
    "collection_items",
    "complementary",
    "derive_asked",
    "item_unit",
    "percent",
    "suppress",
    "with_change",
]

SUPPRESSION_THRESHOLD = 3
SECTION_RAGS = ("red", "amber", "green")

Key = tuple[str, str]  # (framework_id, item_id)


# --- reading the rows --------------------------------------------------------------------


def _count_table(counts: Iterable[Sequence]) -> dict[Key, dict[str, tuple[int, int | None]]]:
    """{(framework, item): {value: (units, arrangements in those returns or None)}}."""
    table: dict[Key, dict[str, tuple[int, int | None]]] = {}
    for row in counts:
        value = row[2]
        if value is None or value == "":
            continue
        count = int(row[3] or 0)
        arr = row[4] if len(row) > 4 else None
        arr = None if arr is None else int(arr)
        values = table.get((row[0], row[1]))
        if values is None:
            values = table[(row[0], row[1])] = {}
        old = values.get(value)
        if old is None:
            values[value] = (count, arr)
        else:
            merged_arr = None if arr is None or old[1] is None else old[1] + arr
            values[value] = (old[0] + count, merged_arr)
    return table


def _per_item(rows: Iterable[Sequence]) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for fid, iid, number in rows:
        out[(fid, iid)] = out.get((fid, iid), 0) + int(number or 0)
    return out


# --- denominators ------------------------------------------------------------------------


def asked_conditions_to_query(frameworks: Iterable[Framework]) -> list[AskedCondition]:
    """asked_if conditions whose denominators the SQL side must count itself (often none)."""
    return [c for ci in collection_items(frameworks) if (c := unsettled(ci)) is not None]


def derive_asked(
    frameworks: Iterable[Framework],
    counts: Iterable[Sequence],
    *,
    returns: int,
    arrangements: int | None = None,
) -> dict[Key, int | None]:
    """Units each item was asked of, from the counts rows; None where they cannot tell.

    No asked_if: every return (partnership-level) or ``arrangements`` (arrangement-level).
    asked_if on the same unit: the sum of the target's counts over the listed values. An
    arrangement-level item asked on a partnership-level answer: the sum of the fifth column
    (arrangements in the returns giving those values).
    """
    table = _count_table(counts)
    return {p.key: asked_of(p, table, returns, arrangements) for p in plan_of(frameworks).items}


# --- building ----------------------------------------------------------------------------


def _item_figures(
    plan: ItemPlan, values: dict[str, tuple[int, int | None]], n: int, asked: int | None
) -> ItemFigures:
    options = []
    for oid, label in plan.options:
        count = values[oid][0] if oid in values else 0
        options.append(OptionFigure(oid, label, count, percent(count, n)))
    # Values the framework does not list (a retired option, say) are shown, not hidden.
    for v, (count, _) in values.items():
        if v not in plan.known:
            options.append(OptionFigure(v, v, count, percent(count, n)))
    ci = plan.ci
    return ItemFigures(
        plan.key[0],
        plan.key[1],
        ci.key,
        ci.item.text,
        ci.unit,
        plan.kind,
        n,
        asked,
        None if asked is None else max(asked - n, 0),
        tuple(options),
    )


def _section_figures(
    plan: Plan, rows: Iterable[Sequence], returns: int
) -> dict[str, dict[str, SectionFigures]]:
    got: dict[tuple[str, str], dict[str, int]] = {}
    for fid, sid, rag, count in rows:
        counts = got.setdefault((fid, sid), {})
        counts[rag] = counts.get(rag, 0) + int(count or 0)
    out: dict[str, dict[str, SectionFigures]] = {}
    for fid, sections, labels in plan.sections:
        out[fid] = {}
        for sid, title in sections:
            counts = got.get((fid, sid), {})
            n = sum(counts.get(r, 0) for r in SECTION_RAGS)
            out[fid][sid] = SectionFigures(
                framework_id=fid,
                section_id=sid,
                title=title,
                n=n,
                missing=max(returns - n, 0),
                options=tuple(
                    OptionFigure(
                        r, labels.get(r, r), counts.get(r, 0), percent(counts.get(r, 0), n)
                    )
                    for r in SECTION_RAGS
                ),
            )
    return out


def _combined_figures(
    frameworks: Sequence[Framework],
    items: dict[str, ItemFigures],
    returns: int,
    arrangements: int | None,
    rows: Iterable[Sequence],
) -> dict[str, CombinedFigure]:
    """Each declared figure: the units counted (rows (framework_id, figure_id, n)) over its
    base, taken from its item's figures."""
    got = _per_item(rows)
    by_item = {(f.framework_id, f.item_id): f for f in items.values()}
    out: dict[str, CombinedFigure] = {}
    for fw, rule, key in collection_figures(frameworks):
        item = by_item.get((fw.id, rule.item))
        if item is None:
            continue
        if rule.base == "asked":
            base = item.asked
        elif rule.base == "returns":
            base = arrangements if item.unit == ARRANGEMENT else returns
        else:
            base = item.n
        n = got.get((fw.id, rule.id), 0)
        out[key] = CombinedFigure(
            framework_id=fw.id,
            figure_id=rule.id,
            key=key,
            text=rule.text,
            item_key=item.key,
            rule=rule.rule,
            options=rule.counted(fw.item(rule.item))[0],
            base_of=rule.base,
            n=n,
            base=base,
            percent=percent(n, base),
            unit=item.unit,
        )
    return out


def build_picture(
    collection: str,
    frameworks: Sequence[Framework],
    returns: int,
    counts: Iterable[Sequence],
    answered: Iterable[Sequence] = (),
    *,
    arrangements: int | None = None,
    asked: Iterable[Sequence] = (),
    section_rags: Iterable[Sequence] = (),
    previous: NationalPicture | None = None,
    region: str | None = None,
    title: str | None = None,
    figure_counts: Iterable[Sequence] = (),
) -> NationalPicture:
    """The national picture of a collection.

    ``counts``: rows (framework_id, item_id, value, count[, arrangements]); ``answered``: rows
    (framework_id, item_id, answered), required for multi-choice items that have answers;
    ``asked``: rows (framework_id, item_id, asked) overriding :func:`derive_asked`;
    ``section_rags``: rows (framework_id, section_id, rag, count); ``figure_counts``: rows
    (framework_id, figure_id, n) of the units each declared figure counts; ``previous``: the
    picture of the previous collection of the same frameworks, for the change in percentage
    points.
    """
    plan = plan_of(frameworks)
    table = _count_table(counts)
    answered_by = _per_item(answered)
    asked_by = _per_item(asked)
    items: dict[str, ItemFigures] = {}
    for p in plan.items:
        key = p.key
        values = table.get(key, {})
        if key in answered_by:
            n = answered_by[key]
        elif p.kind == "multi" and values:
            raise ValueError(
                f"{p.ci.framework_id} {p.ci.item_id} is multi-choice: its answered count is "
                "needed (a unit choosing several options answers once)"
            )
        else:
            n = sum(c for c, _ in values.values())
        item_asked = asked_by[key] if key in asked_by else asked_of(p, table, returns, arrangements)
        items[p.ci.key] = _item_figures(p, values, n, item_asked)
    picture = NationalPicture(
        collection=collection,
        returns=returns,
        items=items,
        sections=_section_figures(plan, section_rags, returns),
        arrangements=arrangements,
        region=region,
        title=title,
        figures=_combined_figures(frameworks, items, returns, arrangements, figure_counts),
    )
    return with_change(picture, previous) if previous is not None else picture


# --- change since the previous collection -------------------------------------------------


def _options_with_change(now: Sequence[OptionFigure], then_n, now_n, then: Sequence[OptionFigure]):
    before = {o.id: o for o in then}
    out = []
    for o in now:
        old = before.get(o.id)
        diff = None if old is None else change_pp((o.count, now_n), (old.count, then_n))
        out.append(OptionFigure(o.id, o.label, o.count, o.percent, o.suppressed, diff))
    return tuple(out)


def with_change(current: NationalPicture, previous: NationalPicture) -> NationalPicture:
    """The current picture with each option's change in percentage points since ``previous``.

    Items and sections are matched on framework id and item (section) id, so a new version of a
    framework compares with the last one where ids carry over; options on their id. A figure
    missing or suppressed on either side has no change.
    """
    items = {}
    for key, f in current.items.items():
        old = previous.item(f.framework_id, f.item_id)
        if old is None or f.suppressed or old.suppressed:
            items[key] = f
            continue
        items[key] = replace(f, options=_options_with_change(f.options, old.n, f.n, old.options))
    sections: dict[str, dict[str, SectionFigures]] = {}
    for fid, by_id in current.sections.items():
        sections[fid] = {}
        for sid, s in by_id.items():
            old_s = previous.section(fid, sid)
            if old_s is None or s.suppressed or old_s.suppressed:
                sections[fid][sid] = s
                continue
            sections[fid][sid] = replace(
                s, options=_options_with_change(s.options, old_s.n, s.n, old_s.options)
            )
    figures = {}
    for key, fig in current.figures.items():
        old_f = previous.figure(fig.framework_id, fig.figure_id)
        if old_f is None or fig.suppressed or old_f.suppressed:
            figures[key] = fig
            continue
        figures[key] = replace(fig, change=change_pp((fig.n, fig.base), (old_f.n, old_f.base)))
    return replace(
        current,
        items=items,
        sections=sections,
        figures=figures,
        previous_collection=previous.collection,
        previous_title=previous.title or previous.collection,
    )


# --- regions and suppression ---------------------------------------------------------------


def _suppress_options(options: Sequence[OptionFigure]) -> tuple[OptionFigure, ...]:
    return tuple(
        replace(o, count=None, percent=None, change=None, suppressed=True) for o in options
    )


def suppress(picture: NationalPicture, threshold: int = SUPPRESSION_THRESHOLD) -> NationalPicture:
    """Blank every figure of an item or section whose group (its n) is below ``threshold``.

    The cells' count, percent and change become None and carry ``suppressed``; n and missing
    stay, as they say how many answered but not what.
    """
    items = {
        key: replace(f, options=_suppress_options(f.options), suppressed=True)
        if (f.n or 0) < threshold
        else f
        for key, f in picture.items.items()
    }
    sections = {
        fid: {
            sid: replace(s, options=_suppress_options(s.options), suppressed=True)
            if s.n < threshold
            else s
            for sid, s in by_id.items()
        }
        for fid, by_id in picture.sections.items()
    }
    # A figure counts its item's answers: hidden with the item too (a base of every return can
    # pass the threshold while the answers it counts do not).
    figures = {
        key: replace(f, n=None, percent=None, change=None, suppressed=True)
        if (f.base or 0) < threshold or items[f.item_key].suppressed
        else f
        for key, f in picture.figures.items()
    }
    return replace(picture, items=items, sections=sections, figures=figures, threshold=threshold)


def complementary(sizes: Mapping[str, int], hidden: set[str], threshold: int) -> set[str]:
    """The groups to hide so that no hidden group's figures can be worked out from the total.

    ``sizes``: each group's n (regions of one item, say); ``hidden``: those already hidden (n
    below ``threshold``). The total of every group is published, so the hidden groups' figures
    added together are total minus the shown groups. That sum gives nothing away only when it
    spans two groups or more and at least ``threshold`` units: while it does not, the smallest
    shown group with answers is hidden too. Groups of n 0 hold no figure to hide or reveal.
    """
    hidden = {g for g in hidden if sizes.get(g, 0) > 0}
    out = set(hidden)
    shown = sorted((n, g) for g, n in sizes.items() if n > 0 and g not in out)
    while out and (len(out) < 2 or sum(sizes[g] for g in out) < threshold) and shown:
        out.add(shown.pop(0)[1])
    return out - hidden


def _hide_complements(pictures: dict[str, NationalPicture], threshold: int) -> None:
    """Hide, in place, the figures :func:`complementary` says would reveal a suppressed one."""
    regions = list(pictures)
    if not regions:
        return
    first = pictures[regions[0]]
    extra: dict[str, dict] = {r: {"items": {}, "sections": {}, "figures": {}} for r in regions}
    for key in first.items:
        sizes = {r: pictures[r].items[key].n or 0 for r in regions}
        hidden = {r for r in regions if pictures[r].items[key].suppressed}
        for r in complementary(sizes, hidden, threshold):
            f = pictures[r].items[key]
            extra[r]["items"][key] = replace(
                f, options=_suppress_options(f.options), suppressed=True
            )
    for fid, by_id in first.sections.items():
        for sid in by_id:
            sizes = {r: pictures[r].sections[fid][sid].n for r in regions}
            hidden = {r for r in regions if pictures[r].sections[fid][sid].suppressed}
            for r in complementary(sizes, hidden, threshold):
                s = pictures[r].sections[fid][sid]
                extra[r]["sections"][(fid, sid)] = replace(
                    s, options=_suppress_options(s.options), suppressed=True
                )
    for key, fig in first.figures.items():
        sizes = {r: pictures[r].figures[key].base or 0 for r in regions}
        hidden = {r for r in regions if pictures[r].figures[key].suppressed}
        # Hidden with its item, where the item's answers are hidden to protect another region.
        with_item = {r for r in regions if fig.item_key in extra[r]["items"]} - hidden
        hidden |= with_item
        for r in with_item | complementary(sizes, hidden, threshold):
            fig = pictures[r].figures[key]
            extra[r]["figures"][key] = replace(
                fig, n=None, percent=None, change=None, suppressed=True
            )
    for r in regions:
        p, more = pictures[r], extra[r]
        if not any(more.values()):
            continue
        sections = {
            fid: {sid: more["sections"].get((fid, sid), s) for sid, s in by_id.items()}
            for fid, by_id in p.sections.items()
        }
        pictures[r] = replace(
            p,
            items={k: more["items"].get(k, f) for k, f in p.items.items()},
            sections=sections,
            figures={k: more["figures"].get(k, f) for k, f in p.figures.items()},
        )


def _split(rows: Iterable[Sequence]) -> dict[Any, list[Sequence]]:
    out: dict[Any, list[Sequence]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(tuple(row[1:]))
    return out


def build_regional_pictures(
    collection: str,
    frameworks: Sequence[Framework],
    returns_by_region: Mapping[str, int],
    counts: Iterable[Sequence],
    answered: Iterable[Sequence] = (),
    *,
    arrangements_by_region: Mapping[str, int] | None = None,
    asked: Iterable[Sequence] = (),
    section_rags: Iterable[Sequence] = (),
    threshold: int = SUPPRESSION_THRESHOLD,
    previous: Mapping[str, NationalPicture] | None = None,
    title: str | None = None,
    figure_counts: Iterable[Sequence] = (),
) -> dict[str, NationalPicture]:
    """One suppressed picture per region, in the order of ``returns_by_region``.

    Every row carries the region first: (region, framework_id, item_id, value, count[, arr]) and
    so on; the figures are those of :func:`build_picture` for the region's own returns, then
    :func:`suppress` blanks the groups smaller than ``threshold``, and :func:`complementary`
    the further groups that would let a blanked one be worked out from the national total. Pass
    every region that has returns, or that working out is not guarded against.
    """
    counts_by, answered_by = _split(counts), _split(answered)
    asked_by, sections_by = _split(asked), _split(section_rags)
    figures_by = _split(figure_counts)
    out = {}
    for region, returns in returns_by_region.items():
        picture = build_picture(
            collection,
            frameworks,
            returns,
            counts_by.get(region, []),
            answered_by.get(region, []),
            arrangements=(arrangements_by_region or {}).get(region),
            asked=asked_by.get(region, []),
            section_rags=sections_by.get(region, []),
            region=region,
            title=title,
            figure_counts=figures_by.get(region, []),
        )
        old = (previous or {}).get(region)
        if old is not None:
            # Suppress the earlier figures too, or the change would give a blanked share away.
            picture = with_change(picture, suppress(old, threshold))
        out[region] = suppress(picture, threshold)
    _hide_complements(out, threshold)
    return out
