"""Rate limits: sign-in, invitation links and workshop join answer 429, on a GOV.UK page, after
too many attempts from one address (for workshop join, too many wrong codes: a room of phones
shares one address); other addresses carry on. Lock-out never says whether an email has an
account."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.extensions import db
from selfassess.services import workshop as ws_service
from selfassess.services.invitations import create_invitation
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user


@pytest.fixture
def limited_app(database, tmp_path):
    """The app with rate limits on, as in service (TestConfig turns them off)."""
    url = f"sqlite:///{tmp_path / 'limits.sqlite'}" if database == "sqlite" else database
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=True)
    with app.app_context():
        if database == "sqlite":
            db.create_all()
        yield app
        db.session.remove()
        if database != "sqlite":
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
        db.engine.dispose()


def post_until_refused(client, url, data, limit, **kwargs):
    statuses = []
    for _ in range(limit + 1):
        with client.application.app_context():
            statuses.append(client.post(url, data=data, **kwargs))
    return statuses


def assert_too_many_page(response):
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text(strip=True) == "Too many attempts"
    assert "Wait a minute, then try again." in page.get_text()
    assert "govuk-template" in page.html["class"]


def test_sign_in_is_limited_per_address(limited_app):
    make_user(email="alex@test.example")
    client = limited_app.test_client()
    responses = post_until_refused(
        client, "/sign-in", {"email": "x@test.example", "password": "nope"}, 10
    )
    assert [r.status_code for r in responses[:10]] == [200] * 10
    assert_too_many_page(responses[10])
    # Reading the page is not limited; another address can still sign in.
    assert client.get("/sign-in").status_code == 200
    other = limited_app.test_client()
    response = other.post(
        "/sign-in",
        data={"email": "alex@test.example", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert response.status_code == 302


def test_invitation_links_are_limited_per_address(limited_app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    made = create_invitation(partnership, "member", lead)
    db.session.commit()
    client = limited_app.test_client()
    responses = post_until_refused(
        client, f"/invitations/{made.token}", {"name": "", "email": "", "password": ""}, 10
    )
    assert [r.status_code for r in responses[:10]] == [200] * 10
    assert_too_many_page(responses[10])


def test_workshop_join_is_limited_per_address(limited_app):
    client = limited_app.test_client()
    responses = post_until_refused(
        client, "/join", {"code": "ABCDEFGH", "name": "X", "agency": "police"}, 20
    )
    assert [r.status_code for r in responses[:20]] == [200] * 20
    assert_too_many_page(responses[20])


def test_a_full_room_behind_one_address_can_join_and_guessing_is_still_refused(limited_app):
    """Sixty phones on one venue Wi-Fi (one public address) all join; wrong codes from that
    address are refused after 20, without locking the room's own joins; another address
    guessing has its own count."""
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    workshop = ws_service.start_session(make_assessment(partnership), lead)
    code = workshop.join_code
    joined = []
    for n in range(60):
        with limited_app.app_context():
            response = limited_app.test_client().post(
                "/join", data={"code": code, "name": f"Phone {n + 1}", "agency": "police"}
            )
        joined.append(response.status_code)
    assert joined == [302] * 60

    guesser = limited_app.test_client()
    guess = {"code": "ABCDEFGH", "name": "X", "agency": "police"}
    wrong = post_until_refused(guesser, "/join", guess, 20)
    assert [r.status_code for r in wrong[:20]] == [200] * 20
    assert "not the code of a live workshop" in wrong[0].get_data(as_text=True)
    assert_too_many_page(wrong[20])
    with limited_app.app_context():
        late = limited_app.test_client().post(
            "/join", data={"code": code, "name": "Late phone", "agency": "health"}
        )
    assert late.status_code == 302
    with limited_app.app_context():
        elsewhere = limited_app.test_client().post(
            "/join",
            data={"code": "ABCDEFGH", "name": "X", "agency": "police"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
    assert elsewhere.status_code == 200


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(database, tmp_path):
    url = f"sqlite:///{tmp_path / 'proxy.sqlite'}" if database == "sqlite" else database
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1
    )
    with app.app_context():
        if database == "sqlite":
            db.create_all()
        client = app.test_client()
        data = {"code": "ABCDEFGH", "name": "X", "agency": "police"}
        first = [
            client.post("/join", data=data, headers={"X-Forwarded-For": "192.0.2.1"})
            for _ in range(21)
        ]
        assert first[-1].status_code == 429
        second = client.post("/join", data=data, headers={"X-Forwarded-For": "192.0.2.2"})
        assert second.status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_a_locked_account_and_an_unknown_email_get_the_same_page(app, client):
    make_user(email="alex@test.example")
    for _ in range(5):
        client.post("/sign-in", data={"email": "alex@test.example", "password": "nope"})

    def summary(email, password):
        response = client.post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 200
        page = BeautifulSoup(response.data, "html.parser")
        return page.title.get_text(), page.select_one(".govuk-error-summary").get_text()

    locked = summary("alex@test.example", PASSWORD)
    unknown = summary("nobody@test.example", PASSWORD)
    wrong = summary("alex@test.example", "still wrong")
    assert locked == unknown == wrong
    assert "locked" not in locked[1].lower()


def test_every_failure_checks_a_password_so_the_time_taken_reveals_nothing(
    app, client, monkeypatch
):
    """An unknown email and a locked account are checked against a password hash just as a
    wrong password is, so they take as long to answer (counted, not timed)."""
    import selfassess.services.accounts as auth_routes

    make_user(email="alex@test.example")
    checked = []
    real = auth_routes.check_password_hash

    def counting(stored, password):
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(auth_routes, "check_password_hash", counting)
    client.post("/sign-in", data={"email": "nobody@test.example", "password": "nope"})
    client.post("/sign-in", data={"email": "alex@test.example", "password": "nope"})
    for _ in range(5):
        client.post("/sign-in", data={"email": "alex@test.example", "password": "nope"})
    client.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    assert len(checked) == 8
    with client.session_transaction() as session:
        assert "_user_id" not in session
