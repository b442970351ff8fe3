"""Partnerships and their members, as the partnership pages and their services read them."""

from __future__ import annotations

from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import Membership, Partnership, User


def all_partnerships() -> list[Partnership]:
    return list(db.session.execute(select(Partnership).order_by(Partnership.name)).scalars())


def code_taken(code: str) -> bool:
    return db.session.execute(select(Partnership.id).filter_by(code=code)).scalar() is not None


def members(partnership_id: int) -> list[Membership]:
    """The partnership's members, leads first, then by name."""
    order = {"lead": 0, "member": 1, "observer": 2}
    rows = list(
        db.session.execute(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .filter(Membership.partnership_id == partnership_id)
            .order_by(User.name)
        ).scalars()
    )
    return sorted(rows, key=lambda m: order.get(m.role, 9))


def membership_or_none(partnership_id: int, membership_id: int) -> Membership | None:
    """The membership if it is one of this partnership's; None otherwise."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.partnership_id != partnership_id:
        return None
    return membership


def lead_count(partnership_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .filter_by(partnership_id=partnership_id, role="lead")
    ).scalar_one()


def is_last_lead(membership: Membership) -> bool:
    return membership.role == "lead" and lead_count(membership.partnership_id) <= 1
