"""In a browser: a lead adds an action for a whole principle, then reads the strength and gap
report (section RAGs with their reasons, gaps, charts with their data, item detail) and takes
the action plan away as a spreadsheet and a PDF."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_assessment_flow import sign_in
from tests.report_world import KP, SCRIPT, build

pytestmark = pytest.mark.browser


def test_a_lead_reads_the_report_and_takes_the_action_plan_away(app, live_server, browser):
    world = build()
    context = browser.new_context(accept_downloads=True)
    try:
        lead = context.new_page()
        sign_in(lead, live_server, world.lead.email)
        lead.goto(f"{live_server}/assessments/{world.assessment.id}")

        # An action about Principle 2 as a whole, from the ratings page.
        lead.get_by_role("link", name="Ratings for each question").click()
        lead.get_by_role("link", name=re.compile(r"^Principle 2: .*rating and actions")).click()
        expect(lead.locator("h1")).to_contain_text("Principle 2")
        lead.get_by_label("What will be done").fill("Agree one tasking meeting for all partners")
        lead.get_by_label("Owner").fill("Board chair")
        lead.get_by_label("Day").fill("30")
        lead.get_by_label("Month").fill("6")
        lead.get_by_label("Year").fill("2027")
        lead.get_by_role("button", name="Add action").click()
        expect(lead.locator(".govuk-notification-banner")).to_contain_text("Action added")
        expect(lead.locator("#action-list")).to_contain_text("Board chair")

        lead.goto(f"{live_server}/assessments/{world.assessment.id}")
        lead.get_by_role("link", name="Strength and gap report").click()
        expect(lead.locator("h1")).to_contain_text("Strength and gap report: Board review")

        # Each principle's RAG in words with the sentence that explains it.
        principle_1 = lead.locator(f"#sections-{KP} tr[data-section='1']")
        expect(principle_1).to_contain_text("Amber")
        expect(principle_1).to_contain_text("Principle 1 is amber")
        # Charts are pictures with a text alternative and their figures as a table.
        bars = lead.locator(f"#chart-bars-{KP}")
        expect(bars.locator("svg").first).to_be_visible()
        assert bars.locator("table").count() == 1
        expect(bars.locator("table")).to_contain_text("Principle 1")

        # The red question is the most pressing gap; its link leads to its detail, on its
        # principle's page of the report.
        first_gap = lead.locator("#gap-list > li").first
        expect(first_gap).to_contain_text("1.1")
        expect(first_gap).to_contain_text("Red")
        first_gap.get_by_role("link").click()
        assert lead.url.endswith(f"/report/{KP}/1#item-{KP}-1.1")
        expect(lead.locator("h1")).to_contain_text("Principle 1")

        # Item detail: evidence shown as text, never run; the overdue action marked in words.
        item = lead.locator(f"#item-{KP}-1\\.1")
        expect(item).to_contain_text(SCRIPT)
        expect(item).to_contain_text("Overdue")
        # The next principle's page, and its whole-principle action.
        lead.get_by_role("link", name=re.compile("Next section")).click()
        expect(lead.locator("h1")).to_contain_text("Principle 2")
        expect(lead.locator(f"#section-actions-{KP}-2")).to_contain_text("Agree one tasking")
        lead.get_by_role("link", name="Back to the report").click()
        expect(lead.locator("h1")).to_contain_text("Strength and gap report: Board review")

        # The action plan as CSV, both actions and the whole-principle one.
        with lead.expect_download() as download_info:
            lead.get_by_role("link", name="CSV").first.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        actions = {r["Action"]: r for r in rows}
        assert actions["Write the information-sharing protocol"]["Overdue"] == "Overdue"
        assert actions["Agree one tasking meeting for all partners"]["Section"] == "2"

        # The landscape action plan PDF, as the link serves it to this signed-in browser.
        href = lead.get_by_role("link", name="Action plan (PDF, landscape)").get_attribute("href")
        response = context.request.get(live_server + href)
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        pdf = PdfReader(io.BytesIO(response.body()))
        first_page = pdf.pages[0]
        assert first_page.mediabox.width > first_page.mediabox.height
        words = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
        assert "Write the information-sharing protocol" in words
        assert "Overdue" in words
        assert "Agree one tasking meeting for all partners" in words
    finally:
        context.close()
