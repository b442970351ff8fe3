"""The SQL behind the assessment pages: lists, one member's ratings, everyone's progress."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import (
    Action,
    AgreedRating,
    Assessment,
    Participant,
    Rating,
    WorkshopSession,
)


def assessments_of(partnership_id: int) -> list[Assessment]:
    return list(
        db.session.execute(
            select(Assessment)
            .filter_by(partnership_id=partnership_id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        ).scalars()
    )


def ratings_of(participant_id: int) -> dict[tuple[str, str], Rating]:
    """One participant's ratings by (framework_id, item_id)."""
    rows = db.session.execute(select(Rating).filter_by(participant_id=participant_id)).scalars()
    return {(r.framework_id, r.item_id): r for r in rows}


def rated_items(ratings: dict[tuple[str, str], Rating]) -> dict[str, set[str]]:
    """framework id -> item ids given a rating (evidence alone is not a rating)."""
    out: dict[str, set[str]] = defaultdict(set)
    for (framework_id, item_id), rating in ratings.items():
        if rating.value:
            out[framework_id].add(item_id)
    return out


def participants_with_rated_items(
    assessment_id: int,
) -> list[tuple[Participant, dict[str, set[str]]]]:
    """Every participant with an account, and the items each has rated, in one query each way."""
    participants = list(
        db.session.execute(
            select(Participant)
            .filter_by(assessment_id=assessment_id)
            .order_by(Participant.agency, Participant.id)
        ).scalars()
    )
    rows = db.session.execute(
        select(Rating.participant_id, Rating.framework_id, Rating.item_id).where(
            Rating.assessment_id == assessment_id, Rating.value.is_not(None)
        )
    )
    by_participant: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for participant_id, framework_id, item_id in rows:
        by_participant[participant_id][framework_id].add(item_id)
    return [(p, by_participant[p.id]) for p in participants]


def item_ratings(assessment_id: int, framework_id: str, item_id: str) -> list[Rating]:
    """Everyone's rating and evidence for one item, by agency."""
    return list(
        db.session.execute(
            select(Rating)
            .join(Participant, Rating.participant_id == Participant.id)
            .where(
                Rating.assessment_id == assessment_id,
                Rating.framework_id == framework_id,
                Rating.item_id == item_id,
            )
            .order_by(Participant.agency, Participant.id)
        ).scalars()
    )


def section_actions(assessment_id: int, framework_id: str, section_id: str) -> list[Action]:
    """Actions about a whole section, not about one of its questions."""
    return list(
        db.session.execute(
            select(Action)
            .filter_by(assessment_id=assessment_id, framework_id=framework_id)
            .where(Action.section_id == section_id, Action.item_id.is_(None))
            .order_by(Action.created_at, Action.id)
        ).scalars()
    )


def item_actions(assessment_id: int, framework_id: str, item_id: str) -> list[Action]:
    return list(
        db.session.execute(
            select(Action)
            .filter_by(assessment_id=assessment_id, framework_id=framework_id, item_id=item_id)
            .order_by(Action.created_at, Action.id)
        ).scalars()
    )


def participant_of(assessment_id: int, user_id: int) -> Participant | None:
    """A member's participant row in an assessment (None until they first rate)."""
    return db.session.execute(
        select(Participant).filter_by(assessment_id=assessment_id, user_id=user_id)
    ).scalar_one_or_none()


def rating_of(participant_id: int, framework_id: str, item_id: str) -> Rating | None:
    return db.session.execute(
        select(Rating).filter_by(
            participant_id=participant_id, framework_id=framework_id, item_id=item_id
        )
    ).scalar_one_or_none()


def agreed_rating_of(
    assessment_id: int, framework_id: str, item_id: str, *, fresh: bool = False
) -> AgreedRating | None:
    """The board's agreed rating of an item. fresh re-reads it even if this request already
    loaded it, so a save compares against what is stored now, not what was read earlier."""
    query = select(AgreedRating).filter_by(
        assessment_id=assessment_id, framework_id=framework_id, item_id=item_id
    )
    if fresh:
        query = query.execution_options(populate_existing=True)
    return db.session.execute(query).scalar_one_or_none()


def action_of(assessment_id: int, action_id: int) -> Action | None:
    """The action, if it belongs to the assessment."""
    action = db.session.get(Action, action_id)
    return action if action is not None and action.assessment_id == assessment_id else None


def assessment_or_none(assessment_id: int) -> Assessment | None:
    return db.session.get(Assessment, assessment_id)


def live_workshop_of(assessment_id: int, workshop_id: int) -> WorkshopSession | None:
    """The workshop, if it is a running meeting of this assessment."""
    workshop = db.session.get(WorkshopSession, workshop_id)
    if workshop is None or workshop.assessment_id != assessment_id or workshop.ended_at:
        return None
    return workshop
