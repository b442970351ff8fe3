"""Keyboard only: a member signs in and rates a section; a participant joins and votes on a
phone; the facilitator reveals, agrees a rating and moves on with N, P, R, Tab and Enter.

No clicks and no fill(): every step is a key press or typed text, and where the user would look
for it the test checks that the focused element shows it has focus.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from selfassess.demo.partnership import DEMO_CODE
from selfassess.extensions import db
from selfassess.models import AgreedRating, Participant, Partnership, Rating
from tests.browser import a11y_world
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

world = a11y_world.world
open_as = a11y_world.open_as

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
KP = "iom-key-principles"

ACTIVE = """() => {
  const e = document.activeElement;
  const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
  return {tag: e.tagName.toLowerCase(), id: e.id || '', name: e.name || '',
          value: e.value || '', type: e.type || '', checked: !!e.checked,
          text: (e.innerText || '').trim(), label: label ? label.innerText.trim() : '',
          href: e.getAttribute('href') || ''};
}"""

# The focused element looks different from when it is not focused (outline, shadow, colour;
# for GOV.UK radios and checkboxes the ring is drawn on the label's ::before).
FOCUS_SHOWS = """() => {
  const e = document.activeElement;
  const look = () => {
    const s = getComputedStyle(e);
    const parts = [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow,
                   s.backgroundColor, s.color, s.textDecorationLine, s.borderColor];
    const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
    if (label) {
      const b = getComputedStyle(label, '::before');
      parts.push(b.boxShadow, b.outlineStyle, b.borderWidth);
    }
    return parts.join('|');
  };
  const focused = look();
  e.blur();
  const blurred = look();
  e.focus();
  return focused !== blurred;
}"""


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def tab_until(page, wanted, key: str = "Tab", limit: int = 250) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches wanted(active) ."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = active(page)
        if wanted(now):
            return now
    raise AssertionError(f"{key} never reached the element; last focus {active(page)}")


def assert_focus_visible(page) -> None:
    assert page.evaluate(FOCUS_SHOWS), f"no visible focus on {active(page)}"


def sign_in_with_keyboard(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/sign-in")
    page.keyboard.press("Tab")
    first = active(page)
    assert first["text"] == "Skip to main content" and first["href"] == "#main-content"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main-content"
    now = tab_until(page, lambda a: a["tag"] == "input" and a["type"] == "email")
    assert now["label"] == "Email address"
    assert_focus_visible(page)
    page.keyboard.type(email)
    now = tab_until(page, lambda a: a["type"] == "password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def test_a_member_rates_a_section_with_the_keyboard_only(world, page):
    partnership = db.session.execute(select(Partnership).filter_by(code=DEMO_CODE)).scalar_one()
    member = make_user(partnership, "member", agency="housing", name="Kay Board")
    sign_in_with_keyboard(page, world.url, member.email, PASSWORD)

    page.goto(f"{world.url}/assessments/{world.assessment_id}/rate/{KP}/{world.section_id}")
    page.keyboard.press("Tab")
    assert active(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")

    # Into the first question's radios; Space chooses, the arrow keys change the choice.
    radio = tab_until(page, lambda a: a["type"] == "radio")
    assert radio["name"] == "item-1-1-value" and radio["value"] == "red"
    assert_focus_visible(page)
    page.keyboard.press("Space")
    assert active(page)["checked"]
    page.keyboard.press("ArrowDown")
    now = active(page)
    assert now["value"] == "amber" and now["checked"]
    expect(page.locator("input[name='item-1-1-value']:checked")).to_have_value("amber")

    # Tab leaves the radios for the evidence, then the measures; Shift+Tab goes back.
    evidence = tab_until(page, lambda a: a["tag"] == "textarea")
    assert evidence["name"] == "item-1-1-evidence"
    assert_focus_visible(page)
    page.keyboard.type("Agreed in principle; not yet applied in the north.")
    measures = tab_until(page, lambda a: a["tag"] == "textarea")
    assert measures["name"] == "item-1-1-improvement"
    page.keyboard.type("Board to review in March.")
    back = tab_until(page, lambda a: a["tag"] == "textarea", key="Shift+Tab")
    assert back["name"] == "item-1-1-evidence"

    # On to the button that saves, and Enter.
    button = tab_until(page, lambda a: a["id"] == "save-and-continue")
    assert button["text"] == "Save and continue"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: f"/rate/{KP}/{world.section_id}" not in url)

    db.session.expire_all()
    rating = db.session.execute(
        select(Rating)
        .join(Participant, Participant.id == Rating.participant_id)
        .filter(Participant.user_id == member.id, Rating.item_id == "1.1")
    ).scalar_one()
    assert rating.value == "amber"
    assert rating.evidence == "Agreed in principle; not yet applied in the north."
    assert rating.improvement == "Board to review in March."


def shortcut(screen, key: str) -> None:
    """Press a facilitator shortcut once the reloaded page's shortcuts are listening."""
    expect(screen.locator("#facilitator")).to_have_attribute("data-shortcuts", "ready")
    screen.keyboard.press(key)


