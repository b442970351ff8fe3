"""In a browser: a lead sets up an assessment and invites two members from different agencies;
one rates with JavaScript (autosave), the other without; the lead sees both in the matrix and
the distributions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_partnership, make_user

pytestmark = pytest.mark.browser


def sign_in(page, base, email, password=PASSWORD):
    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def invite_member(lead, base, partnership_id) -> str:
    lead.goto(f"{base}/partnerships/{partnership_id}")
    lead.get_by_role("button", name="Invite someone").click()
    lead.get_by_label("Member: rates from their agency's point of view").check()
    lead.get_by_role("button", name="Create invitation link").click()
    link = lead.locator("#invitation-link").input_value()
    return re.sub(r"^https?://[^/]+", base, link)


def accept(page, link, name, email, agency):
    page.goto(link)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label(agency, exact=True).check()
    page.locator("#password").fill("a long password")
    page.locator("#confirm").fill("a long password")
    page.get_by_role("button", name="Create account and join").click()


def open_assessment(page, title):
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=title).click()


def test_two_members_rate_and_the_lead_sees_their_ratings(app, live_server, browser):
    partnership = make_partnership(name="Northshire CSP")
    make_user(partnership, "lead", email="lead@test.example", name="Lee Lead")

    lead_context = browser.new_context()
    lead = lead_context.new_page()
    sign_in(lead, live_server, "lead@test.example")
    lead.goto(f"{live_server}/partnerships/{partnership.id}")
    open_assessments = lead.get_by_role("link", name="Assessments", exact=True)
    open_assessments.click()
    lead.get_by_role("button", name="Create an assessment").click()
    lead.get_by_label("Title").fill("Spring self-assessment")
    lead.get_by_label("Period it covers").fill("2026 to 2027")
    lead.get_by_role("button", name="Create assessment").click()
    expect(lead.locator("h1")).to_have_text("Spring self-assessment")
    lead.get_by_role("button", name="Open for rating").click()
    expect(lead.locator(".govuk-summary-list")).to_contain_text("Open for rating")
    assessment_url = lead.url
    police_link = invite_member(lead, live_server, partnership.id)
    probation_link = invite_member(lead, live_server, partnership.id)

    # A police member, with JavaScript: answers autosave without leaving the page.
    police_context = browser.new_context()
    police = police_context.new_page()
    accept(police, police_link, "Pat Police", "pat@test.example", "Police")
    expect(police).to_have_url(re.compile(rf"/partnerships/{partnership.id}$"))
    open_assessment(police, "Spring self-assessment")
    police.get_by_role("button", name="Start rating").click()
    expect(police.locator("h1")).to_contain_text("1:")
    item = police.locator("#item-1-1")
    expect(police.locator("#rating-form")).to_have_attribute("data-autosave", "on")
    item.locator("input[value='green']").check()
    expect(item.locator(".app-autosave-status")).to_have_text("Saved")
    item.locator("textarea[name='item-1-1-evidence']").fill("Protocol signed by all partners")
    item.locator("textarea[name='item-1-1-evidence']").blur()
    expect(item.locator(".app-autosave-status")).to_have_text("Saved")
    # Leave without pressing the button; coming back resumes with the answers kept.
    police.goto(assessment_url)
    expect(police.locator(".govuk-task-list").first).to_contain_text("In progress")
    police.get_by_role("button", name="Continue rating").click()
    expect(police.locator("#item-1-1 input[value='green']")).to_be_checked()
    expect(police.locator("textarea[name='item-1-1-evidence']")).to_have_value(
        "Protocol signed by all partners"
    )
    police_context.close()

    # A probation member, with JavaScript off: the Save and continue button does it all.
    probation_context = browser.new_context(java_script_enabled=False)
    probation = probation_context.new_page()
    accept(probation, probation_link, "Sam Probation", "sam@test.example", "Probation Service")
    open_assessment(probation, "Spring self-assessment")
    probation.get_by_role("link", name=re.compile(r"^\s*Principle 2")).click()
    items = probation.locator(".app-rating-item")
    count = items.count()
    assert count > 0
    for index in range(count):
        items.nth(index).locator("input[value='red']").check()
    probation.locator("#item-2-1 textarea[name='item-2-1-evidence']").fill(
        "No joint tasking\nMeetings lapsed in March"
    )
    probation.get_by_role("button", name="Save and continue").click()
    expect(probation.locator("h1")).to_contain_text("3:")
    probation.goto(assessment_url)
    second = probation.locator(".govuk-task-list").first.locator(".govuk-task-list__item").nth(1)
    expect(second).to_contain_text("Completed")
    probation_context.close()

    # The lead sees both: who has rated what, and the ratings by agency.
    lead.goto(assessment_url)
    lead.get_by_role("link", name="Who has rated what").click()
    matrix = lead.locator("#completion")
    police_row = matrix.locator("tr", has_text="Pat Police")
    expect(police_row).to_contain_text("Police")
    expect(police_row.locator("td").nth(0)).to_contain_text("1 of")
    expect(police_row.locator("td").nth(0)).to_contain_text("In progress")
    probation_row = matrix.locator("tr", has_text="Sam Probation")
    expect(probation_row.locator("td").nth(1)).to_contain_text(f"{count} of {count}")
    expect(probation_row.locator("td").nth(1)).to_contain_text("Completed")

    lead.goto(assessment_url)
    lead.get_by_role("link", name="Ratings for each question").click()
    lead.locator("tr[data-item-id='2.1'] a").click()
    by_agency = lead.locator("#distribution-by-agency")
    expect(by_agency).to_contain_text("Probation Service")
    expect(lead.locator("#evidence")).to_contain_text("No joint tasking")
    # Evidence keeps the line breaks its author typed.
    typed = lead.locator("#evidence .app-pre-line", has_text="No joint tasking").inner_text()
    assert typed.splitlines() == ["No joint tasking", "Meetings lapsed in March"]
    lead.goto(assessment_url + "/items/iom-key-principles/1.1")
    expect(lead.locator("#distribution-by-agency")).to_contain_text("Police")
    expect(lead.locator("#evidence")).to_contain_text("Protocol signed by all partners")
    lead_context.close()
