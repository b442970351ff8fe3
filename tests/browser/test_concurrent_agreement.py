"""Two leads of one partnership, in two real browsers, change the same agreed rating at once.

Both open the question's page with the board's agreed rating (amber) and change it. The first
to save wins. The second is told, on a GOV.UK error, what it now is and why; what they chose and
typed is still in the form, not saved. The history shows the one change, and nothing is lost:
when the second lead saves again their rating goes on top, and the first lead's stays in the
history.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from selfassess.services.agreement import save_agreed_rating
from tests.browser.test_assessment_flow import sign_in
from tests.factories import make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser

KP = "iom-key-principles"


def _history_entries(page) -> list[str]:
    return page.locator("#history-list > li").all_inner_texts()


def test_the_first_save_wins_the_second_is_told_and_keeps_their_text(app, live_server, browser):
    partnership = make_partnership()
    first_lead = make_user(partnership, "lead", name="Asha First", email="asha@test.example")
    second_lead = make_user(partnership, "lead", name="Ben Second", email="ben@test.example")
    assessment = make_assessment(partnership)
    save_agreed_rating(assessment, KP, "1.1", "amber", "Partly in place", None, first_lead)
    url = f"{live_server}/assessments/{assessment.id}/items/{KP}/1.1"

    first_context, second_context = browser.new_context(), browser.new_context()
    try:
        first, second = first_context.new_page(), second_context.new_page()
        sign_in(first, live_server, "asha@test.example")
        sign_in(second, live_server, "ben@test.example")
        for page in (first, second):
            page.goto(url)
            expect(page.locator("#current-agreed")).to_contain_text("Amber")
        assert len(_history_entries(first)) == 1

        # Both change the form; the first lead saves first.
        form_a = first.locator("#agreed-rating-form")
        form_a.get_by_label("Green").check()
        form_a.get_by_label("Why the board agreed this rating").fill("Protocol signed in May")
        form_b = second.locator("#agreed-rating-form")
        form_b.get_by_label("Red").check()
        form_b.get_by_label("Why the board agreed this rating").fill("No shared protocol yet")

        form_a.get_by_role("button", name="Save agreed rating").click()
        expect(first.locator(".govuk-notification-banner")).to_contain_text("Agreed rating saved")
        expect(first.locator("#current-agreed")).to_contain_text("Green")

        form_b.get_by_role("button", name="Save agreed rating").click()
        # Told, on a GOV.UK error, what the rating now is and why.
        expect(second).to_have_title(re.compile(r"^Error: "))
        summary = second.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("There is a problem")
        stale = second.locator("#stale-agreed")
        expect(stale).to_contain_text("Someone else saved an agreed rating first")
        expect(stale).to_contain_text("It is now Green")
        expect(stale).to_contain_text("Protocol signed in May")
        # What they chose and typed is still there, not saved.
        form_b = second.locator("#agreed-rating-form")
        expect(form_b.get_by_label("Red")).to_be_checked()
        expect(form_b.get_by_label("Why the board agreed this rating")).to_have_value(
            "No shared protocol yet"
        )
        expect(second.locator("#current-agreed")).to_contain_text("Green")

        # The history shows the one change: amber to green, by the first lead.
        first.reload()
        entries = _history_entries(first)
        assert len(entries) == 2, entries
        changes = [e for e in entries if "Amber → Green" in e]
        assert len(changes) == 1 and "Asha First" in changes[0], entries
        assert not any("No shared protocol yet" in e for e in entries)

        # Nothing is lost: saving again puts the second lead's rating on top of the first's.
        form_b.get_by_role("button", name="Save agreed rating").click()
        expect(second.locator(".govuk-notification-banner")).to_contain_text("Agreed rating saved")
        expect(second.locator("#current-agreed")).to_contain_text("Red")
        entries = _history_entries(second)
        assert len(entries) == 3, entries
        assert any("Protocol signed in May" in e for e in entries)
        assert any("No shared protocol yet" in e and second_lead.name in e for e in entries)
    finally:
        first_context.close()
        second_context.close()
