"""Who is in a live workshop: guests and members joining (one person, one vote, across devices
and later workshops), and the lead removing someone. Each change is audited where it changes a
person; the rest of the workshop's changes are in ``selfassess.services.workshop``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from selfassess.extensions import db
from selfassess.models import Participant, Rating, User, WorkshopAttendee
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.workshop import attendee_of
from selfassess.services import agreement, audit, transaction
from selfassess.services.workshop import WorkshopError, refuse_if_ended


class RemovedFromWorkshop(WorkshopError):
    """The lead removed this participant from the session, so they cannot join it again."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "The partnership lead removed you from this workshop. "
                "Ask them if this is a mistake."
            )
        )


def _attend(session: WorkshopSession, participant: Participant) -> None:
    """Record that the participant is present at the session (the caller commits); refused
    with RemovedFromWorkshop if the lead removed them from it."""
    attendee = attendee_of(session, participant)
    if attendee is not None and attendee.removed_at is not None:
        raise RemovedFromWorkshop()
    if attendee is None:
        db.session.add(WorkshopAttendee(workshop_session_id=session.id, participant=participant))


def _attend_now(session: WorkshopSession, participant: Participant) -> None:
    try:
        with transaction():
            _attend(session, participant)
    except IntegrityError:
        pass  # the same person's join at the same moment recorded them already


def join_as_guest(
    session: WorkshopSession, name: str, agency: str, earlier: Participant | None = None
) -> Participant:
    """A guest joins the session. ``earlier`` is the guest this browser already joined the
    assessment as (or chose to continue as): they stay that participant (one person, one vote),
    moved to this session, and a changed name or agency changes that participant, audited.

    Raises RemovedFromWorkshop if the lead removed that participant from this session."""
    if earlier is None:
        with transaction() as db_session:
            participant = Participant(
                assessment_id=session.assessment_id,
                guest_name=name,
                agency=agency,
                workshop_session_id=session.id,
            )
            db_session.add(participant)
            db_session.add(
                WorkshopAttendee(workshop_session_id=session.id, participant=participant)
            )
        return participant
    before = {"name": earlier.guest_name, "agency": earlier.agency}
    after = {"name": name, "agency": agency}
    with transaction():
        _attend(session, earlier)
        earlier.workshop_session_id = session.id
        if before != after:
            earlier.guest_name, earlier.agency = name, agency
            # Their ratings now count under this name and agency: marked changed, so reports
            # and charts kept for the assessment's earlier state are not shown again.
            db.session.execute(
                update(Rating)
                .where(Rating.participant_id == earlier.id)
                .values(updated_at=datetime.now(UTC))
            )
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
    """A signed-in member joins as themselves: their votes are their own ratings."""
    participant = agreement.participant_for(session.assessment, user, create=True)
    _attend_now(session, participant)
    return participant


def remove_participant(session: WorkshopSession, participant: Participant, user: User) -> None:
    """The lead removes someone from the session: their votes leave this meeting's tally (their
    rating stays their own), they cannot vote here again, and the removal is audited."""
    refuse_if_ended(session)
    attendee = attendee_of(session, participant)
    if attendee is None or attendee.removed_at is not None:
        raise WorkshopError(gettext("That person is not in this workshop."))
    with transaction():
        attendee.removed_at = datetime.now(UTC)
        session.step += 1
        audit.record(
            "participant",
            "removed_from_workshop",
            {"workshop": session.id, "present": True},
            {"workshop": session.id, "present": False},
            actor_user=user,
            assessment=session.assessment,
            entity_id=participant.id,
        )
