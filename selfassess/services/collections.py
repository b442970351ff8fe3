"""National collections: opening one, and the partnerships it expects returns from.

A collection pins the current version of each framework it collects, and lists the partnerships
expected to return to it (the response rates count them); an analyst may name them in a
spreadsheet, which creates the partnerships the tool does not know yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select

from selfassess.domain.i18n import N_
from selfassess.domain.phrases import Phrase
from selfassess.extensions import db
from selfassess.extensions import frameworks as library
from selfassess.models import (
    Collection,
    CollectionFramework,
    CollectionPartnership,
    Partnership,
    User,
)
from selfassess.queries.national import existing_codes, expected_codes, partnerships_by_code
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
        expected, created, _ = _partnerships_for_expected(expected_rows, actor)
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


class ExpectedRefused(ValueError):
    """An expected-partnerships list that would leave the collection inconsistent: ``message``
    says why (a Phrase, shown in the reader's language)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ExpectedLoaded:
    """What loading an expected-partnerships list changed."""

    added: int  # partnerships newly expected
    created: int  # of them, new to the tool
    updated: int  # known partnerships whose name, region or police force area changed
    removed: int  # no longer expected (replacing the list)
    expected: int  # expected now


_DETAILS = ("name", "region", "police_force_area")


def load_expected(
    collection: Collection, rows: Iterable[Any], actor: User | None, replace: bool = False
) -> ExpectedLoaded:
    """Add the partnerships a parsed expected-partnerships list names to those the collection
    expects, creating those the tool does not know and updating the details of those it does;
    with ``replace`` the list becomes exactly the file's. All or nothing, audited.

    Replacing never drops a partnership that has already made a return to the collection: its
    return would count in no response rate. Raises ExpectedRefused naming them."""
    rows = list(rows)
    codes = {r.code for r in rows}
    dropped = expected_codes(collection) - codes if replace else set()
    kept_for_return = sorted(dropped & existing_codes(collection))
    if kept_for_return:
        raise ExpectedRefused(
            Phrase(
                N_(
                    "%(codes)s already made a return to this collection, so must stay expected: "
                    "add them to the file, or load it without replacing the list"
                ),
                codes=", ".join(kept_for_return),
            )
        )
    with transaction():
        partnerships, created, updated = _partnerships_for_expected(rows, actor, update=True)
        added = expect_partnerships(collection, partnerships)
        if dropped:
            gone = partnerships_by_code(sorted(dropped))
            db.session.execute(
                delete(CollectionPartnership).where(
                    CollectionPartnership.collection_id == collection.id,
                    CollectionPartnership.partnership_id.in_([p.id for p in gone.values()]),
                )
            )
        audit.record(
            "collection",
            "expected_loaded",
            None,
            {
                "slug": collection.slug,
                "added": added,
                "created": created,
                "updated": updated,
                "removed": sorted(dropped),
                "replace": replace,
            },
            actor_user=actor,
            entity_id=collection.id,
        )
    return ExpectedLoaded(added, created, updated, len(dropped), len(expected_codes(collection)))


def _partnerships_for_expected(
    rows: Iterable[Any], actor: User | None = None, update: bool = False
) -> tuple[list[Partnership], int, int]:
    """The partnerships a parsed expected-partnerships list names, creating those the tool does
    not know yet (by code), each audited as a partnership created by hand is, and, with
    ``update``, bringing the name, region and police force area of known ones to the file's
    (audited); how many were created and updated. In the caller's transaction."""
    rows = list(rows)
    known = partnerships_by_code([r.code for r in rows])
    created: list[Partnership] = []
    updated = 0
    out = []
    for row in rows:
        partnership = known.get(row.code)
        if partnership is not None and update and partnership not in created:
            before = {k: getattr(partnership, k) for k in _DETAILS}
            after = {k: getattr(row, k) for k in _DETAILS}
            if before != after:
                for k, value in after.items():
                    setattr(partnership, k, value)
                audit.record(
                    "partnership",
                    "updated",
                    before,
                    after,
                    actor_user=actor,
                    partnership_id=partnership.id,
                    entity_id=partnership.id,
                )
                updated += 1
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
    return out, len(created), updated
