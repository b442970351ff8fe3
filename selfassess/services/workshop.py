"""The live workshop's changes: starting and ending a session, moving the board, joining, votes
and the rating the board agrees, each refused with a message when it cannot be taken.

Votes are ordinary ratings and agreed ratings are ordinary agreed ratings, saved through
``selfassess.services.agreement`` so they are checked and audited like any other change. What the
pages read is in ``selfassess.queries.workshop``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from selfassess.domain.workshop import Stop, contested_filter, new_join_code
from selfassess.extensions import db
from selfassess.models import AgreedRating, Assessment, Participant, Rating, User
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.workshop import (
    contested_keys,
    current_stop,
    framework_of,
    live_session_for,
    vote_choices,
    walk_for,
)
from selfassess.services import agreement, audit, transaction


class WorkshopError(Exception):
    """Something the lead asked for that cannot be done; the message is shown as it is."""


class WorkshopEnded(WorkshopError):
    """The workshop has ended, so the lead can no longer change it."""

    def __init__(self) -> None:
        super().__init__("This workshop has ended.")


class BoardMoved(WorkshopError):
    """The lead saved against a question the board has since moved away from."""

    def __init__(self) -> None:
        super().__init__(
            "The board had moved to another question, so nothing was saved. Try again here."
        )


class VoteRefused(Exception):
    """The vote was not taken; the message says why, in the participant's words."""


# --- sessions -------------------------------------------------------------------------------


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
        try:
            with transaction() as session:
                workshop = WorkshopSession(
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
                session.add(workshop)
        except IntegrityError:
            # Another start won (one live workshop per assessment), or the code was taken;
            # transaction() has rolled back, so the winner can be read.
            live = live_session_for(assessment_id)
            if live is not None:
                return live
            continue
        return workshop
    raise WorkshopError("Could not make a join code. Try again.")


def refuse_if_ended(session: WorkshopSession) -> None:
    if session.status != "live":
        raise WorkshopEnded()


def end_session(session: WorkshopSession) -> None:
    refuse_if_ended(session)
    with transaction():
        session.status = "ended"
        session.ended_at = datetime.now(UTC)
        session.step += 1


# --- where the board is -----------------------------------------------------------------------


def move(session: WorkshopSession, action: str, target: str | None = None) -> None:
    """Next, previous, reveal, jump (target "framework_id:item_id"), contested only on or off.

    Every move bumps the session's step, so phones see that something changed.
    """
    refuse_if_ended(session)
    assessment = session.assessment
    walk = walk_for(assessment)
    here = current_stop(session, walk)
    include = contested_filter(contested_keys(assessment)) if session.contested_only else None
    goto: Stop | None = None
    revealed, contested_only = session.revealed, session.contested_only
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
        revealed = True
    elif action == "hide":
        revealed = False
    elif action in ("contested_on", "contested_off"):
        contested_only = action == "contested_on"
        if contested_only:
            keys = contested_keys(assessment)
            if not keys:
                raise WorkshopError("No question is contested yet.")
            if here is None or here.key not in keys:
                goto = walk.next(None, contested_filter(keys))
    else:
        raise WorkshopError("Unknown move.")
    with transaction():
        session.revealed = revealed and goto is None
        session.contested_only = contested_only
        if goto is not None:
            session.current_framework_id = goto.framework_id
            session.current_item_id = goto.item_id
        session.step += 1


def refuse_if_moved(session: WorkshopSession, stop: Stop) -> None:
    """Refuse a save about ``stop`` once the board shows another question."""
    if stop.key != (session.current_framework_id, session.current_item_id):
        raise BoardMoved()


def agree_rating(
    session: WorkshopSession,
    stop: Stop,
    value: str,
    rationale: str | None,
    expected_version: int | None,
    user: User,
) -> AgreedRating:
    """Save the rating the board agreed on the question it shows, and tell the phones.

    Raises BoardMoved, WorkshopEnded, and what ``agreement.save_agreed_rating`` raises.
    """
    refuse_if_ended(session)
    refuse_if_moved(session, stop)
    agreed = agreement.save_agreed_rating(
        session.assessment,
        stop.framework_id,
        stop.item_id,
        value,
        rationale,
        expected_version,
        user,
    )
    with transaction():
        session.step += 1
    return agreed


# --- votes ----------------------------------------------------------------------------------


def cast_vote(participant: Participant, stop: Stop, value: str, actor) -> Rating:
    """The participant's vote, as their rating of the item; evidence they gave is kept."""
    return agreement.save_rating(
        participant, stop.framework_id, stop.item_id, value, None, None, actor, keep_text=True
    )


def take_vote(
    session: WorkshopSession, participant: Participant, stop: Stop, item: str | None, value: str
) -> None:
    """A vote from a phone on ``item`` ("framework_id:item_id", the question the phone showed).

    Taken only while the session is live, on the question the board shows, before its votes are
    revealed, and for a value on the scale; VoteRefused says why not. Objects the request read
    before stay readable after the vote's commit (see kept_after_commit).
    """
    if session.status != "live":
        raise VoteRefused("This workshop has ended, so votes are no longer taken.")
    if item != f"{stop.framework_id}:{stop.item_id}":
        raise VoteRefused("The board has moved on to another question. Vote on this one.")
    if session.revealed:
        raise VoteRefused(
            "The votes on this question have been revealed, so it can no longer change."
        )
    if value not in dict(vote_choices(framework_of(session.assessment, stop.framework_id))):
        raise VoteRefused("Choose one of the ratings.")
    try:
        with kept_after_commit():
            cast_vote(participant, stop, value, participant.display_name)
    except (ValueError, agreement.AssessmentLocked) as error:
        raise VoteRefused(str(error)) from error


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
        with transaction() as db_session:
            participant = Participant(
                assessment_id=session.assessment_id,
                guest_name=name,
                agency=agency,
                workshop_session_id=session.id,
            )
            db_session.add(participant)
        return participant
    before = {"name": earlier.guest_name, "agency": earlier.agency}
    after = {"name": name, "agency": agency}
    with transaction():
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
    return earlier


def join_as_member(session: WorkshopSession, user: User) -> Participant:
    return agreement.participant_for(session.assessment, user, create=True)
