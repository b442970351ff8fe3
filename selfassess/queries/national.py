"""National collections in the database, and the national picture.

``selfassess.domain.national`` documents the queries (counts, answered units, scalars, section
RAGs); ``selfassess.queries.national_rows`` runs them and this module hands the rows over.
Section RAGs are stored with the answers: a ``return_answer`` row whose ``item_id`` is
``section:<section id>`` (arrangement 0) holds the section's RAG in that return, so they are
grouped counts too. Those rows are left out of the item queries and the national dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import (
    func,
    select,
)

from selfassess.domain.frameworks import Framework
from selfassess.domain.national import (
    NationalPicture,
    build_picture,
    build_regional_pictures,
)
from selfassess.domain.national_comparison import PictureComparison, compare_pictures
from selfassess.domain.reference import REGIONS, region_name
from selfassess.extensions import db
from selfassess.extensions import frameworks as library
from selfassess.models import (
    Assessment,
    Collection,
    CollectionFramework,
    CollectionPartnership,
    Partnership,
    Return,
    SurveyAnswer,
)
from selfassess.queries.national_rows import (
    figure_rows,
    national_rows,
    regional_rows,
)


def collection_or_none(slug: str) -> Collection | None:
    return db.session.execute(select(Collection).filter_by(slug=slug)).scalar_one_or_none()


def all_collections() -> list[Collection]:
    return list(
        db.session.execute(
            select(Collection).order_by(Collection.opens_on.desc(), Collection.id.desc())
        ).scalars()
    )


def collection_frameworks(collection: Collection) -> list[Framework]:
    """The rated and survey frameworks the collection collects, at the versions it pinned."""
    lib = library()
    out = []
    pinned = db.session.execute(
        select(CollectionFramework.framework_id, CollectionFramework.framework_version)
        .where(CollectionFramework.collection_id == collection.id)
        .order_by(CollectionFramework.position)
    ).all()
    for framework_id, version in pinned:
        fw = lib.resolve(framework_id, version)
        if fw.kind in ("rag", "survey"):
            out.append(fw)
    return out


def is_open(collection: Collection, today: date | None = None) -> bool:
    today = today or date.today()
    return collection.opens_on <= today <= collection.closes_on


PictureRows = dict[str, Any]
RowsSource = Callable[[Collection, Sequence[Framework], bool], PictureRows]


def picture_rows(
    collection: Collection, fws: Sequence[Framework], by_region: bool = False
) -> PictureRows:
    """Everything a picture is built from, as plain data (lists of tuples of strings and
    numbers): the grouped rows of :func:`national_rows` (with by_region, :func:`regional_rows`,
    every row starting with the region) and the figures' units under ``figures``. Grouped
    afresh over every answer: ``selfassess.documents.picture_rows`` keeps them."""
    rows = regional_rows(collection.id, fws) if by_region else national_rows(collection.id, fws)
    return {**rows, "figures": figure_rows(collection.id, fws, by_region=by_region)}


def previous_collection(collection: Collection) -> Collection | None:
    """The latest earlier collection sharing one of this collection's frameworks."""
    ids = [cf.framework_id for cf in collection.frameworks]
    if not ids:
        return None
    return (
        db.session.execute(
            select(Collection)
            .join(CollectionFramework, CollectionFramework.collection_id == Collection.id)
            .where(
                CollectionFramework.framework_id.in_(ids),
                Collection.id != collection.id,
                Collection.closes_on < collection.closes_on,
            )
            .order_by(Collection.closes_on.desc(), Collection.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )


def _national(
    collection: Collection,
    fws: Sequence[Framework],
    previous=None,
    rows: RowsSource = picture_rows,
) -> NationalPicture:
    found = rows(collection, fws, False)
    returns, arrangements = found["totals"][0] if found["totals"] else (0, 0)
    return build_picture(
        collection.slug,
        fws,
        int(returns),
        found["counts"],
        found["answered"],
        arrangements=int(arrangements),
        section_rags=found["sections"],
        previous=previous,
        title=collection.title,
        figure_counts=found["figures"],
    )


def threshold_or_default(threshold: int | None) -> int:
    return int(current_app.config["SUPPRESSION_THRESHOLD"] if threshold is None else threshold)


def national_picture(
    collection: Collection,
    region: str | None = None,
    threshold: int | None = None,
    with_previous: bool = True,
    rows: RowsSource = picture_rows,
) -> NationalPicture:
    """The national picture (or one region's, suppressed), with the change since the previous
    collection of the same framework. ``rows`` gives the rows each collection's picture is built
    from: grouped afresh by default, kept by ``selfassess.documents.picture_rows``."""
    if region is not None:
        pictures = regional_pictures(collection, threshold, with_previous, [region], rows=rows)
        return pictures[region]
    fws = collection_frameworks(collection)
    previous = None
    if with_previous and (before := previous_collection(collection)) is not None:
        previous = _national(before, collection_frameworks(before), rows=rows)
    return _national(collection, fws, previous, rows=rows)


def compared_with(
    collection: Collection,
    earlier: Collection,
    picture: NationalPicture | None = None,
    rows: RowsSource = picture_rows,
) -> PictureComparison | None:
    """The collection's national picture beside an earlier collection's, on the mapping between
    their surveys (questions/comparisons/); None when no mapping joins them."""
    fws, before = collection_frameworks(collection), collection_frameworks(earlier)
    return compare_pictures(
        library().comparisons,
        picture or national_picture(collection, with_previous=False, rows=rows),
        [fw.id for fw in fws],
        _national(earlier, before, rows=rows),
        [fw.id for fw in before],
    )


def regional_pictures(
    collection: Collection,
    threshold: int | None = None,
    with_previous: bool = True,
    regions: Sequence[str] | None = None,
    rows: RowsSource = picture_rows,
) -> dict[str, NationalPicture]:
    """One suppressed picture per region (every region, in the reference order), or those of
    ``regions``. Every region is built even then: whether a figure must be hidden so that a
    suppressed one cannot be worked out depends on all the others."""
    fws = collection_frameworks(collection)
    found = rows(collection, fws, True)
    order = [r for r, _ in REGIONS]
    totals = {r: (int(c), int(a)) for r, c, a in found["totals"]}
    for r in [*totals, *(regions or ())]:
        if r not in order:
            order.append(r)
    previous = None
    if with_previous and (before := previous_collection(collection)) is not None:
        previous = regional_pictures(before, threshold, False, order, rows=rows)
    pictures = build_regional_pictures(
        collection.slug,
        fws,
        {r: totals.get(r, (0, 0))[0] for r in order},
        found["counts"],
        found["answered"],
        arrangements_by_region={r: totals.get(r, (0, 0))[1] for r in order},
        section_rags=found["sections"],
        threshold=threshold_or_default(threshold),
        previous=previous,
        title=collection.title,
        figure_counts=found["figures"],
    )
    return pictures if regions is None else {r: pictures[r] for r in regions}


# --- returns, expected partnerships, the dataset ----------------------------------------------


def returns_of(collection: Collection) -> list[Return]:
    return list(
        db.session.execute(
            select(Return)
            .join(Partnership, Partnership.id == Return.partnership_id)
            .where(Return.collection_id == collection.id)
            .order_by(Partnership.name)
        ).scalars()
    )


def return_for(collection: Collection, partnership_id: int) -> Return | None:
    return db.session.execute(
        select(Return).filter_by(collection_id=collection.id, partnership_id=partnership_id)
    ).scalar_one_or_none()


def return_in(collection: Collection, return_id: int) -> Return | None:
    """The return with this id if it was made to this collection."""
    ret = db.session.get(Return, return_id)
    return ret if ret is not None and ret.collection_id == collection.id else None


def existing_codes(collection: Collection) -> set[str]:
    return set(
        db.session.execute(
            select(Partnership.code)
            .join(Return, Return.partnership_id == Partnership.id)
            .where(Return.collection_id == collection.id)
        ).scalars()
    )


def expected_codes(collection: Collection) -> set[str]:
    """The codes of the partnerships the collection expects a return from."""
    return set(
        db.session.execute(
            select(Partnership.code)
            .join(CollectionPartnership, CollectionPartnership.partnership_id == Partnership.id)
            .where(CollectionPartnership.collection_id == collection.id)
        ).scalars()
    )


def all_codes() -> set[str]:
    return set(db.session.execute(select(Partnership.code)).scalars())


def response_rates(collection: Collection) -> dict:
    """Expected partnerships, returns from them, overall and by region; and who is outstanding."""
    expected = list(
        db.session.execute(
            select(Partnership, Return.id)
            .join(CollectionPartnership, CollectionPartnership.partnership_id == Partnership.id)
            .outerjoin(
                Return,
                (Return.partnership_id == Partnership.id) & (Return.collection_id == collection.id),
            )
            .where(CollectionPartnership.collection_id == collection.id)
            .order_by(Partnership.name)
        )
    )
    by_region: dict[str, list[int]] = {}
    for partnership, return_id in expected:
        counts = by_region.setdefault(partnership.region, [0, 0])
        counts[0] += 1
        counts[1] += return_id is not None
    total = len(expected)
    returned = sum(1 for _, r in expected if r is not None)
    return {
        "expected": total,
        "returned": returned,
        "regions": [(region_name(r), e, got) for r, (e, got) in sorted(by_region.items())],
        "outstanding": [p for p, r in expected if r is None],
        "all_returns": db.session.execute(
            select(func.count(Return.id)).where(Return.collection_id == collection.id)
        ).scalar_one(),
    }


def partnerships_by_code(codes: Sequence[str]) -> dict[str, Partnership]:
    """The partnerships the tool knows among these codes, by code."""
    return {
        p.code: p
        for p in db.session.execute(
            select(Partnership).where(Partnership.code.in_(list(codes)))
        ).scalars()
    }


def is_expected(collection: Collection, partnership_id: int) -> bool:
    """Whether the partnership is among those the collection expects a return from."""
    found = db.session.execute(
        select(CollectionPartnership.id).filter_by(
            collection_id=collection.id, partnership_id=partnership_id
        )
    ).first()
    return found is not None


def expected_collections_for(partnership_id: int) -> list[Collection]:
    """Collections the partnership is expected to return to, newest first."""
    return list(
        db.session.execute(
            select(Collection)
            .join(CollectionPartnership, CollectionPartnership.collection_id == Collection.id)
            .where(CollectionPartnership.partnership_id == partnership_id)
            .order_by(Collection.closes_on.desc())
        ).scalars()
    )


def assessments_to_submit(partnership_id: int) -> list[Assessment]:
    """The partnership's assessments a return may be made from (agreed, or submitted already),
    newest first."""
    return list(
        db.session.execute(
            select(Assessment)
            .where(
                Assessment.partnership_id == partnership_id,
                Assessment.status.in_(("agreed", "submitted")),
            )
            .order_by(Assessment.created_at.desc())
        ).scalars()
    )


def draft_answers(collection: Collection, partnership_id: int) -> dict:
    """The survey answers the partnership has saved so far in this collection:
    {(framework_id, item_id, arrangement): [values]}."""
    rows = db.session.execute(
        select(SurveyAnswer).filter_by(collection_id=collection.id, partnership_id=partnership_id)
    ).scalars()
    return {(a.framework_id, a.item_id, a.arrangement): list(a.values or []) for a in rows}


def returns_fingerprint(collection: Collection) -> tuple:
    """What a document of the collection depends on: its returns (and their versions) and its
    expected partnerships. Changes whenever a return is made, replaced or imported."""
    returns = db.session.execute(
        select(
            func.count(Return.id),
            func.coalesce(func.max(Return.id), 0),
            func.coalesce(func.sum(Return.version), 0),
            func.max(Return.submitted_at),
        ).where(Return.collection_id == collection.id)
    ).one()
    expected = db.session.execute(
        select(
            func.count(CollectionPartnership.id),
            func.coalesce(func.max(CollectionPartnership.id), 0),
        ).where(CollectionPartnership.collection_id == collection.id)
    ).one()
    return (*(str(v) for v in returns), *(int(v) for v in expected))


def _returns_state_columns() -> tuple:
    return (
        func.count(Return.id),
        func.coalesce(func.max(Return.id), 0),
        func.coalesce(func.sum(Return.id), 0),
        func.coalesce(func.sum(Return.version), 0),
        func.max(Return.submitted_at),
    )


def returns_state(collection_id: int) -> tuple[str, ...]:
    """The state of a collection's returns, in one small statement over ``return`` alone: their
    number, highest id, sum of ids, sum of versions and latest submission. Every change to the
    collection's ``return_answer`` rows changes it: they are only ever written with their return,
    which is new (a new id) or replaced whole (its version goes up, its submission time moves);
    a return removed takes its answers with it (fewer, or other ids). Drafts are kept apart,
    in ``survey_answer``."""
    found = db.session.execute(
        select(*_returns_state_columns()).where(Return.collection_id == collection_id)
    ).one()
    return tuple(str(v) for v in found)


def regional_returns_state(collection_id: int) -> tuple[tuple[str, ...], ...]:
    """:func:`returns_state` region by region (returns joined to their partnerships), so a
    partnership moved to another region changes it too (counts and sums of ids move)."""
    found = db.session.execute(
        select(Partnership.region, *_returns_state_columns())
        .join(Partnership, Partnership.id == Return.partnership_id)
        .where(Return.collection_id == collection_id)
        .group_by(Partnership.region)
        .order_by(Partnership.region)
    ).all()
    return tuple(tuple(str(v) for v in row) for row in found)


def distinct_regions_with_returns(collection: Collection) -> list[str]:
    return list(
        db.session.execute(
            select(Partnership.region)
            .distinct()
            .join(Return, Return.partnership_id == Partnership.id)
            .where(Return.collection_id == collection.id)
        ).scalars()
    )
