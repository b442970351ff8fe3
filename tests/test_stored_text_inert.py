"""Stored free text with script or HTML in it (evidence, measures to improve, rationale, actions,
partnership, people's and guests' names) is shown as text and never runs: every page that shows
it has no such element, and the PDFs carry the literal text."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from selfassess.extensions import db
from selfassess.queries.workshop import current_stop, walk_for
from selfassess.services import workshop, workshop_participants
from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from selfassess.services.collections import create_collection
from selfassess.services.invitations import create_invitation
from tests.factories import make_assessment, make_partnership, make_user, rate

KP = "iom-key-principles"


def script(field: str) -> str:
    return f"<script>alert('{field}')</script>"


def img(field: str) -> str:
    return f"<img src=x onerror=alert('{field}')>"


def hostile(field: str) -> str:
    return f"{script(field)} and {img(field)}"


@pytest.fixture
def world(app):
    p = make_partnership(name=hostile("partnership"), code="E09XSS")
    lead = make_user(p, "lead", name=hostile("lead"), agency="local_authority")
    member = make_user(p, "member", name=hostile("member"), agency="police")
    assessment = make_assessment(p, (KP,), status="open", title="Board review")
    lead_part = participant_for(assessment, lead, create=True)
    member_part = participant_for(assessment, member, create=True)
    rate(lead_part, "1.1", "red", evidence=hostile("evidence"), improvement=hostile("measure"))
    rate(member_part, "1.1", "green", evidence=hostile("member evidence"))
    save_agreed_rating(assessment, KP, "1.1", "amber", hostile("rationale"), None, lead)
    add_action(assessment, KP, hostile("action"), hostile("owner"), lead, item_id="1.1")
    create_invitation(p, "member", lead, note=hostile("note"), for_name=hostile("invitee"))
    session = workshop.start_session(assessment, lead)
    guest = workshop_participants.join_as_guest(session, hostile("guest"), "housing")
    stop = current_stop(session, walk_for(assessment))
    workshop.cast_vote(guest, stop, "red", None)
    workshop.move(session, "reveal")
    today = date.today()
    create_collection("Returns", "returns", [KP], today, today + timedelta(days=9), expected=[p])
    analyst = make_user(None, is_analyst=True, agency=None)
    db.session.commit()
    return {
        "analyst": analyst,
        "p": p,
        "lead": lead,
        "member": member,
        "assessment": assessment,
        "session": session,
        "guest": guest,
    }


def as_user(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def assert_inert(html: bytes, url: str) -> BeautifulSoup:
    page = BeautifulSoup(html, "html.parser")
    for tag in page.find_all("script"):
        assert "alert(" not in tag.get_text(), f"{url}: a stored script became a script element"
    for tag in page.find_all("img"):
        assert tag.get("src") != "x", f"{url}: a stored image became an img element"
    handlers = [
        (tag.name, name)
        for tag in page.find_all(True)
        for name in tag.attrs
        if name.lower().startswith("on")
    ]
    assert not handlers, f"{url}: event handler attributes {handlers}"
    assert b"<script>alert" not in html and b"<img src=x" not in html
    return page


def shown(page: BeautifulSoup, field: str) -> bool:
    text = page.get_text()
    return script(field) in text and img(field) in text


PAGES = [
    # (who, url, fields whose text the page shows)
    ("lead", "/partnerships/{p}", ["partnership", "lead", "member", "note"]),
    ("lead", "/assessments/{a}/report", ["partnership"]),
    (
        "lead",
        f"/assessments/{{a}}/report/{KP}/1",
        ["evidence", "measure", "rationale", "action", "owner"],
    ),
    ("lead", f"/assessments/{{a}}/items/{KP}/1.1", ["evidence", "measure", "rationale", "action"]),
    ("lead", "/assessments/{a}/check-your-answers", ["evidence", "measure"]),
    ("lead", "/assessments/{a}/progress", ["lead", "member", "guest"]),
    ("lead", "/workshop/{s}", ["rationale", "action", "owner"]),
    ("analyst", "/national/collections/returns", ["partnership"]),
]


@pytest.mark.parametrize(("who", "url", "fields"), PAGES, ids=[u for _, u, _ in PAGES])
def test_stored_text_renders_as_text_on_every_page(app, world, who, url, fields):
    client = as_user(app, world[who])
    url = url.format(p=world["p"].id, a=world["assessment"].id, s=world["session"].id)
    with app.app_context():
        response = client.get(url)
    assert response.status_code == 200, url
    page = assert_inert(response.data, url)
    missing = [field for field in fields if not shown(page, field)]
    assert not missing, f"{url} does not show {missing} as text"


def test_the_workshop_reveal_shows_a_guests_name_and_vote_as_text(app, world):
    lead = as_user(app, world["lead"])
    with app.app_context():
        response = lead.get(f"/workshop/{world['session'].id}")
    page = assert_inert(response.data, "facilitator")
    assert "Red" in page.get_text()
    guest = app.test_client()
    with app.app_context():
        joined = guest.post(
            "/join",
            data={"code": world["session"].join_code, "name": hostile("phone"), "agency": "police"},
        )
        assert joined.status_code == 302
        panel = guest.get(f"/workshop/{world['session'].id}/live")
    assert panel.status_code == 200
    assert_inert(panel.data, "participant")


def pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("report.pdf", ["evidence", "measure", "rationale", "action"]),
        ("action-plan.pdf", ["action", "owner"]),
    ],
)
def test_pdfs_carry_the_literal_text(app, world, name, fields):
    client = as_user(app, world["lead"])
    with app.app_context():
        response = client.get(f"/assessments/{world['assessment'].id}/{name}")
    assert response.status_code == 200
    text = pdf_text(response.data)
    for field in fields:
        for literal in (script(field), img(field)):
            assert re.sub(r"\s+", "", literal) in text, f"{name} lacks {literal!r}"
