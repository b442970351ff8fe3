"""Email as plain data: headers, the mail server's address, when reminders and retries are due,
the calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from selfassess.domain.mail import (
    CalendarEvent,
    Email,
    MailUrlError,
    calendar_file,
    clock,
    due_threshold,
    header_text,
    iso_week,
    parse_mail_url,
    retry_delay_seconds,
    subject_line,
    to_mime,
)


def test_typed_text_never_breaks_a_header_line():
    assert header_text("Evil\r\nBcc: x@y\u2028z\x00") == "Evil Bcc: x@y z"
    assert subject_line("OFFICIAL", "Hi\nBcc: a@b") == "OFFICIAL: Hi Bcc: a@b"
    assert subject_line("", "Hi") == "Hi"


def test_the_message_has_text_html_and_the_calendar_file():
    email = Email("workshop", "pat@test.example", "Pat\nBcc: x@y", "S", "text", "<p>html</p>")
    mime = to_mime(email, "svc@test.example", "Service", "<id@test.example>")
    assert str(mime["To"]) == '"Pat Bcc: x@y" <pat@test.example>'
    assert mime["Bcc"] is None
    assert mime.get_body(("plain",)).get_content().strip() == "text"
    assert mime.get_body(("html",)).get_content().strip() == "<p>html</p>"
    assert mime["Message-ID"] == "<id@test.example>"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", ("mail.example", 587, "starttls", None, None)),
        (
            "smtp://u%40x:p%3Ass@mail.example:2525?tls=none",
            ("mail.example", 2525, "none", "u@x", "p:ss"),
        ),
        ("smtps://mail.example", ("mail.example", 465, "ssl", None, None)),
    ],
)
def test_the_mail_server_address(url, expected):
    s = parse_mail_url(url)
    assert (s.host, s.port, s.tls, s.username, s.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://h?tls=maybe"])
def test_a_wrong_mail_server_address_is_refused(url):
    with pytest.raises(MailUrlError):
        parse_mail_url(url)


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(20, None), (14, 14), (10, 14), (7, 7), (3, 7), (2, 2), (0, 2), (-1, None)],
)
def test_the_nearest_reminder_reached_is_due(days_left, due):
    assert due_threshold(days_left, (14, 7, 2)) == due


def test_back_off_doubles_up_to_six_hours():
    assert [retry_delay_seconds(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay_seconds(20) == 6 * 60 * 60


def test_times_and_weeks_as_people_read_them():
    assert clock(datetime(2026, 7, 1, 9, 0, tzinfo=UTC)) == "10am"  # British Summer Time
    assert clock(datetime(2026, 12, 1, 14, 30, tzinfo=UTC)) == "2:30pm"
    assert clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) == "midday"
    assert iso_week(date(2026, 12, 2)) == "2026-W49"


def test_the_calendar_file_reads_back_and_cancels_the_same_event():
    event = CalendarEvent(
        uid="w-1@test",
        sequence=2,
        starts_at=datetime(2026, 12, 8, 10, tzinfo=UTC),
        ends_at=datetime(2026, 12, 8, 12, tzinfo=UTC),
        summary="Workshop\r\nX-Evil: 1",
        description="About it",
        location="Room 2, Hall",
        url="https://meet.example/a",
        organiser_name="Lee",
        organiser_address="svc@test.example",
        attendees=[("Pat", "pat@test.example")],
        stamp=datetime(2026, 12, 1, tzinfo=UTC),
    )
    request = Calendar.from_ical(calendar_file(event))
    assert str(request["method"]) == "REQUEST"
    [vevent] = request.walk("VEVENT")
    assert str(vevent["summary"]) == "Workshop X-Evil: 1"
    assert vevent.decoded("dtstart") == event.starts_at
    assert str(vevent["location"]) == "Room 2, Hall"
    cancel = Calendar.from_ical(calendar_file(event, cancelled=True))
    [vevent] = cancel.walk("VEVENT")
    assert str(cancel["method"]) == "CANCEL" and str(vevent["status"]) == "CANCELLED"
    assert str(vevent["uid"]) == "w-1@test" and vevent["sequence"] == 2
