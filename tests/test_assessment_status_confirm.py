"""Marking an assessment agreed stops everyone's rating, so the lead is asked first and told what
will happen; the status sentences on the assessment page describe the state it is in."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from selfassess.extensions import db
from selfassess.models import AgreedRating, Assessment
from selfassess.services.agreement import save_agreed_rating
from tests.authz.harness import build_world, client_as


@pytest.fixture
def world(app):
    return build_world()


def page_of(app, world, url, persona="lead"):
    client = client_as(app, world, persona)
    with app.app_context():
        response = client.get(url)
    return response.status_code, BeautifulSoup(response.data, "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_mark_as_agreed_asks_first_and_says_how_many_questions_are_agreed(app, world):
    a = world.assessment
    save_agreed_rating(a, "iom-key-principles", "4.1", "green", "Signed", None, world.users["lead"])
    agreed = db.session.query(AgreedRating).filter_by(assessment_id=a.id).count()
    status, page = page_of(app, world, f"/assessments/{a.id}")
    moves = page.select_one("#status-moves")
    link = moves.find("a", string=lambda s: s and "Mark as agreed" in s)
    assert link["href"] == f"/assessments/{a.id}/status/agreed"
    # The sentence beside the button says what it would do, not that it has happened.
    assert "If you mark it as agreed, members can no longer change their ratings" in words(moves)

    status, page = page_of(app, world, link["href"])
    assert status == 200
    assert words(page.h1) == "Mark this assessment as agreed?"
    verb = "has" if agreed == 1 else "have"
    assert words(page.select_one("#agreed-so-far")) == (
        f"{agreed} of 51 questions {verb} an agreed rating."
    )
    assert db.session.get(Assessment, a.id).status == "open"
    form = page.find("form", action=f"/assessments/{a.id}/status")
    assert form.find("input", attrs={"name": "to"})["value"] == "agreed"

    # Only the lead is asked; a move that needs no confirmation has no such page.
    assert page_of(app, world, link["href"], "member")[0] == 403
    assert page_of(app, world, f"/assessments/{a.id}/status/open")[0] == 404
