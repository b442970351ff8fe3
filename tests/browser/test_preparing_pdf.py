"""In a browser: a PDF that takes a while shows "Preparing your PDF" (accessible, WCAG 2.2 AA),
which checks quietly and opens the PDF by itself when it is ready."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_assessment_flow import sign_in
from tests.report_world import build

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_the_report_pdf_is_prepared_then_opens_by_itself(app, live_server, browser, width):
    app.config["DOCUMENT_WAIT_SECONDS"] = 0  # every build outlasts the wait
    world = build()
    context = browser.new_context(viewport={"width": width, "height": 800}, accept_downloads=True)
    try:
        lead = context.new_page()
        sign_in(lead, live_server, world.lead.email)
        url = f"{live_server}/assessments/{world.assessment.id}/report.pdf"
        with lead.expect_event(
            "response",
            lambda r: r.url == url and r.headers.get("content-type") == "application/pdf",
            timeout=120_000,
        ) as opened:
            first = lead.goto(url)
            assert first.status == 202
            expect(lead.locator("h1")).to_have_text("Preparing your PDF")
            assert_accessible(lead, f"the preparing page at {width} px")
            assert lead.evaluate("document.documentElement.scrollWidth") <= width
        assert opened.value.status == 200  # the page went on to the PDF without a click
    finally:
        context.close()
