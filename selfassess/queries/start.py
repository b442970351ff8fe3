"""What a signed-in person's own start page shows: per partnership, what needs doing.

Questions they have still to rate, a workshop live now, open actions due within a month or
overdue (for a lead, all of the partnership's; for others, those naming them or their agency as
owner), and national returns due. For analysts, their collections with response rates. Reads
only what the person may see: their own partnerships, their own ratings, counts of returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from selfassess.domain.frameworks import FrameworkLibrary, FrameworkVersionNotFound
from selfassess.domain.reference import agency_name
from selfassess.extensions import db
from selfassess.models import (
    Action,
    Assessment,
    Collection,
    CollectionPartnership,
    Participant,
    Partnership,
    Rating,
    Return,
    User,
    WorkshopSession,
)
from selfassess.queries.memberships import partnerships_of
from selfassess.queries.reports import OPEN_ACTION_STATUSES

DUE_SOON_DAYS = 31
ACTIVE_STATUSES = ("draft", "open")  # assessments still being worked on


@dataclass
class AssessmentToDo:
    assessment: Assessment
    to_rate: int  # questions this person has not rated yet (open assessments, raters only)
    questions: int
    live_workshop: WorkshopSession | None


@dataclass
class PartnershipToDo:
    partnership: Partnership
    role: str
    assessments: list[AssessmentToDo] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # open, due within a month or overdue
    returns_due: list[Collection] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not (
            any(a.to_rate or a.live_workshop for a in self.assessments)
            or self.actions
            or self.returns_due
        )


def _question_count(library: FrameworkLibrary, assessment: Assessment) -> int:
    total = 0
    for af in assessment.frameworks:
        try:
            fw = library.resolve(af.framework_id, af.framework_version)
        except FrameworkVersionNotFound:
            continue
        if fw.kind == "rag":
            total += len(fw.items)
    return total


def _rated_count(assessment_id: int, user_id: int) -> int:
    return db.session.execute(
        select(func.count(Rating.id))
        .join(Participant, Rating.participant_id == Participant.id)
        .where(Rating.assessment_id == assessment_id, Participant.user_id == user_id)
    ).scalar_one()


def _actions_due(assessment_ids: list[int], user: User, role: str, today: date) -> list[Action]:
    if not assessment_ids:
        return []
    stmt = (
        select(Action)
        .where(
            Action.assessment_id.in_(assessment_ids),
            Action.status.in_(OPEN_ACTION_STATUSES),
            Action.due_on.is_not(None),
            Action.due_on <= today + timedelta(days=DUE_SOON_DAYS),
        )
        .order_by(Action.due_on, Action.id)
    )
    actions = list(db.session.execute(stmt).scalars())
    if role == "lead":
        return actions
    # Owners are typed as words ("Police IOM inspector", a name): theirs when the owner names
    # the person or their agency.
    agencies = {
        agency_name(a).lower()
        for a in db.session.execute(
            select(Participant.agency).where(
                Participant.user_id == user.id, Participant.assessment_id.in_(assessment_ids)
            )
        ).scalars()
    }
    words = {user.name.lower(), *agencies} - {""}
    return [a for a in actions if any(w in a.owner.lower() for w in words)]


def _returns_due(partnership_id: int, today: date) -> list[Collection]:
    """Open collections expecting a return from the partnership that has none yet."""
    return list(
        db.session.execute(
            select(Collection)
            .join(CollectionPartnership, CollectionPartnership.collection_id == Collection.id)
            .outerjoin(
                Return,
                (Return.collection_id == Collection.id) & (Return.partnership_id == partnership_id),
            )
            .where(
                CollectionPartnership.partnership_id == partnership_id,
                Collection.opens_on <= today,
                Collection.closes_on >= today,
                Return.id.is_(None),
            )
            .order_by(Collection.closes_on)
        ).scalars()
    )


def to_do_for(
    library: FrameworkLibrary, user: User, today: date | None = None
) -> list[PartnershipToDo]:
    """Per partnership the person belongs to, what needs doing."""
    today = today or date.today()
    out = []
    for partnership, role in partnerships_of(user.id):
        todo = PartnershipToDo(partnership, role)
        assessments = list(
            db.session.execute(
                select(Assessment)
                .where(
                    Assessment.partnership_id == partnership.id,
                    Assessment.status.in_(ACTIVE_STATUSES),
                )
                .order_by(Assessment.created_at.desc())
            ).scalars()
        )
        for assessment in assessments:
            questions = _question_count(library, assessment)
            to_rate = 0
            if assessment.status == "open" and role in ("lead", "member"):
                to_rate = max(questions - _rated_count(assessment.id, user.id), 0)
            live = db.session.execute(
                select(WorkshopSession).filter_by(assessment_id=assessment.id, status="live")
            ).scalar()
            todo.assessments.append(AssessmentToDo(assessment, to_rate, questions, live))
        todo.actions = _actions_due([a.id for a in assessments], user, role, today)
        if role == "lead":
            todo.returns_due = _returns_due(partnership.id, today)
        out.append(todo)
    return out


@dataclass(frozen=True)
class CollectionRate:
    collection: Collection
    expected: int
    returned: int
    is_open: bool

    @property
    def percent(self) -> int | None:
        return round(100 * self.returned / self.expected) if self.expected else None


def analyst_collections(today: date | None = None) -> list[CollectionRate]:
    """Every collection, newest first, with how many of its expected partnerships returned."""
    today = today or date.today()
    expected = (
        select(CollectionPartnership.collection_id, func.count().label("n"))
        .group_by(CollectionPartnership.collection_id)
        .subquery()
    )
    returned = (
        select(Return.collection_id, func.count(func.distinct(Return.partnership_id)).label("n"))
        .join(
            CollectionPartnership,
            (CollectionPartnership.collection_id == Return.collection_id)
            & (CollectionPartnership.partnership_id == Return.partnership_id),
        )
        .group_by(Return.collection_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Collection, expected.c.n, returned.c.n)
        .outerjoin(expected, expected.c.collection_id == Collection.id)
        .outerjoin(returned, returned.c.collection_id == Collection.id)
        .order_by(Collection.closes_on.desc())
    ).all()
    return [
        CollectionRate(c, e or 0, r or 0, c.opens_on <= today <= c.closes_on) for c, e, r in rows
    ]
