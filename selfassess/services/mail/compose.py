"""What each email says. One plain-text and one HTML template (``templates/email/``) draw every
message from a ``Content``: a heading, paragraphs, a few details, one link as a button, and the
lines saying why it was sent and how to stop reminders.

No email carries a rating, a piece of evidence or any text typed into an assessment (action
descriptions included): a message says what needs doing and links to the service, where
signing in shows the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from flask import current_app

from selfassess.domain import mail as m
from selfassess.domain.mail import LOCAL, clock, long_date, when_text
from selfassess.models import (
    Action,
    Assessment,
    Collection,
    Invitation,
    Partnership,
    Return,
    User,
    WorkshopSchedule,
)

ROLE_WORDS = {"lead": "a lead", "member": "a member", "observer": "an observer"}


@dataclass
class Content:
    heading: str
    paragraphs: list[str]
    why: str
    details: list[tuple[str, str]] = field(default_factory=list)
    button: tuple[str, str] | None = None
    after: list[str] = field(default_factory=list)
    greeting: str | None = None
    reminder: bool = False  # says how to turn this kind off
    stop_kind: str | None = None


def link(endpoint: str, **values) -> str:
    """An absolute address in the service, always from SERVICE_URL (never a request's Host)."""
    base = urlsplit(current_app.config["SERVICE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _marking() -> str:
    return current_app.config.get("PROTECTIVE_MARKING") or ""


def _render(
    kind: str,
    to: tuple[str | None, str],
    subject: str,
    content: Content,
    attachments: tuple[m.Attachment, ...] = (),
) -> m.Email:
    env = current_app.jinja_env
    context = {
        "content": content,
        "service_name": current_app.config["SERVICE_NAME"],
        "protective_marking": _marking(),
        "account_url": link("auth.account"),
        "service_url": current_app.config["SERVICE_URL"],
    }
    name, address = to
    return m.Email(
        kind=kind,
        to_address=address,
        to_name=m.header_text(name, 120) or None,
        subject=m.subject_line(_marking(), subject),
        text=_tidy(env.get_template("email/message.txt").render(**context)),
        html=env.get_template("email/message.html").render(**context),
        attachments=attachments,
    )


def _tidy(text: str) -> str:
    """The plain-text template's blank lines cut to one between paragraphs."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _where(action: Action) -> str:
    """Which question or section an action is about, by its number (never its text)."""
    if action.item_id:
        return f"Question {action.item_id}"
    if action.section_id:
        return f"Section {action.section_id}"
    return "The whole assessment"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- invitations ---


def invitation(
    invitation: Invitation, token: str, partnership: Partnership, inviter: User
) -> m.Email:
    role = ROLE_WORDS.get(invitation.role, invitation.role)
    expires = _aware(invitation.expires_at).astimezone(LOCAL).date()
    content = Content(
        greeting=f"Dear {invitation.for_name}," if invitation.for_name else None,
        heading=f"You are invited to join {partnership.name}",
        paragraphs=[
            f"{inviter.name} has invited you to join {partnership.name} as {role} in the "
            f"{current_app.config['SERVICE_NAME']} service, where the partners of Integrated "
            "Offender Management rate how well their arrangements work and agree an action "
            "plan.",
            "Use the link to set up your account, or to join with the account you have. It "
            f"works once, only for this email address, and until {long_date(expires)}.",
        ],
        button=("Accept the invitation", link("partnerships.accept_invitation", token=token)),
        after=[
            "If you were not expecting this invitation, you can ignore this email: nothing "
            "happens unless the link is used."
        ],
        why=f"{inviter.name} of {partnership.name} entered this email address to invite you.",
    )
    return _render(
        m.INVITATION,
        (invitation.for_name, invitation.for_email or ""),
        f"Invitation to join {partnership.name}",
        content,
    )


# --- the scheduled workshop ---


def _calendar(
    schedule: WorkshopSchedule,
    assessment: Assessment,
    organiser: User | None,
    person: User,
    cancelled: bool,
) -> m.Attachment:
    event = m.CalendarEvent(
        uid=schedule.uid,
        sequence=schedule.sequence,
        starts_at=_aware(schedule.starts_at),
        ends_at=_aware(schedule.ends_at),
        summary=f"Self-assessment workshop: {assessment.partnership.name}",
        description=(
            f"The board's workshop for {assessment.title} ({assessment.period}). "
            f"Details and your ratings: {link('assessments.show', assessment_id=assessment.id)}"
        ),
        location=schedule.place or schedule.online_link,
        url=schedule.online_link,
        organiser_name=organiser.name if organiser else current_app.config["SERVICE_NAME"],
        organiser_address=current_app.config["MAIL_SENDER"],
        attendees=[(person.name, person.email)],
        stamp=datetime.now(UTC),
    )
    method = "CANCEL" if cancelled else "REQUEST"
    return m.Attachment(
        "workshop.ics",
        f"text/calendar; method={method}",
        m.calendar_file(event, cancelled=cancelled),
    )


def workshop(
    schedule: WorkshopSchedule, assessment: Assessment, person: User, change: str
) -> m.Email:
    """change: "scheduled", "changed" or "cancelled"."""
    partnership = assessment.partnership
    day, hours = when_text(_aware(schedule.starts_at), _aware(schedule.ends_at))
    details = [("Date", day), ("Time", hours)]
    if schedule.place:
        details.append(("Place", schedule.place))
    if schedule.online_link:
        details.append(("Join online", schedule.online_link))
    cancelled = change == "cancelled"
    heading = {
        "scheduled": "Self-assessment workshop",
        "changed": "The self-assessment workshop has changed",
        "cancelled": "The self-assessment workshop is cancelled",
    }[change]
    if cancelled:
        paragraphs = [
            f"The workshop for {partnership.name}'s {assessment.title} on {day} is cancelled. "
            "The calendar file with this email takes it out of your calendar."
        ]
    else:
        paragraphs = [
            f"{partnership.name}'s board meets to agree its ratings for {assessment.title} "
            f"({assessment.period}).",
            "The calendar file with this email puts the workshop in your calendar"
            + (" in place of the earlier time." if change == "changed" else "."),
            "Before the workshop, rate each question from your agency's point of view and "
            "mark your ratings complete.",
        ]
    content = Content(
        greeting=f"Dear {person.name},",
        heading=heading,
        paragraphs=paragraphs,
        details=details,
        button=None
        if cancelled
        else ("Go to the assessment", link("assessments.show", assessment_id=assessment.id)),
        why=f"you are a member of {partnership.name}, and its lead "
        + ("cancelled" if cancelled else "scheduled")
        + " the workshop.",
    )
    subject = {
        "scheduled": f"Workshop on {day}: {partnership.name}",
        "changed": f"Changed: workshop on {day}: {partnership.name}",
        "cancelled": f"Cancelled: workshop on {day}: {partnership.name}",
    }[change]
    return _render(
        m.WORKSHOP,
        (person.name, person.email),
        subject,
        content,
        (_calendar(schedule, assessment, schedule.scheduled_by, person, cancelled),),
    )


def rating_reminder(schedule: WorkshopSchedule, assessment: Assessment, person: User) -> m.Email:
    partnership = assessment.partnership
    day, hours = when_text(_aware(schedule.starts_at), _aware(schedule.ends_at))
    content = Content(
        greeting=f"Dear {person.name},",
        heading="Finish your ratings before the workshop",
        paragraphs=[
            f"{partnership.name}'s workshop for {assessment.title} is on {day}, {hours}.",
            "You have not yet marked your ratings complete. Rate each question from your "
            "agency's point of view, then check your answers and mark them complete, so the "
            "board can see where partners agree.",
        ],
        button=("Continue rating", link("assessments.show", assessment_id=assessment.id)),
        why=f"you are a member of {partnership.name} and have not marked your ratings for "
        f"{assessment.title} complete.",
        reminder=True,
        stop_kind=m.RATING_REMINDER,
    )
    return _render(
        m.RATING_REMINDER,
        (person.name, person.email),
        f"Reminder: rate before the workshop on {day}",
        content,
    )


# --- actions ---


def action_reminder(action: Action, assessment: Assessment, person: User, today: date) -> m.Email:
    partnership = assessment.partnership
    due = long_date(action.due_on)
    overdue = action.due_on < today
    where = _where(action)
    content = Content(
        greeting=f"Dear {person.name},",
        heading="An action you own is overdue" if overdue else "An action you own is due soon",
        paragraphs=[
            f"An action in {partnership.name}'s {assessment.title} names you as its owner. "
            + (f"It was due on {due}." if overdue else f"It is due on {due}."),
            "Sign in to read it and to record how it is going: mark it in progress or "
            "completed, or agree a new date with your lead.",
        ],
        details=[("About", where), ("Due", due)],
        button=("See the action", link("assessments.show", assessment_id=assessment.id)),
        why=f"you are named as the owner of an action in {partnership.name}'s action plan.",
        reminder=True,
        stop_kind=m.ACTION_REMINDER,
    )
    subject = f"Action {'overdue' if overdue else 'due'} on {due}: {partnership.name}"
    return _render(m.ACTION_REMINDER, (person.name, person.email), subject, content)


def action_digest(
    partnership: Partnership, lead: User, rows: list[tuple[Assessment, Action]], today: date
) -> m.Email:
    count = len(rows)
    details = []
    for assessment, action in rows[:20]:
        where = _where(action)
        days = (today - action.due_on).days
        late = "1 day" if days == 1 else f"{days} days"
        details.append(
            (f"{assessment.title}: {where}", f"due {long_date(action.due_on)}, {late} late")
        )
    content = Content(
        greeting=f"Dear {lead.name},",
        heading=f"{count} overdue action{'s' if count != 1 else ''}",
        paragraphs=[
            f"{partnership.name} has {count} open action{'s' if count != 1 else ''} past "
            "its due date. Each action's owner and what it says are in the service.",
        ]
        + ([f"The first 20 are listed; sign in to see all {count}."] if count > 20 else []),
        details=details,
        button=(
            "See the action plan",
            link("assessments.index", partnership_id=partnership.id),
        ),
        why=f"you are a lead of {partnership.name}; this list comes once a week while any of "
        "its actions are overdue.",
        reminder=True,
        stop_kind=m.ACTION_DIGEST,
    )
    return _render(
        m.ACTION_DIGEST,
        (lead.name, lead.email),
        f"Weekly: {count} overdue action{'s' if count != 1 else ''}: {partnership.name}",
        content,
    )


# --- national collections ---


def collection_opening(collection: Collection, partnership: Partnership, lead: User) -> m.Email:
    closes = long_date(collection.closes_on)
    content = Content(
        greeting=f"Dear {lead.name},",
        heading=f"{collection.title} is open",
        paragraphs=[
            f"The national team asks {partnership.name} for a return to {collection.title}.",
            f"Returns are taken until {closes}. You can answer one question at a time and come "
            "back to it; nothing is sent until you submit.",
        ],
        button=(
            "Start the return",
            link("national.survey_start", partnership_id=partnership.id, slug=collection.slug),
        ),
        why=f"you are a lead of {partnership.name}, one of the partnerships this national "
        "collection expects a return from.",
    )
    return _render(
        m.COLLECTION_OPENING,
        (lead.name, lead.email),
        f"{collection.title} is open until {closes}",
        content,
    )


def collection_reminder(
    collection: Collection, partnership: Partnership, lead: User, days_left: int
) -> m.Email:
    closes = long_date(collection.closes_on)
    left = "today" if days_left == 0 else ("tomorrow" if days_left == 1 else f"in {days_left} days")
    content = Content(
        greeting=f"Dear {lead.name},",
        heading=f"{collection.title} closes {left}",
        paragraphs=[
            f"The national team has not yet had {partnership.name}'s return to "
            f"{collection.title}. Returns are taken until {closes}.",
        ],
        button=(
            "Continue the return",
            link("national.survey_start", partnership_id=partnership.id, slug=collection.slug),
        ),
        why=f"you are a lead of {partnership.name}, which has not yet made its return.",
        reminder=True,
        stop_kind=m.COLLECTION_REMINDER,
    )
    return _render(
        m.COLLECTION_REMINDER,
        (lead.name, lead.email),
        f"Reminder: {collection.title} closes on {closes}",
        content,
    )


def receipt(ret: Return, collection: Collection, partnership: Partnership, person: User) -> m.Email:
    when = _aware(ret.submitted_at).astimezone(LOCAL)
    content = Content(
        greeting=f"Dear {person.name},",
        heading="Return received",
        paragraphs=[
            f"The national team has received {partnership.name}'s return to {collection.title}.",
            "You can change it until the collection closes: submitting again replaces it.",
        ],
        details=[
            ("Partnership", f"{partnership.name} ({partnership.code})"),
            ("Submitted", f"{long_date(when.date())} at {clock(when)}"),
            ("Version", str(ret.version)),
        ],
        button=(
            "See your returns",
            link("national.partnership_returns", partnership_id=partnership.id),
        ),
        why="you submitted this return.",
    )
    return _render(
        m.RECEIPT,
        (person.name, person.email),
        f"Return received: {collection.title}: {partnership.name}",
        content,
    )
