"""In a browser, on the demo `make run` loads: each demo account signs in and finds its way by
links to the page its role starts from, and that page has real content, not an empty state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from selfassess.cli import cli, register_commands
from selfassess.demo.partnership import DEMO_TITLE
from selfassess.demo.showcase import ACCOUNTS
from tests.browser.test_assessment_flow import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-1"


@pytest.fixture
def demo(app, runner, live_server):
    register_commands()  # `demo load`, as the `selfassess` command adds it
    result = runner.invoke(cli, ["demo", "load"])
    assert result.exit_code == 0, result.output
    for email, _, _ in ACCOUNTS:  # what it prints is what the README lists
        assert email in result.output
    return live_server


def _signed_in(browser, base, email):
    page = browser.new_context().new_page()
    sign_in(page, base, email, PASSWORD)
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    return page


def _open_demo_assessment(page):
    page.get_by_role("link", name="Your partnerships").click()
    page.get_by_role("link", name="Northshire Community Safety Partnership").click()
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=DEMO_TITLE).click()
    expect(page.locator("h1")).to_have_text(DEMO_TITLE)


def test_the_lead_finds_the_assessment_its_last_cycle_and_workshops(demo, browser):
    lead = _signed_in(browser, demo, "lead@demo.example")
    _open_demo_assessment(lead)
    expect(lead.get_by_text("Open for rating")).to_be_visible()
    lead.get_by_role("link", name="Schedule or run the workshop").click()
    expect(lead.get_by_role("heading", name="Earlier workshops")).to_be_visible()
    expect(lead.get_by_role("heading", name="When the board meets")).to_be_visible()
    expect(lead.get_by_text("Committee Room 2, Northshire Civic Centre")).to_be_visible()
    lead.go_back()
    lead.get_by_role("link", name="Strength and gap report").click()
    change = lead.locator("#change")
    expect(change).to_have_text("Change since the previous assessment")
    expect(lead.get_by_role("cell", name="Better").first).to_be_visible()
    lead.context.close()


def test_a_member_finds_questions_to_rate(demo, browser):
    member = _signed_in(browser, demo, "yot@demo.example")
    _open_demo_assessment(member)
    member.get_by_role("button", name="Continue rating").click()
    expect(member.locator("h1")).to_contain_text("Principle")
    questions = member.locator("fieldset legend")
    expect(questions.first).to_be_visible()
    assert questions.count() >= 2
    member.context.close()


def test_the_observer_finds_everyones_ratings(demo, browser):
    observer = _signed_in(browser, demo, "observer@demo.example")
    _open_demo_assessment(observer)
    observer.get_by_role("link", name="Ratings for each question, overall and by agency").click()
    expect(observer.locator("h1")).to_contain_text("Ratings for each question")
    expect(observer.get_by_text("Contested").first).to_be_visible()
    expect(
        observer.get_by_role("cell", name=re.compile(r"^(Red|Amber|Green)")).first
    ).to_be_visible()
    observer.context.close()


def test_the_analyst_finds_the_national_picture_and_its_change(demo, browser):
    analyst = _signed_in(browser, demo, "analyst@demo.example")
    # The picture draws a chart for every question on its first showing: on a busy machine that
    # outlasts Playwright's 30 s default, which is about the machine, not the page.
    analyst.set_default_timeout(120_000)
    analyst.get_by_role("link", name="National", exact=True).click()
    rounds = analyst.get_by_role("link", name=re.compile(r"^IOM national return \d{4}$"))
    expect(rounds).to_have_count(2)
    rounds.first.click()  # the latest round, open now
    expect(analyst.get_by_text(re.compile(r"\d+ of \d+ expected partnerships"))).to_be_visible()
    outstanding = analyst.get_by_text("Northshire Community Safety Partnership (E22DEMO)")
    expect(outstanding).to_be_visible()

    analyst.get_by_role("link", name="The national picture").click()
    expect(analyst.locator("#returns-count")).to_contain_text("Changes are in percentage points")
    # Each chart's figures, with the change, are one click away under it.
    analyst.get_by_text("Show the figures").first.click()
    change = analyst.get_by_role("cell", name=re.compile(r"^[+-]\d+\.\d$"))
    expect(change.first).to_be_visible()

    # One region is too small to show.
    analyst.get_by_label("Show").select_option(label="North East")
    analyst.get_by_role("button", name="Show figures").click()
    expect(analyst.get_by_text(re.compile(r"Fewer than \d+ returns")).first).to_be_visible()
    analyst.context.close()
