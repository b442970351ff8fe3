"""Email as plain data: the message, its MIME form, the workshop's calendar file, the mail
server's address, and when reminders and retries are due. No Flask, no database.

Every header built here from text people typed (names, partnership and assessment titles) goes
through ``header_text`` first, so a line break typed into a name can never start a new header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from selfassess.domain.i18n import N_

# The kinds of email. Reminders can be turned off by each person; the rest always go.
INVITATION = "invitation"
WORKSHOP = "workshop"
RECEIPT = "receipt"
COLLECTION_OPENING = "collection_opening"
RATING_REMINDER = "rating_reminder"
ACTION_REMINDER = "action_reminder"
ACTION_DIGEST = "action_digest"
COLLECTION_REMINDER = "collection_reminder"

# (kind, what the account page calls it, when it is sent)
REMINDER_KINDS: tuple[tuple[str, str, str], ...] = (
    (
        RATING_REMINDER,
        N_("Reminders to finish rating"),
        N_("Before a scheduled workshop, when you have not marked your ratings complete"),
    ),
    (
        ACTION_REMINDER,
        N_("Reminders about actions you own"),
        N_("A week before an action's due date, and once when it is overdue"),
    ),
    (
        ACTION_DIGEST,
        N_("Weekly list of overdue actions"),
        N_("For leads: once a week while any of the partnership's actions are overdue"),
    ),
    (
        COLLECTION_REMINDER,
        N_("National collection reminders"),
        N_(
            "For leads: before a national collection closes, while your partnership has not "
            "made its return"
        ),
    ),
)
REMINDER_KIND_NAMES = frozenset(kind for kind, _, _ in REMINDER_KINDS)

# Workshops and dates in emails are in UK time.
LOCAL = ZoneInfo("Europe/London")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
MAX_SUBJECT = 300


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    content: str


@dataclass(frozen=True)
class Email:
    """One message to one person, ready to send."""

    kind: str
    to_address: str
    to_name: str | None
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def header_text(value: str | None, limit: int = 200) -> str:
    """Text fit for a header: control characters (CR and LF above all) become one space."""
    cleaned = _CONTROL.sub(" ", value or "").strip()
    return cleaned[:limit]


def subject_line(marking: str, text: str) -> str:
    """The subject, led by the protective marking as government email carries it."""
    marking = header_text(marking, 40)
    text = header_text(text, MAX_SUBJECT)
    return f"{marking}: {text}" if marking else text


def new_message_id(domain: str) -> str:
    return make_msgid(domain=header_text(domain, 100) or "selfassess.invalid")


def to_mime(
    email: Email,
    sender_address: str,
    sender_name: str | None,
    message_id: str,
    when: datetime | None = None,
) -> EmailMessage:
    """The message as MIME: plain text and HTML alternatives, with any attachments.

    The standard library's default policy refuses a header holding a line break; header_text has
    already removed them, so this is the second lock on that door.
    """
    # Headers unfolded up to SMTP's 998-character line: folding a subject at 78 characters can
    # leave a stray leading space once read back.
    msg = EmailMessage(policy=policy.default.clone(max_line_length=998))
    msg["Subject"] = header_text(email.subject, MAX_SUBJECT + 50)
    msg["From"] = Address(display_name=header_text(sender_name, 120), addr_spec=sender_address)
    msg["To"] = Address(display_name=header_text(email.to_name, 120), addr_spec=email.to_address)
    msg["Date"] = format_datetime(when or datetime.now(UTC))
    msg["Message-ID"] = message_id
    # Reminders and invitations: auto-replies (out of office) are not wanted back.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, _, params = rest.partition(";")
        extra = {}
        for part in params.split(";"):
            key, _, value = part.strip().partition("=")
            if key:
                extra[key] = value
        msg.add_attachment(
            attachment.content.encode("utf-8"),
            maintype=maintype,
            subtype=subtype.strip(),
            filename=attachment.filename,
            params=extra,
        )
    return msg


# --- dates as people read them ---


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock(moment: datetime) -> str:
    """GOV.UK style times: 10am, 2:30pm, midday."""
    local = moment.astimezone(LOCAL)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def when_text(starts_at: datetime, ends_at: datetime) -> tuple[str, str]:
    start = starts_at.astimezone(LOCAL)
    return long_date(start.date()), f"{clock(starts_at)} to {clock(ends_at)} (UK time)"


# --- the mail server ---


class MailUrlError(ValueError):
    """MAIL_URL is not an address this service can send through."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "starttls", "ssl" or "none"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


