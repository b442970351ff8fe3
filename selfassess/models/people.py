"""Partnerships, the people who use the tool, and their roles."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from selfassess.extensions import db
from selfassess.models.base import created_at_column

ROLES = ("lead", "member", "observer")


class Partnership(db.Model):
    """A Community Safety Partnership (CSP) and its IOM arrangements."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    region: Mapped[str] = mapped_column(String(40))
    police_force_area: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at_column()

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="partnership", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Partnership {self.code}>"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    agency: Mapped[str | None] = mapped_column(String(40))
    is_analyst: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on sign-out, password change and role removal: a session cookie carries the
    # generation it was issued under, and an older one no longer signs anyone in.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # "en" or "cy"; None until they choose (English).
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = created_at_column()

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def role_in(self, partnership_id: int) -> str | None:
        for m in self.memberships:
            if m.partnership_id == partnership_id:
                return m.role
        return None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    """A user's role in one partnership: lead, member or observer."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "partnership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = created_at_column()

    user: Mapped[User] = relationship(back_populates="memberships")
    partnership: Mapped[Partnership] = relationship(back_populates="memberships")


class AnalystMembershipError(ValueError):
    """National analysts see partnerships only through submitted returns, never as members."""


@event.listens_for(Membership, "before_insert")
def _no_analyst_joins(_mapper, connection, membership: Membership) -> None:
    # Checked as the row is written, so no path (invitation, demo, script) can add one.
    is_analyst = connection.execute(
        select(User.is_analyst).where(User.id == membership.user_id)
    ).scalar()
    if is_analyst:
        raise AnalystMembershipError("a national analyst cannot be a member of a partnership")


@event.listens_for(User, "before_update")
def _no_member_becomes_analyst(_mapper, connection, user: User) -> None:
    history = inspect(user).attrs.is_analyst.history
    if not (history.has_changes() and user.is_analyst):
        return
    member = connection.execute(
        select(Membership.id).where(Membership.user_id == user.id).limit(1)
    ).scalar()
    if member is not None:
        raise AnalystMembershipError("a member of a partnership cannot be a national analyst")


class Invitation(db.Model):
    """A single-use invitation a lead copies to a new member; only its nonce is stored."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    # Who the lead meant it for, shown on pending invitations and used to fill in the accept form.
    note: Mapped[str | None] = mapped_column(String(200))
    for_name: Mapped[str | None] = mapped_column(String(120))
    for_email: Mapped[str | None] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The language of the invitation's email (the lead chooses; None: both, Welsh first).
    language: Mapped[str | None] = mapped_column(String(5))

    partnership: Mapped[Partnership] = relationship()


class ApiToken(db.Model):
    """A national analyst's token for the read-only API; only a hash of the token is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    created_by: Mapped[User] = relationship()
