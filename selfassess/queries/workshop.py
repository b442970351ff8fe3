"""The live workshop as its pages read it: sessions, where the board is, who joined, the votes,
the reveal, and what the board agreed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from selfassess.domain.frameworks import Framework
from selfassess.domain.scoring import ItemResult, agreed_choices
from selfassess.domain.scoring import item_result as score_item
from selfassess.domain.workshop import (
    AgencyMovement,
    Change,
    Stop,
    Walk,
    is_valid_join_code,
    movement,
    normalise_join_code,
    seconds_left,
)
from selfassess.extensions import db, frameworks
from selfassess.models import (
    Action,
    AgreedRating,
    Assessment,
    Participant,
    Rating,
    WorkshopAttendee,
    WorkshopVote,
)
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.ratings import agreed_ratings, assessment_results

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
    """What the board can agree: the same choices as on the question page."""
    return agreed_choices(framework)


def current_stop(session: WorkshopSession, walk: Walk) -> Stop | None:
    return walk.find(session.current_framework_id, session.current_item_id) or walk.first


def contested_keys(assessment: Assessment) -> set[tuple[str, str]]:
    results = assessment_results(frameworks(), assessment)
    return {(r.framework.id, i.item_id) for r in results.frameworks for i in r.items if i.contested}


# --- participants and votes -------------------------------------------------------------------


def participant_or_none(participant_id: int) -> Participant | None:
    return db.session.get(Participant, participant_id)


def guest_named(assessment_id: int, name: str, agency: str) -> Participant | None:
    """A guest of the assessment with this name (any case) and agency: someone joining again
    from another device is offered to continue as them."""
    return db.session.execute(
        select(Participant)
        .where(
            Participant.assessment_id == assessment_id,
            Participant.user_id.is_(None),
            func.lower(Participant.guest_name) == name.strip().lower(),
            Participant.agency == agency,
        )
        .order_by(Participant.id.desc())
        .limit(1)
    ).scalar()


@dataclass(frozen=True)
class InTheRoom:
    """A participant as a phone's poll needs them: in the room or not, and their vote."""

    participant: Participant
    present: bool  # joined this session and not removed by the lead
    vote: str | None  # on the question shown, in the round open now


def in_the_room(session: WorkshopSession, participant_id: int, stop: Stop) -> InTheRoom | None:
    """The participant, whether they are in the room and their vote on ``stop``, in one
    statement: the phones ask every second (bench/notes.md, figure 6)."""
    vote = (
        select(WorkshopVote.value)
        .where(
            WorkshopVote.workshop_session_id == session.id,
            WorkshopVote.participant_id == Participant.id,
            WorkshopVote.framework_id == stop.framework_id,
            WorkshopVote.item_id == stop.item_id,
            WorkshopVote.round == session.round,
        )
        .scalar_subquery()
    )
    row = db.session.execute(
        select(Participant, WorkshopAttendee.id, WorkshopAttendee.removed_at, vote)
        .outerjoin(
            WorkshopAttendee,
            (WorkshopAttendee.participant_id == Participant.id)
            & (WorkshopAttendee.workshop_session_id == session.id),
        )
        .where(Participant.id == participant_id)
    ).first()
    if row is None:
        return None
    participant, attendee_id, removed_at, value = row
    return InTheRoom(participant, attendee_id is not None and removed_at is None, value)


def attendee_of(session: WorkshopSession, participant: Participant) -> WorkshopAttendee | None:
    return db.session.execute(
        select(WorkshopAttendee).filter_by(
            workshop_session_id=session.id, participant_id=participant.id
        )
    ).scalar()


def is_present(session: WorkshopSession, participant: Participant) -> bool:
    attendee = attendee_of(session, participant)
    return attendee is not None and attendee.removed_at is None


def present(session: WorkshopSession) -> list[WorkshopAttendee]:
    """Who is in the room: everyone who joined this session and was not removed, by joining."""
    return list(
        db.session.execute(
            select(WorkshopAttendee)
            .options(joinedload(WorkshopAttendee.participant).joinedload(Participant.user))
            .filter_by(workshop_session_id=session.id, removed_at=None)
            .order_by(WorkshopAttendee.joined_at, WorkshopAttendee.id)
        ).scalars()
    )


