"""The workshop's date, time and place, set by the lead, with the calendar invitation to every
member of the partnership written to the outbox in the same transaction, each in the member's
own language (the calendar entry's summary and description too: ``compose.calendar_text``).

A change keeps the calendar UID and bumps its SEQUENCE, so calendars move the one event; a
cancellation sends METHOD:CANCEL with the same UID. Scheduling again after a cancellation is a
new event in people's calendars, with a new UID.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from selfassess.domain.mail import RATING_REMINDER
from selfassess.extensions import db
from selfassess.models import Assessment, OutboxMessage, User, WorkshopSchedule
from selfassess.models.base import as_utc
from selfassess.queries.mail import members_with_roles, schedule_for
from selfassess.services import transaction
from selfassess.services.audit import record
from selfassess.services.mail import compose
from selfassess.services.mail.outbox import queue

INVITED_ROLES = ("lead", "member", "observer")
MAX_PLACE = 200
MAX_LINK = 500


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class WorkshopTime:
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_link: str | None


def _check(when: WorkshopTime) -> WorkshopTime:
    place = (when.place or "").strip() or None
    online = (when.online_link or "").strip() or None
    if when.ends_at <= when.starts_at:
        raise ScheduleError(_("The workshop must end after it starts"))
    if not place and not online:
        raise ScheduleError(_("Enter a place, an online link, or both"))
    if place and len(place) > MAX_PLACE:
        raise ScheduleError(_("The place must be %(most)s characters or fewer", most=MAX_PLACE))
    if online and (len(online) > MAX_LINK or not online.lower().startswith("https://")):
        raise ScheduleError(_("The online link must start with https://"))
    return WorkshopTime(when.starts_at, when.ends_at, place, online)


def _snapshot(s: WorkshopSchedule) -> dict:
    return {
        "starts_at": as_utc(s.starts_at).isoformat(),
        "ends_at": as_utc(s.ends_at).isoformat(),
        "place": s.place,
        "online_link": s.online_link,
        "sequence": s.sequence,
    }


def _withdraw_reminders(schedule: WorkshopSchedule, why: str) -> None:
    """Rating reminders for the old time not sent yet are withdrawn: none should arrive after
    the change or the cancellation. The next reminder run works out those for the new time."""
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "queued",
            OutboxMessage.kind == RATING_REMINDER,
            OutboxMessage.occurrence.startswith(f"rating:{schedule.id}:"),
        )
        .values(status="withdrawn", last_error=why)
        .execution_options(synchronize_session=False)
    )


def _invite_everyone(schedule: WorkshopSchedule, assessment: Assessment, change: str) -> int:
    people = members_with_roles(assessment.partnership_id, INVITED_ROLES)
    for person in people:
        queue(compose.workshop(schedule, assessment, person, change), user_id=person.id)
    return len(people)


def _new_uid() -> str:
    domain = (current_app.config.get("MAIL_SENDER") or "selfassess").rpartition("@")[2]
    return f"workshop-{secrets.token_hex(12)}@{domain or 'selfassess'}"


def schedule(assessment: Assessment, when: WorkshopTime, by: User) -> tuple[WorkshopSchedule, int]:
    """Set or change the workshop; every member is sent the calendar invitation. Returns the
    schedule and how many people were written to. A save that changes nothing sends nothing."""
    when = _check(when)
    if assessment.status not in ("draft", "open"):
        raise ScheduleError(_("A workshop can be scheduled only before the assessment is agreed"))
    with transaction():
        current = schedule_for(assessment.id)
        if current is not None and current.cancelled_at is None:
            before = _snapshot(current)
            same = (
                as_utc(current.starts_at) == when.starts_at
                and as_utc(current.ends_at) == when.ends_at
                and current.place == when.place
                and current.online_link == when.online_link
            )
            if same:
                return current, 0
            current.sequence += 1
            change = "changed"
            _withdraw_reminders(current, "Not sent: the workshop's time or place changed")
        else:
            before = _snapshot(current) if current is not None else None
            if current is None:
                current = WorkshopSchedule(assessment_id=assessment.id, sequence=0)
                db.session.add(current)
            else:  # scheduled again after a cancellation: a new calendar event
                current.sequence = 0
                current.cancelled_at = None
            current.uid = _new_uid()
            change = "scheduled"
        current.starts_at = when.starts_at
        current.ends_at = when.ends_at
        current.place = when.place
        current.online_link = when.online_link
        current.scheduled_by_id = by.id
        db.session.flush()
        record(
            "workshop_schedule",
            change,
            before,
            _snapshot(current),
            actor_user=by,
            assessment=assessment,
            entity_id=current.id,
        )
        sent = _invite_everyone(current, assessment, change)
    return current, sent


def cancel(assessment: Assessment, by: User) -> int:
    """Cancel the scheduled workshop and send everyone the cancellation; how many were sent."""
    with transaction():
        current = schedule_for(assessment.id)
        if current is None or current.cancelled_at is not None:
            return 0
        before = _snapshot(current)
        current.sequence += 1
        current.cancelled_at = datetime.now(UTC)
        _withdraw_reminders(current, "Not sent: the workshop was cancelled")
        record(
            "workshop_schedule",
            "cancelled",
            before,
            None,
            actor_user=by,
            assessment=assessment,
            entity_id=current.id,
        )
        return _invite_everyone(current, assessment, "cancelled")
