"""National collection rounds, the partnerships expected to return, and the returns themselves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from selfassess.extensions import db
from selfassess.models.base import created_at_column
from selfassess.models.people import Partnership


class Collection(db.Model):
    """A national round: which frameworks it collects, when, and from which partnerships."""

    __tablename__ = "collection"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    frameworks: Mapped[list[CollectionFramework]] = relationship(
        cascade="all, delete-orphan", order_by="CollectionFramework.position"
    )
    expected: Mapped[list[CollectionPartnership]] = relationship(cascade="all, delete-orphan")


class CollectionFramework(db.Model):
    __tablename__ = "collection_framework"
    __table_args__ = (UniqueConstraint("collection_id", "framework_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)


class CollectionPartnership(db.Model):
    """A partnership expected to make a return to a collection."""

    __tablename__ = "collection_partnership"
    __table_args__ = (UniqueConstraint("collection_id", "partnership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))

    partnership: Mapped[Partnership] = relationship()


class Return(db.Model):
    """A partnership's submitted return: a locked snapshot, replaced whole on resubmission."""

    __tablename__ = "return"
    __table_args__ = (UniqueConstraint("collection_id", "partnership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    arrangements: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(20), default="app")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = created_at_column()
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    partnership: Mapped[Partnership] = relationship()
    collection: Mapped[Collection] = relationship()


class ReturnAnswer(db.Model):
    """One answer in a return, one row per chosen option, so national figures are grouped counts.

    arrangement is 0 for partnership-level items and 1..n for arrangement-level items.
    """

    __tablename__ = "return_answer"
    __table_args__ = (
        Index("ix_return_answer_item", "collection_id", "framework_id", "item_id", "value"),
        # Answering units of an item (DISTINCT return_id, arrangement) from the index alone.
        Index(
            "ix_return_answer_unit",
            "collection_id",
            "framework_id",
            "item_id",
            "return_id",
            "arrangement",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[str] = mapped_column(String(40))
    arrangement: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[str] = mapped_column(String(40))


class SurveyAnswer(db.Model):
    """A partnership's answer to a national survey item, saved as they go, before submission."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("collection_id", "partnership_id", "item_id", "arrangement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[str] = mapped_column(String(40))
    arrangement: Mapped[int] = mapped_column(Integer, default=0)
    values: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