def joined_count(session: WorkshopSession) -> int:
    """How many people are present at this session (members and guests, not removed)."""
    return db.session.execute(
        select(func.count())
        .select_from(WorkshopAttendee)
        .filter_by(workshop_session_id=session.id, removed_at=None)
    ).scalar_one()


def _counted_votes(session: WorkshopSession, stop: Stop, round_: int | None = None):
    """This session's votes on the question, from people still present: in one round, or in
    every round when ``round_`` is None."""
    stmt = (
        select(WorkshopVote)
        .join(
            WorkshopAttendee,
            (WorkshopAttendee.workshop_session_id == WorkshopVote.workshop_session_id)
            & (WorkshopAttendee.participant_id == WorkshopVote.participant_id),
        )
        .where(
            WorkshopVote.workshop_session_id == session.id,
            WorkshopVote.framework_id == stop.framework_id,
            WorkshopVote.item_id == stop.item_id,
            WorkshopAttendee.removed_at.is_(None),
        )
    )
    return stmt if round_ is None else stmt.where(WorkshopVote.round == round_)


def voter_ids(session: WorkshopSession, stop: Stop) -> set[int]:
    """The participants present who have voted on the question in the round open now."""
    counted = _counted_votes(session, stop, session.round).with_only_columns(
        WorkshopVote.participant_id
    )
    return set(db.session.execute(counted).scalars())


def vote_count(session: WorkshopSession, stop: Stop) -> int:
    """How many people present have voted on the question in the round open now."""
    counted = _counted_votes(session, stop, session.round).subquery()
    return db.session.execute(select(func.count()).select_from(counted)).scalar_one()


def last_round(session: WorkshopSession, stop: Stop) -> int:
    """The latest round anyone voted in on the question in this session (1 when none)."""
    found = db.session.execute(
        select(func.max(WorkshopVote.round)).filter_by(
            workshop_session_id=session.id, framework_id=stop.framework_id, item_id=stop.item_id
        )
    ).scalar()
    return found or 1


def vote_in(
    session: WorkshopSession, participant: Participant, stop: Stop, round_: int = 1
) -> WorkshopVote | None:
    return db.session.execute(
        select(WorkshopVote).filter_by(
            workshop_session_id=session.id,
            participant_id=participant.id,
            framework_id=stop.framework_id,
            item_id=stop.item_id,
            round=round_,
        )
    ).scalar()


def my_vote(participant: Participant, stop: Stop, session: WorkshopSession) -> str | None:
    """The participant's vote on the question in the round open now (not a rating given
    before, nor a vote in an earlier round)."""
    vote = my_vote_row(participant, stop, session)
    return vote.value if vote is not None else None


def my_vote_row(
    participant: Participant, stop: Stop, session: WorkshopSession
) -> WorkshopVote | None:
    return vote_in(session, participant, stop, session.round)


def my_votes_by_round(participant: Participant, stop: Stop, session: WorkshopSession):
    """{round: value} of the participant's votes on the question in this session."""
    rows = db.session.execute(
        select(WorkshopVote.round, WorkshopVote.value).filter_by(
            workshop_session_id=session.id,
            participant_id=participant.id,
            framework_id=stop.framework_id,
            item_id=stop.item_id,
        )
    )
    return {row[0]: row[1] for row in rows}


def comments(session: WorkshopSession, stop: Stop, round_: int) -> list[str]:
    """The comments sent with the round's votes, without names, in alphabetical order (not the
    order they came in, which could tell who wrote which)."""
    counted = _counted_votes(session, stop, round_).where(WorkshopVote.comment.is_not(None))
    texts = db.session.execute(counted.with_only_columns(WorkshopVote.comment)).scalars()
    return sorted((t for t in texts if t), key=str.lower)


def changes_between(session: WorkshopSession, stop: Stop, first: int, then: int) -> list[Change]:
    """Everyone present who voted on the question in both rounds, with both votes."""
    a = _counted_votes(session, stop, first).subquery()
    b = _counted_votes(session, stop, then).subquery()
    rows = db.session.execute(
        select(Participant, a.c.value, b.c.value)
        .join(a, a.c.participant_id == Participant.id)
        .join(b, b.c.participant_id == Participant.id)
        .options(joinedload(Participant.user))
        .order_by(Participant.id)
    ).all()
    return [Change(p.agency or "", p.display_name, before, after) for p, before, after in rows]


