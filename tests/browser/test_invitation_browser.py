"""In a browser: a lead invites someone, copies the link, and the invitee sets up an account."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_partnership, make_user

pytestmark = pytest.mark.browser


def test_lead_invites_and_the_invitee_joins(app, live_server, browser):
    partnership = make_partnership(name="Northshire CSP")
    make_user(partnership, "lead", email="lead@test.example", name="Lee Lead")

    lead_context = browser.new_context()
    lead_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    lead = lead_context.new_page()
    lead.goto(live_server + "/sign-in")
    lead.get_by_label("Email address").fill("lead@test.example")
    lead.locator("#password").fill(PASSWORD)
    lead.get_by_role("button", name="Sign in").click()
    lead.get_by_role("link", name="Your partnerships").click()
    lead.get_by_role("link", name="Northshire CSP").click()
    lead.get_by_role("button", name="Invite someone").click()
    lead.get_by_label("Member: rates from their agency's point of view").check()
    lead.get_by_label("Who is it for? (optional)").fill("Pat, probation")
    lead.get_by_role("button", name="Create invitation link").click()
    expect(lead.locator(".govuk-panel__title")).to_have_text("Invitation link created")
    # The copy button appears with JavaScript and copies the link (the CSP lets its script run).
    copy = lead.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    copy.click()
    expect(lead.locator("#copy-status")).to_have_text("Link copied.")
    link = lead.locator("#invitation-link").input_value()
    assert lead.evaluate("navigator.clipboard.readText()") == link
    lead_context.close()

    invitee_context = browser.new_context()
    invitee = invitee_context.new_page()
    invitee.goto(link.replace("http://localhost", live_server))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up your account")
    invitee.get_by_label("Full name").fill("Pat Probation")
    invitee.get_by_label("Email address").fill("pat@test.example")
    invitee.get_by_label("Probation Service").check()
    invitee.locator("#password").fill("a long password")
    invitee.locator("#confirm").fill("a long password")
    invitee.get_by_role("button", name="Create account and join").click()
    expect(invitee).to_have_url(re.compile(rf"/partnerships/{partnership.id}$"))
    expect(invitee.locator("#members")).to_contain_text("Pat Probation (you)")
    expect(invitee.locator("#members")).to_contain_text("Probation Service")
    invitee_context.close()
