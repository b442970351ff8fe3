"""A live workshop in real browsers: the lead on a projector, three participants (one on a phone).

Participants follow the lead without reloading: each page carries a marker set by the test
that a reload would wipe, and it is still there at the end.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from selfassess.queries.workshop import current_stop, walk_for
from selfassess.services.workshop import (
    cast_vote,
    end_session,
    move,
    start_session,
)
from selfassess.services.workshop_participants import join_as_guest
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def contexts(browser):
    made = []

    def new(**options):
        context = browser.new_context(**options)
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def test_a_live_workshop_from_join_to_end(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    assessment = make_assessment(partnership)

    # The lead starts the workshop.
    screen = contexts(viewport={"width": 1280, "height": 900})
    screen.goto(f"{live_server}/sign-in")
    screen.get_by_label("Email address").fill(lead.email)
    screen.get_by_role("textbox", name="Password").fill(PASSWORD)
    screen.get_by_role("button", name="Sign in").click()
    screen.goto(f"{live_server}/assessments/{assessment.id}/workshop")
    screen.get_by_role("button", name="Start a live workshop").click()
    expect(screen.locator("#progress-label")).to_have_text("Question 1 of 32")
    expect(screen.locator(".app-join__qr svg")).to_be_visible()
    code = screen.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)
    expect(screen.locator("#shortcut-hint")).to_contain_text("N next")

    # Three participants join: two at desks, one on a phone (typing the code by hand).
    people = [
        ("Pat Police", "Police", "Red", {}),
        ("Pru Probation", "Probation Service", "Green", {}),
        ("Hal Health", "Health (NHS and public health)", "Amber", PHONE),
    ]
    phones = []
    for name, agency, _, options in people:
        phone = contexts(**options)
        if options:
            phone.goto(f"{live_server}/join")
            phone.get_by_label("Join code").fill(code.lower())
        else:
            phone.goto(f"{live_server}/join?code={code}")
            expect(phone.get_by_label("Join code")).to_have_value(code)
        phone.get_by_label("Your name").fill(name)
        phone.get_by_label(agency, exact=True).check()
        phone.get_by_role("button", name="Join the workshop").click()
        expect(phone.locator("#item-text")).to_contain_text("1.1 Are all of the relevant agencies")
        phone.evaluate("window.notReloaded = true")
        phones.append(phone)

    # The phone-sized page fits: no sideways scrolling.
    assert phones[2].evaluate("document.documentElement.scrollWidth") <= 360

    # Everyone votes; the lead's screen counts the votes, not what they are.
    for phone, (_, _, vote, _) in zip(phones, people, strict=True):
        phone.get_by_role("button", name=vote, exact=True).click()
        expect(phone.locator("#vote-status")).to_contain_text(f"Your vote is saved: {vote}.")
    expect(screen.locator("#vote-count")).to_have_text("3 votes cast")
    # A change of mind before the reveal.
    phones[0].get_by_role("button", name="Amber", exact=True).click()
    expect(phones[0].locator("#vote-status")).to_contain_text("Your vote is saved: Amber.")

    # Reveal with the keyboard shortcut.
    screen.keyboard.press("r")
    table = screen.locator(".app-bars").first
    expect(table.locator("caption")).to_have_text("All agencies: 3 votes")
    expect(table.get_by_role("row", name=re.compile(r"^Amber 2"))).to_be_visible()
    expect(screen.locator(".app-result")).to_contain_text("Rating from the votes Amber")
    expect(screen.locator(".app-agency-bars caption")).to_have_count(3)
    for phone in phones:
        expect(phone.locator("#vote-status")).to_contain_text("The votes are revealed.")

    # Agree a rating and record an action.
    screen.get_by_role("radio", name="Amber").check()
    screen.get_by_label("Why the board agreed this rating").fill("Health not yet signed up")
    screen.get_by_role("button", name="Save agreed rating").click()
    expect(screen.locator("#agreed-rating")).to_contain_text("Amber")
    screen.get_by_label("What will be done").fill("Invite health to the IOM board")
    screen.get_by_label("Who owns it").fill("Local authority")
    screen.get_by_label("Day").fill("30")
    screen.get_by_label("Month").fill("6")
    screen.get_by_label("Year").fill("2027")
    screen.get_by_role("button", name="Add action").click()
    expect(screen.locator("#actions")).to_contain_text("Invite health to the IOM board")
    expect(screen.locator("#actions")).to_contain_text("30 June 2027")
    for phone in phones:
        expect(phone.locator("#agreed")).to_contain_text("The board agreed: Amber")

    # Next question: the phones follow without reloading.
    screen.get_by_role("button", name="Next").click()
    expect(screen.locator("#progress-label")).to_have_text("Question 2 of 32")
    for phone in phones:
        expect(phone.locator("#item-text")).to_contain_text("1.2")
        expect(phone.locator("#progress")).to_have_text("Question 2 of 32")
        expect(phone.get_by_role("button", name="Red", exact=True)).to_be_visible()

    # The lead ends the workshop; the phones say so and the code stops working.
    screen.get_by_role("button", name="End the workshop").click()
    expect(screen.locator("#agreed-so-far")).to_have_text("1 of 32 questions has an agreed rating.")
    screen.get_by_role("button", name="Yes, end the workshop").click()
    expect(screen.get_by_text("Its join code no longer works.")).to_be_visible()
    for phone in phones:
        expect(phone.get_by_role("heading", name="This workshop has ended")).to_be_visible()
        assert phone.evaluate("window.notReloaded") is True
    latecomer = contexts(**PHONE)
    latecomer.goto(f"{live_server}/join?code={code}")
    latecomer.get_by_label("Your name").fill("Late Larry")
    latecomer.get_by_label("Housing", exact=True).check()
    latecomer.get_by_role("button", name="Join the workshop").click()
    expect(latecomer.locator(".govuk-error-summary")).to_contain_text(
        "not the code of a live workshop"
    )


def test_without_javascript_a_participant_votes_and_refreshes(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = make_assessment(partnership)
    workshop = start_session(assessment, lead)
    phone = contexts(java_script_enabled=False, **PHONE)
    phone.goto(f"{live_server}/join?code={workshop.join_code}")
    phone.get_by_label("Your name").fill("Nora No-Script")
    phone.get_by_label("Housing", exact=True).check()
    phone.get_by_role("button", name="Join the workshop").click()
    phone.get_by_role("button", name="Don't know", exact=True).click()
    expect(phone.locator("#vote-status")).to_contain_text("Your vote is saved: Don't know.")

    move(workshop, "next")
    expect(phone.locator("#item-text")).to_contain_text("1.1")  # no script: it stays put
    phone.get_by_role("link", name="Refresh").click()
    expect(phone.locator("#item-text")).to_contain_text("1.2")


def _sign_in(page, live_server, user):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_count_is_one_vote_per_person_in_this_meeting(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    member = make_user(partnership, "member", name="Mo Member", agency="probation")
    assessment = make_assessment(partnership)
    earlier = start_session(assessment, lead)
    before = join_as_guest(earlier, "Old Olga", "housing")
    cast_vote(before, current_stop(earlier, walk_for(assessment)), "red", None, workshop=earlier)
    end_session(earlier)
    workshop = start_session(assessment, lead)

    screen = contexts(viewport={"width": 1280, "height": 900})
    _sign_in(screen, live_server, lead)
    screen.goto(f"{live_server}/workshop/{workshop.id}")
    expect(screen.locator("#joined-count")).to_have_text("0 people have joined")
    expect(screen.locator("#vote-count")).to_have_text("0 votes cast")

    # A signed-in member joins on a phone as themselves; two guests join; one of them joins
    # again from a second browser and continues as themselves.
    mo = contexts(**PHONE)
    _sign_in(mo, live_server, member)
    mo.goto(f"{live_server}/join?code={workshop.join_code}")
    mo.get_by_role("button", name="Join the workshop").click()
    expect(mo.locator("main")).to_contain_text("You joined as Mo Member")
    guests = []
    for name, agency in (("Gita Guest", "Health (NHS and public health)"), ("Pat", "Police")):
        phone = contexts(**PHONE)
        phone.goto(f"{live_server}/join?code={workshop.join_code}")
        phone.get_by_label("Your name").fill(name)
        phone.get_by_label(agency, exact=True).check()
        phone.get_by_role("button", name="Join the workshop").click()
        expect(phone.locator("#item-text")).to_be_visible()
        guests.append(phone)
    expect(screen.locator("#joined-count")).to_have_text("3 people have joined")

    for phone, value in zip([mo, *guests], ("Green", "Amber", "Red"), strict=True):
        phone.get_by_role("button", name=value, exact=True).click()
        expect(phone.locator("#vote-status")).to_contain_text(f"Your vote is saved: {value}.")
    expect(screen.locator("#vote-count")).to_have_text("3 votes cast")
    # The chosen button is filled with its own colour and carries a tick.
    chosen = guests[0].locator(".app-vote[aria-pressed=true]")
    expect(chosen).to_contain_text("Amber")
    expect(chosen.locator(".app-vote__tick")).to_have_text("✓")
    assert chosen.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 221, 0)"

    second = contexts(**PHONE)
    second.goto(f"{live_server}/join?code={workshop.join_code}")
    second.get_by_label("Your name").fill("Gita Guest")
    second.get_by_label("Health (NHS and public health)", exact=True).check()
    second.get_by_role("button", name="Join the workshop").click()
    second.get_by_label("Yes, continue as Gita Guest").check()
    second.get_by_role("button", name="Continue").click()
    expect(second.locator("#vote-status")).to_contain_text("Your vote is saved: Amber.")
    second.get_by_role("button", name="Green", exact=True).click()
    expect(second.locator("#vote-status")).to_contain_text("Your vote is saved: Green.")
    expect(screen.locator("#vote-count")).to_have_text("3 votes cast")
    expect(screen.locator("#joined-count")).to_have_text("3 people have joined")

    screen.keyboard.press("r")
    table = screen.locator(".app-bars").first
    expect(table.locator("caption")).to_have_text("All agencies: 3 votes")
    expect(table.get_by_role("row", name=re.compile(r"^Green 2"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^Red 1"))).to_be_visible()
    # The earlier workshop's guest is shown apart, not counted in this meeting.
    expect(screen.locator("#before caption")).to_contain_text("1 rating")
    expect(screen.locator("#before")).to_contain_text("Housing")