def countdown_left(session: WorkshopSession) -> int | None:
    """Seconds left of the question's countdown; None when the session has none."""
    if not session.countdown_seconds or session.shown_at is None:
        return None
    shown = session.shown_at
    if shown.tzinfo is None:  # SQLite gives back the UTC time without its zone
        shown = shown.replace(tzinfo=UTC)
    return seconds_left((datetime.now(UTC) - shown).total_seconds(), session.countdown_seconds)


def earlier_rating(participant: Participant, stop: Stop) -> str | None:
    """The participant's current rating of the question, however it was given."""
    return db.session.execute(
        select(Rating.value).filter_by(
            participant_id=participant.id, framework_id=stop.framework_id, item_id=stop.item_id
        )
    ).scalar()


# --- the reveal and what was agreed ------------------------------------------------------------


def _result_from(
    assessment: Assessment, stop: Stop, rows: list[tuple[str, str, int]]
) -> ItemResult:
    framework = framework_of(assessment, stop.framework_id)
    votes: dict[str, dict[str, int]] = {}
    for agency, value, count in rows:
        votes.setdefault(agency or "", {})[value] = int(count)
    agreed = agreed_ratings(assessment.id).get(stop.key)
    return score_item(framework, stop.item, votes, agreed)


def meeting_result(session: WorkshopSession, stop: Stop) -> ItemResult:
    """This meeting's votes on the question: one per person present who voted in it, their
    latest (a vote in a later round replaces their vote in an earlier one)."""
    counted = _counted_votes(session, stop).subquery()
    latest = (
        select(counted.c.participant_id, func.max(counted.c.round).label("last"))
        .group_by(counted.c.participant_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Participant.agency, counted.c.value, func.count())
        .join(
            latest,
            (latest.c.participant_id == counted.c.participant_id)
            & (latest.c.last == counted.c.round),
        )
        .join(Participant, Participant.id == counted.c.participant_id)
        .group_by(Participant.agency, counted.c.value)
    ).all()
    return _result_from(session.assessment, stop, [tuple(r) for r in rows])


def round_result(session: WorkshopSession, stop: Stop, round_: int) -> ItemResult:
    """The votes cast in one round on the question, from people still present."""
    counted = _counted_votes(session, stop, round_).subquery()
    rows = db.session.execute(
        select(Participant.agency, counted.c.value, func.count())
        .join(Participant, Participant.id == counted.c.participant_id)
        .group_by(Participant.agency, counted.c.value)
    ).all()
    return _result_from(session.assessment, stop, [tuple(r) for r in rows])


def before_result(session: WorkshopSession, stop: Stop) -> ItemResult:
    """The other current ratings of the question: people who have not voted on it in this
    meeting (they rated before it, or were removed from it). With ``meeting_result`` every
    current rating is shown once, and none twice."""
    voted_here = _counted_votes(session, stop).with_only_columns(WorkshopVote.participant_id)
    rows = db.session.execute(
        select(Participant.agency, Rating.value, func.count())
        .join(Participant, Participant.id == Rating.participant_id)
        .where(
            Rating.assessment_id == session.assessment_id,
            Rating.framework_id == stop.framework_id,
            Rating.item_id == stop.item_id,
            Rating.value.is_not(None),
            Rating.participant_id.not_in(voted_here),
        )
        .group_by(Participant.agency, Rating.value)
    ).all()
    return _result_from(session.assessment, stop, [tuple(r) for r in rows])


@dataclass(frozen=True)
class Reveal:
    """What the room sees once the votes on a question are revealed."""

    meeting: ItemResult  # one per person present who voted: their latest vote
    rounds: list[tuple[int, ItemResult]]  # every round's own votes, first to latest
    moved: list[AgencyMovement]  # between the last two rounds, per agency
    comments: list[str]  # sent with the latest round's votes, without names
    before: ItemResult  # everyone else's current rating

    @property
    def latest_round(self) -> int:
        return self.rounds[-1][0] if self.rounds else 1


def reveal_for(session: WorkshopSession, stop: Stop) -> Reveal:
    rounds = [(n, round_result(session, stop, n)) for n in range(1, session.round + 1)]
    moved = (
        movement(changes_between(session, stop, session.round - 1, session.round))
        if session.round > 1
        else []
    )
    return Reveal(
        meeting=meeting_result(session, stop),
        rounds=rounds,
        moved=moved,
        comments=comments(session, stop, session.round),
        before=before_result(session, stop),
    )


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
