"""Next cycle: a new draft assessment starts from last cycle's agreed ratings and open actions."""

from __future__ import annotations

import pytest

from selfassess.extensions import db, frameworks
from selfassess.models import Action, AgreedRating, Assessment
from selfassess.services.agreement import (
    add_action,
    participant_for,
    update_action,
)
from selfassess.services.next_cycle import start_next_cycle
from tests.factories import rate
from tests.report_world import KP, build, section_url, sign_in


def test_service_carries_agreed_ratings_and_open_actions(app):
    world = build()
    dropped = add_action(
        world.assessment, KP, "Old idea", "Health", world.lead, status="dropped", item_id="2.1"
    )
    new = start_next_cycle(
        frameworks(), world.assessment, "Board review 2027", "2027 to 2028", world.lead
    )
    assert new.status == "draft" and new.previous_id == world.assessment.id
    assert [af.framework_id for af in new.frameworks] == [KP]
    agreed = (
        db.session.execute(db.select(AgreedRating).filter_by(assessment_id=new.id)).scalars().all()
    )
    assert [(a.item_id, a.value, a.rationale, a.carried_forward) for a in agreed] == [
        ("1.3", "green", "Board agreed: <b>in place</b>", True)
    ]
    actions = db.session.execute(db.select(Action).filter_by(assessment_id=new.id)).scalars().all()
    assert [(a.description, a.carried_from_id, a.status) for a in actions] == [
        ("Write the information-sharing protocol", world.overdue_action.id, "not_started")
    ]
    assert dropped.id not in {a.carried_from_id for a in actions}
    # The previous assessment is untouched.
    assert (
        len(
            db.session.execute(db.select(Action).filter_by(assessment_id=world.assessment.id)).all()
        )
        == 3
    )


@pytest.mark.parametrize("title,period", [("", "2027"), ("Title", ""), ("x" * 201, "2027")])
def test_service_refuses_a_missing_title_or_period(app, title, period):
    world = build()
    with pytest.raises(ValueError):
        start_next_cycle(frameworks(), world.assessment, title, period, world.lead)


def test_report_shows_change_and_last_cycles_actions(app, client, get_page):
    world = build()
    new = start_next_cycle(
        frameworks(), world.assessment, "Board review 2027", "2027 to 2028", world.lead
    )
    new.status = "open"
    db.session.commit()
    carried = db.session.execute(db.select(Action).filter_by(assessment_id=new.id)).scalar_one()
    update_action(carried, carried.version, world.lead, status="completed")
    part = participant_for(new, world.member, create=True)
    rate(part, "1.1", "green")  # 1.1 was red last cycle
    sign_in(client, world.observer)
    page = get_page(f"/assessments/{new.id}/report")
    change = page.find(id=f"change-{KP}")
    row = change.find("tr", attrs={"data-item": "1.1"}).get_text(" ", strip=True)
    assert "Red" in row and "Green" in row and "Better" in row
    assert "1 of 1 completed" in row
    same = change.find("tr", attrs={"data-item": "1.3"}).get_text(" ", strip=True)
    assert "Same" in same  # carried forward green, still green
    twelve = change.find("tr", attrs={"data-item": "1.2"}).get_text(" ", strip=True)
    assert "No longer rated" in twelve and "1 of 1 completed" in twelve  # completed last cycle
    chart = page.find(id=f"chart-change-{KP}")
    assert chart.find("svg") is not None
    assert "last cycle and now" in chart.figcaption.get_text()
    section = get_page(section_url(new.id, "1.3"))
    detail = section.find(id=f"item-{KP}-1.3").get_text(" ", strip=True)
    assert "Carried forward from the previous assessment" in detail
    assert "carried over from last cycle" in section.find(id=f"item-{KP}-1.1").get_text(
        " ", strip=True
    )


def test_lead_starts_the_next_cycle_from_the_form(app, client, get_page, post_page):
    world = build()
    sign_in(client, world.lead)
    page = get_page(f"/assessments/{world.assessment.id}/next-cycle")
    assert page.find("input", attrs={"name": "title"})["value"] == "Board review"
    page = post_page(
        f"/assessments/{world.assessment.id}/next-cycle", {"title": "Next", "period": ""}
    )
    assert page.title.get_text().startswith("Error: ")
    assert page.find(class_="govuk-error-summary") is not None
    response = client.post(
        f"/assessments/{world.assessment.id}/next-cycle",
        data={"title": "Board review 2027", "period": "2027 to 2028"},
    )
    assert response.status_code == 302
    new = db.session.execute(
        db.select(Assessment).filter_by(title="Board review 2027")
    ).scalar_one()
    assert new.previous_id == world.assessment.id and new.status == "draft"


def test_members_and_observers_cannot_start_it(app):
    world = build()
    for user in (world.member, world.observer):
        visitor = app.test_client()
        sign_in(visitor, user)
        with app.app_context():
            url = f"/assessments/{world.assessment.id}/next-cycle"
            assert visitor.post(url, data={"title": "T", "period": "P"}).status_code == 403
            assert visitor.get(url).status_code == 403
    assert db.session.execute(db.select(Assessment)).scalars().all() == [world.assessment]


def test_next_cycle_pdf_shows_change(app, client):
    import io

    from pypdf import PdfReader

    world = build()
    new = start_next_cycle(
        frameworks(), world.assessment, "Board review 2027", "2027 to 2028", world.lead
    )
    sign_in(client, world.member)
    response = client.get(f"/assessments/{new.id}/report.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Change since the previous assessment" in text
    assert "Board review (2026 to 2027)" in text  # previous assessment on the cover
