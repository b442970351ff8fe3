"""Signing in and out, and the lock-out that does not reveal whether an email exists."""

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
