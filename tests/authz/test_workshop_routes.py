"""Authorization table: the live workshop.

Only the lead starts, drives and ends a session. Joining needs no account, so /join answers
everyone; the phone screens answer only a browser that joined that session (anyone else is sent
to /join, and the state feed is a 404). Guests are not one of the harness's personas, so their
cases follow the table: a joined guest sees their own session and nothing the lead does.
"""

from __future__ import annotations

from selfassess.extensions import db
from selfassess.models import Rating
from selfassess.models.assessments import WorkshopSession
from selfassess.services.workshop import start_session
from selfassess.services.workshop_participants import join_as_guest
from tests.authz.harness import Route, everyone, expect, route_test


def live_session(world):
    return {"session": start_session(world.assessment, world.users["lead"]).id}


def session_with_guest(world):
    session = start_session(world.assessment, world.users["lead"])
    return {"session": session.id, "guest": join_as_guest(session, "Gus", "housing").id}


def scheduled(world):
    from datetime import UTC, datetime, timedelta

    from selfassess.services.workshop_schedule import WorkshopTime, schedule

    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    when = WorkshopTime(starts, starts + timedelta(hours=2), "Town hall", None)
    schedule(world.assessment, when, world.users["lead"])
    return {}


ITEM = "iom-key-principles:1.1"
SCHEDULE = {
    "day": ["3", "3", "2031"],
    "starts": "10:00",
    "ends": "12:00",
    "place": "Town hall",
}
ROUTES = [
    # Scheduling the workshop (and its emails): the lead only.
    Route("GET", "/assessments/{assessment}/workshop/schedule", expect(lead=200)),
    Route("POST", "/assessments/{assessment}/workshop/schedule", expect(lead=302), data=SCHEDULE),
    Route(
        "GET",
        "/assessments/{assessment}/workshop/schedule/cancel",
        expect(lead=200),
        setup=scheduled,
    ),
    Route(
        "POST",
        "/assessments/{assessment}/workshop/schedule/cancel",
        expect(lead=302),
        setup=scheduled,
    ),
    Route("GET", "/assessments/{assessment}/workshop", expect(lead=200)),
    Route("POST", "/assessments/{assessment}/workshop", expect(lead=302)),
    Route("GET", "/workshop/{session}", expect(lead=200), setup=live_session),
    Route("GET", "/workshop/{session}/status.json", expect(lead=200), setup=live_session),
    Route(
        "POST",
        "/workshop/{session}/move",
        expect(lead=302),
        data={"action": "next"},
        setup=live_session,
    ),
    Route(
        "POST",
        "/workshop/{session}/agree",
        expect(lead=302),
        data={"item": ITEM, "value": "green", "rationale": "Agreed", "expected_version": "1"},
        setup=live_session,
    ),
    Route(
        "POST",
        "/workshop/{session}/actions",
        expect(lead=302),
        data={"item": ITEM, "description": "Do it", "owner": "Police", "status": "not_started"},
        setup=live_session,
    ),
    Route(
        "POST",
        "/workshop/{session}/participants/{guest}/remove",
        expect(lead=302),
        setup=session_with_guest,
    ),
    Route("GET", "/workshop/{session}/end", expect(lead=200), setup=live_session),
    Route("POST", "/workshop/{session}/end", expect(lead=302), setup=live_session),
    Route(
        "POST",
        "/workshop/{session}/options",
        expect(lead=302),
        data={"show_names": "yes", "countdown": "60"},
        setup=live_session,
    ),
    # The projector view: the lead's, like the controls that drive it.
    Route("GET", "/workshop/{session}/projector", expect(lead=200), setup=live_session),
    Route("GET", "/workshop/{session}/projector/panel", expect(lead=200), setup=live_session),
    # Joining: no account needed. A wrong code shows the form again with an error.
    Route("GET", "/join", everyone(200)),
    Route(
        "POST",
        "/join",
        everyone(200),
        data={"code": "ABCDEFGH", "name": "X", "agency": "police"},
    ),
    # The phone screens: only for a browser that joined this session; others go to /join.
    Route("GET", "/workshop/{session}/live", everyone(302), setup=live_session),
    Route("GET", "/workshop/{session}/live/panel", everyone(302), setup=live_session),
    Route("GET", "/workshop/{session}/live/state.json", everyone(404), setup=live_session),
    Route(
        "POST",
        "/workshop/{session}/live/vote",
        everyone(302),
        data={"item": ITEM, "value": "red"},
        setup=live_session,
    ),
]
test_routes = route_test(ROUTES)


def test_a_guest_reaches_their_own_session_and_never_the_leads_screens(app, world):
    session_id = live_session(world)["session"]
    code = db.session.get(WorkshopSession, session_id).join_code
    guest = app.test_client()
    with app.app_context():
        response = guest.post("/join", data={"code": code, "name": "Gus", "agency": "housing"})
    assert response.status_code == 302
    for url in ("/live", "/live/panel", "/live/state.json"):
        with app.app_context():
            assert guest.get(f"/workshop/{session_id}{url}").status_code == 200
    with app.app_context():
        vote = guest.post(f"/workshop/{session_id}/live/vote", data={"item": ITEM, "value": "red"})
    assert vote.status_code == 302
    assert db.session.query(Rating).filter_by(value="red").count() == 2  # the member's and Gus's

    lead_urls = [
        ("GET", f"/workshop/{session_id}"),
        ("GET", f"/workshop/{session_id}/status.json"),
        ("POST", f"/workshop/{session_id}/move"),
        ("POST", f"/workshop/{session_id}/agree"),
        ("POST", f"/workshop/{session_id}/actions"),
        ("GET", f"/workshop/{session_id}/end"),
        ("POST", f"/workshop/{session_id}/end"),
        ("POST", f"/workshop/{session_id}/participants/1/remove"),
        ("POST", f"/workshop/{session_id}/options"),
        ("GET", f"/workshop/{session_id}/projector"),
        ("GET", f"/workshop/{session_id}/projector/panel"),
        ("GET", f"/assessments/{world.assessment.id}/workshop"),
    ]
    for method, url in lead_urls:
        with app.app_context():
            response = guest.open(url, method=method, data={"action": "next"})
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    db.session.expire_all()
    assert db.session.get(WorkshopSession, session_id).step == 0

    # Another live session (in partnership Q): the guest's join does not reach it.
    other = start_session(world.q_assessment, world.users["outsider"])
    with app.app_context():
        assert guest.get(f"/workshop/{other.id}/live").status_code == 302
        assert guest.get(f"/workshop/{other.id}/live/state.json").status_code == 404
