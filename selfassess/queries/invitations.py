"""Invitations as the partnership pages and the invitation link read them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Invitation


def invitation_or_none(partnership_id: int, invitation_id: int) -> Invitation | None:
    """The invitation if it is one of this partnership's; None otherwise."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.partnership_id != partnership_id:
        return None
    return invitation


def invitation_by_nonce(nonce: object) -> Invitation | None:
    """The invitation a link's (already verified) nonce names, or None."""
    if not isinstance(nonce, str):
        return None
    return db.session.execute(select(Invitation).filter_by(nonce=nonce)).scalar()


def pending_invitations(partnership_id: int) -> list[Invitation]:
    """Invitations not used and not expired, oldest first."""
    now = datetime.now(UTC)
    return list(
        db.session.execute(
            select(Invitation)
            .where(
                Invitation.partnership_id == partnership_id,
                Invitation.used_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at)
        ).scalars()
    )


def invitation_details(invitation_ids: list[int]) -> dict[int, dict]:
    """What was said about each invitation when it was made: note, name and email it is for."""
    if not invitation_ids:
        return {}
    rows = db.session.execute(
        select(Invitation.id, Invitation.note, Invitation.for_name, Invitation.for_email).where(
            Invitation.id.in_(invitation_ids)
        )
    ).all()
    return {
        row.id: {
            key: value
            for key, value in (
                ("note", row.note),
                ("for_name", row.for_name),
                ("for_email", row.for_email),
            )
            if value
        }
        for row in rows
    }
