"""In a browser: the lead invites someone by email; the link is read from the message the SMTP
server received; the new member accepts it and rates."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from selfassess.services.mail import delivery
from selfassess.services.mail.senders import sender_for
from tests.browser.test_assessment_flow import sign_in
from tests.factories import make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser


def test_the_lead_invites_by_email_and_the_new_member_accepts_and_rates(
    app, live_server, browser, smtp_server
):
    partnership = make_partnership(name="Northshire CSP")
    make_user(partnership, "lead", email="lead@test.example", name="Lee Lead")
    make_assessment(partnership, title="Spring self-assessment")

    lead_context = browser.new_context()
    lead = lead_context.new_page()
    sign_in(lead, live_server, "lead@test.example")
    lead.goto(f"{live_server}/partnerships/{partnership.id}")
    lead.get_by_role("button", name="Invite someone").click()
    lead.get_by_label("Member: rates from their agency's point of view").check()
    lead.get_by_label("Their email address (optional)").fill("pat@test.example")
    lead.get_by_role("button", name="Create invitation link").click()
    expect(lead.locator("#emailed")).to_contain_text("pat@test.example")
    lead_context.close()

    assert delivery.send_due(sender_for(app)).sent == 1
    [message] = smtp_server.recorder.to("pat@test.example")
    assert "Invitation to join Northshire CSP" in message.subject
    link = re.search(r"https?://\S+/invitations/\S+", message.text()).group(0)

    pat_context = browser.new_context()
    pat = pat_context.new_page()
    pat.goto(re.sub(r"^https?://[^/]+", live_server, link))
    expect(pat.get_by_role("heading", level=1)).to_have_text("Set up your account")
    pat.get_by_label("Full name").fill("Pat Probation")
    expect(pat.get_by_label("Email address")).to_have_value("pat@test.example")
    pat.get_by_label("Probation Service").check()
    pat.locator("#password").fill("a long password")
    pat.locator("#confirm").fill("a long password")
    pat.get_by_role("button", name="Create account and join").click()
    expect(pat).to_have_url(re.compile(rf"/partnerships/{partnership.id}$"))
    pat.get_by_role("link", name="Assessments", exact=True).click()
    pat.get_by_role("link", name="Spring self-assessment").click()
    pat.get_by_role("button", name="Start rating").click()
    item = pat.locator("#item-1-1")
    expect(pat.locator("#rating-form")).to_have_attribute("data-autosave", "on")
    item.locator("input[value='amber']").check()
    expect(item.locator(".app-autosave-status")).to_have_text("Saved")
    pat_context.close()
