"""In a browser: a partnership lead answers the 2013 national survey one question per page.
Questions whose asked_if does not hold are skipped; after "how many IOM arrangements" the
arrangement-level question is asked once per arrangement. The lead checks the answers, changes
one (which brings in the question it unlocks) and submits the return; a national analyst then
sees the return counted on the collection page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from selfassess.extensions import db
from selfassess.services.collections import create_collection
from tests.browser.test_assessment_flow import sign_in
from tests.factories import make_partnership, make_user

pytestmark = pytest.mark.browser

S = "national-survey-2013"
Q1 = "Does your CSP have Integrated Offender Management"
Q2 = "If not, are there plans to put IOM arrangements in place?"
Q6 = "Which agencies are involved in this IOM arrangement?"
Q8 = "Which agencies are located on the same premises as the police?"
Q11 = "Which types of offender do your IOM arrangements prioritise?"


def heading(page):
    return page.locator("h1")


def choose(page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def test_a_lead_answers_the_survey_and_the_analyst_sees_the_return(app, live_server, browser):
    partnership = make_partnership(name="Northshire CSP", region="north_west")
    other = make_partnership(name="Southshire CSP", region="london")
    make_user(partnership, "lead", email="lead@test.example", name="Lee Lead")
    make_user(None, email="analyst@test.example", name="Ana Analyst", is_analyst=True, agency=None)
    today = date.today()
    create_collection(
        "National IOM survey",
        "survey-now",
        [S],
        today - timedelta(days=1),
        today + timedelta(days=30),
        expected=[partnership, other],
    )
    db.session.commit()

    lead = browser.new_context().new_page()
    sign_in(lead, live_server, "lead@test.example")
    lead.goto(f"{live_server}/partnerships/{partnership.id}")
    lead.locator("#national-returns-link").click()
    expect(heading(lead)).to_have_text("National returns")
    expect(lead.locator("table")).to_contain_text("Not submitted")
    lead.get_by_role("link", name=re.compile("^Answer and submit")).click()

    # One question per page, in order.
    expect(heading(lead)).to_contain_text(Q1)
    choose(lead, "Yes")
    # q2 is asked only when q1 is no: skipped.
    expect(heading(lead)).to_contain_text("fully or partly established")
    choose(lead, "Fully established")
    expect(heading(lead)).to_contain_text("single IOM arrangement")
    choose(lead, "Several arrangements covering different parts of the area")
    expect(heading(lead)).to_contain_text("If several, how many")
    choose(lead, "2")

    # How many arrangements, then the arrangement-level question once for each.
    expect(heading(lead)).to_contain_text("How many IOM arrangements")
    lead.get_by_label("How many IOM arrangements").fill("0")
    lead.get_by_role("button", name="Save and continue").click()
    expect(lead).to_have_title(re.compile("^Error: "))
    expect(lead.locator(".govuk-error-summary")).to_contain_text("Enter a number from 1 to 20")
    lead.get_by_label("How many IOM arrangements").fill("2")
    lead.get_by_role("button", name="Save and continue").click()

    expect(heading(lead)).to_contain_text(Q6)
    expect(lead.locator(".govuk-caption-l")).to_contain_text("arrangement 1 of 2")
    lead.get_by_label("Police", exact=True).check()
    lead.get_by_label("Probation service", exact=True).check()
    lead.get_by_role("button", name="Save and continue").click()
    expect(heading(lead)).to_contain_text(Q6)
    expect(lead.locator(".govuk-caption-l")).to_contain_text("arrangement 2 of 2")
    lead.get_by_label("Police", exact=True).check()
    lead.get_by_label("Housing services", exact=True).check()
    lead.get_by_role("button", name="Save and continue").click()

    expect(heading(lead)).to_contain_text("share premises")
    choose(lead, "No")
    # q8 (which agencies share premises with the police) is asked of every CSP with IOM.
    expect(heading(lead)).to_contain_text(Q8)
    lead.get_by_label("None: the police are not co-located with other agencies").check()
    lead.get_by_role("button", name="Save and continue").click()
    expect(heading(lead)).to_contain_text("how many offenders")
    choose(lead, "101 to 200")
    expect(heading(lead)).to_contain_text("prioritise specific types of offender")
    choose(lead, "No")
    # q11 skipped (q10 is no).
    expect(heading(lead)).to_contain_text("monitor the outcomes")
    lead.get_by_label("Local evaluation", exact=True).check()
    lead.get_by_role("button", name="Save and continue").click()
    expect(heading(lead)).to_contain_text("support tools")
    lead.get_by_label("IOM Key Principles", exact=True).check()
    lead.get_by_role("button", name="Save and continue").click()

    # Check your answers: skipped questions are not there; q6 is there once per arrangement.
    expect(heading(lead)).to_have_text("Check your answers before submitting the return")
    answers = lead.locator(".govuk-summary-list")
    expect(answers).to_contain_text(Q1)
    expect(answers).not_to_contain_text(Q2)
    expect(answers).to_contain_text(Q8)
    expect(answers).not_to_contain_text(Q11)
    arrangement_rows = lead.locator(".govuk-summary-list__row").filter(has_text=Q6)
    expect(arrangement_rows).to_have_count(2)
    expect(arrangement_rows.nth(0)).to_contain_text("(arrangement 1)")
    expect(arrangement_rows.nth(0)).to_contain_text("Probation service")
    expect(arrangement_rows.nth(1)).to_contain_text("(arrangement 2)")
    expect(arrangement_rows.nth(1)).to_contain_text("Housing services")
    number = lead.locator(".govuk-summary-list__row").filter(has_text="Number of IOM arrangements")
    expect(number).to_contain_text("2")

    # Changing q10 to yes brings in q11, which is then shown as not answered.
    priorities = lead.locator(".govuk-summary-list__row").filter(
        has_text="prioritise specific types of offender"
    )
    priorities.get_by_role("link", name=re.compile("^Change")).click()
    expect(heading(lead)).to_contain_text("prioritise specific types of offender")
    choose(lead, "Yes")
    expect(heading(lead)).to_have_text("Check your answers before submitting the return")
    q11 = lead.locator(".govuk-summary-list__row").filter(has_text=Q11)
    expect(q11).to_contain_text("Not answered")
    q11.get_by_role("link", name=re.compile("^Change")).click()
    expect(heading(lead)).to_contain_text(Q11)
    lead.get_by_label("Drug misusing offenders", exact=True).check()
    lead.get_by_role("button", name="Save and continue").click()
    expect(heading(lead)).to_have_text("Check your answers before submitting the return")
    expect(lead.locator(".govuk-summary-list__row").filter(has_text=Q11)).to_contain_text(
        "Drug misusing offenders"
    )

    lead.get_by_role("button", name="Submit the return").click()
    expect(lead.locator(".govuk-notification-banner")).to_contain_text(
        "Return submitted to National IOM survey (version 1)"
    )
    expect(lead.locator("table")).to_contain_text("Submitted (version 1)")

    # The analyst sees the return counted on the collection page.
    analyst = browser.new_context().new_page()
    sign_in(analyst, live_server, "analyst@test.example")
    analyst.goto(f"{live_server}/national/")
    analyst.get_by_role("link", name="National IOM survey").click()
    expect(heading(analyst)).to_have_text("National IOM survey")
    expect(analyst.locator("#response-rate")).to_contain_text(
        "1 of 2 expected partnerships have made a return (50.0%)"
    )
    expect(analyst.locator("#outstanding")).to_contain_text("Southshire CSP")
    expect(analyst.locator("#outstanding")).not_to_contain_text("Northshire CSP")
    expect(analyst.locator("#returns")).to_contain_text("Northshire CSP")
    expect(analyst.locator("#by-region")).to_contain_text("North West")
