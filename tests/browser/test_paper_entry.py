"""Keying paper forms in, in real Chromium: a lead keys a whole form with the keyboard only (one
key per rating, Tab to evidence, Enter to the next question); two leads key the same form and
the second settles the one answer they differ on."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from selfassess.domain.paper import show_form_code
from selfassess.extensions import db, frameworks
from selfassess.models import PaperEntry, Rating
from selfassess.services.paper import assessment_form
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser
KP = "iom-key-principles"


@pytest.fixture
def world(app):
    p = make_partnership(name="Keyton CSP")
    lead = make_user(p, "lead", name="Lena Lead", email="lena@keyton.example")
    second = make_user(p, "lead", name="Sam Second", email="sam@keyton.example")
    member = make_user(p, "member", name="Priya Shah", agency="probation")
    assessment = make_assessment(p)
    form = assessment_form(assessment, frameworks().get(KP), member, lead)
    return assessment, form, lead, second, member


def _sign_in(page, url, email):
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda u: "/sign-in" not in u)


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, name: document.activeElement.name || '',"
        " text: (document.activeElement.innerText || '').trim()})"
    )


def _key_in(page, answers: dict[str, tuple[str, str]], end: str):
    """Key the whole form from the first question: per question a rating key, Tab and typed
    evidence where there is some, then Enter; at the end, Enter on the last question focuses
    the first button, ``end`` is pressed from there."""
    items = [item.id for item in frameworks().get(KP).items]
    # The page's script puts the first question in focus once it has run.
    page.wait_for_function(
        "name => document.activeElement && document.activeElement.name === name",
        arg=f"r-{items[0]}",
    )
    for item_id in items:
        assert _focused(page)["name"] == f"r-{item_id}", item_id
        key, evidence = answers.get(item_id, ("", ""))
        if key:
            page.keyboard.press(key)
        if evidence:
            page.keyboard.press("Tab")
            assert _focused(page)["id"] == f"e-{item_id}"
            page.keyboard.type(evidence)
        page.keyboard.press("Enter")
    assert _focused(page)["id"] == "save" or _focused(page)["id"] == "compare"
    for key in end.split():
        page.keyboard.press(key)


def test_lead_keys_a_paper_form_with_the_keyboard_only(live_server, page, world):
    assessment, form, lead, _second, member = world
    _sign_in(page, live_server, lead.email)
    page.goto(f"{live_server}/assessments/{assessment.id}/paper")
    page.locator("#code").focus()
    page.keyboard.type(show_form_code(form.code).lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/paper/forms/{form.code}")
    expect(page.locator("#form-member")).to_contain_text("Priya Shah, Probation")
    answers = {
        "1.1": ("g", "Partnership agreement signed by all"),
        "1.2": ("r", ""),
        "1.3": ("a", "Vision agreed in 2025\u2014not yet known by frontline staff"),
        "2.1": ("d", ""),
        "5.1": ("n", ""),
    }
    _key_in(page, answers, end="Enter")
    page.wait_for_url(f"**/assessments/{assessment.id}/paper")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "5 ratings entered from paper for Priya Shah"
    )
    db.session.expire_all()
    ratings = {r.item_id: r for r in db.session.scalars(select(Rating))}
    assert {k: r.value for k, r in ratings.items()} == {
        "1.1": "green",
        "1.2": "red",
        "1.3": "amber",
        "2.1": "dont_know",
        "5.1": "not_applicable",
    }
    assert ratings["1.1"].evidence == "Partnership agreement signed by all"
    assert ratings["1.3"].evidence.endswith("not yet known by frontline staff")
    assert all(r.participant.user_id == member.id for r in ratings.values())


def test_a_second_lead_verifies_a_double_entry(live_server, browser, world):
    assessment, form, lead, second, _member = world
    url = f"{live_server}/assessments/{assessment.id}/paper/forms/{form.code}"
    first_page = browser.new_context().new_page()
    _sign_in(first_page, live_server, lead.email)
    first_page.goto(url)
    _key_in(first_page, {"1.1": ("g", ""), "1.2": ("r", "")}, end="Tab Enter")
    first_page.wait_for_url(f"**/assessments/{assessment.id}/paper")
    expect(first_page.locator(".govuk-notification-banner")).to_contain_text(
        "kept for a second person"
    )
    db.session.expire_all()
    assert db.session.scalar(select(Rating.id)) is None

    second_page = browser.new_context().new_page()
    _sign_in(second_page, live_server, second.email)
    second_page.goto(f"{live_server}/assessments/{assessment.id}/paper")
    second_page.locator("#waiting a").click()
    expect(second_page.locator("#verifying")).to_contain_text("Lena Lead keyed this form first")
    _key_in(second_page, {"1.1": ("g", ""), "1.2": ("a", "")}, end="Enter")
    rows = second_page.locator(".app-paper-compare tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_contain_text("1.2 Is there effective involvement")
    expect(rows.first.locator("td").nth(0)).to_contain_text("Red")
    expect(rows.first.locator("td").nth(1)).to_contain_text("Amber")
    second_page.get_by_label("Red (first keying of 1.2)").check()
    second_page.get_by_role("button", name="Save with these answers").click()
    second_page.wait_for_url(f"**/assessments/{assessment.id}/paper")
    expect(second_page.locator(".govuk-notification-banner")).to_contain_text(
        "Checked by a second person: 2 ratings"
    )
    db.session.expire_all()
    assert {r.item_id: r.value for r in db.session.scalars(select(Rating))} == {
        "1.1": "green",
        "1.2": "red",
    }
    entry = db.session.execute(select(PaperEntry)).scalar_one()
    assert (entry.status, entry.verified_by_id) == ("saved", second.id)
