"""Email end to end through a real SMTP server in the test process: what arrives (addresses,
subject, body, the workshop's calendar file read back), and that no rating, evidence or other
text typed into an assessment is in any message."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import OutboxMessage
from selfassess.services.agreement import add_action, save_agreed_rating
from selfassess.services.collections import create_collection
from selfassess.services.invitations import create_invitation
from selfassess.services.mail import delivery, reminders
from selfassess.services.mail.senders import sender_for
from selfassess.services.returns import submit_return
from selfassess.services.workshop_schedule import WorkshopTime, cancel, schedule
from tests.factories import make_assessment, make_participant, make_partnership, make_user, rate

KP = "iom-key-principles"
SECRETS = (
    "Evidence zq7 custody suite protocol",
    "Improvement zq7 share the nominal list",
    "Rationale zq7 board agreed",
    "Action zq7 write the protocol",
)
RATING_WORDS = re.compile(
    r"\b(red|amber|green)\b|in place and effective|partly in place|not in place",
    re.IGNORECASE,
)


def _send_all(app):
    return delivery.send_due(sender_for(app))


def _world(now: datetime):
    today = now.date()
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead", email="lead@test.example")
    member = make_user(p, "member", name="Mo Member", email="mo@test.example")
    observer = make_user(p, "observer", name="Ob Server", email="ob@test.example")
    assessment = make_assessment(p, (KP,), title="Key Principles 2026")
    participant = make_participant(assessment, member)
    rate(participant, "1.1", "red", evidence=SECRETS[0], improvement=SECRETS[1])
    save_agreed_rating(assessment, KP, "1.2", "green", SECRETS[2], None, lead)
    add_action(
        assessment,
        KP,
        SECRETS[3],
        "Mo Member",
        lead,
        due_on=today + timedelta(days=3),
        item_id="1.1",
    )
    add_action(
        assessment,
        KP,
        SECRETS[3],
        "lee lead",
        lead,
        due_on=today - timedelta(days=2),
        item_id="1.2",
    )
    add_action(
        assessment, KP, SECRETS[3], "Police", lead, due_on=today - timedelta(days=9), item_id="1.3"
    )
    return p, lead, member, observer, assessment


def _workshop_time(now: datetime, days: int = 5) -> WorkshopTime:
    starts = (now + timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)
    return WorkshopTime(
        starts, starts + timedelta(hours=2), "Civic Centre, Room 2", "https://meet.example/abc"
    )


def test_an_invitation_arrives_at_the_address_it_names_with_its_link(app, smtp_server):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead")
    made = create_invitation(p, "member", lead, for_email="pat@test.example", for_name="Pat")
    assert _send_all(app).sent == 1
    [got] = smtp_server.recorder.messages
    assert got.rcpt_tos == ["pat@test.example"]
    assert got.mail_from == "selfassess@test.example"
    assert got.subject == "OFFICIAL-SENSITIVE: Invitation to join Northshire CSP"
    assert str(got.message["To"]) == "Pat <pat@test.example>"
    link = f"http://localhost/invitations/{made.token}"
    assert link in got.text() and f'href="{link}"' in got.html()
    assert "Lee Lead has invited you to join Northshire CSP as a member" in got.text()
    assert "Why you are getting this email" in got.text()
    assert "http://localhost/account" in got.text()  # how to stop reminders


def test_an_invitation_without_an_address_sends_nothing(app, smtp_server):
    p = make_partnership()
    lead = make_user(p, "lead")
    create_invitation(p, "member", lead, note="Pat, probation")
    assert db.session.scalar(select(OutboxMessage)) is None


def test_the_workshop_invitation_its_change_and_its_cancellation_in_calendars(app, smtp_server):
    now = datetime.now(UTC)
    p, lead, member, observer, assessment = _world(now)
    when = _workshop_time(now)
    schedule(assessment, when, lead)
    assert _send_all(app).sent == 3
    first = smtp_server.recorder.to("mo@test.example")[0]
    assert "Workshop on" in first.subject and first.subject.endswith("Northshire CSP")
    assert "Civic Centre, Room 2" in first.text() and "https://meet.example/abc" in first.text()
    cal = first.calendar()
    assert str(cal["method"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    uid = str(event["uid"])
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == when.starts_at
    assert event.decoded("dtend") == when.ends_at
    assert str(event["location"]) == "Civic Centre, Room 2"
    assert [str(a) for a in event.get("attendee") if a] == ["mailto:mo@test.example"] or str(
        event["attendee"]
    ) == "mailto:mo@test.example"
    assert sorted(r for m in smtp_server.recorder.messages for r in m.rcpt_tos) == [
        "lead@test.example",
        "mo@test.example",
        "ob@test.example",
    ]

    later = WorkshopTime(
        when.starts_at + timedelta(days=1), when.ends_at + timedelta(days=1), when.place, None
    )
    schedule(assessment, later, lead)
    _send_all(app)
    changed = smtp_server.recorder.to("mo@test.example")[1]
    assert changed.subject.startswith("OFFICIAL-SENSITIVE: Changed: workshop on")
    [event] = changed.calendar().walk("VEVENT")
    assert str(event["uid"]) == uid and event["sequence"] == 1
    assert event.decoded("dtstart") == later.starts_at
    assert "url" not in event

    # Saving the same time again changes nothing and sends nothing.
    assert schedule(assessment, later, lead)[1] == 0

    cancel(assessment, lead)
    _send_all(app)
    cancelled = smtp_server.recorder.to("mo@test.example")[2]
    assert "Cancelled: workshop on" in cancelled.subject
    cal = cancelled.calendar()
    assert str(cal["method"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == uid and event["sequence"] == 2
    assert str(event["status"]) == "CANCELLED"
    part = next(cancelled.message.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "CANCEL"


def test_no_email_of_any_kind_carries_a_rating_evidence_or_typed_text(app, smtp_server):
    now = datetime.now(UTC)
    today = now.date()
    p, lead, member, observer, assessment = _world(now)
    create_invitation(p, "member", lead, for_email="pat@test.example")
    schedule(assessment, _workshop_time(now), lead)
    # A national collection: P has not returned (reminded); Q returns (receipt).
    q = make_partnership(name="Southshire CSP")
    q_lead = make_user(q, "lead", email="qlead@test.example")
    q_assessment = make_assessment(q, (KP,), title="Q 2026")
    save_agreed_rating(q_assessment, KP, "1.1", "amber", SECRETS[2], None, q_lead)
    q_assessment.status = "agreed"
    db.session.commit()
    collection = create_collection(
        "Key Principles 2026",
        "kp-2026",
        [KP],
        today - timedelta(days=20),
        today + timedelta(days=10),
        expected=[p, q],
    )
    submit_return(collection, q, q_assessment, [], 1, q_lead)
    result = reminders.run(now)
    assert dict(result.queued) == {
        "rating_reminder": 2,  # Lee and Mo have not marked their ratings complete
        "action_reminder": 2,  # Mo's action due in 3 days, Lee's overdue ("lee lead")
        "action_digest": 1,  # to the lead: two overdue actions
        "collection_opening": 2,
        "collection_reminder": 1,  # P, 10 days before closing; Q has returned
    }
    _send_all(app)
    kinds = {m.kind for m in db.session.scalars(select(OutboxMessage))}
    assert kinds == {
        "invitation",
        "workshop",
        "receipt",
        "rating_reminder",
        "action_reminder",
        "action_digest",
        "collection_opening",
        "collection_reminder",
    }
    received = smtp_server.recorder.messages
    assert len(received) == db.session.query(OutboxMessage).count() == 13
    for got in received:
        text = got.everything()
        for secret in SECRETS:
            assert secret not in text, (got.subject, secret)
        assert not RATING_WORDS.search(text), (got.subject, RATING_WORDS.search(text))
        assert got.subject.startswith("OFFICIAL-SENSITIVE: ")
        assert "Why you are getting this email" in got.text()
        assert "account page" in got.text() and "http://localhost/account" in got.html()
    digest = smtp_server.recorder.to("lead@test.example")
    digest = next(m for m in digest if "overdue actions" in m.subject)
    assert "2 overdue actions" in digest.text()
    receipt = next(
        m for m in smtp_server.recorder.to("qlead@test.example") if "received" in m.subject
    )
    assert receipt.subject == (
        "OFFICIAL-SENSITIVE: Return received: Key Principles 2026: Southshire CSP"
    )


def test_a_name_or_title_cannot_add_a_header(app, smtp_server):
    p = make_partnership(name="Evil\r\nBcc: victim@test.example CSP")
    lead = make_user(p, "lead", name="Lee\nBcc: other@test.example")
    create_invitation(
        p, "member", lead, for_email="pat@test.example", for_name="Pat\r\nBcc: third@test.example"
    )
    _send_all(app)
    [got] = smtp_server.recorder.messages
    assert got.rcpt_tos == ["pat@test.example"]
    assert got.message["Bcc"] is None and got.message["Cc"] is None
    assert "\n" not in got.subject and "\r" not in got.subject
    assert got.subject == "OFFICIAL-SENSITIVE: Invitation to join Evil Bcc: victim@test.example CSP"


def test_reminders_run_twice_queue_nothing_twice_and_respect_choices(app):
    from selfassess.services.mail.preferences import set_reminders

    now = datetime.now(UTC)
    p, lead, member, observer, assessment = _world(now)
    schedule(assessment, _workshop_time(now), lead)
    set_reminders(member, {"rating_reminder"})  # Mo stops action reminders
    first = reminders.run(now)
    assert first.queued["rating_reminder"] == 2
    assert first.queued["action_reminder"] == 1  # Lee's overdue one only
    assert reminders.run(now).total == 0
    assert reminders.run(now + timedelta(minutes=70)).total == 0
    # Two days before, the 2-day reminder is due for each; once.
    two_days_before = now + timedelta(days=3, hours=1)
    assert reminders.run(two_days_before).queued["rating_reminder"] == 2
    assert reminders.run(two_days_before).total == 0


def test_a_member_who_marked_their_ratings_complete_is_not_reminded(app):
    from selfassess.services.agreement import mark_complete

    now = datetime.now(UTC)
    p, lead, member, observer, assessment = _world(now)
    schedule(assessment, _workshop_time(now), lead)
    mark_complete(assessment.participants[0])
    reminders.run(now)
    rating = db.session.scalars(select(OutboxMessage).filter_by(kind="rating_reminder")).all()
    assert [m.to_address for m in rating] == ["lead@test.example"]


def test_the_lead_digest_comes_once_a_week(app):
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)  # a Wednesday
    _world(now)
    assert reminders.run(now).queued["action_digest"] == 1
    assert reminders.run(now + timedelta(days=4)).queued.get("action_digest", 0) == 0  # Sunday
    assert reminders.run(now + timedelta(days=5)).queued["action_digest"] == 1  # next Monday


def test_collection_reminders_stop_once_the_return_is_in(app):
    today = date.today()
    p = make_partnership()
    lead = make_user(p, "lead")
    assessment = make_assessment(p, (KP,))
    save_agreed_rating(assessment, KP, "1.1", "amber", None, None, lead)
    assessment.status = "agreed"
    db.session.commit()
    collection = create_collection(
        "Round", "round", [KP], today - timedelta(days=30), today + timedelta(days=6), expected=[p]
    )
    now = datetime.now(UTC)
    assert dict(reminders.run(now).queued) == {"collection_opening": 1, "collection_reminder": 1}
    submit_return(collection, p, assessment, [], 1, lead)
    assert reminders.run(now + timedelta(days=5)).total == 0


def test_two_reminder_runs_racing_queue_each_reminder_once(app, monkeypatch):
    """Both runs read "not queued yet" before either commits: the unique occurrence key lets the
    first insert win and the second skip it."""
    now = datetime.now(UTC)
    p, lead, member, observer, assessment = _world(now)
    schedule(assessment, _workshop_time(now), lead)
    monkeypatch.setattr(reminders.q, "occurrences_queued", lambda keys: set())
    first = reminders.run(now)
    assert first.total == 5
    assert reminders.run(now).total == 0
    assert (
        db.session.query(OutboxMessage).filter(OutboxMessage.occurrence.is_not(None)).count() == 5
    )


def test_text_the_lead_types_is_shown_as_text_in_the_html_email(app):
    now = datetime.now(UTC)
    p, lead, member, observer, assessment = _world(now)
    when = _workshop_time(now)
    place = '<script>alert(1)</script><a href="https://evil.example">Room</a>'
    schedule(assessment, WorkshopTime(when.starts_at, when.ends_at, place, None), lead)
    message = db.session.scalars(select(OutboxMessage)).first()
    assert "<script>" not in message.body_html and "&lt;script&gt;" in message.body_html
    assert 'href="https://evil.example"' not in message.body_html


def test_a_rating_reminder_not_yet_sent_is_withdrawn_when_the_workshop_is_cancelled(app):
    now = datetime.now(UTC)
    p, lead, member, observer, assessment = _world(now)
    schedule(assessment, _workshop_time(now), lead)
    assert reminders.run(now).queued["rating_reminder"] == 2
    cancel(assessment, lead)
    rows = db.session.scalars(select(OutboxMessage).filter_by(kind="rating_reminder")).all()
    assert {r.status for r in rows} == {"withdrawn"}
    assert rows[0].last_error == "Not sent: the workshop was cancelled"
    assert delivery.send_due(sender_for(app)).sent == 9  # no rating reminder among them
    assert not {
        m.kind for m in db.session.scalars(select(OutboxMessage).filter_by(status="sent"))
    } & {"rating_reminder"}
    assert reminders.run(now).queued.get("rating_reminder", 0) == 0
