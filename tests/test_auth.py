"""Signing in and out, and the lock-out that does not reveal whether an email exists."""

from werkzeug.security import check_password_hash, generate_password_hash

from selfassess.extensions import db
from selfassess.models import User
from tests.factories import PASSWORD, make_user


def test_sign_in_with_the_right_password(client, app):
    user = make_user(email="alex@test.example")
    response = client.post("/sign-in", data={"email": "Alex@Test.example", "password": PASSWORD})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"] == str(user.id)


def test_wrong_password_and_unknown_email_get_the_same_error(app, post_page):
    make_user(email="alex@test.example")
    wrong = post_page("/sign-in", {"email": "alex@test.example", "password": "nope"})
    unknown = post_page("/sign-in", {"email": "nobody@test.example", "password": "nope"})
    for page in (wrong, unknown):
        assert page.select_one(".govuk-error-summary")
        assert page.title.get_text().startswith("Error: ")
    assert (
        wrong.select_one(".govuk-error-summary").get_text()
        == unknown.select_one(".govuk-error-summary").get_text()
    )


def test_five_failures_lock_the_account_even_for_the_right_password(app, client, post_page):
    make_user(email="alex@test.example")
    for _ in range(5):
        post_page("/sign-in", {"email": "alex@test.example", "password": "nope"})
    page = post_page("/sign-in", {"email": "alex@test.example", "password": PASSWORD})
    assert page.select_one(".govuk-error-summary")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_empty_form_shows_the_error_summary_linked_to_fields(app, post_page):
    page = post_page("/sign-in", {"email": "", "password": ""})
    links = {a["href"]: a.get_text() for a in page.select(".govuk-error-summary a")}
    assert links == {"#email": "Enter your email address", "#password": "Enter your password"}


def test_sign_out_asks_then_signs_out(app, client, get_page):
    make_user(email="alex@test.example")
    client.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    page = get_page("/sign-out")
    assert page.select_one("form[action='/sign-out'] button")
    client.post("/sign-out")
    with client.session_transaction() as session:
        assert "_user_id" not in session


# Addresses a browser would take off this site, once the tab, newline or backslash it forgives
# is read as it reads it.
OFF_SITE_NEXT = [
    "//evil.example",
    "/\\evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%0d%0a/evil.example",
    "/%0a/evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "///evil.example",
    "////evil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    " //evil.example",
    "\x00//evil.example",
    "/\u200b/evil.example",
    "evil.example",
]


def test_sign_in_never_sends_anyone_off_the_site(app, client):
    user = make_user(email="alex@test.example")
    for target in OFF_SITE_NEXT:
        client.post("/sign-out")
        response = client.post(
            "/sign-in",
            query_string={"next": target},
            data={"email": user.email, "password": PASSWORD},
        )
        assert response.status_code == 302, target
        location = response.headers["Location"]
        # Exactly the start page: nothing a browser could read as another host.
        assert location == "/", (target, location)


def test_sign_in_returns_to_the_page_on_this_site_that_asked(app, client):
    user = make_user(email="alex@test.example")
    for target in ("/partnerships/", "/invitations/abc.def-ghi_j", "/frameworks/?q=a%2Fb"):
        client.post("/sign-out")
        response = client.post(
            "/sign-in",
            query_string={"next": target},
            data={"email": user.email, "password": PASSWORD},
        )
        assert response.headers["Location"] == target


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app):
    make_user(email="alex@test.example")
    browser = app.test_client()
    browser.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert copy.get("/partnerships/").status_code == 200
    browser.post("/sign-out")
    response = copy.get("/partnerships/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    # Signing in again starts a new session that works.
    browser.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    assert browser.get("/partnerships/").status_code == 200


def _statements_and_checks(app, monkeypatch, email):
    """The SQL statements (with values blanked) and password checks one sign-in attempt runs."""
    from sqlalchemy import event

    import selfassess.services.accounts as auth_routes
    from selfassess.extensions import db

    statements, checks = [], []

    def counting_check(stored, password):
        checks.append(stored.split("$", 1)[0])
        return check_password_hash(stored, password)

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split()))

    monkeypatch.setattr(auth_routes, "check_password_hash", counting_check)
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = app.test_client().post(
            "/sign-in", data={"email": email, "password": "wrong password"}
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert response.status_code == 200
    return statements, checks


def test_a_wrong_password_and_an_unknown_email_do_the_same_work(app, monkeypatch):
    make_user(email="alex@test.example", password_hash=generate_password_hash("a real one"))
    wrong = _statements_and_checks(app, monkeypatch, "alex@test.example")
    unknown = _statements_and_checks(app, monkeypatch, "nobody@test.example")
    assert wrong == unknown
    statements, checks = wrong
    assert len(checks) == 1
    assert any(s.startswith("UPDATE user_account SET failed_sign_ins") for s in statements)
    # The failure was counted for the real account only.
    db.session.expire_all()
    assert (
        db.session.execute(
            db.select(User.failed_sign_ins).filter_by(email="alex@test.example")
        ).scalar_one()
        == 1
    )


def test_a_locked_account_does_the_same_work_as_an_unknown_email(app, monkeypatch):
    make_user(email="alex@test.example", password_hash=generate_password_hash("a real one"))
    client = app.test_client()
    for _ in range(5):
        client.post("/sign-in", data={"email": "alex@test.example", "password": "nope"})
    locked = _statements_and_checks(app, monkeypatch, "alex@test.example")
    unknown = _statements_and_checks(app, monkeypatch, "nobody@test.example")
    assert locked == unknown
