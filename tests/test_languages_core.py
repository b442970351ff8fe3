"""The pages everyone meets first, in Welsh: the start page, signing in, the account page, the
error pages and the busy page; the "English | Cymraeg" toggle and the account's choice of
language. Each page is also walked with the pseudo-locale on, which shows any word left out of
the catalogue."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import render_template
from sqlalchemy.exc import OperationalError

from selfassess.domain.framework_texts import ENDONYMS
from selfassess.domain.frameworks import FrameworkVersionNotFound
from selfassess.extensions import db
from selfassess.models import User
from tests.conftest import app_on
from tests.factories import PASSWORD, make_partnership, make_user
from tests.language_helpers import english_left
from tests.report_world import sign_in

# Each language is named in itself on every page (the toggle, the account's choice), marked
# translate="no": english_left needs no allowance for them.
ENDONYM_WORDS: list[str] = []


def parsed(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text_of(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


def add_busy_route(app) -> None:
    """A page whose database is too busy to answer: what a save waiting on a lock gets."""

    def busy():
        raise OperationalError("UPDATE rating", {}, Exception("database is locked"))

    app.add_url_rule("/busy-for-test", "busy_for_test", busy, methods=["GET", "POST"])


def user_language(user_id: int) -> str | None:
    return db.session.get(User, user_id).language


# --- Welsh pages ---------------------------------------------------------------------------


def test_the_start_page_in_welsh(app, client):
    client.set_cookie("language", "cy")
    page = parsed(client.get("/"))
    assert page.html["lang"] == "cy"
    assert page.h1.get_text(strip=True) == "Asesu eich trefniadau Rheoli Troseddwyr yn Integredig"
    assert "Defnyddiwch y gwasanaeth hwn i:" in text_of(page)
    assert page.title.get_text().startswith("Asesu eich trefniadau")
    # The navigation and the start button too.
    assert "Mewngofnodi" in [a.get_text(strip=True) for a in page.select("nav a")]
    assert "Pori’r fframweithiau" in page.select_one(".govuk-button--start").get_text()


def test_signing_in_in_welsh_with_and_without_errors(app, client):
    client.set_cookie("language", "cy")
    page = parsed(client.get("/sign-in"))
    assert page.html["lang"] == "cy"
    assert page.h1.get_text(strip=True) == "Mewngofnodi"
    assert page.select_one("label[for=email]").get_text(strip=True) == "Cyfeiriad e-bost"
    assert page.select_one("label[for=password]").get_text(strip=True) == "Cyfrinair"

    page = parsed(client.post("/sign-in", data={"email": "", "password": ""}))
    summary = page.select_one(".govuk-error-summary")
    assert summary.select_one(".govuk-error-summary__title").get_text(strip=True) == (
        "Mae problem wedi codi"
    )
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert links == {"#email": "Rhowch eich cyfeiriad e-bost", "#password": "Rhowch eich cyfrinair"}
    assert page.title.get_text().startswith("Gwall: Mewngofnodi")
    # GOV.UK's own hidden "Error:" before each field's message.
    assert "Gwall:" in page.select_one("#email-error").get_text()

    make_user(email="alex@test.example")
    page = parsed(client.post("/sign-in", data={"email": "alex@test.example", "password": "no"}))
    assert "Rhowch gyfeiriad e-bost a chyfrinair cywir" in text_of(page)
    assert "15 munud" in text_of(page)


def test_the_account_page_in_welsh_offers_the_language(app, client):
    user = make_user(language="cy")
    sign_in(client, user)
    page = parsed(client.get("/account"))
    assert page.html["lang"] == "cy"
    assert page.h1.get_text(strip=True) == "Eich cyfrif"
    assert page.select_one("#language").get_text(strip=True) == "Iaith"
    radios = {r["value"]: r for r in page.select("input[name=language]")}
    assert set(radios) == {"en", "cy"}
    assert radios["cy"].has_attr("checked") and not radios["en"].has_attr("checked")
    labels = {label["for"]: label for label in page.select("label.govuk-radios__label")}
    cymraeg = labels[radios["cy"]["id"]]
    assert (cymraeg.get_text(strip=True), cymraeg["lang"], cymraeg["translate"]) == (
        "Cymraeg",
        "cy",
        "no",
    )
    english = labels[radios["en"]["id"]]
    assert (english.get_text(strip=True), english["lang"]) == (ENDONYMS["en"], "en")
    assert "Nodiadau atgoffa i orffen sgorio" in text_of(page)


def test_choosing_english_on_the_account_keeps_the_email_choices(app, client):
    user = make_user(language="cy")
    sign_in(client, user)
    client.post("/account", data={"reminders": ["action_reminder"]})
    response = client.post("/account", data={"language": "en", "save_language": "Cadw’r iaith"})
    assert response.status_code == 302
    assert user_language(user.id) == "en"
    page = parsed(client.get("/account"))
    assert page.html["lang"] == "en"
    # Said in the language just chosen.
    assert "Your language is saved." in text_of(page)
    ticked = {c["value"] for c in page.select("input[name=reminders][checked]")}
    assert ticked == {"action_reminder"}


def test_a_language_that_is_not_offered_is_refused_in_the_page_language(app, client):
    user = make_user(language="cy")
    sign_in(client, user)
    page = parsed(client.post("/account", data={"language": "fr", "save_language": "x"}))
    assert page.select_one(".govuk-error-summary a").get_text() == "Dewiswch iaith"
    assert user_language(user.id) == "cy"


def test_not_found_and_forbidden_pages_in_welsh(app, client):
    client.set_cookie("language", "cy")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = parsed(response)
    assert page.html["lang"] == "cy"
    assert page.h1.get_text(strip=True) == "Heb ddod o hyd i’r dudalen"

    partnership = make_partnership()
    observer = make_user(partnership, "observer", language="cy")
    sign_in(client, observer)
    response = client.get(f"/partnerships/{partnership.id}/invite")
    assert response.status_code == 403
    page = parsed(response)
    assert page.html["lang"] == "cy"
    assert page.h1.get_text(strip=True) == "Ni allwch wneud hynny"


def test_the_busy_page_and_message_in_welsh(app, client):
    add_busy_route(app)
    client.set_cookie("language", "cy")
    response = client.post("/busy-for-test", headers={"Accept": "text/html"})
    assert response.status_code == 503
    page = parsed(response)
    assert page.html["lang"] == "cy"
    assert page.h1.get_text(strip=True) == "Mae’n ddrwg gennym, mae’r gwasanaeth yn brysur"
    # Autosave shows the message beside the question, so it is Welsh too.
    response = client.post("/busy-for-test", json={})
    assert response.status_code == 503
    assert response.get_json()["errors"]["form"].startswith("Mae’r gwasanaeth yn brysur")


# --- the toggle and the account's language ------------------------------------------------


def test_the_toggle_sets_the_cookie_and_goes_back(app, client):
    response = client.get("/language/cy?next=/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    cookie = client.get_cookie("language")
    assert cookie is not None and cookie.value == "cy"
    assert parsed(client.get("/sign-in")).html["lang"] == "cy"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_the_toggle_refuses_to_leave_the_site(app, client, target):
    response = client.get("/language/cy", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_toggle_refuses_a_language_not_offered(app, client):
    assert client.get("/language/fr?next=/").status_code == 404


def test_a_signed_in_choice_is_kept_on_the_account_for_the_next_session(app):
    user = make_user(email="alex@test.example")
    first = app.test_client()
    first.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    first.get("/language/cy?next=/account")
    assert user_language(user.id) == "cy"
    # A new browser with no cookie at all: the account's choice.
    second = app.test_client()
    second.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    assert second.get_cookie("language") is None
    assert parsed(second.get("/account")).html["lang"] == "cy"


def test_the_accounts_language_beats_the_cookie(app, client):
    user = make_user(language="cy")
    client.set_cookie("language", "en")
    sign_in(client, user)
    page = parsed(client.get("/account"))
    assert page.html["lang"] == "cy"


def test_a_guests_welsh_is_kept_on_an_account_with_no_language_at_sign_in(app, client):
    user = make_user(email="alex@test.example")
    assert user.language is None
    client.set_cookie("language", "cy")
    client.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    assert user_language(user.id) == "cy"


def test_a_guest_cookie_does_not_replace_a_language_the_account_has(app, client):
    user = make_user(email="alex@test.example", language="en")
    client.set_cookie("language", "cy")
    client.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    assert user_language(user.id) == "en"
    assert parsed(client.get("/")).html["lang"] == "en"


def test_a_wrong_password_changes_no_language(app, client):
    user = make_user(email="alex@test.example")
    client.set_cookie("language", "cy")
    client.post("/sign-in", data={"email": "alex@test.example", "password": "nope"})
    assert user_language(user.id) is None


# --- nothing left in English ---------------------------------------------------------------


@pytest.fixture
def pseudo_app(tmp_path):
    """An app as the app fixture builds it (SQLite), with every translated word marked."""
    with app_on("sqlite", tmp_path, "pseudo", PSEUDO_LOCALE=True) as app:
        add_busy_route(app)
        yield app


@pytest.mark.parametrize("language", ["cy", "en"])
def test_no_english_is_left_on_these_pages(pseudo_app, language):
    partnership = make_partnership(name="Testshire CSP")
    user = make_user(partnership, "observer", name="Alex Jones", email="alex@test.example")
    data = [*ENDONYM_WORDS, "Alex Jones", "alex@test.example", "Testshire CSP"]

    guest = pseudo_app.test_client()
    guest.set_cookie("language", language)
    pages = {
        "start": guest.get("/"),
        "sign-in": guest.get("/sign-in"),
        "sign-in with errors": guest.post("/sign-in", data={"email": "", "password": ""}),
        "sign-in refused": guest.post(
            "/sign-in", data={"email": "alex@test.example", "password": "nope"}
        ),
        "sign-in asked for": guest.get("/account", follow_redirects=True),
        "not found": guest.get("/no-such-page"),
        "busy": guest.post("/busy-for-test", headers={"Accept": "text/html"}),
    }
    person = pseudo_app.test_client()
    person.set_cookie("language", language)
    sign_in(person, user)
    pages.update(
        {
            "home": person.get("/"),
            "account": person.get("/account"),
            "account with an error": person.post(
                "/account", data={"language": "fr", "save_language": "x"}
            ),
            "forbidden": person.get(f"/partnerships/{partnership.id}/invite"),
            "sign out": person.get("/sign-out"),
        }
    )
    for name, response in pages.items():
        assert parsed(response).html["lang"] == language, name
        assert english_left(response.data, data) == [], name


@pytest.mark.parametrize("language", ["cy", "en"])
def test_no_english_is_left_on_the_start_page_of_people_with_work_to_do(pseudo_app, language):
    from datetime import date, timedelta

    from selfassess.services.agreement import add_action
    from selfassess.services.collections import create_collection
    from selfassess.services.workshop import start_session
    from tests.report_world import KP, build

    world = build()
    start_session(world.assessment, world.lead)
    add_action(
        world.assessment,
        KP,
        "Police data to the panel",
        "Police analyst",
        world.lead,
        due_on=date.today() + timedelta(days=7),
        item_id="1.2",
    )
    create_collection(
        "IOM return 2026",
        "return-2026",
        [KP],
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=20),
        expected=[world.partnership],
    )
    analyst = make_user(None, is_analyst=True, name="Ana Analyst")
    draft_partnership = make_partnership(name="Draftshire CSP")
    draft_lead = make_user(draft_partnership, "lead", name="Dee Lead")
    from tests.factories import make_assessment

    make_assessment(draft_partnership, (KP,), status="draft", title="Next year")
    data = [
        *ENDONYM_WORDS,
        world.partnership.name,
        "Board review",
        "Write the information-sharing protocol",
        "Police data to the panel",
        "Police analyst",
        "Weekly tasking minutes",
        "Probation",
        "Police",
        "IOM return 2026",
        "Draftshire CSP",
        "Next year",
    ]
    for user in (world.lead, world.member, world.observer, analyst, draft_lead):
        client = pseudo_app.test_client()
        client.set_cookie("language", language)
        sign_in(client, user)
        response = client.get("/")
        page = parsed(response)
        assert page.select("li.app-todo__item") or user is analyst, user.name
        assert english_left(response.data, [*data, user.name]) == [], user.name


ERROR_PAGES = {
    "errors/403.html": {},
    "errors/404.html": {},
    "errors/413.html": {"max_megabytes": 10},
    "errors/429.html": {},
    "errors/500.html": {},
    "errors/503.html": {},
    "errors/csrf.html": {},
    "errors/framework_version.html": {
        "error": FrameworkVersionNotFound("iom-key-principles", "2019", ["2024", "2026"])
    },
}


@pytest.mark.parametrize("template", sorted(ERROR_PAGES))
def test_no_english_is_left_on_the_error_pages(pseudo_app, template):
    with pseudo_app.test_request_context("/", headers={"Cookie": "language=cy"}):
        pseudo_app.preprocess_request()  # as a request would: the marked words
        html = render_template(template, **ERROR_PAGES[template])
    assert BeautifulSoup(html, "html.parser").html["lang"] == "cy"
    assert english_left(html, [*ENDONYM_WORDS, "iom-key-principles"]) == []


def test_the_error_pages_in_welsh(app):
    with app.test_request_context("/", headers={"Cookie": "language=cy"}):
        pages = {t: render_template(t, **ERROR_PAGES[t]) for t in ERROR_PAGES}
    headings = {
        t: BeautifulSoup(h, "html.parser").h1.get_text(strip=True) for t, h in pages.items()
    }
    assert headings["errors/429.html"] == "Gormod o ymdrechion"
    assert headings["errors/500.html"] == "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth"
    assert headings["errors/csrf.html"] == "Nid oedd modd anfon eich ffurflen"
    assert "yn fwy na 10 MB" in pages["errors/413.html"]
    assert "fersiwn 2024, 2026 yn lle hynny" in pages["errors/framework_version.html"]


def test_what_the_service_flashes_at_sign_in_and_out_is_welsh(app, client):
    client.set_cookie("language", "cy")
    page = parsed(client.get("/account", follow_redirects=True))
    assert "Mewngofnodwch i barhau." in text_of(page)
    user = make_user(email="alex@test.example", language="cy")
    client.post("/sign-in", data={"email": "alex@test.example", "password": PASSWORD})
    page = parsed(client.post("/sign-out", follow_redirects=True))
    assert "Rydych wedi allgofnodi." in text_of(page)
    assert user_language(user.id) == "cy"


def test_how_ratings_are_worked_out_in_welsh(app):
    from fractions import Fraction

    from flask_babel import get_translations

    from selfassess.domain import rating_words
    from selfassess.extensions import frameworks

    framework = frameworks().get("iom-key-principles")
    rule = framework.section_rule
    english = rating_words.exact_rule(framework)
    assert english.startswith("Each question scores Red = 1, Amber = 2 and Green = 3")
    with app.test_request_context("/", headers={"Cookie": "language=cy"}):
        app.preprocess_request()
        welsh = rating_words.exact_rule(framework, get_translations(), "cy")
        sentence = rating_words.section_sentence(
            framework, rule, "Egwyddor 1", "Amber", Fraction(11, 5), 6, 6, get_translations(), "cy"
        )
    assert "Sgôr cwestiwn yw’r un y cytunodd y bwrdd arni" in welsh
    assert "a Gwyrdd = 3" in welsh or "a Green = 3" in welsh  # the scale's labels: the framework's
    assert sentence.startswith("Egwyddor 1: ") and "Cyfartaledd y " in sentence
    assert "2.2" in sentence and "mae angen 2.5 neu fwy ar gyfer" in sentence
