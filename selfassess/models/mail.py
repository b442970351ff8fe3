"""Email: the outbox of messages to send, people's reminder choices, and scheduled workshops."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from selfassess.extensions import db
from selfassess.models.base import created_at_column, utcnow
from selfassess.models.people import User

# queued: waiting (perhaps for a retry); sending: claimed by a worker until claimed_until;
# sent; failed: given up on, kept with its error; withdrawn: no longer true before it went (a
# reminder for a workshop since moved or cancelled).
OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "withdrawn")


class OutboxMessage(db.Model):
    """One email, written in the same transaction as the change that causes it.

    ``occurrence`` is unique: the reminder run names each reminder it queues (which workshop,
    whom, how many days before), so running it twice queues nothing twice. ``message_id`` is
    the Message-ID header, kept for every attempt, so a copy sent again after a crash is
    recognisably the same message.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    occurrence: Mapped[str | None] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "content"}]: text attachments (the workshop's .ics).
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MailPreference(db.Model):
    """A person's choice for one kind of reminder; no row means they get it."""

    __tablename__ = "mail_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class WorkshopSchedule(db.Model):
    """When and where an assessment's workshop meets, as sent in people's calendars.

    ``uid`` and ``sequence`` are the calendar's: a change keeps the UID and bumps the sequence, so
    calendars update the one event; a cancellation sends METHOD:CANCEL with the same UID.
    """

    __tablename__ = "workshop_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str | None] = mapped_column(String(200))
    online_link: Mapped[str | None] = mapped_column(String(500))
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    scheduled_by: Mapped[User | None] = relationship()
