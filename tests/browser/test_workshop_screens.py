"""The workshop's three screens (the projector view, the lead's controls, the phone) pass axe at
WCAG 2.2 AA at 1920x1080, 1280x720 and 360x740, while the room votes and after a second round
is revealed, and never scroll sideways. Set SCREENSHOTS to a folder to keep a picture of each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from selfassess.queries.workshop import current_stop, walk_for
from selfassess.services.workshop import move, start_session, take_vote
from selfassess.services.workshop_participants import join_as_guest
from tests.browser.test_accessibility import assert_accessible
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser

SIZES = {"1920": (1920, 1080), "1280": (1280, 720), "360": (360, 740)}
KP = "iom-key-principles"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _state(browser, url, fill) -> dict:
    context = browser.new_context()
    page = context.new_page()
    fill(page)
    state = context.storage_state()
    context.close()
    return state


def test_workshop_screens_pass_axe_at_every_size(live_server, browser):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    assessment = make_assessment(partnership)
    workshop = start_session(assessment, lead, show_names=True, countdown_seconds=120)
    stop = current_stop(workshop, walk_for(assessment))
    item = f"{KP}:{stop.item_id}"
    guests = [
        join_as_guest(workshop, name, agency)
        for name, agency in (
            ("Pat", "police"),
            ("Pol", "police"),
            ("Hal", "health"),
            ("Nia", "housing"),
        )
    ]
    for guest, value in zip(guests[:3], ("red", "red", "green"), strict=True):
        take_vote(workshop, guest, stop, item, value, f"<i>{guest.guest_name}</i> says why")

    def signed_in(page):
        page.goto(f"{live_server}/sign-in")
        page.get_by_label("Email address").fill(lead.email)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda u: "/sign-in" not in u)

    def joined(page):
        page.goto(f"{live_server}/join?code={workshop.join_code}")
        page.get_by_label("Your name").fill("Phoebe Phone")
        page.get_by_label("Probation Service", exact=True).check()
        page.get_by_role("button", name="Join the workshop").click()
        page.wait_for_url(lambda u: u.endswith("/live"))

    lead_state = _state(browser, live_server, signed_in)
    phone_state = _state(browser, live_server, joined)
    screens = {
        "projector": (lead_state, f"/workshop/{workshop.id}/projector"),
        "facilitator": (lead_state, f"/workshop/{workshop.id}"),
        "phone": (phone_state, f"/workshop/{workshop.id}/live"),
    }

    def check_all(moment: str) -> None:
        for size, (width, height) in SIZES.items():
            for screen, (state, path) in screens.items():
                context = browser.new_context(
                    storage_state=state,
                    viewport={"width": width, "height": height},
                    is_mobile=width < 400,
                    has_touch=width < 400,
                )
                page = context.new_page()
                page.goto(live_server + path)
                expect(page.locator("#item-text")).to_be_visible()
                assert_accessible(page, f"{screen} {moment} at {size}")
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                    f"{screen} {moment} at {size} scrolls sideways"
                )
                _shot(page, f"{screen}-{moment}-{size}")
                context.close()

    check_all("voting")
    move(workshop, "reveal")
    move(workshop, "new_round")
    for guest, value in zip(guests, ("amber", "red", "amber", "green"), strict=True):
        take_vote(
            workshop, guest, stop, item, value, "Second thoughts" if value == "amber" else None
        )
    move(workshop, "reveal")
    check_all("revealed")
