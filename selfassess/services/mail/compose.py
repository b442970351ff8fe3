"""What each email says. One plain-text and one HTML template (``templates/email/``) draw every
message from a ``Content``: a heading, paragraphs, a few details, one link as a button, and the
lines saying why it was sent and how to stop reminders.

Each email is written in its recipient's language: an account's own choice (English when it has
made none); an invitation to someone without an account yet in the language the lead chose for it,
or in both, Welsh first, when the lead chose both. The words are put together inside
``use_language``, so a message written by a request in Welsh to someone who reads English (or by
the reminder run, outside any request) comes out in the recipient's language; the outbox keeps
the message as written.

No email carries a rating, a piece of evidence or any text typed into an assessment (action
descriptions included): a message says what needs doing and links to the service, where
signing in shows the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from selfassess.documents.language import LANGUAGES, current_language, use_language
from selfassess.domain import mail as m
from selfassess.domain.mail import LOCAL
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

# None: both languages in one message, Welsh first (an invitation whose lead chose both).
BOTH = None
BOTH_ORDER = ("cy", "en")


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


@dataclass(frozen=True)
class Part:
    """One language's half of a message: its content and the templates' rendering of it."""

    language: str
    subject: str
    content: Content
    html: Markup
    text: str
    note: str  # "The message in English is below.", in this part's language


def link(endpoint: str, **values) -> str:
    """An absolute address in the service, always from SERVICE_URL (never a request's Host)."""
    base = urlsplit(current_app.config["SERVICE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _marking() -> str:
    return current_app.config.get("PROTECTIVE_MARKING") or ""


def language_of(person: User | None) -> str:
    """The language an account reads its email in: its own choice, else English."""
    chosen = getattr(person, "language", None)
    return chosen if chosen in LANGUAGES else "en"


def _languages(language: str | None) -> tuple[str, ...]:
    if language is BOTH:
        return BOTH_ORDER
    return (language if language in LANGUAGES else "en",)


def _render(
    kind: str,
    to: tuple[str | None, str],
    language: str | None,
    build: Callable[[], tuple[str, Content]],
    attachments: tuple[m.Attachment, ...] = (),
) -> m.Email:
    """The message in ``language`` ("en", "cy", or BOTH: Welsh, then English under it).
    ``build`` says the subject and content in the language being written; it is called once
    for each language of the message."""
    env = current_app.jinja_env
    context = {
        "service_name": current_app.config["SERVICE_NAME"],
        "protective_marking": _marking(),
        "account_url": link("auth.account"),
        "service_url": current_app.config["SERVICE_URL"],
    }
    parts = []
    for code in _languages(language):
        with use_language(code):
            subject, content = build()
            parts.append(
                Part(
                    code,
                    subject,
                    content,
                    # The part is rendered by an autoescaping template: its output is markup.
                    Markup(env.get_template("email/_part.html").render(content=content, **context)),  # noqa: S704
                    _tidy(env.get_template("email/_part.txt").render(content=content, **context)),
                    _("The message in English is below."),
                )
            )
    with use_language(parts[0].language):
        whole = {"parts": parts, "both": len(parts) > 1, **context}
        text = _tidy(env.get_template("email/message.txt").render(**whole))
        html = env.get_template("email/message.html").render(**whole)
    name, address = to
    return m.Email(
        kind=kind,
        to_address=address,
        to_name=m.header_text(name, 120) or None,
        subject=m.subject_line(_marking(), " / ".join(p.subject for p in parts)),
        text=text,
        html=html,
        attachments=attachments,
    )


def _tidy(text: str) -> str:
    """The plain-text template's blank lines cut to one between paragraphs."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- dates and times, in the language being written ---


def long_date(day: date) -> str:
    """ "Monday 7 December 2026"; in Welsh "7 Rhagfyr 2026": a day's name after "ar" or "tan"
    would take a mutation ("ar ddydd Llun") that a date put into a sentence cannot know."""
    if current_language() == "cy":
        return format_date(day, "d MMMM y")
    return format_date(day, "EEEE d MMMM y")


def clock(moment: datetime) -> str:
    """GOV.UK style times: 10am, 2:30pm, midday (Welsh writes am and pm too)."""
    said = m.clock(moment)
    return _("midday") if said == "midday" else said


def when_text(starts_at: datetime, ends_at: datetime) -> tuple[str, str]:
    start = starts_at.astimezone(LOCAL)
    return long_date(start.date()), _(
        "%(start)s to %(end)s (UK time)", start=clock(starts_at), end=clock(ends_at)
    )


def _where(action: Action) -> str:
    """Which question or section an action is about, by its number (never its text)."""
    if action.item_id:
        return _("Question %(number)s", number=action.item_id)
    if action.section_id:
        return _("Section %(number)s", number=action.section_id)
    return _("The whole assessment")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- invitations ---


def _invited_as(role: str, inviter: str, partnership: str, service: str) -> str:
    values = {"inviter": inviter, "partnership": partnership, "service": service}
    if role == "lead":
        return _(
            "%(inviter)s has invited you to join %(partnership)s as a lead in the %(service)s "
            "service, where the partners of Integrated Offender Management rate how well their "
            "arrangements work and agree an action plan.",
            **values,
        )
    if role == "observer":
        return _(
            "%(inviter)s has invited you to join %(partnership)s as an observer in the "
            "%(service)s service, where the partners of Integrated Offender Management rate how "
            "well their arrangements work and agree an action plan.",
            **values,
        )
    return _(
        "%(inviter)s has invited you to join %(partnership)s as a member in the %(service)s "
        "service, where the partners of Integrated Offender Management rate how well their "
        "arrangements work and agree an action plan.",
        **values,
    )


def invitation_language(invitation: Invitation) -> str | None:
    """Who has an account reads it in their own language; anyone else in the one the lead
    chose for the invitation (None: both, Welsh first)."""
    from selfassess.queries.people import user_by_email

    account = user_by_email((invitation.for_email or "").strip().lower())
    if account is not None and account.language in LANGUAGES:
        return account.language
    return invitation.language if invitation.language in LANGUAGES else BOTH


def invitation(
    invitation: Invitation, token: str, partnership: Partnership, inviter: User
) -> m.Email:
    expires = _aware(invitation.expires_at).astimezone(LOCAL).date()
    accept = link("partnerships.accept_invitation", token=token)

    def build() -> tuple[str, Content]:
        content = Content(
            greeting=_("Dear %(name)s,", name=invitation.for_name) if invitation.for_name else None,
            heading=_("You are invited to join %(partnership)s", partnership=partnership.name),
            paragraphs=[
                _invited_as(
                    invitation.role,
                    inviter.name,
                    partnership.name,
                    _(current_app.config["SERVICE_NAME"]),
                ),
                _(
                    "Use the link to set up your account, or to join with the account you have. "
                    "It works once, only for this email address, and until %(date)s.",
                    date=long_date(expires),
                ),
            ],
            button=(_("Accept the invitation"), accept),
            after=[
                _(
                    "If you were not expecting this invitation, you can ignore this email: "
                    "nothing happens unless the link is used."
                )
            ],
            why=_(
                "%(inviter)s of %(partnership)s entered this email address to invite you.",
                inviter=inviter.name,
                partnership=partnership.name,
            ),
        )
        return _("Invitation to join %(partnership)s", partnership=partnership.name), content

    return _render(
        m.INVITATION,
        (invitation.for_name, invitation.for_email or ""),
        invitation_language(invitation),
        build,
    )


# --- the scheduled workshop ---


def calendar_text(assessment: Assessment) -> tuple[str, str]:
    """The calendar event's summary and description, in the language being written."""
    summary = _(
        "Self-assessment workshop: %(partnership)s", partnership=assessment.partnership.name
    )
    description = _(
        "The board's workshop for %(assessment)s (%(period)s). Details and your ratings: %(link)s",
        assessment=assessment.title,
        period=assessment.period,
        link=link("assessments.show", assessment_id=assessment.id),
    )
    return summary, description


def _calendar(
    schedule: WorkshopSchedule,
    assessment: Assessment,
    organiser: User | None,
    person: User,
    cancelled: bool,
) -> m.Attachment:
    with use_language(language_of(person)):
        summary, description = calendar_text(assessment)
    event = m.CalendarEvent(
        uid=schedule.uid,
        sequence=schedule.sequence,
        starts_at=_aware(schedule.starts_at),
        ends_at=_aware(schedule.ends_at),
        summary=summary,
        description=description,
        location=schedule.place or schedule.online_link,
        url=schedule.online_link,
        organiser_name=organiser.name if organiser else current_app.config["SERVICE_NAME"],
        organiser_address=current_app.config["MAIL_SENDER"],
        attendees=[(person.name, person.email)],
        stamp=datetime.now(UTC),
        language=language_of(person),
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
    cancelled = change == "cancelled"

    def build() -> tuple[str, Content]:
        day, hours = when_text(_aware(schedule.starts_at), _aware(schedule.ends_at))
        details = [(_("Date"), day), (_("Time"), hours)]
        if schedule.place:
            details.append((_("Place"), schedule.place))
        if schedule.online_link:
            details.append((_("Join online"), schedule.online_link))
        heading = {
            "scheduled": _("Self-assessment workshop"),
            "changed": _("The self-assessment workshop has changed"),
            "cancelled": _("The self-assessment workshop is cancelled"),
        }[change]
        names = {
            "partnership": partnership.name,
            "assessment": assessment.title,
            "period": assessment.period,
            "day": day,
        }
        if cancelled:
            paragraphs = [
                _(
                    "The workshop for %(partnership)s's %(assessment)s on %(day)s is cancelled. "
                    "The calendar file with this email takes it out of your calendar.",
                    **names,
                )
            ]
        else:
            paragraphs = [
                _(
                    "%(partnership)s's board meets to agree its ratings for %(assessment)s "
                    "(%(period)s).",
                    **names,
                ),
                _(
                    "The calendar file with this email puts the workshop in your calendar in "
                    "place of the earlier time."
                )
                if change == "changed"
                else _("The calendar file with this email puts the workshop in your calendar."),
                _(
                    "Before the workshop, rate each question from your agency's point of view "
                    "and mark your ratings complete."
                ),
            ]
        content = Content(
            greeting=_("Dear %(name)s,", name=person.name),
            heading=heading,
            paragraphs=paragraphs,
            details=details,
            button=None
            if cancelled
            else (
                _("Go to the assessment"),
                link("assessments.show", assessment_id=assessment.id),
            ),
            why=_(
                "you are a member of %(partnership)s, and its lead cancelled the workshop.",
                **names,
            )
            if cancelled
            else _(
                "you are a member of %(partnership)s, and its lead scheduled the workshop.",
                **names,
            ),
        )
        subject = {
            "scheduled": _("Workshop on %(day)s: %(partnership)s", **names),
            "changed": _("Changed: workshop on %(day)s: %(partnership)s", **names),
            "cancelled": _("Cancelled: workshop on %(day)s: %(partnership)s", **names),
        }[change]
        return subject, content

    return _render(
        m.WORKSHOP,
        (person.name, person.email),
        language_of(person),
        build,
        (_calendar(schedule, assessment, schedule.scheduled_by, person, cancelled),),
    )


def rating_reminder(schedule: WorkshopSchedule, assessment: Assessment, person: User) -> m.Email:
    partnership = assessment.partnership

    def build() -> tuple[str, Content]:
        day, hours = when_text(_aware(schedule.starts_at), _aware(schedule.ends_at))
        content = Content(
            greeting=_("Dear %(name)s,", name=person.name),
            heading=_("Finish your ratings before the workshop"),
            paragraphs=[
                _(
                    "%(partnership)s's workshop for %(assessment)s is on %(day)s, %(hours)s.",
                    partnership=partnership.name,
                    assessment=assessment.title,
                    day=day,
                    hours=hours,
                ),
                _(
                    "You have not yet marked your ratings complete. Rate each question from your "
                    "agency's point of view, then check your answers and mark them complete, so "
                    "the board can see where partners agree."
                ),
            ],
            button=(_("Continue rating"), link("assessments.show", assessment_id=assessment.id)),
            why=_(
                "you are a member of %(partnership)s and have not marked your ratings for "
                "%(assessment)s complete.",
                partnership=partnership.name,
                assessment=assessment.title,
            ),
            reminder=True,
            stop_kind=m.RATING_REMINDER,
        )
        return _("Reminder: rate before the workshop on %(day)s", day=day), content

    return _render(m.RATING_REMINDER, (person.name, person.email), language_of(person), build)


# --- actions ---


def action_reminder(action: Action, assessment: Assessment, person: User, today: date) -> m.Email:
    partnership = assessment.partnership
    overdue = action.due_on < today

    def build() -> tuple[str, Content]:
        due = long_date(action.due_on)
        names = {"partnership": partnership.name, "assessment": assessment.title, "due": due}
        content = Content(
            greeting=_("Dear %(name)s,", name=person.name),
            heading=_("An action you own is overdue")
            if overdue
            else _("An action you own is due soon"),
            paragraphs=[
                _(
                    "An action in %(partnership)s's %(assessment)s names you as its owner. "
                    "It was due on %(due)s.",
                    **names,
                )
                if overdue
                else _(
                    "An action in %(partnership)s's %(assessment)s names you as its owner. "
                    "It is due on %(due)s.",
                    **names,
                ),
                _(
                    "Sign in to read it and to record how it is going: mark it in progress or "
                    "completed, or agree a new date with your lead."
                ),
            ],
            details=[(_("About"), _where(action)), (_("Due"), due)],
            button=(_("See the action"), link("assessments.show", assessment_id=assessment.id)),
            why=_(
                "you are named as the owner of an action in %(partnership)s's action plan.",
                **names,
            ),
            reminder=True,
            stop_kind=m.ACTION_REMINDER,
        )
        subject = (
            _("Action overdue on %(due)s: %(partnership)s", **names)
            if overdue
            else _("Action due on %(due)s: %(partnership)s", **names)
        )
        return subject, content

    return _render(m.ACTION_REMINDER, (person.name, person.email), language_of(person), build)


def action_digest(
    partnership: Partnership, lead: User, rows: list[tuple[Assessment, Action]], today: date
) -> m.Email:
    count = len(rows)

    def build() -> tuple[str, Content]:
        details = []
        for assessment, action in rows[:20]:
            days = (today - action.due_on).days
            details.append(
                (
                    _(
                        "%(assessment)s: %(where)s",
                        assessment=assessment.title,
                        where=_where(action),
                    ),
                    ngettext(
                        "due %(date)s, %(num)d day late",
                        "due %(date)s, %(num)d days late",
                        days,
                        date=long_date(action.due_on),
                    ),
                )
            )
        content = Content(
            greeting=_("Dear %(name)s,", name=lead.name),
            heading=ngettext("%(num)d overdue action", "%(num)d overdue actions", count),
            paragraphs=[
                ngettext(
                    "%(partnership)s has %(num)d open action past its due date. Each action's "
                    "owner and what it says are in the service.",
                    "%(partnership)s has %(num)d open actions past their due date. Each action's "
                    "owner and what it says are in the service.",
                    count,
                    partnership=partnership.name,
                )
            ]
            + (
                [_("The first 20 are listed; sign in to see all %(num)d.", num=count)]
                if count > 20
                else []
            ),
            details=details,
            button=(
                _("See the action plan"),
                link("assessments.index", partnership_id=partnership.id),
            ),
            why=_(
                "you are a lead of %(partnership)s; this list comes once a week while any of its "
                "actions are overdue.",
                partnership=partnership.name,
            ),
            reminder=True,
            stop_kind=m.ACTION_DIGEST,
        )
        subject = ngettext(
            "Weekly: %(num)d overdue action: %(partnership)s",
            "Weekly: %(num)d overdue actions: %(partnership)s",
            count,
            partnership=partnership.name,
        )
        return subject, content

    return _render(m.ACTION_DIGEST, (lead.name, lead.email), language_of(lead), build)


# --- national collections ---


def _collection_names(collection: Collection, partnership: Partnership) -> dict[str, str]:
    """What a collection's emails name: the collection, the partnership, the closing date."""
    return {
        "collection": collection.title,
        "partnership": partnership.name,
        "closes": long_date(collection.closes_on),
    }


def collection_opening(collection: Collection, partnership: Partnership, lead: User) -> m.Email:
    def build() -> tuple[str, Content]:
        names = _collection_names(collection, partnership)
        content = Content(
            greeting=_("Dear %(name)s,", name=lead.name),
            heading=_("%(collection)s is open", **names),
            paragraphs=[
                _(
                    "The national team asks %(partnership)s for a return to %(collection)s.",
                    **names,
                ),
                _(
                    "Returns are taken until %(closes)s. You can answer one question at a time "
                    "and come back to it; nothing is sent until you submit.",
                    **names,
                ),
            ],
            button=(
                _("Start the return"),
                link("national.survey_start", partnership_id=partnership.id, slug=collection.slug),
            ),
            why=_(
                "you are a lead of %(partnership)s, one of the partnerships this national "
                "collection expects a return from.",
                **names,
            ),
        )
        return _("%(collection)s is open until %(closes)s", **names), content

    return _render(m.COLLECTION_OPENING, (lead.name, lead.email), language_of(lead), build)


def _closes(title: str, days_left: int) -> str:
    if days_left == 0:
        return _("%(collection)s closes today", collection=title)
    if days_left == 1:
        return _("%(collection)s closes tomorrow", collection=title)
    return ngettext(
        "%(collection)s closes in %(num)d day",
        "%(collection)s closes in %(num)d days",
        days_left,
        collection=title,
    )


def collection_reminder(
    collection: Collection, partnership: Partnership, lead: User, days_left: int
) -> m.Email:
    def build() -> tuple[str, Content]:
        names = _collection_names(collection, partnership)
        content = Content(
            greeting=_("Dear %(name)s,", name=lead.name),
            heading=_closes(collection.title, days_left),
            paragraphs=[
                _(
                    "The national team has not yet had %(partnership)s's return to "
                    "%(collection)s. Returns are taken until %(closes)s.",
                    **names,
                ),
            ],
            button=(
                _("Continue the return"),
                link("national.survey_start", partnership_id=partnership.id, slug=collection.slug),
            ),
            why=_("you are a lead of %(partnership)s, which has not yet made its return.", **names),
            reminder=True,
            stop_kind=m.COLLECTION_REMINDER,
        )
        return _("Reminder: %(collection)s closes on %(closes)s", **names), content

    return _render(m.COLLECTION_REMINDER, (lead.name, lead.email), language_of(lead), build)


def receipt(ret: Return, collection: Collection, partnership: Partnership, person: User) -> m.Email:
    when = _aware(ret.submitted_at).astimezone(LOCAL)

    def build() -> tuple[str, Content]:
        names = {"collection": collection.title, "partnership": partnership.name}
        content = Content(
            greeting=_("Dear %(name)s,", name=person.name),
            heading=_("Return received"),
            paragraphs=[
                _(
                    "The national team has received %(partnership)s's return to %(collection)s.",
                    **names,
                ),
                _("You can change it until the collection closes: submitting again replaces it."),
            ],
            details=[
                (_("Partnership"), f"{partnership.name} ({partnership.code})"),
                (
                    _("Submitted"),
                    _("%(date)s at %(time)s", date=long_date(when.date()), time=clock(when)),
                ),
                (_("Version"), str(ret.version)),
            ],
            button=(
                _("See your returns"),
                link("national.partnership_returns", partnership_id=partnership.id),
            ),
            why=_("you submitted this return."),
        )
        return _("Return received: %(collection)s: %(partnership)s", **names), content

    return _render(m.RECEIPT, (person.name, person.email), language_of(person), build)
