"""What the report, its documents and exports read from the database, a few queries each.

Counting stays in SQL (``selfassess.queries.ratings``); here are the evidence quotes, the
actions, the rows of the ratings export, and a cheap fingerprint of an assessment's state so
charts are redrawn only when something they show has changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from selfassess.domain.visibility import EVERYONE, RatingsScope
from selfassess.extensions import db
from selfassess.models import Action, AgreedRating, Assessment, Participant, Rating, User
from selfassess.models.assessments import ACTION_STATUSES, WorkshopSession, WorkshopVote

ACTION_STATUS_LABELS = dict(ACTION_STATUSES)
OPEN_ACTION_STATUSES = ("not_started", "in_progress")


_STAMPED = (
    (Rating.assessment_id, Rating.updated_at),
    (AgreedRating.assessment_id, AgreedRating.agreed_at),
    (Action.assessment_id, Action.updated_at),
)


def fingerprint(assessment_id: int) -> tuple:
    """Changes whenever a rating, agreed rating or action of the assessment changes: how many
    of each and the latest change, in one statement (every report page view asks)."""
    figures = []
    for column, stamp in _STAMPED:
        figures.append(select(func.count()).where(column == assessment_id).scalar_subquery())
        figures.append(select(func.max(stamp)).where(column == assessment_id).scalar_subquery())
    row = db.session.execute(select(*figures)).one()
    return tuple((row[n], str(row[n + 1])) for n in range(0, len(row), 2))


@dataclass(frozen=True)
class Quote:
    """One partner's evidence and suggested improvement for an item."""

    agency: str
    name: str
    value: str | None
    evidence: str | None
    improvement: str | None


def _in_scope(stmt, scope: RatingsScope):
    return stmt if scope.everyone else stmt.where(Rating.participant_id == scope.participant_id)


def evidence_by_item(
    assessment_id: int,
    scope: RatingsScope = EVERYONE,
    framework_id: str | None = None,
    item_ids: Sequence[str] | None = None,
) -> dict[tuple[str, str], list[Quote]]:
    """Every rating in scope that carries evidence or an improvement, by (framework_id, item_id);
    only those of one framework's items when given (one section's detail page)."""
    stmt = (
        select(
            Rating.framework_id,
            Rating.item_id,
            Participant.agency,
            User.name,
            Participant.guest_name,
            Rating.value,
            Rating.evidence,
            Rating.improvement,
        )
        .join(Participant, Rating.participant_id == Participant.id)
        .outerjoin(User, Participant.user_id == User.id)
        .where(
            Rating.assessment_id == assessment_id,
            (Rating.evidence.is_not(None)) | (Rating.improvement.is_not(None)),
        )
        .order_by(Rating.framework_id, Rating.item_id, Participant.agency, Participant.id)
    )
    if framework_id is not None:
        stmt = stmt.where(Rating.framework_id == framework_id)
    if item_ids is not None:
        stmt = stmt.where(Rating.item_id.in_(list(item_ids)))
    out: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    rows = db.session.execute(_in_scope(stmt, scope))
    for fid, iid, agency, name, guest, value, evidence, improvement in rows:
        who = name or (f"{guest} (guest)" if guest else "Unknown")
        out[(fid, iid)].append(Quote(agency, who, value, evidence, improvement))
    return dict(out)


def actions_of(assessment_id: int) -> list[Action]:
    """The assessment's actions, in framework, section, item and creation order."""
    return list(
        db.session.execute(
            select(Action)
            .where(Action.assessment_id == assessment_id)
            .order_by(Action.framework_id, Action.section_id, Action.item_id, Action.id)
        ).scalars()
    )


def is_overdue(action: Action, today: date | None = None) -> bool:
    today = today or date.today()
    return (
        action.due_on is not None
        and action.due_on < today
        and action.status in OPEN_ACTION_STATUSES
    )


