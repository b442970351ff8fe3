"""National collections: opening one, and the partnerships it expects returns from.

A collection pins the current version of each framework it collects, and lists the partnerships
expected to return to it (the response rates count them); an analyst may name them in a
spreadsheet, which creates the partnerships the tool does not know yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.extensions import frameworks as library
from selfassess.models import (
    Collection,
    CollectionFramework,
    CollectionPartnership,
    Partnership,
    User,
)
from selfassess.queries.national import partnerships_by_code
from selfassess.services import audit, transaction
from selfassess.services.framework_releases import record_first_use


def create_collection(
    title: str,
    slug: str,
    framework_ids: Iterable[str],
    opens_on: date,
    closes_on: date,
    actor: User | None = None,
    expected: Iterable[Partnership] = (),
) -> Collection:
    """Open a collection of these frameworks (at their current versions) between two dates,
    expecting returns from these partnerships; audited."""
    with transaction():
        return _new_collection(title, slug, framework_ids, opens_on, closes_on, actor, expected)


def create_collection_expecting(
    title: str,
    slug: str,
    framework_ids: Iterable[str],
    opens_on: date,
    closes_on: date,
    actor: User | None,
    expected_rows: Iterable[Any],
) -> tuple[Collection, int, int]:
    """Open a collection expecting the partnerships a parsed expected-partnerships list names,
    creating (audited) those the tool does not know yet; all together or nothing.

    The collection, how many partnerships it expects and how many of them are new to the tool.
    """
    with transaction():
        expected, created = _partnerships_for_expected(expected_rows, actor)
        collection = _new_collection(
            title, slug, framework_ids, opens_on, closes_on, actor, expected
        )
    return collection, len(expected), created


def _new_collection(
    title: str,
    slug: str,
    framework_ids: Iterable[str],
    opens_on: date,
    closes_on: date,
    actor: User | None,
    expected: Iterable[Partnership],
) -> Collection:
    framework_ids = list(framework_ids)
    lib = library()
    collection = Collection(
        title=title,
        slug=slug,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by_id=actor.id if actor else None,
        frameworks=[
            CollectionFramework(
                framework_id=fid, framework_version=lib.get(fid).version, position=i
            )
            for i, fid in enumerate(framework_ids)
        ],
    )
    db.session.add(collection)
    record_first_use(
        lib.resolve(cf.framework_id, cf.framework_version) for cf in collection.frameworks
    )
    db.session.flush()
    expect_partnerships(collection, expected)
    audit.record(
        "collection",
        "created",
        None,
        {"slug": slug, "title": title, "frameworks": list(framework_ids)},
        actor_user=actor,
        entity_id=collection.id,
    )
    return collection


def expect_partnerships(collection: Collection, partnerships: Iterable[Partnership]) -> int:
    """Add partnerships to those expected to return (once each), in the caller's transaction;
    the number added."""
    have = set(
        db.session.execute(
            select(CollectionPartnership.partnership_id).filter_by(collection_id=collection.id)
        ).scalars()
    )
    added = 0
    for p in partnerships:
        if p.id not in have:
            db.session.add(CollectionPartnership(collection_id=collection.id, partnership_id=p.id))
            have.add(p.id)
            added += 1
    return added


def _partnerships_for_expected(
    rows: Iterable[Any], actor: User | None = None
) -> tuple[list[Partnership], int]:
    """The partnerships a parsed expected-partnerships list names, creating those the tool does
    not know yet (by code), each audited as a partnership created by hand is; and how many were
    created. In the caller's transaction."""
    rows = list(rows)
    known = partnerships_by_code([r.code for r in rows])
    created: list[Partnership] = []
    out = []
    for row in rows:
        partnership = known.get(row.code)
        if partnership is None:
            partnership = Partnership(
                name=row.name,
                code=row.code,
                region=row.region,
                police_force_area=row.police_force_area,
            )
            db.session.add(partnership)
            known[row.code] = partnership
            created.append(partnership)
        out.append(partnership)
    db.session.flush()
    for partnership in created:
        audit.record(
            "partnership",
            "created",
            None,
            {
                "name": partnership.name,
                "code": partnership.code,
                "region": partnership.region,
                "police_force_area": partnership.police_force_area,
            },
            actor_user=actor,
            partnership_id=partnership.id,
            entity_id=partnership.id,
        )
    return out, len(created)
