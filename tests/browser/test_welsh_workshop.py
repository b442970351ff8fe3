"""A Welsh phone in an English room: it joins choosing Cymraeg, sees the whole workshop in Welsh
(its live updates too), and its vote counts on the English projector like any other."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from selfassess.extensions import db
from selfassess.models.assessments import Rating, WorkshopSession
from tests.browser.test_workshop_rounds import FOLLOW, PHONE, PROJECTOR, sign_in
from tests.factories import make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser

# English words the phone's live updates must never put on a Welsh page.
ENGLISH = re.compile(
    r"\b(Question|Time left|Time is up|Your vote|Choose your rating|Waiting|vote again|Round)\b"
)
SHOTS = os.environ.get("WORKSHOP_SCREENSHOTS")  # a folder: keep screenshots of the screens


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


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_welsh_phone_joins_an_english_room_and_its_vote_counts(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    assessment = make_assessment(partnership)
    url = live_server

    # The lead, in English, starts with a countdown; the projector is English.
    screen = contexts(viewport={"width": 1280, "height": 800})
    sign_in(screen, url, lead)
    screen.goto(f"{url}/assessments/{assessment.id}/workshop")
    screen.get_by_label("Time per question").select_option("300")
    screen.get_by_role("button", name="Start a live workshop").click()
    expect(screen.locator("#join-code")).to_be_visible()
    workshop = db.session.execute(db.select(WorkshopSession)).scalars().one()
    projector = screen.context.new_page()
    projector.set_viewport_size(PROJECTOR["viewport"])
    projector.goto(f"{url}/workshop/{workshop.id}/projector")
    expect(projector.locator("html")).to_have_attribute("lang", "en")
    expect(projector.locator("#voted-count")).to_have_text("0 of 0 have voted", timeout=FOLLOW * 2)

    # The phone: an English join page, Cymraeg chosen on it.
    phone = contexts(**PHONE)
    phone.goto(f"{url}/join?code={workshop.join_code}")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.get_by_label("Your name").fill("Gwen Guest")
    phone.get_by_label("Police", exact=True).check()
    phone.get_by_label("Cymraeg").check()
    shot(phone, "phone-join-360")
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    expect(phone.locator("#progress")).to_contain_text("Cwestiwn 1 o 32")
    expect(phone.locator("#countdown")).to_contain_text(re.compile(r"Amser ar ôl \d:\d\d"))
    phone.wait_for_timeout(1500)  # the countdown has ticked in the script
    expect(phone.locator("#countdown")).to_contain_text(re.compile(r"Amser ar ôl \d:\d\d"))
    shot(phone, "phone-question-cy-360")

    # The projector counts the Welsh phone with the room.
    expect(projector.locator("#voted-count")).to_have_text("0 of 1 have voted", timeout=FOLLOW * 2)
    phone.get_by_role("button", name=re.compile("Ambr|Amber")).click()
    expect(phone.locator("#vote-status")).to_contain_text("Mae eich pleidlais wedi’i chadw")
    expect(projector.locator("#voted-count")).to_have_text("1 of 1 has voted", timeout=FOLLOW * 2)
    db.session.expire_all()
    assert db.session.execute(db.select(Rating.value)).scalars().all() == ["amber"]
    shot(phone, "phone-voted-cy-360")
    shot(projector, "projector-en-1920")

    # The lead reveals: the projector's tally counts the Welsh vote as Amber.
    projector.keyboard.press("r")
    expect(projector.locator("#overall")).to_contain_text("Amber", timeout=FOLLOW * 2)
    amber = projector.locator("#overall .app-stack", has_text="Amber")
    expect(amber.locator(".app-stack__words")).to_have_text("1")
    shot(projector, "projector-revealed-en-1920")

    # The phone follows by itself, in Welsh, with no English in what the script brought.
    expect(phone.locator("#waiting")).to_have_text(
        "Yn aros am y cwestiwn nesaf", timeout=FOLLOW * 2
    )
    words = phone.locator("#workshop-panel").inner_text()
    assert not ENGLISH.search(words), words
    shot(phone, "phone-revealed-cy-360")

    # Next question: the phone moves on in Welsh.
    projector.keyboard.press("n")
    expect(phone.locator("#progress")).to_contain_text("Cwestiwn 2 o 32", timeout=FOLLOW * 2)
    words = phone.locator("#workshop-panel").inner_text()
    assert not ENGLISH.search(words), words
    expect(phone.locator("html")).to_have_attribute("lang", "cy")


def test_the_projector_in_welsh_and_english_follows_the_room(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    assessment = make_assessment(partnership)
    url = live_server

    screen = contexts(viewport={"width": 1280, "height": 800})
    sign_in(screen, url, lead)
    screen.goto(f"{url}/assessments/{assessment.id}/workshop")
    screen.get_by_label("Time per question").select_option("120")
    screen.get_by_label("Welsh and English: Welsh first, English underneath").check()
    screen.get_by_role("button", name="Start a live workshop").click()
    expect(screen.locator("#join-code")).to_be_visible()
    workshop = db.session.execute(db.select(WorkshopSession)).scalars().one()

    for width, height in ((1280, 720), (1920, 1080)):
        projector = contexts(viewport={"width": width, "height": height})
        sign_in(projector, url, lead)
        projector.goto(f"{url}/workshop/{workshop.id}/projector")
        expect(projector.locator("html")).to_have_attribute("lang", "cy")
        expect(projector.locator("#item-text [lang=en]")).to_be_visible()
        count = projector.locator("#voted-count")
        before = 0 if width == 1280 else 1  # the first phone joined
        expect(count.locator("[data-text-lang=cy]")).to_have_text(
            f"Mae 0 o {before} wedi pleidleisio"
        )
        expect(count.locator("[lang=en]")).to_have_text(f"0 of {before} have voted")
        clock = projector.locator("#countdown")
        expect(clock.locator("[data-text-lang=cy]")).to_contain_text("Amser ar ôl")
        expect(clock.locator("[lang=en]")).to_contain_text("Time left")
        shot(projector, f"projector-cy-en-{width}")

        phone = contexts(**PHONE)
        phone.goto(f"{url}/join?code={workshop.join_code}")
        phone.get_by_label("Your name").fill(f"Phone {width}")
        phone.get_by_label("Health (NHS and public health)", exact=True).check()
        phone.get_by_label("English").check()
        phone.get_by_role("button", name="Join the workshop").click()
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        joined = 1 if width == 1280 else 2
        expect(count.locator("[lang=en]")).to_have_text(
            f"0 of {joined} have voted", timeout=FOLLOW * 2
        )
        expect(count.locator("[data-text-lang=cy]")).to_have_text(
            f"Mae 0 o {joined} wedi pleidleisio"
        )
        if width == 1920:
            phone.get_by_role("button", name="Green").click()
            projector.keyboard.press("r")
            expect(projector.locator("#overall [lang=en]").first).to_be_visible(timeout=FOLLOW * 2)
            shot(projector, f"projector-cy-en-revealed-{width}")
