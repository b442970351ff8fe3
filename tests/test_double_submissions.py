"""The same form sent several times at once (a double click, two tabs, a retrying proxy) does it
once: every request gets the first one's result.

Through the real server (threaded, as in the browser tests) on the test database (SQLite, and
PostgreSQL when TEST_DATABASE_URL is set); counts and states only, no timing.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests
from bs4 import BeautifulSoup

from selfassess.extensions import db
from selfassess.models import Assessment, AuditEvent, Return
from selfassess.models.assessments import WorkshopSession
from selfassess.services.agreement import save_agreed_rating
from selfassess.services.collections import create_collection
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user

KP = "iom-key-principles"
S = "national-survey-2013"
AT_ONCE = 8


def signed_in_browsers(server: str, user, count: int) -> list[requests.Session]:
    """``count`` browser tabs of one signed-in person (the same session cookie)."""
    first = requests.Session()
    response = first.post(
        f"{server}/sign-in",
        data={"email": user.email, "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text
    tabs = []
    for _ in range(count):
        tab = requests.Session()
        tab.cookies.update(first.cookies)
        tabs.append(tab)
    return tabs


def all_at_once(tabs: list[requests.Session], url: str, data: dict, **kwargs):
    together = threading.Barrier(len(tabs))

    def send(tab: requests.Session):
        together.wait()
        return tab.post(url, data=data, timeout=120, **kwargs)

    with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
        return list(pool.map(send, tabs))


@pytest.mark.slow
def test_starting_a_workshop_eight_times_at_once_opens_one(app, server):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = make_assessment(partnership)
    tabs = signed_in_browsers(server, lead, AT_ONCE)

    responses = all_at_once(
        tabs, f"{server}/assessments/{assessment.id}/workshop", {}, allow_redirects=False
    )

    db.session.expire_all()
    live = db.session.execute(
        db.select(WorkshopSession).filter_by(assessment_id=assessment.id)
    ).scalar_one()
    assert live.status == "live"
    assert {r.status_code for r in responses} == {302}
    assert {r.headers["Location"] for r in responses} == {f"/workshop/{live.id}"}


@pytest.mark.slow
def test_starting_the_next_cycle_eight_times_at_once_starts_one(app, server):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    previous = make_assessment(partnership, status="agreed")
    tabs = signed_in_browsers(server, lead, AT_ONCE)

    responses = all_at_once(
        tabs,
        f"{server}/assessments/{previous.id}/next-cycle",
        {"title": "Board review 2027", "period": "2027 to 2028"},
        allow_redirects=False,
    )

    db.session.expire_all()
    following = db.session.execute(
        db.select(Assessment).filter_by(previous_id=previous.id)
    ).scalar_one()
    assert {r.status_code for r in responses} == {302}
    locations = {r.headers["Location"] for r in responses}
    assert len(locations) == 1 and str(following.id) in locations.pop()
    started = db.session.execute(
        db.select(AuditEvent).filter_by(event="next_cycle_started")
    ).scalars()
    assert len(list(started)) == 1


def _agreed_assessment(partnership, lead):
    assessment = make_assessment(partnership, (KP,), status="open")
    save_agreed_rating(assessment, KP, "1.1", "green", "Agreed", None, lead)
    assessment.status = "agreed"
    db.session.commit()
    return assessment


def _open_collection(partnership, frameworks=(KP,)):
    today = date.today()
    return create_collection(
        "Returns now",
        "returns-now",
        list(frameworks),
        today - timedelta(days=1),
        today + timedelta(days=30),
        expected=[partnership],
    )


def _return_version(collection) -> int:
    db.session.expire_all()
    return db.session.execute(
        db.select(Return.version).filter_by(collection_id=collection.id)
    ).scalar_one()


@pytest.mark.slow
def test_submitting_a_return_six_times_at_once_makes_one_version(app, server):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = _agreed_assessment(partnership, lead)
    collection = _open_collection(partnership)
    check = f"{server}/national/partnerships/{partnership.id}/collections/{collection.slug}/check"
    tabs = signed_in_browsers(server, lead, 6)

    # The first submission: no return yet, so the page showed none (version 0).
    pages = all_at_once(tabs, check, {"assessment": assessment.id, "shown_version": "0"})
    assert _return_version(collection) == 1
    assert [r.status_code for r in pages] == [200] * 6
    assert all("Return submitted to Returns now (version 1)." in r.text for r in pages)

    # Resubmitting from a page that showed version 1: one version 2, every tab told so.
    pages = all_at_once(tabs, check, {"assessment": assessment.id, "shown_version": "1"})
    assert _return_version(collection) == 2
    assert all("Return submitted to Returns now (version 2)." in r.text for r in pages)
    events = db.session.execute(db.select(AuditEvent.event).filter_by(entity="return")).scalars()
    assert list(events) == ["submitted", "resubmitted"]


def test_a_return_changed_since_the_page_was_shown_is_not_replaced_unseen(app, client):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = _agreed_assessment(partnership, lead)
    collection = _open_collection(partnership, (KP, S))
    base = f"/national/partnerships/{partnership.id}/collections/{collection.slug}"
    response = client.post("/sign-in", data={"email": lead.email, "password": PASSWORD})
    assert response.status_code == 302

    def answer(item, value):
        response = client.post(f"{base}/questions/{S}/{item}/0", data={"answer": value})
        assert response.status_code == 302

    # No IOM yet: the answer that changes between the tabs is whether one is being planned.
    answer("q1", "no")
    answer("q2", "planning_ongoing")
    assert client.post(f"{base}/check", data={"assessment": assessment.id}).status_code == 302
    # Two tabs show version 1; the first resubmits with a changed answer.
    answer("q2", "no_current_plans")
    sent = {"assessment": assessment.id, "shown_version": "1"}
    assert client.post(f"{base}/check", data=sent).status_code == 302
    # The second tab sends the same page again, after the answer changed once more.
    answer("q2", "planning_ongoing")
    response = client.post(f"{base}/check", data=sent)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Version 2 of the return was submitted while you were checking" in page
    assert 'name="shown_version" value="2"' in page
    # The error summary's link goes to where the page says which version is stored now.
    summary = BeautifulSoup(page, "html.parser").select_one(".govuk-error-summary__list a")
    target = BeautifulSoup(page, "html.parser").find(id=summary["href"].lstrip("#"))
    assert target is not None and "You submitted version 2" in target.get_text()
    assert _return_version(collection) == 2
    # Sent again from the page that now shows version 2, it replaces it.
    response = client.post(f"{base}/check", data={**sent, "shown_version": "2"})
    assert response.status_code == 302
    assert _return_version(collection) == 3
