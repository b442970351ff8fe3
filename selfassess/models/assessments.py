"""Assessments: who takes part, what each agency rated, what the board agreed and will do."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from selfassess.domain.i18n import N_
from selfassess.extensions import db
from selfassess.models.base import created_at_column, utcnow
from selfassess.models.people import Partnership, User

STATUSES = ("draft", "open", "agreed", "submitted")
ACTION_STATUSES = (
    ("not_started", N_("Not started")),
    ("in_progress", N_("In progress")),
    ("completed", N_("Completed")),
    ("dropped", N_("No longer needed")),
)


class Assessment(db.Model):
    __tablename__ = "assessment"
    # One next cycle per assessment: a second "start the next cycle" finds the first.
    __table_args__ = (Index("uq_assessment_previous_id", "previous_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    # The lead may show members everyone's ratings before the assessment is agreed.
    results_shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    partnership: Mapped[Partnership] = relationship()
    frameworks: Mapped[list[AssessmentFramework]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="AssessmentFramework.position",
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    previous: Mapped[Assessment | None] = relationship(remote_side=[id])

    @property
    def is_locked(self) -> bool:
        return self.status == "submitted"


class AssessmentFramework(db.Model):
    """A framework an assessment covers, pinned to the version its answers were given against."""

    __tablename__ = "assessment_framework"
    __table_args__ = (UniqueConstraint("assessment_id", "framework_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    assessment: Mapped[Assessment] = relationship(back_populates="frameworks")


class WorkshopSession(db.Model):
    """A live workshop: the board walks the items while participants vote on their phones."""

    __tablename__ = "workshop_session"
    # At most one live workshop per assessment, so a double "start" cannot open two.
    __table_args__ = (
        Index(
            "uq_workshop_session_live",
            "assessment_id",
            unique=True,
            sqlite_where=text("status = 'live'"),
            postgresql_where=text("status = 'live'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="live")
    current_framework_id: Mapped[str | None] = mapped_column(String(60))
    current_item_id: Mapped[str | None] = mapped_column(String(40))
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    contested_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on every facilitator move, so phones can tell cheaply that something changed.
    step: Mapped[int] = mapped_column(Integer, default=0)
    # The round of votes open on the question shown: a new round asks everyone to vote again.
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # When the question (or its latest round) was put up: the countdown runs from here.
    shown_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Options set when starting or changing the workshop. Agencies are always shown on reveal;
    # names of who moved between rounds only when the lead says so.
    show_names: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Seconds per question, shown to the room; it informs and never closes voting.
    countdown_seconds: Mapped[int | None] = mapped_column(Integer)
    # What the projector shows: "" (the lead's language), "cy+en" (Welsh above English).
    projector_languages: Mapped[str] = mapped_column(String(10), default="", server_default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = created_at_column()
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    assessment: Mapped[Assessment] = relationship()


class WorkshopAttendee(db.Model):
    """Someone present at one workshop session: who joined, and whether the lead removed them.

    A vote counts in the meeting's tally only while its participant is present (not removed).
    """

    __tablename__ = "workshop_attendee"
    __table_args__ = (UniqueConstraint("workshop_session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = created_at_column()
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    participant: Mapped[Participant] = relationship()


class WorkshopVote(db.Model):
    """A vote cast in one workshop session, in one round of one question.

    The vote also becomes the participant's current rating (``Rating``); this row is what says
    the rating was cast in this meeting, so the reveal counts this meeting's votes apart from
    ratings given before it.
    """

    __tablename__ = "workshop_vote"
    __table_args__ = (
        UniqueConstraint(
            "workshop_session_id", "participant_id", "framework_id", "item_id", "round"
        ),
        Index("ix_workshop_vote_item", "workshop_session_id", "framework_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[str] = mapped_column(String(40))
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    value: Mapped[str] = mapped_column(String(20))
    # An optional short comment sent with the vote; shown on reveal without a name.
    comment: Mapped[str | None] = mapped_column(String(280))
    cast_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Participant(db.Model):
    """Someone rating in an assessment: a member with an account, or a named workshop guest."""

    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    guest_name: Mapped[str | None] = mapped_column(String(120))
    workshop_session_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_session.id"))
    agency: Mapped[str] = mapped_column(String(40))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    assessment: Mapped[Assessment] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.name if self.user else f"{self.guest_name} (guest)"


class Rating(db.Model):
    """One participant's rating of one item, with the evidence behind it."""

    __tablename__ = "rating"
    __table_args__ = (
        UniqueConstraint("participant_id", "framework_id", "item_id"),
        Index("ix_rating_assessment_item", "assessment_id", "framework_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept on the row (not only via participant) so grouped counts need no join.
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(Text)
    improvement: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    participant: Mapped[Participant] = relationship()


class AgreedRating(db.Model):
    """The rating the board agreed for an item, with its rationale; versioned against lost edits."""

    __tablename__ = "agreed_rating"
    __table_args__ = (UniqueConstraint("assessment_id", "framework_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str | None] = mapped_column(Text)
    # True when carried forward from the previous cycle and not yet agreed afresh.
    carried_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    agreed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    agreed_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Action(db.Model):
    """Something the partnership will do about an item or a section, with an owner and a date."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(60))
    section_id: Mapped[str | None] = mapped_column(String(40))
    item_id: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __mapper_args__ = {"version_id_col": version}
