"""The live workshop's data: sessions, where the board is, who joined, votes and the reveal.

Votes are ordinary ratings and agreed ratings are ordinary agreed ratings, saved through
``selfassess.services.agreement`` so they are checked and audited like any other change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from selfassess.domain.frameworks import Framework
from selfassess.domain.scoring import NOT_APPLICABLE, ItemResult
from selfassess.domain.workshop import (
    Stop,
    Walk,
    contested_filter,
    is_valid_join_code,
    new_join_code,
    normalise_join_code,
)
from selfassess.extensions import db, frameworks
from selfassess.models import Action, AgreedRating, Assessment, Participant, Rating, User
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.ratings import assessment_results
from selfassess.services import agreement, audit


class WorkshopError(Exception):
    """Something the lead asked for that cannot be done; the message is shown as it is."""


# --- sessions -------------------------------------------------------------------------------


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


def walk_for(assessment: Assessment) -> Walk:
    library = frameworks()
    return Walk(
        library.get(af.framework_id, af.framework_version) or library.get(af.framework_id)
        for af in assessment.frameworks
    )


def framework_of(assessment: Assessment, framework_id: str) -> Framework:
    """The framework at the version the assessment pinned."""
    library = frameworks()
    pinned = next(af for af in assessment.frameworks if af.framework_id == framework_id)
    return library.get(framework_id, pinned.framework_version) or library.get(framework_id)


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


def start_session(assessment: Assessment, user: User) -> WorkshopSession:
    """Start the assessment's live workshop, or give the one already live: a second "start"
    (a double click, two tabs) leads to the same workshop, never a second one."""
    if assessment.status != "open":
        raise WorkshopError("A live workshop can only be started while the assessment is open.")
    live = live_session_for(assessment.id)
    if live is not None:
        return live
    first = walk_for(assessment).first
    if first is None:
        raise WorkshopError("This assessment has no questions to rate.")
    assessment_id = assessment.id
    for _ in range(10):
        session = WorkshopSession(
            assessment_id=assessment_id,
            join_code=new_join_code(),
            status="live",
            current_framework_id=first.framework_id,
            current_item_id=first.item_id,
            revealed=False,
            contested_only=False,
            step=0,
            started_by_id=user.id,
        )
        db.session.add(session)
        try:
            db.session.commit()
        except IntegrityError:
            # Another start won (one live workshop per assessment), or the code was taken.
            db.session.rollback()
            live = live_session_for(assessment_id)
            if live is not None:
                return live
            continue
        return session
    raise WorkshopError("Could not make a join code. Try again.")


def session_by_code(raw_code: str | None) -> WorkshopSession | None:
    """The live session with this join code; None for a wrong, malformed or ended code."""
    code = normalise_join_code(raw_code)
    if not is_valid_join_code(code):
        return None
    return db.session.execute(
        select(WorkshopSession).filter_by(join_code=code, status="live")
    ).scalar()


def end_session(session: WorkshopSession) -> None:
    session.status = "ended"
    session.ended_at = datetime.now(UTC)
    session.step += 1
    db.session.commit()


# --- where the board is -----------------------------------------------------------------------


def current_stop(session: WorkshopSession, walk: Walk) -> Stop | None:
    return walk.find(session.current_framework_id, session.current_item_id) or walk.first


def contested_keys(assessment: Assessment) -> set[tuple[str, str]]:
    results = assessment_results(frameworks(), assessment)
    return {(r.framework.id, i.item_id) for r in results.frameworks for i in r.items if i.contested}


def move(session: WorkshopSession, action: str, target: str | None = None) -> None:
    """Next, previous, reveal, jump (target "framework_id:item_id"), contested only on or off.

    Every move bumps the session's step, so phones see that something changed.
    """
    assessment = session.assessment
    walk = walk_for(assessment)
    here = current_stop(session, walk)
    include = contested_filter(contested_keys(assessment)) if session.contested_only else None
    goto: Stop | None = None
    if action == "next":
        goto = walk.next(here, include)
        if goto is None:
            raise WorkshopError("This is the last question.")
    elif action == "previous":
        goto = walk.previous(here, include)
        if goto is None:
            raise WorkshopError("This is the first question.")
    elif action == "jump":
        framework_id, _, item_id = (target or "").partition(":")
        goto = walk.find(framework_id, item_id)
        if goto is None:
            raise WorkshopError("Choose a question to go to.")
    elif action == "reveal":
        session.revealed = True
    elif action == "hide":
        session.revealed = False
    elif action in ("contested_on", "contested_off"):
        session.contested_only = action == "contested_on"
        if session.contested_only:
            keys = contested_keys(assessment)
            if not keys:
                session.contested_only = False
                raise WorkshopError("No question is contested yet.")
            if here is None or here.key not in keys:
                goto = walk.next(None, contested_filter(keys))
    else:
        raise WorkshopError("Unknown move.")
    if goto is not None:
        session.current_framework_id = goto.framework_id
        session.current_item_id = goto.item_id
        session.revealed = False
    session.step += 1
    db.session.commit()


def bump(session: WorkshopSession) -> None:
    """Tell the phones something changed on the current item (an agreed rating, say)."""
    session.step += 1
    db.session.commit()


# --- votes ----------------------------------------------------------------------------------


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


def joined_count(session: WorkshopSession) -> int:
    return db.session.execute(
        select(func.count()).select_from(Participant).filter_by(workshop_session_id=session.id)
    ).scalar_one()


def my_vote(participant: Participant, stop: Stop) -> str | None:
    return db.session.execute(
        select(Rating.value).filter_by(
            participant_id=participant.id, framework_id=stop.framework_id, item_id=stop.item_id
        )
    ).scalar()


def cast_vote(participant: Participant, stop: Stop, value: str, actor) -> Rating:
    """The participant's vote, as their rating of the item; evidence they gave is kept."""
    return agreement.save_rating(
        participant, stop.framework_id, stop.item_id, value, None, None, actor, keep_text=True
    )


