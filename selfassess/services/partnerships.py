"""Partnerships and their people: create a partnership, change roles, remove members.

Every change to a membership appends an audit event. A partnership always keeps at least one
lead: the last lead cannot be removed or given another role. A change of role or a removal ends
the person's sessions, so a cookie copied earlier cannot go on acting under the old role.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from selfassess.models import Membership, Partnership, User
from selfassess.queries.partnerships import code_taken, is_last_lead
from selfassess.services import transaction
from selfassess.services.accounts import end_sessions
from selfassess.services.audit import record
from selfassess.services.invitations import NewInvitation, add_invitation


class LastLeadError(Exception):
    """The change would leave the partnership without a lead."""


class CodeTakenError(Exception):
    """Another partnership already uses the code."""


def create_partnership(
    name: str,
    code: str,
    region: str,
    police_force_area: str,
    by: User,
    lead_name: str,
    lead_email: str,
) -> tuple[Partnership, NewInvitation]:
    """Add a partnership and its first lead's invitation, together or not at all."""
    if code_taken(code):
        raise CodeTakenError
    try:
        with transaction() as session:
            partnership = Partnership(
                name=name, code=code, region=region, police_force_area=police_force_area
            )
            session.add(partnership)
            session.flush()
            record(
                "partnership",
                "created",
                None,
                {
                    "name": name,
                    "code": code,
                    "region": region,
                    "police_force_area": police_force_area,
                },
                actor_user=by,
                partnership_id=partnership.id,
                entity_id=partnership.id,
            )
            made = add_invitation(
                partnership,
                "lead",
                by,
                note=f"{lead_name} ({lead_email})",
                for_name=lead_name,
                for_email=lead_email,
            )
    except IntegrityError:
        # Another analyst added the same code at the same moment; the unique code decided.
        raise CodeTakenError from None
    return partnership, made


def change_role(membership: Membership, role: str, by: User) -> bool:
    """Give a member another role. Returns False when nothing changed."""
    if role == membership.role:
        return False
    if is_last_lead(membership):
        raise LastLeadError
    with transaction():
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
    return True


def remove_member(membership: Membership, by: User) -> None:
    if is_last_lead(membership):
        raise LastLeadError
    with transaction() as session:
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
        session.delete(membership)
        end_sessions(user_id)
