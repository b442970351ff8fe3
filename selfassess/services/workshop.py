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

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from selfassess.domain.workshop import Stop, contested_filter, new_join_code, tally_words
from selfassess.extensions import db
from selfassess.models import (
    AgreedRating,
    Assessment,
    Participant,
    Rating,
    User,
    WorkshopVote,
)
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.workshop import (
    contested_keys,
    current_stop,
    framework_of,
    last_round,
    live_session_for,
    round_result,
    vote_choices,
    vote_in,
    walk_for,
)
from selfassess.services import agreement, audit, transaction


class WorkshopError(Exception):
    """Something the lead asked for that cannot be done; the message is shown as it is."""


class WorkshopEnded(WorkshopError):
    """The workshop has ended, so the lead can no longer change it."""

    def __init__(self) -> None:
        super().__init__(gettext("This workshop has ended."))


class BoardMoved(WorkshopError):
    """The lead saved against a question the board has since moved away from."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "The board had moved to another question, so nothing was saved. Try again here."
            )
        )


class VoteRefused(Exception):
    """The vote was not taken; the message says why, in the participant's words."""

    def __init__(self, message: str, about_comment: bool = False) -> None:
        super().__init__(message)
        self.about_comment = about_comment  # the comment was refused, not the rating


# --- sessions -------------------------------------------------------------------------------


MAX_COMMENT = 280
MAX_COUNTDOWN = 60 * 60  # an hour per question is more than any board spends


def _check_options(countdown_seconds: int | None) -> int | None:
    if countdown_seconds in (None, 0):
        return None
    if not 10 <= countdown_seconds <= MAX_COUNTDOWN:
        raise WorkshopError(
            gettext("The time per question must be between 10 seconds and 60 minutes.")
        )
    return countdown_seconds


PROJECTOR_LANGUAGES = ("", "cy+en")


def _check_languages(projector_languages: str | None) -> str:
    if (projector_languages or "") not in PROJECTOR_LANGUAGES:
        raise WorkshopError(
            gettext("The projector shows the lead's language, or Welsh and English.")
        )
    return projector_languages or ""


def start_session(
    assessment: Assessment,
    user: User,
    show_names: bool = False,
    countdown_seconds: int | None = None,
    projector_languages: str = "",
) -> WorkshopSession:
    """Start the assessment's live workshop, or give the one already live: a second "start"
    (a double click, two tabs) leads to the same workshop, never a second one.

    ``show_names``: the reveal names who moved between rounds (agencies are always shown).
    ``countdown_seconds``: a time per question shown to the room (it never closes voting)."""
    countdown_seconds = _check_options(countdown_seconds)
    if assessment.status != "open":
        raise WorkshopError(
            gettext("A live workshop can only be started while the assessment is open.")
        )
    live = live_session_for(assessment.id)
    if live is not None:
        return live
    first = walk_for(assessment).first
    if first is None:
        raise WorkshopError(gettext("This assessment has no questions to rate."))
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
                    round=1,
                    shown_at=datetime.now(UTC),
                    show_names=bool(show_names),
                    countdown_seconds=countdown_seconds,
                    projector_languages=_check_languages(projector_languages),
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
    raise WorkshopError(gettext("Could not make a join code. Try again."))


def refuse_if_ended(session: WorkshopSession) -> None:
    if session.status != "live":
        raise WorkshopEnded()


def change_options(
    session: WorkshopSession,
    show_names: bool,
    countdown_seconds: int | None,
    user: User,
    projector_languages: str | None = None,
) -> None:
    """Change the session's options while it runs; the room sees them at once. Audited.

    ``projector_languages``: "" (the lead's page language) or "cy+en" (Welsh above English);
    None leaves it as it is."""
    refuse_if_ended(session)
    countdown_seconds = _check_options(countdown_seconds)
    languages = (
        session.projector_languages
        if projector_languages is None
        else _check_languages(projector_languages)
    )
    before = {"show_names": session.show_names, "countdown_seconds": session.countdown_seconds}
    after = {"show_names": bool(show_names), "countdown_seconds": countdown_seconds}
    if languages != (session.projector_languages or ""):
        before["projector_languages"] = session.projector_languages or ""
        after["projector_languages"] = languages
    if before == after:
        return
    with transaction():
        session.show_names, session.countdown_seconds = after["show_names"], countdown_seconds
        session.projector_languages = languages
        if countdown_seconds and not before["countdown_seconds"]:
            session.shown_at = datetime.now(UTC)  # a countdown just set starts now
        session.step += 1
        audit.record(
            "workshop",
            "options_changed",
            before,
            after,
            actor_user=user,
            assessment=session.assessment,
            entity_id=session.id,
        )


def end_session(session: WorkshopSession) -> None:
    refuse_if_ended(session)
    with transaction():
        session.status = "ended"
        session.ended_at = datetime.now(UTC)
        session.step += 1


# --- where the board is -----------------------------------------------------------------------


