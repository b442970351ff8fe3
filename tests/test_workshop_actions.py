"""Changing an action recorded in the workshop, from the facilitator's screen and back to it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from selfassess.extensions import db
from selfassess.models import Action, WorkshopSession
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user


@pytest.fixture
def world(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    return {"lead": lead, "assessment": make_assessment(partnership)}


@pytest.fixture
def lead_client(app, world):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": world["lead"].email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def start(client, assessment) -> WorkshopSession:
    """Start the meeting and reveal the first question, where the board records actions."""
    assert client.post(f"/assessments/{assessment.id}/workshop").status_code == 302
    workshop = db.session.execute(db.select(WorkshopSession)).scalar_one()
    client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    return workshop


ACTION = {
    "item": "iom-key-principles:1.1",
    "description": "Get health to sign the protocol",
    "owner": "Health (NHS and public health)",
    "status": "not_started",
}


def test_the_facilitator_changes_an_action_and_comes_back_to_the_meeting(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    assert lead_client.post(f"/workshop/{workshop.id}/actions", data=ACTION).status_code == 302
    action = db.session.execute(db.select(Action)).scalar_one()

    screen = parse(lead_client.get(f"/workshop/{workshop.id}"))
    link = screen.select_one("#actions a")
    assert "Get health to sign the protocol" in link.get_text()
    edit = link["href"]
    assert edit.startswith(f"/assessments/{world['assessment'].id}/actions/{action.id}?")

    form = parse(lead_client.get(edit))
    assert form.select_one(".govuk-back-link")["href"] == f"/workshop/{workshop.id}"
    response = lead_client.post(
        edit,
        data={**ACTION, "status": "in_progress", "due_on": ["", "", ""], "version": "1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/workshop/{workshop.id}"
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "in_progress"
    assert (
        "In progress"
        in parse(lead_client.get(f"/workshop/{workshop.id}")).select_one("#actions").get_text()
    )


def test_once_the_meeting_has_ended_a_change_goes_back_to_the_question(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    lead_client.post(f"/workshop/{workshop.id}/actions", data=ACTION)
    action = db.session.execute(db.select(Action)).scalar_one()
    edit = parse(lead_client.get(f"/workshop/{workshop.id}")).select_one("#actions a")["href"]
    workshop.ended_at = datetime.now(UTC)
    db.session.commit()
    response = lead_client.post(
        edit, data={**ACTION, "status": "completed", "due_on": ["", "", ""], "version": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/assessments/{world['assessment'].id}/items/iom-key-principles/1.1#actions"
    )
    assert db.session.get(Action, action.id).status == "completed"