@contextmanager
def kept_after_commit() -> Iterator[None]:
    """Objects already read in this request stay readable after a commit inside the block.

    Without it every object a page shows after a save is reloaded, one query each; on a
    workshop vote that was half the statements it ran (see bench/notes.md, figure 2).
    """
    session = db.session()
    before = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = before


# --- participants -----------------------------------------------------------------------------


def join_as_guest(
    session: WorkshopSession, name: str, agency: str, earlier: Participant | None = None
) -> Participant:
    """A guest joins the session. ``earlier`` is the guest this browser already joined the
    assessment as: they stay that participant (one person, one vote), moved to this session,
    and a changed name or agency changes that participant, audited."""
    if earlier is None:
        participant = Participant(
            assessment_id=session.assessment_id,
            guest_name=name,
            agency=agency,
            workshop_session_id=session.id,
        )
        db.session.add(participant)
        db.session.commit()
        return participant
    before = {"name": earlier.guest_name, "agency": earlier.agency}
    after = {"name": name, "agency": agency}
    earlier.workshop_session_id = session.id
    if before != after:
        earlier.guest_name, earlier.agency = name, agency
        audit.record(
            "participant",
            "details_changed",
            before,
            after,
            actor_label=earlier.display_name,
            assessment=session.assessment,
            entity_id=earlier.id,
        )
    db.session.commit()
    return earlier


def join_as_member(session: WorkshopSession, user: User) -> Participant:
    return agreement.participant_for(session.assessment, user, create=True)


# --- the reveal -------------------------------------------------------------------------------


def item_result(assessment: Assessment, stop: Stop) -> ItemResult | None:
    results = assessment_results(frameworks(), assessment)
    framework_result = results.framework(stop.framework_id)
    return framework_result.item(stop.item_id) if framework_result else None


def agreed_for(assessment_id: int, stop: Stop) -> AgreedRating | None:
    return agreement.current_agreed(assessment_id, stop.framework_id, stop.item_id)


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


def agreed_keys(assessment_id: int) -> set[tuple[str, str]]:
    rows = db.session.execute(
        select(AgreedRating.framework_id, AgreedRating.item_id).filter_by(
            assessment_id=assessment_id, carried_forward=False
        )
    )
    return {(f, i) for f, i in rows}