def move(
    session: WorkshopSession, action: str, target: str | None = None, user: User | None = None
) -> None:
    """Next, previous, reveal, hide, new round, jump (target "framework_id:item_id"),
    contested only on or off.

    Every move bumps the session's step, so phones see that something changed. Going to a
    question opens its latest round in this session (the first, on a question not yet voted on).
    A reveal and a new round are kept in the question's history with the round's votes.
    """
    refuse_if_ended(session)
    assessment = session.assessment
    walk = walk_for(assessment)
    here = current_stop(session, walk)
    include = contested_filter(contested_keys(assessment)) if session.contested_only else None
    goto: Stop | None = None
    revealed, contested_only = session.revealed, session.contested_only
    round_ = session.round
    history: tuple[str, dict] | None = None
    if action == "next":
        goto = walk.next(here, include)
        if goto is None:
            raise WorkshopError(gettext("This is the last question."))
    elif action == "previous":
        goto = walk.previous(here, include)
        if goto is None:
            raise WorkshopError(gettext("This is the first question."))
    elif action == "jump":
        framework_id, _, item_id = (target or "").partition(":")
        goto = walk.find(framework_id, item_id)
        if goto is None:
            raise WorkshopError(gettext("Choose a question to go to."))
    elif action == "reveal":
        revealed = True
        if not session.revealed:  # a second press (two screens at once) records nothing
            history = ("revealed", _round_record(session, here))
    elif action == "new_round":
        if not session.revealed:
            raise WorkshopError(
                gettext(
                    "Reveal this round's votes first: a new round asks everyone to vote again "
                    "after the board has seen and discussed them."
                )
            )
        revealed, round_ = False, session.round + 1
        history = ("opened", {"round": round_})
    elif action == "hide":
        revealed = False
    elif action in ("contested_on", "contested_off"):
        contested_only = action == "contested_on"
        if contested_only:
            keys = contested_keys(assessment)
            if not keys:
                raise WorkshopError(gettext("No question is contested yet."))
            if here is None or here.key not in keys:
                goto = walk.next(None, contested_filter(keys))
    else:
        raise WorkshopError(gettext("Unknown move."))
    if goto is not None:
        round_ = last_round(session, goto)
    with transaction():
        session.revealed = revealed and goto is None
        session.contested_only = contested_only
        if goto is not None:
            session.current_framework_id = goto.framework_id
            session.current_item_id = goto.item_id
        if goto is not None or round_ != session.round:
            session.shown_at = datetime.now(UTC)
        session.round = round_
        session.step += 1
        if history is not None and here is not None:
            event, after = history
            audit.record(
                "workshop_round",
                event,
                None,
                after,
                actor_user=user,
                assessment=assessment,
                framework_id=here.framework_id,
                item_id=here.item_id,
                entity_id=session.id,
            )


def _round_record(session: WorkshopSession, stop: Stop | None) -> dict:
    """The round's votes as the item's history keeps them: "Red 1, Amber 3, ... (4 votes)"."""
    if stop is None:
        return {"round": session.round}
    framework = framework_of(session.assessment, stop.framework_id)
    result = round_result(session, stop, session.round)
    return {
        "round": session.round,
        "votes": tally_words(dict(result.distribution), vote_choices(framework)),
    }


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


def cast_vote(
    participant: Participant,
    stop: Stop,
    value: str,
    actor,
    workshop: WorkshopSession | None = None,
    comment: str | None = None,
) -> Rating:
    """The participant's vote, as their rating of the item; evidence they gave is kept.

    Cast in a workshop session, the vote is also kept as this meeting's vote on the item in the
    round open now (with its comment), in the same commit as the rating it changes: the latest
    vote is the person's current rating, and the history keeps the earlier ones.
    """
    also = (lambda: _record_vote(workshop, participant, stop, value, comment)) if workshop else None
    return agreement.save_rating(
        participant,
        stop.framework_id,
        stop.item_id,
        value,
        None,
        None,
        actor,
        keep_text=True,
        also=also,
    )


def _record_vote(
    session: WorkshopSession,
    participant: Participant,
    stop: Stop,
    value: str,
    comment: str | None = None,
):
    """Add or change the participant's vote in this session's open round (the caller
    commits)."""
    vote = vote_in(session, participant, stop, session.round)
    if vote is None:
        vote = WorkshopVote(
            workshop_session_id=session.id,
            participant_id=participant.id,
            framework_id=stop.framework_id,
            item_id=stop.item_id,
            round=session.round,
        )
        db.session.add(vote)
    vote.value = value
    vote.comment = comment
    vote.cast_at = datetime.now(UTC)


def clean_comment(raw: str | None) -> str | None:
    """A comment as kept: plain text on one line, trimmed; VoteRefused past MAX_COMMENT."""
    text = " ".join((raw or "").split())
    text = "".join(ch for ch in text if ch.isprintable())
    if len(text) > MAX_COMMENT:
        raise VoteRefused(
            gettext(
                "Your comment must be %(max)s characters or fewer (it has %(length)s). "
                "Your vote was not saved.",
                max=MAX_COMMENT,
                length=len(text),
            ),
            about_comment=True,
        )
    return text or None


def take_vote(
    session: WorkshopSession,
    participant: Participant,
    stop: Stop,
    item: str | None,
    value: str,
    comment: str | None = None,
) -> None:
    """A vote from a phone on ``item`` ("framework_id:item_id", the question the phone showed).

    Taken only while the session is live, from someone present, on the question the board
    shows, before its votes are revealed, and for a value on the scale; VoteRefused says why
    not. Objects the request read before stay readable after the vote's commit (see
    kept_after_commit).
    """
    if session.status != "live":
        raise VoteRefused(gettext("This workshop has ended, so votes are no longer taken."))
    if item != f"{stop.framework_id}:{stop.item_id}":
        raise VoteRefused(gettext("The board has moved on to another question. Vote on this one."))
    if session.revealed:
        raise VoteRefused(
            gettext("The votes on this question have been revealed, so it can no longer change.")
        )
    if value not in dict(vote_choices(framework_of(session.assessment, stop.framework_id))):
        raise VoteRefused(gettext("Choose one of the ratings."))
    comment = clean_comment(comment)
    for attempt in range(2):
        try:
            with kept_after_commit():
                cast_vote(
                    participant,
                    stop,
                    value,
                    participant.display_name,
                    workshop=session,
                    comment=comment,
                )
            return
        except IntegrityError:
            # The same phone's first vote saved at the same moment (a double tap): the row now
            # exists, so the second try changes it.
            if attempt:
                raise
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
