"""Emails in their recipient's language: an account's own choice, an invitation's chosen
language, or both (Welsh first); the workshop's calendar entry; the development "Emails sent"
page in Welsh. The outbox keeps each message as it was written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser

from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import select

from selfassess import create_app
from selfassess.extensions import db
from selfassess.models import OutboxMessage
from selfassess.services.agreement import add_action
from selfassess.services.invitations import create_invitation
from selfassess.services.mail import compose, reminders
from selfassess.services.workshop_schedule import WorkshopTime, schedule
from tests.factories import make_assessment, make_participant, make_partnership, make_user
from tests.language_helpers import english_left

WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def main_part(html: bytes | str) -> str:
    """The page's own part (its <main> and title), as a page of the same language: the header,
    footer and navigation around it are checked with the pages they belong to."""
    soup = BeautifulSoup(html, "html.parser")
    lang = soup.html.get("lang", "en")
    main = soup.find("main")
    # A message may hold a link or code: its words are read as the one sentence they are.
    for tag in main.find_all(["a", "code", "strong"]):
        if not tag.get("lang"):
            tag.unwrap()
    main.smooth()
    title = soup.title.get_text() if soup.title else ""
    return f'<html lang="{lang}"><title>{title}</title><body>{main}</body></html>'


def _outbox(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def test_an_invitation_to_someone_with_a_welsh_account_is_in_welsh(app):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead")
    make_user(None, name="Pat Welsh", email="pat@test.example", language="cy")
    create_invitation(p, "member", lead, for_email="pat@test.example", language="en")
    [message] = _outbox("invitation")
    assert message.subject == "OFFICIAL-SENSITIVE: Gwahoddiad i ymuno â Northshire CSP"
    assert "Mae Lee Lead wedi eich gwahodd i ymuno â Northshire CSP fel aelod" in message.body_text
    assert "Derbyn y gwahoddiad" in message.body_html
    assert "Invitation to join" not in message.body_text + message.body_html
    assert '<html lang="cy">' in message.body_html


def test_an_invitation_in_welsh_to_someone_without_an_account(app):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead")
    create_invitation(p, "lead", lead, for_email="new@test.example", for_name="Nia", language="cy")
    [message] = _outbox("invitation")
    assert message.subject.endswith("Gwahoddiad i ymuno â Northshire CSP")
    text = message.body_text
    assert text.startswith("OFFICIAL-SENSITIVE")
    assert "Annwyl Nia," in text and "fel arweinydd" in text
    assert "Pam rydych chi’n cael yr e-bost hwn" in text
    assert "Why you are getting this email" not in text
    # The date the link works until, in Welsh.
    assert any(month in text for month in WELSH_MONTHS)


def test_a_bilingual_invitation_has_welsh_first_then_english(app):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead")
    create_invitation(p, "member", lead, for_email="both@test.example", language=None)
    [message] = _outbox("invitation")
    assert message.subject == (
        "OFFICIAL-SENSITIVE: Gwahoddiad i ymuno â Northshire CSP / "
        "Invitation to join Northshire CSP"
    )
    text = message.body_text
    welsh = text.index("Mae Lee Lead wedi eich gwahodd")
    english = text.index("Lee Lead has invited you to join Northshire CSP as a member")
    assert welsh < english
    assert text.index("Mae’r neges yn Saesneg isod.") < welsh
    soup = BeautifulSoup(message.body_html, "html.parser")
    assert soup.html["lang"] == "cy"
    [english_half] = soup.find_all(lang="en", id="en")
    assert "Lee Lead has invited you" in english_half.get_text()
    assert "Mae Lee Lead" not in english_half.get_text()
    h1s = [h.get_text() for h in soup.find_all("h1")]
    assert h1s == [
        "Gwahoddiad i chi ymuno â Northshire CSP",
        "You are invited to join Northshire CSP",
    ]
    assert soup.find("h1").find_parent(lang="en") is None
    # Both halves have their own link to accept, the same one.
    links = {a["href"] for a in soup.find_all("a") if "/invitations/" in a["href"]}
    assert len(links) == 1


def test_an_invitation_written_during_a_welsh_request_to_an_english_reader_is_english(app):
    """The email's language is the recipient's, not that of the lead who wrote it."""
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead", language="cy")
    with app.test_request_context("/"), compose.use_language("cy"):
        create_invitation(p, "member", lead, for_email="eng@test.example", language="en")
    [message] = _outbox("invitation")
    assert message.subject == "OFFICIAL-SENSITIVE: Invitation to join Northshire CSP"
    assert "Lee Lead has invited you" in message.body_text


def _world(now: datetime):
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead", email="lead@test.example")
    member = make_user(p, "member", name="Mo Member", email="mo@test.example", language="cy")
    assessment = make_assessment(p, ("iom-key-principles",), title="Key Principles 2026")
    make_participant(assessment, member)
    return p, lead, member, assessment


def test_a_welsh_reminder_from_the_reminder_run_outside_any_request(app):
    now = datetime.now(UTC)
    p, lead, member, assessment = _world(now)
    add_action(
        assessment,
        "iom-key-principles",
        "Write the protocol",
        "Mo Member",
        lead,
        due_on=now.date() + timedelta(days=3),
        item_id="1.1",
    )
    starts = (now + timedelta(days=5)).replace(hour=9, minute=30, second=0, microsecond=0)
    schedule(
        assessment, WorkshopTime(starts, starts + timedelta(hours=2), "Neuadd y Dref", None), lead
    )
    # The reminder run is a command: an app context, no request.
    reminders.run(now)
    mine = [m for m in _outbox() if m.to_address == "mo@test.example"]
    kinds = {m.kind: m for m in mine}
    rating = kinds["rating_reminder"]
    assert "Nodyn atgoffa: sgoriwch cyn y gweithdy ar " in rating.subject
    assert any(month in rating.subject for month in WELSH_MONTHS)
    assert "Gorffennwch eich sgoriau cyn y gweithdy" in rating.body_text
    assert "(amser y DU)" in rating.body_text and "UK time" not in rating.body_text
    assert "I atal y math hwn o nodyn atgoffa" in rating.body_text
    action = kinds["action_reminder"]
    assert "Cwestiwn 1.1" in action.body_text and "Dyddiad targed" in action.body_text
    # The lead has chosen no language: English.
    leads = [m for m in _outbox("rating_reminder") if m.to_address == "lead@test.example"]
    assert leads and leads[0].subject.startswith("OFFICIAL-SENSITIVE: Reminder: rate before")


def test_the_workshop_calendar_entry_is_in_the_members_language(app):
    now = datetime.now(UTC)
    p, lead, member, assessment = _world(now)
    starts = (now + timedelta(days=5)).replace(hour=12, minute=0, second=0, microsecond=0)
    schedule(
        assessment, WorkshopTime(starts, starts + timedelta(hours=2), "Neuadd y Dref", None), lead
    )
    by_address = {m.to_address: m for m in _outbox("workshop")}
    welsh, english = by_address["mo@test.example"], by_address["lead@test.example"]
    assert welsh.subject.startswith("OFFICIAL-SENSITIVE: Gweithdy ar ")
    assert "Dydd" not in welsh.subject  # no weekday to mutate
    assert "Dyddiad" in welsh.body_text and "Lleoliad: Neuadd y Dref" in welsh.body_text
    [attachment] = welsh.attachments
    [event] = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    assert str(event["summary"]) == "Gweithdy hunanasesiad: Northshire CSP"
    assert event["summary"].params["LANGUAGE"] == "cy"
    assert str(event["description"]).startswith("Gweithdy’r bwrdd ar gyfer Key Principles 2026")
    assert "Y manylion a’ch sgoriau: http://localhost/" in str(event["description"])
    [event] = Calendar.from_ical(english.attachments[0]["content"]).walk("VEVENT")
    assert str(event["summary"]) == "Self-assessment workshop: Northshire CSP"
    assert event["summary"].params["LANGUAGE"] == "en"
    assert "The board's workshop for Key Principles 2026" in str(event["description"])


def dev_app(app, folder, **more):
    """The app as `make run` serves it (the emails sent page is development only), on the test's
    database, writing emails to folder."""
    return create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_OUTBOX_DIR=str(folder),
        WTF_CSRF_ENABLED=False,
        MAIL_SENDER="selfassess@test.example",
        **more,
    )


def test_the_emails_sent_page_in_welsh(app, tmp_path):
    folder = tmp_path / "outbox"
    dev = dev_app(app, folder)
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead")
    create_invitation(p, "member", lead, for_email="pat@test.example", language="cy")
    client = dev.test_client()
    client.set_cookie("language", "cy")
    with dev.app_context():
        page = client.get("/dev/emails").get_data(as_text=True)
        assert "E-byst a anfonwyd" in page and "Blwch anfon: 1 yn aros" in page
        sent = client.post("/dev/emails/send", follow_redirects=True).get_data(as_text=True)
        assert "1 wedi’u hanfon, 0 i roi cynnig arall arnynt, 0 wedi methu." in sent
        page = client.get("/dev/emails").get_data(as_text=True)
        assert "Gwahoddiad i ymuno â Northshire CSP" in page and "At pat@test.example" in page
        [name] = [f.name for f in folder.glob("*.eml")]
        shown = client.get(f"/dev/emails/{name}").get_data(as_text=True)
        assert "Fel mae’n edrych" in shown and "Testun plaen" in shown
        saved = BytesParser(policy=policy.default).parse((folder / name).open("rb"))
        assert "Derbyn y gwahoddiad" in saved.get_body(("plain",)).get_content()


def test_the_emails_sent_page_leaves_no_english_behind(app, tmp_path):
    folder = tmp_path / "outbox"
    dev = dev_app(app, folder, PSEUDO_LOCALE=True)
    p = make_partnership(name="Northshire CSP")
    lead = make_user(p, "lead", name="Lee Lead")
    create_invitation(p, "member", lead, for_email="pat@test.example", language="cy")
    client = dev.test_client()
    client.set_cookie("language", "cy")
    with dev.app_context():
        assert english_left(main_part(client.get("/dev/emails").data), data=[str(folder)]) == []
        client.post("/dev/emails/send")
        [name] = [f.name for f in folder.glob("*.eml")]
        subject = "OFFICIAL-SENSITIVE: Gwahoddiad i ymuno â Northshire CSP"  # the email's own
        sender = "IOM self-assessment <selfassess@test.example>"
        message_id = str(
            BytesParser(policy=policy.default).parse((folder / name).open("rb"))["Message-ID"]
        )
        # Dates are written by the locale (Babel), not the catalogue: their month is Welsh.
        data = [str(folder), "pat@test.example", subject, sender, message_id, *WELSH_MONTHS]
        listed = client.get("/dev/emails").data
        assert english_left(main_part(listed), data=data) == []
        shown = client.get(f"/dev/emails/{name}").data
        # The email's own text is the email's (in srcdoc and pre): the page's words are checked.
        soup = BeautifulSoup(shown, "html.parser")
        for pre in soup.find_all("pre"):
            pre.decompose()
        assert english_left(main_part(str(soup)), data=data) == []
