"""What each framework version looked like when answers were first given against it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from selfassess.extensions import db
from selfassess.models.base import created_at_column


class FrameworkRelease(db.Model):
    """A framework version in use: its content hash when an assessment or collection first
    took it. A file whose hash no longer matches was changed in place after publication."""

    __tablename__ = "framework_release"

    framework_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[str] = mapped_column(String(20), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(80))
    first_used_at: Mapped[datetime] = created_at_column()
