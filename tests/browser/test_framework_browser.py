import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_framework_browser_shows_question_5_5(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("button", name="Browse the frameworks").click()
    page.get_by_role("link", name="Integrated Offender Management: Key Principles").click()
    expect(page).to_have_url(re.compile(r"/frameworks/iom-key-principles$"))
    question = page.locator("#item-5\\.5")
    expect(question).to_contain_text(
        "Are there exit strategies in place for those offenders whose risk of re-offending "
        "has significantly reduced?"
    )
    # The GOV.UK stylesheet loaded: the heading uses the GOV.UK type scale.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontWeight") in (
        "700",
        "bold",
    )