def test_a_workshop_with_the_keyboard_only(world, open_as):
    # A participant joins on a phone: the code is in the link, the rest is typed.
    phone = open_as(None, **PHONE)
    phone.goto(f"{world.url}/join?code={world.join_code}")
    phone.keyboard.press("Tab")
    assert active(phone)["text"] == "Skip to main content"
    phone.keyboard.press("Enter")
    code = tab_until(phone, lambda a: a["tag"] == "input")
    assert code["label"] == "Join code" and code["value"] == world.join_code
    tab_until(phone, lambda a: a["label"] == "Your name")
    phone.keyboard.type("Kim Keys")
    agency = tab_until(phone, lambda a: a["type"] == "radio")
    assert_focus_visible(phone)
    phone.keyboard.press("Space")
    chosen = active(phone)["label"]
    assert active(phone)["checked"]
    tab_until(phone, lambda a: a["text"] == "Join the workshop")
    assert_focus_visible(phone)
    phone.keyboard.press("Enter")
    expect(phone.locator("#item-text")).to_contain_text("1.1")
    assert agency["type"] == "radio" and chosen

    # The facilitator's screen: N moves to question 2 (not agreed yet); the phone follows.
    screen = open_as("lead", viewport={"width": 1280, "height": 900})
    screen.goto(f"{world.url}/workshop/{world.workshop_id}")
    expect(screen.locator("#progress-label")).to_have_text(re.compile(r"^Question 1 of \d+$"))
    shortcut(screen, "n")
    expect(screen.locator("#progress-label")).to_have_text(re.compile(r"^Question 2 of"))
    expect(phone.locator("#item-text")).to_contain_text("1.2")
    votes_before = screen.locator("#vote-count").inner_text()

    # The participant votes: Tab to Amber, Enter. Focus lands on the saved-vote message and the
    # next Tab is back on the vote buttons, not the top of the page.
    tab_until(phone, lambda a: a["text"] == "Amber")
    assert_focus_visible(phone)
    phone.keyboard.press("Enter")
    expect(phone.locator("#vote-status")).to_contain_text("Your vote is saved: Amber.")
    expect(phone.locator("#vote-status")).to_be_focused()
    phone.keyboard.press("Tab")
    assert active(phone)["text"] == "Red"
    expect(screen.locator("#vote-count")).not_to_have_text(votes_before)

    # R reveals the votes.
    shortcut(screen, "r")
    expect(screen.locator(".app-result")).to_be_visible()
    expect(phone.locator("#vote-status")).to_contain_text("The votes are revealed.")

    # Tab to the agreed rating, choose with Space and the arrows, explain, save with Enter.
    # Typing n, p or r in the text box types them: the shortcuts stay out of the way.
    radio = tab_until(screen, lambda a: a["type"] == "radio" and a["name"] == "value")
    assert_focus_visible(screen)
    screen.keyboard.press("Space")
    while active(screen)["value"] != "amber":
        screen.keyboard.press("ArrowRight")
    assert active(screen)["checked"] and radio["name"] == "value"
    tab_until(screen, lambda a: a["tag"] == "textarea")
    screen.keyboard.type("Partners report progress; health not yet signed up")
    expect(screen.locator("#progress-label")).to_have_text(re.compile(r"^Question 2 of"))
    tab_until(screen, lambda a: a["text"] == "Save agreed rating")
    assert_focus_visible(screen)
    screen.keyboard.press("Enter")
    expect(screen.locator("#agreed-rating")).to_contain_text("Amber")
    expect(screen.locator("#agreed-rating")).to_contain_text("health not yet signed up")
    expect(phone.locator("#agreed")).to_contain_text("The board agreed: Amber")
    db.session.expire_all()
    agreed = db.session.execute(
        select(AgreedRating).filter_by(
            assessment_id=world.assessment_id, framework_id=KP, item_id="1.2"
        )
    ).scalar_one()
    assert agreed.value == "amber"

    # P goes back, N on again; the phone follows, and its keyboard user (focus on a vote
    # button) lands on the new question rather than the top of the page.
    shortcut(screen, "p")
    expect(screen.locator("#progress-label")).to_have_text(re.compile(r"^Question 1 of"))
    expect(phone.locator("#item-text")).to_contain_text("1.1")
    expect(phone.locator("#item-text")).to_be_focused()
    shortcut(screen, "n")
    expect(screen.locator("#progress-label")).to_have_text(re.compile(r"^Question 2 of"))
    expect(phone.locator("#item-text")).to_contain_text("1.2")

    # The shortcuts can be turned off (and stay off after the page reloads).
    toggle = tab_until(screen, lambda a: a["id"] == "shortcuts-on")
    assert toggle["checked"]
    assert_focus_visible(screen)
    screen.keyboard.press("Space")
    assert not active(screen)["checked"]
    screen.reload()
    expect(screen.locator("#shortcuts-on")).not_to_be_checked()
    screen.evaluate(
        "document.querySelector('[data-shortcut=n]')"
        ".addEventListener('click', () => { window.shortcutClicked = true; })"
    )
    shortcut(screen, "n")
    assert screen.evaluate("window.shortcutClicked") is None
    expect(screen.locator("#progress-label")).to_have_text(re.compile(r"^Question 2 of"))
