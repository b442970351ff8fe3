"""The grouped queries behind the national picture, national and by region.

``selfassess.domain.national`` documents the rows (counts, answered units, scalars, section
RAGs); ``selfassess.queries.national`` hands them to it. Section RAGs are stored with the
answers (``item_id`` ``section:<section id>``), so one grouped count gives both.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, String, and_, bindparam, func, literal, null, or_, select, union_all

from selfassess.domain.frameworks import Framework
from selfassess.domain.national import collection_figures, collection_items
from selfassess.domain.national_figures import ARRANGEMENT, item_unit
from selfassess.domain.return_snapshot import SECTION_PREFIX
from selfassess.extensions import db
from selfassess.models import Partnership, Return, ReturnAnswer


def regional_rows(collection_id: int, fws: Sequence[Framework]) -> dict:
    """The regional rows: each answer needs its partnership's region, so these join.

    One joined grouped count gives the item counts (with the arrangements in the returns giving
    each value) and the section RAGs together; answering units are counted only for the
    multi-choice items, as nationally. It was four joined queries over every row, one of them a
    DISTINCT over every answer.
    """
    region = Partnership.region
    ra = ReturnAnswer

    def joined(stmt):
        return stmt.join(Return, Return.id == ra.return_id).join(
            Partnership, Partnership.id == Return.partnership_id
        )

    grouped = (
        joined(
            select(
                region,
                ra.framework_id,
                ra.item_id,
                ra.value,
                func.count(),
                func.sum(Return.arrangements),
            )
        )
        .where(ra.collection_id == collection_id)
        .group_by(region, ra.framework_id, ra.item_id, ra.value)
    )
    counts, sections = [], []
    for reg, fid, iid, value, count, arrangements in db.session.execute(grouped).all():
        if iid.startswith(SECTION_PREFIX):
            sections.append((reg, fid, iid[len(SECTION_PREFIX) :], value, count))
        else:
            counts.append((reg, fid, iid, value, count, arrangements))

    multi = {(ci.framework_id, ci.item_id) for ci in collection_items(fws) if ci.multi}
    answered = []
    if multi:
        units = (
            joined(select(region, ra.framework_id, ra.item_id, ra.return_id, ra.arrangement))
            .distinct()
            .where(ra.collection_id == collection_id, _one_of(multi))
            .subquery()
        )
        answered = [
            tuple(r)
            for r in db.session.execute(
                select(
                    units.c.region, units.c.framework_id, units.c.item_id, func.count()
                ).group_by(units.c.region, units.c.framework_id, units.c.item_id)
            )
        ]

    scalars = (
        select(region, func.count(Return.id), func.coalesce(func.sum(Return.arrangements), 0))
        .join(Partnership, Partnership.id == Return.partnership_id)
        .where(Return.collection_id == collection_id)
        .group_by(region)
    )
    totals = [tuple(r) for r in db.session.execute(scalars)]
    return {"counts": counts, "answered": answered, "sections": sections, "totals": totals}


def national_rows(collection_id: int, fws: Sequence[Framework]) -> dict:
    """The national rows in two statements, with as little work beyond one grouped count as the
    figures allow.

    The grouped count over ``return_answer`` (answered from its covering index, no join) gives
    the item counts and the section RAGs together. The second statement is a UNION ALL of, each
    restricted to the few items that need it: the answering units of each multi-choice item (for
    single-answer items the counts already say it; the DISTINCT reads ``ix_return_answer_unit``
    alone, one item at a time so in index order), the arrangements in the returns giving each
    value of an item that arrangement-level items are asked on, and the returns and their
    arrangements. SQLite ran the grouped count inside the UNION ALL at twice its own time.
    Measured in bench/notes.md.
    """
    counts, sections, answered, arrangements = [], [], [], {}
    returns = total_arrangements = 0
    connection = db.session.connection()
    rows = [
        row
        for statement in _rows_statements(fws)
        for row in connection.execute(statement, {"c": collection_id}).all()
    ]
    for kind, fid, iid, value, number in rows:
        if kind == _COUNT:
            if iid.startswith(SECTION_PREFIX):
                sections.append((fid, iid[len(SECTION_PREFIX) :], value, number))
            else:
                counts.append((fid, iid, value, number))
        elif kind == _UNITS:
            answered.append((fid, iid, number))
        elif kind == _ARRANGEMENTS:
            arrangements[(fid, iid, value)] = number
        elif kind == _RETURNS:
            returns = number
        else:
            total_arrangements = number or 0
    if arrangements:
        counts = [(*row, arrangements.get(row[:3], 0)) for row in counts]
    return {
        "counts": counts,
        "answered": answered,
        "sections": sections,
        "totals": [(returns, total_arrangements)],
    }


_COUNT, _UNITS, _ARRANGEMENTS, _RETURNS, _RETURN_ARRANGEMENTS = range(5)
_statements: dict[tuple, tuple] = {}


def _rows_statements(fws: Sequence[Framework]) -> tuple:
    """The grouped count and the UNION ALL of the rest behind :func:`_national_rows`, built once
    per set of framework versions."""
    key = tuple((fw.id, fw.version) for fw in fws)
    found = _statements.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], fws, strict=True)):
        return found[1]
    c = bindparam("c", type_=Integer)
    ra = ReturnAnswer
    parts = [
        select(literal(_COUNT), ra.framework_id, ra.item_id, ra.value, func.count())
        .where(ra.collection_id == c)
        .group_by(ra.framework_id, ra.item_id, ra.value)
    ]
    for ci in collection_items(fws):
        if not ci.multi:
            continue
        units = (
            select(ra.return_id, ra.arrangement)
            .distinct()
            .where(ra.collection_id == c, ra.framework_id == ci.framework_id)
            .where(ra.item_id == ci.item_id)
            .subquery()
        )
        parts.append(
            select(
                literal(_UNITS),
                literal(ci.framework_id, String),
                literal(ci.item_id, String),
                null(),
                func.count(),
            ).select_from(units)
        )
    targets = {
        (fw.id, item.asked_if.item)
        for fw in fws
        for item in fw.items
        if item.asked_if is not None and item_unit(fw, item) == ARRANGEMENT
    }
    if targets:
        parts.append(
            select(
                literal(_ARRANGEMENTS),
                ra.framework_id,
                ra.item_id,
                ra.value,
                func.sum(Return.arrangements),
            )
            .join(Return, Return.id == ra.return_id)
            # The returns' own collection too: PostgreSQL then reads only this collection's.
            .where(ra.collection_id == c, Return.collection_id == c, _one_of(targets))
            .group_by(ra.framework_id, ra.item_id, ra.value)
        )
    for kind, figure in (
        (_RETURNS, func.count(Return.id)),
        (_RETURN_ARRANGEMENTS, func.coalesce(func.sum(Return.arrangements), 0)),
    ):
        parts.append(
            select(literal(kind), null(), null(), null(), figure).where(Return.collection_id == c)
        )
    statements = (parts[0], union_all(*parts[1:]))
    if len(_statements) > 32:
        _statements.clear()
    _statements[key] = (tuple(fws), statements)
    return statements


def _one_of(keys: set[tuple[str, str]]):
    """return_answer rows of any of these (framework_id, item_id)."""
    by_framework: dict[str, list[str]] = {}
    for fid, iid in sorted(keys):
        by_framework.setdefault(fid, []).append(iid)
    return or_(
        *(
            and_(ReturnAnswer.framework_id == fid, ReturnAnswer.item_id.in_(iids))
            for fid, iids in by_framework.items()
        )
    )


def figure_rows(collection_id: int, fws: Sequence[Framework], by_region: bool = False) -> list:
    """Rows ([region,] framework_id, figure_id, n): the units each declared figure counts.

    A unit counts when it chose at least as many of the figure's options as its rule needs
    (``FigureRule.counted``): one grouped count per figure, over that item's rows only.
    """
    ra = ReturnAnswer
    parts = []
    for fw, rule, _ in collection_figures(fws):
        item = fw.item(rule.item)
        if item is None:
            continue
        values, at_least = rule.counted(item)
        columns = [ra.return_id, ra.arrangement]
        stmt = select(*columns)
        if by_region:
            stmt = (
                select(Partnership.region, *columns)
                .join(Return, Return.id == ra.return_id)
                .join(Partnership, Partnership.id == Return.partnership_id)
            )
        units = (
            stmt.where(
                ra.collection_id == collection_id,
                ra.framework_id == fw.id,
                ra.item_id == item.id,
                ra.value.in_(values),
            )
            .group_by(*([Partnership.region] if by_region else []), *columns)
            .having(func.count() >= at_least)
            .subquery()
        )
        names = [literal(fw.id, String), literal(rule.id, String), func.count()]
        if by_region:
            parts.append(select(units.c.region, *names).group_by(units.c.region))
        else:
            parts.append(select(*names).select_from(units))
    if not parts:
        return []
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    return [tuple(r) for r in db.session.execute(statement).all()]
