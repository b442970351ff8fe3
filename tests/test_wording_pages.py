"""Words found wrong on the pages, each fixed where it comes from and checked where it shows."""

from __future__ import annotations

from datetime import date

from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from tests.factories import make_assessment, make_partnership, make_user, rate
from tests.report_world import KP, build, sign_in


def test_criteria_are_counted_as_criteria(app, client, get_page):
    text = get_page("/").get_text(" ", strip=True)
    assert "criterions" not in text
    assert "17 criteria" in text


def test_history_shows_labels_and_dates_not_stored_values(app, client, get_page):
    world = build()
    save_agreed_rating(world.assessment, KP, "1.2", "amber", None, None, world.lead)
    add_action(
        world.assessment, KP, "Share minutes", "Police", world.lead, date(2027, 5, 1), item_id="1.2"
    )
    sign_in(client, world.lead)
    page = get_page(f"/assessments/{world.assessment.id}/items/{KP}/1.2")
    history = page.find(id="history-list").get_text(" ", strip=True)
    assert "Rating: Amber" in history
    assert "Status: Not started" in history and "Due: 1 May 2027" in history
    for stored in ("not_started", "Value: amber", "2027-05-01", "Due on"):
        assert stored not in history


def test_a_provisional_tag_is_followed_by_a_space(app, client, get_page):
    world = build()
    sign_in(client, world.lead)
    page = get_page(f"/assessments/{world.assessment.id}/sections/{KP}/1")
    assert "(provisional) Principle 1 is" in page.find(id="section-rag").get_text()


def test_a_named_section_is_not_named_twice_in_the_report(app, client, get_page):
    p = make_partnership(name="Enablershire", code="E09ENB")
    lead = make_user(p, "lead", agency="police")
    assessment = make_assessment(p, (KP, "ppo-traffic-light"))
    rate(participant_for(assessment, lead, create=True), "pr-1", "green", "ppo-traffic-light")
    sign_in(client, lead)
    text = get_page(f"/assessments/{assessment.id}/report").get_text(" ", strip=True)
    assert 'Enabler "People and relationships": People and relationships' not in text
    assert 'Enabler "People and relationships"' in text


def test_the_lead_of_a_draft_is_told_what_they_can_do_and_not_offered_a_next_cycle(
    app, client, get_page
):
    p = make_partnership(name="Draftshire", code="E09DRF")
    lead = make_user(p, "lead", agency="police")
    member = make_user(p, "member", agency="probation")
    draft = make_assessment(p, status="draft")
    sign_in(client, lead)
    page = get_page(f"/assessments/{draft.id}")
    text = page.get_text(" ", strip=True)
    assert "Rating opens when you open the assessment for rating." in text
    assert "Start the next assessment" not in text
    report = get_page(f"/assessments/{draft.id}/report").get_text(" ", strip=True)
    assert "Start the next assessment" not in report
    sign_in(client, member)
    text = get_page(f"/assessments/{draft.id}").get_text(" ", strip=True)
    assert "Rating opens when the lead opens the assessment." in text


def test_a_csv_download_names_its_charset_once(app, client):
    world = build()
    sign_in(client, world.lead)
    response = client.get(f"/assessments/{world.assessment.id}/export/ratings.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
