"""Who belongs where: the reads behind who may see what (web/access.py keeps the rules)."""

from __future__ import annotations

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Assessment, Membership, Partnership


def role_of(user_id: int, partnership_id: int) -> str | None:
    """The user's role in the partnership, or None when they do not belong to it."""
    return db.session.execute(
        select(Membership.role).filter_by(user_id=user_id, partnership_id=partnership_id)
    ).scalar()


def partnership_or_none(partnership_id: int) -> Partnership | None:
    return db.session.get(Partnership, partnership_id)


def assessment_or_none(assessment_id: int) -> Assessment | None:
    return db.session.get(Assessment, assessment_id)


def partnerships_of(user_id: int) -> list[tuple[Partnership, str]]:
    """The partnerships the user belongs to, by name, each with the user's role in it."""
    rows = db.session.execute(
        select(Partnership, Membership.role)
        .join(Membership, Membership.partnership_id == Partnership.id)
        .filter(Membership.user_id == user_id)
        .order_by(Partnership.name)
    ).all()
    return [(p, role) for p, role in rows]