def actions_by_item(actions: list[Action]) -> dict[tuple[str, str | None], list[Action]]:
    out: dict[tuple[str, str | None], list[Action]] = defaultdict(list)
    for action in actions:
        out[(action.framework_id, action.item_id)].append(action)
    return dict(out)


def previous_action_outcomes(assessment: Assessment) -> dict[tuple[str, str | None], list[str]]:
    """For each item, the statuses now of last cycle's actions about it.

    An action carried over into this assessment is judged by its carried copy (it may have been
    completed since); the others by their status when last cycle closed. One query.
    """
    if assessment.previous_id is None:
        return {}
    carried = Action.__table__.alias("carried")
    stmt = (
        select(Action.framework_id, Action.item_id, Action.status, carried.c.status)
        .outerjoin(
            carried,
            (carried.c.carried_from_id == Action.id) & (carried.c.assessment_id == assessment.id),
        )
        .where(Action.assessment_id == assessment.previous_id)
        .order_by(Action.id)
    )
    out: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for fid, iid, status, carried_status in db.session.execute(stmt):
        out[(fid, iid)].append(carried_status or status)
    return dict(out)


@dataclass(frozen=True)
class RatingRow:
    participant: str
    agency: str
    framework_id: str
    framework_version: str
    item_id: str
    value: str | None
    evidence: str | None
    improvement: str | None
    updated_at: datetime | None
    participant_id: int | None = None


def workshop_votes(assessment_id: int) -> dict[tuple[int, str, str], list[tuple]]:
    """Every workshop vote of the assessment, per person and question: (the workshop's start,
    round, value) in the order cast. The latest is the person's current rating; these are
    what the ratings export shows beside it, round by round."""
    rows = db.session.execute(
        select(
            WorkshopVote.participant_id,
            WorkshopVote.framework_id,
            WorkshopVote.item_id,
            WorkshopSession.started_at,
            WorkshopVote.round,
            WorkshopVote.value,
        )
        .join(WorkshopSession, WorkshopSession.id == WorkshopVote.workshop_session_id)
        .where(WorkshopSession.assessment_id == assessment_id)
        .order_by(WorkshopSession.started_at, WorkshopSession.id, WorkshopVote.round)
    )
    out: dict[tuple[int, str, str], list[tuple]] = defaultdict(list)
    for pid, fid, iid, started, round_, value in rows:
        out[(pid, fid, iid)].append((started, round_, value))
    return dict(out)


def rating_rows(assessment_id: int, scope: RatingsScope = EVERYONE) -> list[RatingRow]:
    """One row per rater in scope and item, for the ratings export."""
    stmt = (
        select(
            User.name,
            Participant.guest_name,
            Participant.agency,
            Rating.framework_id,
            Rating.framework_version,
            Rating.item_id,
            Rating.value,
            Rating.evidence,
            Rating.improvement,
            Rating.updated_at,
            Rating.participant_id,
        )
        .join(Participant, Rating.participant_id == Participant.id)
        .outerjoin(User, Participant.user_id == User.id)
        .where(Rating.assessment_id == assessment_id)
        .order_by(Rating.framework_id, Rating.item_id, Participant.agency, Participant.id)
    )
    return [
        RatingRow(
            name or (f"{guest} (guest)" if guest else "Unknown"),
            agency,
            fid,
            version,
            iid,
            value,
            evidence,
            improvement,
            updated,
            pid,
        )
        for name, guest, agency, fid, version, iid, value, evidence, improvement, updated, pid in (
            db.session.execute(_in_scope(stmt, scope))
        )
    ]


def participation(assessment_id: int) -> tuple[int, int]:
    """How many people gave at least one rating, and from how many agencies. One query."""
    rated = select(Rating.participant_id).where(Rating.assessment_id == assessment_id).distinct()
    people, agencies = db.session.execute(
        select(func.count(Participant.id), func.count(func.distinct(Participant.agency))).where(
            Participant.id.in_(rated.scalar_subquery())
        )
    ).one()
    return people, agencies
