"""Partnerships and their people: create a partnership, list members, change roles, remove.

Every change to a membership appends an audit event. A partnership always keeps at least one
lead: the last lead cannot be removed or given another role. A change of role or a removal ends
the person's sessions, so a cookie copied earlier cannot go on acting under the old role.
"""

from __future__ import annotations

from sqlalchemy import func

from selfassess.extensions import db
from selfassess.models import Membership, Partnership, User
from selfassess.services.accounts import end_sessions
from selfassess.services.audit import record


class LastLeadError(Exception):
    """The change would leave the partnership without a lead."""


def all_partnerships() -> list[Partnership]:
    return list(db.session.execute(db.select(Partnership).order_by(Partnership.name)).scalars())


def code_taken(code: str) -> bool:
    return db.session.execute(db.select(Partnership.id).filter_by(code=code)).scalar() is not None


def create_partnership(
    name: str, code: str, region: str, police_force_area: str, by: User
) -> Partnership:
    """Add a partnership (the caller commits, with its first lead's invitation)."""
    partnership = Partnership(
        name=name, code=code, region=region, police_force_area=police_force_area
    )
    db.session.add(partnership)
    db.session.flush()
    record(
        "partnership",
        "created",
        None,
        {"name": name, "code": code, "region": region, "police_force_area": police_force_area},
        actor_user=by,
        partnership_id=partnership.id,
        entity_id=partnership.id,
    )
    return partnership


def members(partnership_id: int) -> list[Membership]:
    """The partnership's members, leads first, then by name."""
    order = {"lead": 0, "member": 1, "observer": 2}
    rows = list(
        db.session.execute(
            db.select(Membership)
            .join(User, User.id == Membership.user_id)
            .filter(Membership.partnership_id == partnership_id)
            .order_by(User.name)
        ).scalars()
    )
    return sorted(rows, key=lambda m: order.get(m.role, 9))


def membership_or_none(partnership_id: int, membership_id: int) -> Membership | None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.partnership_id != partnership_id:
        return None
    return membership


def lead_count(partnership_id: int) -> int:
    return db.session.execute(
        db.select(func.count())
        .select_from(Membership)
        .filter_by(partnership_id=partnership_id, role="lead")
    ).scalar_one()


def is_last_lead(membership: Membership) -> bool:
    return membership.role == "lead" and lead_count(membership.partnership_id) <= 1


def change_role(membership: Membership, role: str, by: User) -> bool:
    """Give a member another role. Returns False when nothing changed."""
    if role == membership.role:
        return False
    if is_last_lead(membership):
        raise LastLeadError
    before = {"user": membership.user.email, "role": membership.role}
    membership.role = role
    record(
        "membership",
        "role_changed",
        before,
        {"user": membership.user.email, "role": role},
        actor_user=by,
        partnership_id=membership.partnership_id,
        entity_id=membership.id,
    )
    end_sessions(membership.user_id)
    db.session.commit()
    return True


def remove_member(membership: Membership, by: User) -> None:
    if is_last_lead(membership):
        raise LastLeadError
    record(
        "membership",
        "removed",
        {"user": membership.user.email, "name": membership.user.name, "role": membership.role},
        None,
        actor_user=by,
        partnership_id=membership.partnership_id,
        entity_id=membership.id,
    )
    user_id = membership.user_id
    db.session.delete(membership)
    end_sessions(user_id)
    db.session.commit()