def parse_mail_url(url: str) -> SmtpSettings:
    """smtp://user:pass@host:587?tls=starttls, smtps://host (TLS from the start, port 465) or
    smtp://host:25?tls=none. STARTTLS is the default for smtp://: never sending in clear text
    unless told to."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailUrlError("MAIL_URL must look like smtp://user:password@host:587?tls=starttls")
    query = parse_qs(parts.query)
    tls = (query.get("tls") or ["ssl" if parts.scheme == "smtps" else "starttls"])[0].lower()
    if tls not in ("starttls", "ssl", "none"):
        raise MailUrlError("MAIL_URL's tls must be starttls, ssl or none")
    try:
        port = parts.port or {"ssl": 465, "starttls": 587, "none": 25}[tls]
    except ValueError as exc:
        raise MailUrlError("MAIL_URL's port is not a number") from exc
    timeout = float((query.get("timeout") or ["30"])[0])
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=timeout,
    )


# --- when things are due ---


def due_threshold(days_left: int, thresholds: Iterable[int]) -> int | None:
    """The reminder due with days_left to go: the nearest threshold already reached.

    Reminders go at, say, 14, 7 and 2 days before: with 10 days left the 14-day one is due, with
    5 left the 7-day one. A run that was missed for a few days sends one reminder, not three.
    """
    if days_left < 0:
        return None
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def retry_delay_seconds(attempts: int, first: int = 60, longest: int = 6 * 60 * 60) -> int:
    """Back-off after a failed attempt: a minute, two, four ... at most six hours."""
    return min(first * 2 ** max(attempts - 1, 0), longest)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- the workshop in people's calendars ---


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str | None
    url: str | None
    organiser_name: str
    organiser_address: str
    attendees: Sequence[tuple[str | None, str]]
    stamp: datetime
    language: str = "en"  # of the summary and description (RFC 5545's LANGUAGE)


def calendar_file(event: CalendarEvent, cancelled: bool = False) -> str:
    """An iCalendar (RFC 5545, iTIP) invitation, or its cancellation.

    The same UID with a higher SEQUENCE updates the event already in a calendar; METHOD:CANCEL
    with STATUS:CANCELLED removes it. Times are in UTC, which every calendar converts.
    """
    cal = Calendar()
    cal.add("prodid", "-//selfassess//IOM self-assessment//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    item = Event()
    item.add("uid", event.uid)
    item.add("sequence", event.sequence)
    item.add("dtstamp", event.stamp.astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(UTC))
    item.add("dtend", event.ends_at.astimezone(UTC))
    words = {"LANGUAGE": event.language}
    item.add("summary", header_text(event.summary, 300), parameters=words)
    item.add("description", event.description, parameters=words)
    if event.location:
        item.add("location", header_text(event.location, 300))
    if event.url:
        item.add("url", event.url)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{event.organiser_address}")
    organiser.params["cn"] = vText(header_text(event.organiser_name, 120))
    item.add("organizer", organiser)
    for name, address in event.attendees:
        attendee = vCalAddress(f"mailto:{address}")
        if name:
            attendee.params["cn"] = vText(header_text(name, 120))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        item.add("attendee", attendee, encode=0)
    cal.add_component(item)
    return cal.to_ical().decode("utf-8")
