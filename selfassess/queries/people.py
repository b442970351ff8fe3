"""People: accounts by email or id, and what the sign-in page and invitations ask of them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Membership, User


def user_or_none(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def user_by_email(email: str) -> User | None:
    """The account for email (stored lower-case), or None."""
    return db.session.execute(select(User).filter_by(email=email)).scalar_one_or_none()


def email_taken(email: str) -> bool:
    return db.session.execute(select(User.id).filter_by(email=email)).first() is not None


def users_by_id(ids: Iterable[int]) -> list[User]:
    return list(db.session.execute(select(User).where(User.id.in_(list(ids)))).scalars())


def holds_a_membership(user_id: int) -> bool:
    return db.session.execute(select(Membership.id).filter_by(user_id=user_id)).first() is not None
