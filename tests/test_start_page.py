"""After signing in, people land on their own start page: per partnership what needs doing.
People not signed in keep the public start page."""

from __future__ import annotations

import re
from datetime import date, timedelta

from selfassess.services.agreement import add_action
from selfassess.services.collections import create_collection
from selfassess.services.workshop import start_session
from tests.factories import make_assessment, make_partnership, make_user
from tests.report_world import KP, build, sign_in


def todo(page, kind: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", li.get_text()).strip() for li in page.select(f"li[data-todo='{kind}']")
    ]


def test_people_not_signed_in_see_the_public_start_page(app, client, get_page):
    page = get_page("/")
    assert page.h1.get_text(strip=True) == "Assess your Integrated Offender Management arrangements"


def test_a_member_sees_questions_to_rate_a_live_workshop_and_their_agencys_actions(
    app, client, get_page
):
    world = build()  # the member (police) has rated 3 of the 32 Key Principles questions
    session = start_session(world.assessment, world.lead)
    add_action(
        world.assessment,
        KP,
        "Police data to the panel",
        "Police analyst",
        world.lead,
        due_on=date.today() + timedelta(days=7),
        item_id="1.2",
    )
    add_action(
        world.assessment,
        KP,
        "Housing list",
        "Housing officer",
        world.lead,
        due_on=date.today() + timedelta(days=7),
        item_id="1.2",
    )
    # Someone else's partnership, with its own live workshop: never shown.
    other = make_partnership(name="Elsewhere CSP", code="E09ELS")
    other_lead = make_user(other, "lead")
    other_assessment = make_assessment(other, (KP,), status="open", title="Elsewhere review")
    start_session(other_assessment, other_lead)

    sign_in(client, world.member)
    page = get_page("/")
    assert page.h1.get_text(strip=True) == "What needs doing"
    assert todo(page, "rate") == ["Board review: 29 of 32 questions still to rate."]
    [live] = page.select("li[data-todo='workshop']")
    assert "Live now" in live.get_text()
    join = live.find("a", string=lambda s: s and "Join the workshop" in s)
    assert join["href"] == f"/join?code={session.join_code}"
    # The police member's actions: the overdue one owned by "Police" and the new one; not
    # Housing's.
    actions = todo(page, "action")
    assert len(actions) == 2
    assert "Overdue" in actions[0] and "Write the information-sharing protocol" in actions[0]
    assert "Police data to the panel" in actions[1]
    assert "Elsewhere" not in page.get_text()
    # Members do not make the national return.
    assert todo(page, "return") == []


def test_a_lead_sees_every_due_action_and_returns_due(app, client, get_page):
    world = build()
    add_action(
        world.assessment,
        KP,
        "Housing list",
        "Housing officer",
        world.lead,
        due_on=date.today() + timedelta(days=7),
        item_id="1.2",
    )
    add_action(
        world.assessment,
        KP,
        "Next year's review",
        "Chair",
        world.lead,
        due_on=date.today() + timedelta(days=90),
        item_id="1.2",
    )
    create_collection(
        "IOM return 2026",
        "return-2026",
        [KP],
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=20),
        expected=[world.partnership],
    )
    sign_in(client, world.lead)
    page = get_page("/")
    actions = todo(page, "action")
    assert [("Overdue" in a, "Housing list" in a) for a in actions] == [
        (True, False),
        (False, True),
    ]
    [due] = todo(page, "return")
    assert due.startswith("National return due by") and "IOM return 2026" in due


def test_an_observer_is_offered_no_rating_and_no_join_button(app, client, get_page):
    world = build()
    start_session(world.assessment, world.lead)
    sign_in(client, world.observer)
    page = get_page("/")
    assert todo(page, "rate") == []
    live = page.select_one("li[data-todo='workshop']")
    assert live is not None and live.find("a") is None


def test_an_analyst_sees_their_collections_with_response_rates(app, client, get_page):
    world = build()
    second = make_partnership(name="Second CSP", code="E09SEC")
    create_collection(
        "IOM return 2026",
        "return-2026",
        [KP],
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=20),
        expected=[world.partnership, second],
    )
    analyst = make_user(None, is_analyst=True)
    sign_in(client, analyst)
    page = get_page("/")
    row = page.select_one("#collection-rates tbody tr").get_text(" ", strip=True)
    assert "IOM return 2026" in row and "0 of 2" in row and "0%" in row
    assert "Board review" not in page.get_text()
