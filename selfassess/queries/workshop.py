"""The live workshop as its pages read it: sessions, where the board is, who joined, the votes,
the reveal, and what the board agreed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from selfassess.domain.frameworks import Framework
from selfassess.domain.scoring import NOT_APPLICABLE, ItemResult
from selfassess.domain.workshop import Stop, Walk, is_valid_join_code, normalise_join_code
from selfassess.extensions import db, frameworks
from selfassess.models import Action, AgreedRating, Assessment, Participant, Rating
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.ratings import assessment_results

# --- sessions -------------------------------------------------------------------------------


def workshop_or_none(session_id: int) -> WorkshopSession | None:
    return db.session.get(WorkshopSession, session_id)


def workshop_for_phone(session_id: int) -> WorkshopSession | None:
    """The session with its assessment and frameworks: every phone request reads all three, so
    one query, not three."""
    return db.session.get(
        WorkshopSession,
        session_id,
        options=[joinedload(WorkshopSession.assessment).joinedload(Assessment.frameworks)],
    )


def live_session_for(assessment_id: int) -> WorkshopSession | None:
    return db.session.execute(
        select(WorkshopSession).filter_by(assessment_id=assessment_id, status="live")
    ).scalar()


def sessions_for(assessment_id: int) -> list[WorkshopSession]:
    return list(
        db.session.execute(
            select(WorkshopSession)
            .filter_by(assessment_id=assessment_id)
            .order_by(WorkshopSession.started_at.desc(), WorkshopSession.id.desc())
        ).scalars()
    )


def session_by_code(raw_code: str | None) -> WorkshopSession | None:
    """The live session with this join code; None for a wrong, malformed or ended code."""
    code = normalise_join_code(raw_code)
    if not is_valid_join_code(code):
        return None
    return db.session.execute(
        select(WorkshopSession).filter_by(join_code=code, status="live")
    ).scalar()


# --- the questions and where the board is ----------------------------------------------------


def walk_for(assessment: Assessment) -> Walk:
    library = frameworks()
    return Walk(
        library.resolve(af.framework_id, af.framework_version) for af in assessment.frameworks
    )


def framework_of(assessment: Assessment, framework_id: str) -> Framework:
    """The framework at the version the assessment pinned."""
    library = frameworks()
    pinned = next(af for af in assessment.frameworks if af.framework_id == framework_id)
    return library.resolve(framework_id, pinned.framework_version)


def vote_choices(framework: Framework) -> list[tuple[str, str]]:
    """Every value on the scale, words included: Red, Amber, Green, Don't know, Not applicable."""
    return [(v.id, v.label) for v in framework.scale]


def agree_choices(framework: Framework) -> list[tuple[str, str]]:
    """What the board can agree: the scored ratings, and not applicable where the scale has it."""
    return [
        (v.id, v.label)
        for v in framework.scale
        if v.score is not None or v.counts_as == NOT_APPLICABLE
    ]


def current_stop(session: WorkshopSession, walk: Walk) -> Stop | None:
    return walk.find(session.current_framework_id, session.current_item_id) or walk.first


def contested_keys(assessment: Assessment) -> set[tuple[str, str]]:
    results = assessment_results(frameworks(), assessment)
    return {(r.framework.id, i.item_id) for r in results.frameworks for i in r.items if i.contested}


# --- participants and votes -------------------------------------------------------------------


def participant_or_none(participant_id: int) -> Participant | None:
    return db.session.get(Participant, participant_id)


def joined_count(session: WorkshopSession) -> int:
    return db.session.execute(
        select(func.count()).select_from(Participant).filter_by(workshop_session_id=session.id)
    ).scalar_one()


def vote_count(assessment_id: int, stop: Stop) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Rating)
        .where(
            Rating.assessment_id == assessment_id,
            Rating.framework_id == stop.framework_id,
            Rating.item_id == stop.item_id,
            Rating.value.is_not(None),
        )
    ).scalar_one()


def my_vote(participant: Participant, stop: Stop) -> str | None:
    return db.session.execute(
        select(Rating.value).filter_by(
            participant_id=participant.id, framework_id=stop.framework_id, item_id=stop.item_id
        )
    ).scalar()


# --- the reveal and what was agreed ------------------------------------------------------------


def item_result(assessment: Assessment, stop: Stop) -> ItemResult | None:
    results = assessment_results(frameworks(), assessment)
    framework_result = results.framework(stop.framework_id)
    return framework_result.item(stop.item_id) if framework_result else None


def agreed_for(assessment_id: int, stop: Stop) -> AgreedRating | None:
    return db.session.execute(
        select(AgreedRating).filter_by(
            assessment_id=assessment_id, framework_id=stop.framework_id, item_id=stop.item_id
        )
    ).scalar()


def agreed_keys(assessment_id: int) -> set[tuple[str, str]]:
    rows = db.session.execute(
        select(AgreedRating.framework_id, AgreedRating.item_id).filter_by(
            assessment_id=assessment_id, carried_forward=False
        )
    )
    return {(f, i) for f, i in rows}


def actions_for(assessment_id: int, stop: Stop) -> list[Action]:
    return list(
        db.session.execute(
            select(Action)
            .filter_by(
                assessment_id=assessment_id, framework_id=stop.framework_id, item_id=stop.item_id
            )
            .order_by(Action.id)
        ).scalars()
    )
