"""The report page's content is kept per state of what it shows: drawn once while nothing
changes, drawn afresh after any change a reader would see, and never one reader's for another."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from selfassess.extensions import db
from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from selfassess.services.assessments import change_status
from selfassess.views.reports import routes
from tests.factories import rate
from tests.report_world import KP, build, sign_in


@pytest.fixture
def drawn(monkeypatch):
    """How many times the report's content was worked out and drawn."""
    calls = []
    real = routes.build_report

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "build_report", counting)
    return calls


def report(client, get_page, world):
    return get_page(f"/assessments/{world.assessment.id}/report")


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


def test_a_second_view_while_nothing_changed_is_not_drawn_again(app, client, get_page, drawn):
    world = build()
    sign_in(client, world.lead)
    first = report(client, get_page, world)
    second = report(client, get_page, world)
    assert len(drawn) == 1
    assert main_text(second) == main_text(first)
    # The page around the content is drawn for each request, the content in it as kept.
    assert second.find("main").find(class_="govuk-caption-l").get_text(strip=True) == (
        "Reportshire Community Safety Partnership"
    )


def test_every_change_the_report_shows_is_drawn_afresh(app, client, get_page, drawn, monkeypatch):
    world = build()
    sign_in(client, world.lead)
    tiles = report(client, get_page, world).select(f"#tiles-{KP} li[data-section='2'] .app-rag")
    assert tiles[0].get_text(strip=True) == "Not rated"

    member = participant_for(world.assessment, world.member)
    rate(member, "2.1", "green")  # a rating
    page = report(client, get_page, world)
    assert page.select(f"#tiles-{KP} li[data-section='2'] .app-rag")[0].get_text(strip=True) == (
        "Green"
    )
    assert len(drawn) == 2

    save_agreed_rating(world.assessment, KP, "2.1", "red", "Not yet", None, world.lead)  # agreed
    page = report(client, get_page, world)
    assert page.select(f"#tiles-{KP} li[data-section='2'] .app-rag")[0].get_text(strip=True) == (
        "Red"
    )

    add_action(world.assessment, KP, "Name a lead", "Housing", world.lead, item_id="2.1")
    assert "Name a lead" in main_text(report(client, get_page, world))  # an action

    change_status(world.assessment, "agreed", world.lead)  # the assessment itself
    assert "Agreed" in page_status(report(client, get_page, world))
    assert len(drawn) == 5

    tomorrow = date.today() + timedelta(days=1)

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return tomorrow

    monkeypatch.setattr(routes, "date", Tomorrow)  # actions fall overdue by the day
    report(client, get_page, world)
    assert len(drawn) == 6


def page_status(page) -> str:
    rows = page.select("main .govuk-summary-list__row")
    return next(r.get_text(" ", strip=True) for r in rows if "Status" in r.get_text())


def test_readers_who_may_see_different_ratings_each_get_their_own(app, get_page, drawn):
    world = build()
    member = app.test_client()
    sign_in(member, world.member)
    lead = app.test_client()
    sign_in(lead, world.lead)
    url = f"/assessments/{world.assessment.id}/report"
    with app.app_context():
        theirs = member.get(url).get_data(as_text=True)
    with app.app_context():
        leads = lead.get(url).get_data(as_text=True)
    assert 'id="own-view"' in theirs and 'id="own-view"' not in leads
    assert "Start the next assessment" not in theirs
    assert len(drawn) == 2
    with app.app_context():
        again = member.get(url).get_data(as_text=True)
    assert 'id="own-view"' in again
    assert len(drawn) == 2


def test_a_renamed_partnership_shows_at_once(app, client, get_page, drawn):
    world = build()
    sign_in(client, world.observer)
    report(client, get_page, world)
    world.partnership.name = "Renamed Community Safety Partnership"
    db.session.commit()
    assert "Renamed Community Safety Partnership" in main_text(report(client, get_page, world))
    assert len(drawn) == 2
