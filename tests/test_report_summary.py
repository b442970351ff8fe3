"""The report's one-page summary: a tile per section with its RAG word and why, the change since
last cycle, the most pressing gaps with their actions, the actions in numbers, who took part;
and the summary keeps the report's visibility rules."""

from __future__ import annotations

from datetime import date, timedelta

from selfassess.services.agreement import add_action, participant_for
from tests.factories import rate
from tests.report_world import KP, build, sign_in


def url(world):
    return f"/assessments/{world.assessment.id}/report"


def tile(page, section_id: str) -> str:
    return page.select_one(f"#tiles-{KP} li[data-section='{section_id}']").get_text(" ", strip=True)


def test_each_principle_is_a_tile_with_its_rag_word_and_a_plain_sentence(app, client, get_page):
    world = build()
    sign_in(client, world.observer)
    page = get_page(url(world))
    tiles = page.select(f"#tiles-{KP} li.app-tile")
    assert [t["data-section"] for t in tiles] == ["1", "2", "3", "4", "5"]
    # 1.1 red, 1.2 green, 1.3 agreed green: amber (an average of 2.33 falls short of 2.5).
    p1 = tile(page, "1")
    assert "Principle 1: All partners tackling offenders together" in p1
    assert "Amber (provisional)" in p1
    assert "Of its 10 questions, 2 are green and 1 red; 7 not rated yet." in p1
    assert "app-tile--amber" in tiles[0]["class"]
    # Principle 2 holds only a "don't know": no rating, and the tile says why in words.
    p2 = tile(page, "2")
    assert "Not rated" in p2 and "0 of its 6 questions rated so far" in p2
    # No previous cycle: no change to show.
    assert not page.select(".app-tile__change")


def test_summary_lists_the_most_pressing_gaps_with_actions_and_counts(app, client, get_page):
    world = build()
    lead = participant_for(world.assessment, world.lead)
    for item in ("1.4", "1.5", "1.6", "1.7", "1.8"):
        rate(lead, item, "red")
    add_action(
        world.assessment,
        KP,
        "Agree a tasking rota",
        "Probation",
        world.lead,
        due_on=date.today() + timedelta(days=20),
        item_id="1.4",
    )
    sign_in(client, world.observer)
    page = get_page(url(world))
    gaps = [li.get_text(" ", strip=True) for li in page.select("#summary-gaps > li")]
    assert len(gaps) == 5
    assert gaps[0].startswith("Red") and "1.1" in gaps[0]
    assert "Action: Write the information-sharing protocol (Police, due" in gaps[0]
    assert "overdue" in gaps[0]
    assert "1.4" in gaps[1] and "Agree a tasking rota (Probation" in gaps[1]
    assert "No action agreed yet." in gaps[2]
    assert page.select_one("a[href='#gaps']").get_text(strip=True).startswith("All ")
    counts = page.select_one("#summary-actions").get_text(" ", strip=True)
    # Open: the overdue one and the new one (the completed one is not open).
    assert counts == "2 open 1 due in the next month 1 overdue"
    assert page.select_one("#summary-people").get_text(strip=True) == (
        "2 people from 2 agencies gave ratings."
    )


def test_the_change_since_last_cycle_is_shown_per_principle(app, client, get_page):
    from selfassess.extensions import frameworks
    from selfassess.services.next_cycle import start_next_cycle

    world = build(period="2025 to 2026")
    world.assessment.status = "agreed"
    from selfassess.extensions import db

    db.session.commit()
    nxt = start_next_cycle(
        frameworks(), world.assessment, "Next review", "2026 to 2027", world.lead
    )
    lead = participant_for(nxt, world.lead, create=True)
    for item in ("1.1", "1.2", "1.3"):
        rate(lead, item, "green")
    rate(lead, "2.1", "red")
    sign_in(client, world.observer)
    page = get_page(f"/assessments/{nxt.id}/report")
    assert "Better than last cycle" in tile(page, "1")
    assert "Not rated last cycle" in tile(page, "2")
    assert "Same as last cycle" in tile(page, "3")


def test_a_member_sees_the_summary_of_agreed_ratings_only_before_results_are_shared(
    app, client, get_page
):
    world = build()
    sign_in(client, world.member)
    page = get_page(url(world))
    p1 = tile(page, "1")
    # Only 1.3 is agreed (green): the member's summary is built from that alone.
    assert "Of its 10 questions, 1 is green; 9 not rated yet." in p1
    assert page.select_one("#summary-gaps").get_text(strip=True).startswith("No gaps")
    # Who took part is as private as the progress page.
    assert page.select_one("#summary-people") is None
    assert "Write the information-sharing protocol" not in page.select_one(".app-summary").text


def test_the_pdf_opens_with_the_same_summary_on_one_page(app, client):
    import io
    import re

    from pypdf import PdfReader

    world = build()
    sign_in(client, world.observer)
    response = client.get(f"/assessments/{world.assessment.id}/report.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Summary" in first
    assert "2 people from 2 agencies gave ratings." in first
    assert "Of its 10 questions, 2 are green and 1 red; 7 not rated yet." in first
    assert "0 of its 6 questions rated so far: too few to give it a rating." in first
    assert "Actions 1 open 0 due in the next month 1 overdue" in first
    assert "Red (provisional) 1.1 " in first
    assert "Write the information-sharing protocol (Police, due" in first
    # The contents follow on the next page, with page numbers.
    second = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert re.search(r"Contents Summary[ .]+1 ", second)
