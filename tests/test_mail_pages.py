"""The pages around email: inviting by email, scheduling the workshop, choosing reminders on the
account page, and the development-only "Emails sent" page (never in production)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.extensions import db
from selfassess.models import Invitation, OutboxMessage, WorkshopSchedule
from selfassess.queries.mail import preferences_of
from selfassess.services.mail import delivery
from selfassess.services.mail.senders import sender_for
from tests.factories import make_assessment, make_partnership, make_user
from tests.report_world import sign_in


def _outbox():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_lead_invites_by_email_and_the_link_goes_only_to_that_address(client, post_page):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead")
    make_user(p, "member", email="someone@test.example")
    sign_in(client, lead)
    page = post_page(
        f"/partnerships/{p.id}/invite",
        {"role": "member", "email": "Pat@Test.Example", "note": "Pat, probation"},
    )
    assert "We are emailing the invitation link to pat@test.example" in page.text
    link = page.select_one("#invitation-link")["value"]  # the copy-link route stays
    [message] = _outbox()
    assert message.kind == "invitation" and message.to_address == "pat@test.example"
    # The same invitation (its signed nonce; the signature's timestamp is the moment it is shown).
    signed_nonce = link.split(".")[0]
    assert signed_nonce.startswith("http://localhost/invitations/")
    assert signed_nonce in message.body_text and signed_nonce in message.body_html
    invitation = db.session.scalar(select(Invitation))
    assert invitation.for_email == "pat@test.example"
    # The link is in that one message and nowhere else in the outbox.
    assert [m.id for m in _outbox() if signed_nonce in m.body_text] == [message.id]


def test_an_invitation_email_must_be_an_address(client, post_page):
    p = make_partnership()
    lead = make_user(p, "lead")
    sign_in(client, lead)
    page = post_page(f"/partnerships/{p.id}/invite", {"role": "member", "email": "pat\nBcc: x"})
    assert page.select_one(".govuk-error-summary")
    assert "Enter an email address in the correct format" in page.text
    assert _outbox() == []


def test_the_lead_schedules_changes_and_cancels_the_workshop(client, post_page, get_page):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead")
    make_user(p, "member")
    make_user(p, "observer")
    a = make_assessment(p)
    sign_in(client, lead)
    url = f"/assessments/{a.id}/workshop/schedule"
    form = {"day": ["3", "3", "2031"], "starts": "10:00", "ends": "12:30", "place": "Town hall"}
    page = post_page(url, form)
    assert "We are emailing 3 people a calendar invitation" in page.text
    assert "Monday 3 March 2031" in page.text and "10am to 12:30pm (UK time)" in page.text
    assert {m.kind for m in _outbox()} == {"workshop"} and len(_outbox()) == 3
    page = get_page(url)
    assert page.select_one("#starts")["value"] == "10:00"  # the form shows what is set
    page = post_page(url, {**form, "starts": "11:00"})
    assert len(_outbox()) == 6 and "Changed" in _outbox()[-1].subject
    schedule = db.session.scalar(select(WorkshopSchedule))
    assert schedule.sequence == 1
    page = post_page(f"{url}/cancel", {})
    assert "We are emailing 3 people the cancellation" in page.text
    assert "Cancelled" in _outbox()[-1].subject and "METHOD:CANCEL" in str(
        _outbox()[-1].attachments
    )


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"ends": "09:00"}, "The end time must be after the start time"),
        ({"starts": "25:00"}, "Enter the start time like 09:30"),
        ({"place": "", "online_link": ""}, "Enter a place, an online link, or both"),
        ({"online_link": "javascript:alert(1)"}, "Enter a link starting https://"),
        ({"day": ["31", "2", "2031"]}, "must be a real date"),
    ],
)
def test_a_workshop_form_with_a_mistake_says_so_and_sends_nothing(client, post_page, change, error):
    p = make_partnership()
    lead = make_user(p, "lead")
    a = make_assessment(p)
    sign_in(client, lead)
    form = {"day": ["3", "3", "2031"], "starts": "10:00", "ends": "12:30", "place": "Town hall"}
    page = post_page(f"/assessments/{a.id}/workshop/schedule", {**form, **change})
    assert error in page.select_one(".govuk-error-summary").text
    assert _outbox() == []


def test_people_turn_reminders_off_and_on_on_their_account_page(client, get_page, post_page):
    user = make_user(make_partnership(), "member")
    sign_in(client, user)
    page = get_page("/account")
    boxes = page.select("input[name=reminders]")
    assert len(boxes) == 4 and all(b.has_attr("checked") for b in boxes)
    assert "Invitations" in page.text and "always sent" in page.text
    page = post_page("/account", {"reminders": ["rating_reminder", "collection_reminder"]})
    assert "Your email choices are saved" in page.text
    assert preferences_of(user.id) == {
        "rating_reminder": True,
        "collection_reminder": True,
        "action_reminder": False,
        "action_digest": False,
    }
    checked = {b["value"] for b in page.select("input[name=reminders][checked]")}
    assert checked == {"rating_reminder", "collection_reminder"}
    page = post_page("/account", {"reminders": ["invitation"]})
    assert page.select_one(".govuk-error-summary")
    assert preferences_of(user.id)["rating_reminder"] is True


def test_the_emails_sent_page_is_never_in_production_or_test_settings(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    for app in (create_app("production", SECRET_KEY="x" * 40), create_app(TestConfig)):
        rules = [r.rule for r in app.url_map.iter_rules()]
        assert not [r for r in rules if r.startswith("/dev")]
        assert app.test_client().get("/dev/emails").status_code == 404
    development = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert "/dev/emails" in [r.rule for r in development.url_map.iter_rules()]


def test_the_emails_sent_page_lists_and_shows_each_email(app, tmp_path):
    folder = tmp_path / "outbox"
    dev = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_OUTBOX_DIR=str(folder),
        WTF_CSRF_ENABLED=False,
        MAIL_SENDER="selfassess@test.example",
    )
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead")
    from selfassess.services.invitations import create_invitation

    create_invitation(p, "member", lead, for_email="pat@test.example")
    client = dev.test_client()
    with dev.app_context():
        page = client.get("/dev/emails").get_data(as_text=True)
        assert "1 waiting" in page
        assert client.post("/dev/emails/send").status_code == 302
        page = client.get("/dev/emails").get_data(as_text=True)
        assert "Invitation to join Northshire CSP" in page and "pat@test.example" in page
        [name] = [f.name for f in folder.glob("*.eml")]
        shown = client.get(f"/dev/emails/{name}").get_data(as_text=True)
        assert "srcdoc=" in shown and "sandbox" in shown
        assert "You are invited to join Northshire CSP" in shown
        for bad in ("..%2F..%2Fetc%2Fpasswd", "../selfassess.sqlite", "x.txt", ".eml"):
            assert client.get(f"/dev/emails/{bad}").status_code == 404
        with dev.app_context():
            delivery.send_due(sender_for(dev))


def test_links_in_emails_come_from_the_service_address_not_the_request(client, post_page):
    """A forged Host header cannot point an invitation link at another site."""
    p = make_partnership()
    lead = make_user(p, "lead")
    with client.session_transaction(base_url="http://evil.example") as session:
        session["_user_id"] = str(lead.id)
        session["_fresh"] = True
    response = client.post(
        f"/partnerships/{p.id}/invite",
        data={"role": "member", "email": "pat@test.example"},
        base_url="http://evil.example",
    )
    assert response.status_code == 302
    [message] = _outbox()
    assert "evil.example" not in message.body_text + message.body_html
    assert "http://localhost/invitations/" in message.body_text
