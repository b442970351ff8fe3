"""The SQL behind the assessment pages: lists, one member's ratings, everyone's progress."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Action, Assessment, Participant, Rating


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
