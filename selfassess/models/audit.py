"""The append-only audit trail: who changed what, when, from what to what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from selfassess.extensions import db
from selfassess.models.base import created_at_column


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "assessment_id", "framework_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at_column()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Who acted, in words, so the trail still reads after a guest or account is gone.
    actor_label: Mapped[str] = mapped_column(String(200))
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    framework_id: Mapped[str | None] = mapped_column(String(60))
    item_id: Mapped[str | None] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    event: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
