"""Paper: printed forms and their codes, forms keyed back in, and scans read back, kept for audit.

Every row belongs to its assessment (or, for the national survey, its partnership) and goes with
it: the foreign keys cascade on delete.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from selfassess.extensions import db
from selfassess.models.base import created_at_column
from selfassess.models.people import User


class PaperForm(db.Model):
    """A printed questionnaire: blank (anyone may fill it in) or made out to one member, with
    the short code printed on it and where each box lies on each page."""

    __tablename__ = "paper_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE")
    )
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(20))
    # Made out to this member; None for a blank form.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # Where each box and writing area lies, in mm from the top-left corner mark (see
    # documents/paper_forms.py); filled when the form is first printed.
    layout: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class PaperEntry(db.Model):
    """A form keyed in by a lead and waiting for a second person to key it again (double
    entry); once both agree, or the second chose, it is saved as ratings and marked so."""

    __tablename__ = "paper_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_form_id: Mapped[int] = mapped_column(
        ForeignKey("paper_form.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    # Whose answers these are (the form's member, or the member chosen for a blank form).
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # {item_id: {"value": ..., "evidence": ..., "improvement": ...}}
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="waiting")  # waiting, saved, discarded
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    paper_form: Mapped[PaperForm] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])


class PaperScan(db.Model):
    """One upload of scanned forms, as received, with what was read from it: kept for audit."""

    __tablename__ = "paper_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    original: Mapped[bytes] = mapped_column(LargeBinary)
    page_count: Mapped[int] = mapped_column(Integer)
    # [{"code", "page", "items": [{"item_id", "states", "value", "doubtful", "reason"}]}]
    readings: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="read")  # read, saved, discarded
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    pages: Mapped[list[PaperScanPage]] = relationship(
        cascade="all, delete-orphan", order_by="PaperScanPage.position", passive_deletes=True
    )


class PaperScanPage(db.Model):
    """One page of an upload, found by its QR code and straightened by its corner marks."""

    __tablename__ = "paper_scan_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(
        ForeignKey("paper_scan.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # 1-based, in the upload
    paper_form_id: Mapped[int] = mapped_column(ForeignKey("paper_form.id", ondelete="CASCADE"))
    form_page: Mapped[int] = mapped_column(Integer)
    # PNG of the straightened page, at documents.paper_reading.PX_PER_MM; the evidence areas
    # the review page shows are cut from it by the form's layout.
    image: Mapped[bytes] = mapped_column(LargeBinary)
