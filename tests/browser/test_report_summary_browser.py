"""Done when: a board member opens the report of an assessment whose numbers we set up and reads
its one-page summary in a real browser: every tile's word, colour and sentence, the most pressing
gaps with their actions, the action counts and who took part; the PDF's first pages say the
same."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from selfassess.domain import palette
from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from tests.browser.test_assessment_flow import sign_in
from tests.factories import make_user, rate
from tests.report_world import KP, build

pytestmark = pytest.mark.browser

# What the summary must say, from the numbers set up below.
TILES = {
    "1": ("Amber", "Of its 10 questions, 3 are green, 1 amber and 2 red; 4 not rated yet."),
    "2": ("Green", "Of its 6 questions, 2 are green; 4 not rated yet."),
    "3": ("Red", "Of its 5 questions, 2 are red; 3 not rated yet."),
    "4": ("Not rated", "0 of its 6 questions rated so far: too few to give it a rating."),
    "5": ("Not rated", "0 of its 5 questions rated so far: too few to give it a rating."),
}
FILL = {"Amber": palette.AMBER.fill, "Green": palette.GREEN.fill, "Red": palette.RED.fill}


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def set_up():
    world = build()  # 1.1 red/red, 1.2 green/green, 1.3 agreed green; 2.1 don't know
    lead = participant_for(world.assessment, world.lead)
    member = participant_for(world.assessment, world.member)
    housing = make_user(world.partnership, "member", name="Hana Housing", agency="housing")
    third = participant_for(world.assessment, housing, create=True)
    # Principle 1: 1.4 green, 1.5 amber, 1.6 red: with 1.1 red, 1.2 and 1.3 green, an average
    # of 2 (amber).
    rate(lead, "1.4", "green")
    rate(lead, "1.5", "amber")
    rate(third, "1.6", "red")
    # Principle 2: 2.2 and 2.3 green (agreed); Principle 3: 3.1 and 3.2 red.
    for item in ("2.2", "2.3"):
        rate(member, item, "green")
        save_agreed_rating(world.assessment, KP, item, "green", None, None, world.lead)
    rate(third, "3.1", "red")
    rate(member, "3.2", "red")
    add_action(
        world.assessment,
        KP,
        "Name a lead for each agency",
        "Housing",
        world.lead,
        due_on=date.today() + timedelta(days=14),
        item_id="3.1",
    )
    return world


def test_the_summary_page_and_the_pdf_say_what_the_numbers_say(app, live_server, browser):
    world = set_up()
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, live_server, world.observer.email)
        page.goto(f"{live_server}/assessments/{world.assessment.id}/report")
        summary = page.locator(".app-summary")
        expect(summary.locator("h2")).to_have_text("Summary")
        expect(page.locator("#summary-people")).to_have_text(
            "3 people from 3 agencies gave ratings."
        )
        for section, (word, sentence) in TILES.items():
            tile = page.locator(f"#tiles-{KP} li[data-section='{section}']")
            expect(tile.locator(".app-rag")).to_have_text(word)
            expect(tile.locator(".app-tile__why")).to_have_text(sentence)
            if word in FILL:  # the band across the top is the palette's colour
                colour = tile.evaluate("el => getComputedStyle(el).borderTopColor")
                assert colour == rgb(FILL[word]), (section, colour)
        gaps = page.locator("#summary-gaps > li")
        expect(gaps).to_have_count(5)
        texts = [re.sub(r"\s+", " ", t) for t in gaps.all_inner_texts()]
        assert [re.search(r"\b\d\.\d+\b", t).group() for t in texts] == [
            "1.1",
            "1.6",
            "3.1",
            "3.2",
            "1.5",
        ]
        assert "Action: Write the information-sharing protocol (Police" in texts[0]
        assert "overdue" in texts[0]
        assert "Action: Name a lead for each agency (Housing" in texts[2]
        assert "No action agreed yet." in texts[1]
        expect(page.locator("#summary-actions")).to_have_text(
            re.compile(r"2\s*open\s*1\s*due in the next month\s*1\s*overdue")
        )
        # Then the contents, then the detail.
        expect(page.locator("nav.app-contents h2")).to_have_text("Contents")
        assert page.evaluate(
            "document.querySelector('.app-summary').compareDocumentPosition("
            "document.querySelector('nav.app-contents')) & Node.DOCUMENT_POSITION_FOLLOWING"
        )

        href = page.get_by_role("link", name="Download this report (PDF)").get_attribute("href")
        response = context.request.get(live_server + href)
        pdf = PdfReader(io.BytesIO(response.body()))
        first = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
        assert "3 people from 3 agencies gave ratings." in first
        for _, sentence in TILES.values():
            assert sentence in first
        assert "Actions 2 open 1 due in the next month 1 overdue" in first
        assert "Name a lead for each agency (Housing" in first
        second = re.sub(r"\s+", " ", pdf.pages[1].extract_text())
        assert second.startswith("Contents Summary")
    finally:
        context.close()
