"""At 360 px wide (a small phone) no page scrolls sideways: wide tables scroll inside their own
labelled, focusable box (the GOV.UK pattern) and charts shrink. Every page type the
accessibility test visits, on the same populated service, plus the phone's live workshop."""

from __future__ import annotations

import pytest

from tests.browser import a11y_world
from tests.browser.test_accessibility import CASES, PHONE, Case

pytestmark = pytest.mark.browser

world = a11y_world.world
open_as = a11y_world.open_as

NARROW = 360
# What scrolls sideways past the page, for the failure message.
WIDE = """(limit) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > limit + 1)
  .filter(el => !el.closest('.app-table-scroll'))
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > limit + 1))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + (el.id || ''))"""
SCROLL_BOXES = """() => [...document.querySelectorAll('.app-table-scroll')].map(box => ({
  region: box.getAttribute('role'), label: box.getAttribute('aria-label'),
  tabindex: box.getAttribute('tabindex')}))"""


def assert_fits(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW, (
        f"{where} is {width} px wide at {NARROW} px: {page.evaluate(WIDE, NARROW)}"
    )
    # Each box that scrolls on its own can be reached by keyboard and is named.
    for box in page.evaluate(SCROLL_BOXES):
        assert box["region"] == "region" and box["tabindex"] == "0" and box["label"], (where, box)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_page_scrolls_sideways_at_360_px(case: Case, world, open_as):
    page = open_as(case.role, **PHONE)
    response = page.goto(world.url + case.path(world))
    assert response.status == case.status
    if case.prepare:
        case.prepare(page, world)
    assert_fits(page, case.name)


def test_the_phone_workshop_fits_at_360_px(world, open_as):
    page = open_as(None, **PHONE)
    page.goto(f"{world.url}/join?code={world.join_code}")
    page.get_by_label("Your name").fill("Sam Guest")
    page.get_by_label("Housing", exact=True).check()
    page.get_by_role("button", name="Join the workshop").click()
    page.wait_for_url(lambda url: "/live" in url)
    assert_fits(page, "the phone's live workshop")
