"""The live workshop in Welsh and English: a phone chooses its language when it joins, the
lead's pages and the projector follow the lead's, and the projector can show both at once
(Welsh above English). Every word the pages show goes through a translation."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from selfassess.extensions import db, frameworks
from selfassess.models.assessments import Rating, WorkshopSession
from tests.factories import make_assessment, make_partnership, make_user
from tests.language_helpers import english_left
from tests.test_workshop import join_guest, sign_in, start

KP = "iom-key-principles"
WELSH_WORDS = ("Cwestiwn", "pleidleisio")


@pytest.fixture
def world(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    return {"partnership": partnership, "lead": lead, "assessment": make_assessment(partnership)}


def lead_in(app, world, language=None):
    client = app.test_client()
    if language:
        client.set_cookie("language", language)
    sign_in(client, world["lead"])
    return client


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.data, "html.parser")


def phone_in(app, code, language, name="Gwen Guest", agency="health"):
    """A phone that joins choosing ``language`` on the join form (no cookie before)."""
    client = app.test_client()
    response = client.post(
        "/join", data={"code": code, "name": name, "agency": agency, "language": language}
    )
    assert response.status_code == 302, response.data
    return client


def question_text(item_id="1.1") -> str:
    return frameworks().get(KP).item(item_id).text


def test_the_join_page_in_welsh_offers_english_and_cymraeg_with_welsh_chosen(client):
    client.set_cookie("language", "cy")
    page = soup(client.get("/join"))
    assert page.html["lang"] == "cy"
    assert page.select_one("h1").get_text(strip=True) == "Ymuno â gweithdy byw"
    chosen = page.select_one("input[name=language]:checked")
    assert chosen is not None and chosen["value"] == "cy"
    labels = {label.get_text(strip=True): label.get("lang") for label in page.select("label")}
    assert labels["English"] == "en" and labels["Cymraeg"] == "cy"
    # The page's own English | Cymraeg toggle, on the bare phone layout too.
    toggle = page.select_one("nav.app-language-toggle")
    assert toggle is not None and "English" in toggle.get_text()


def test_a_phone_that_joins_in_cymraeg_gets_its_pages_in_welsh(app, world):
    workshop = start(lead_in(app, world), world["assessment"])
    phone = phone_in(app, workshop.join_code, "cy")
    assert phone.get_cookie("language").value == "cy"
    page = soup(phone.get(f"/workshop/{workshop.id}/live"))
    assert page.html["lang"] == "cy"
    words = page.get_text(" ", strip=True)
    assert "Cwestiwn 1 o" in words
    assert "Dewiswch eich sgôr" in words
    assert "Gwyrdd" in words or "Green" in words  # the scale's words, Welsh once the YAML has them
    # Its vote is stored as the value id, as an English phone's is.
    voted = phone.post(
        f"/workshop/{workshop.id}/live/vote", data={"item": f"{KP}:1.1", "value": "amber"}
    )
    assert voted.status_code == 302
    rating = db.session.execute(db.select(Rating)).scalars().one()
    assert rating.value == "amber"
    page = soup(phone.get(f"/workshop/{workshop.id}/live/panel"))
    assert "Mae eich pleidlais wedi’i chadw" in page.get_text(" ", strip=True)


def test_the_join_form_english_choice_wins_over_a_welsh_page(app, world):
    workshop = start(lead_in(app, world), world["assessment"])
    phone = app.test_client()
    phone.set_cookie("language", "cy")
    response = phone.post(
        "/join",
        data={"code": workshop.join_code, "name": "Eve", "agency": "police", "language": "en"},
    )
    assert response.status_code == 302
    page = soup(phone.get(f"/workshop/{workshop.id}/live"))
    assert page.html["lang"] == "en"
    assert "Choose your rating" in page.get_text(" ", strip=True)


def test_the_lead_and_projector_in_welsh(app, world):
    lead = lead_in(app, world, "cy")
    workshop = start(lead, world["assessment"])
    phone_in(app, workshop.join_code, "en")
    for url in (f"/workshop/{workshop.id}", f"/workshop/{workshop.id}/projector"):
        page = soup(lead.get(url))
        assert page.html["lang"] == "cy", url
        words = page.get_text(" ", strip=True)
        assert "Cwestiwn 1 o 32" in words, url
        assert "Mae 0 o 1 wedi pleidleisio" in words, url
    state = lead.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert state["voted_text"] == "Mae 0 o 1 wedi pleidleisio"
    # The countdown's words, for the scripts, come from the page.
    lead.post(
        f"/workshop/{workshop.id}/options",
        data={"show_names": "no", "countdown": "60", "projector_languages": "page"},
    )
    page = soup(lead.get(f"/workshop/{workshop.id}/projector"))
    words = page.select_one("#countdown [data-time-left]")
    assert words["data-time-left"] == "Amser ar ôl {clock}"
    assert words["data-time-up"].startswith("Mae’r amser ar ben")
    assert page.select_one("#shortcuts-toggle")["data-off"] == "Llwybrau byr i ffwrdd"


def test_the_projector_in_welsh_and_english_shows_each_text_twice(app, world):
    lead = lead_in(app, world)  # the lead's pages are in English
    workshop = start(lead, world["assessment"])
    response = lead.post(
        f"/workshop/{workshop.id}/options",
        data={"show_names": "no", "countdown": "0", "projector_languages": "cy+en"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkshopSession, workshop.id).projector_languages == "cy+en"
    # The option shows as chosen on the lead's page, which stays in English.
    page = soup(lead.get(f"/workshop/{workshop.id}"))
    assert page.html["lang"] == "en"
    assert page.select_one("input[name=projector_languages]:checked")["value"] == "cy+en"

    phone_in(app, workshop.join_code, "cy")
    page = soup(lead.get(f"/workshop/{workshop.id}/projector"))
    assert page.html["lang"] == "cy"
    question = page.select_one("#item-text")
    welsh, english = question.select("[data-text-lang]")
    assert welsh["data-text-lang"] == "cy" and not welsh.get("lang")
    assert english["lang"] == "en" and "app-projector__second" in english["class"]
    assert question_text() in english.get_text()
    assert frameworks().get(KP).in_language(question_text(), "cy") in welsh.get_text()
    count = page.select_one("#voted-count")
    assert [part.get_text() for part in count.select("[data-text-lang]")] == [
        "Mae 0 o 1 wedi pleidleisio",
        "0 of 1 have voted",
    ]
    where = page.select_one(".app-projector__where")
    assert "Cwestiwn 1 o 32" in where.get_text()
    assert where.select_one("[lang=en]").get_text(strip=True) == "Question 1 of 32"
    # The live count, for the script, in both languages.
    state = lead.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert state["voted_texts"] == {"cy": "Mae 0 o 1 wedi pleidleisio", "en": "0 of 1 have voted"}
    # The panel fetched when the board moves is the same two-language panel.
    panel = soup(lead.get(f"/workshop/{workshop.id}/projector/panel"))
    assert panel.select_one("#item-text [lang=en]") is not None
    # And back to one language.
    lead.post(
        f"/workshop/{workshop.id}/options",
        data={"show_names": "no", "countdown": "0", "projector_languages": "page"},
    )
    page = soup(lead.get(f"/workshop/{workshop.id}/projector"))
    assert page.html["lang"] == "en" and page.select_one("#item-text [lang]") is None


def test_the_projector_option_can_be_set_when_starting(app, world):
    lead = lead_in(app, world)
    response = lead.post(
        f"/assessments/{world['assessment'].id}/workshop",
        data={"show_names": "no", "countdown": "0", "projector_languages": "cy+en"},
    )
    assert response.status_code == 302
    workshop = db.session.execute(db.select(WorkshopSession)).scalars().one()
    assert workshop.projector_languages == "cy+en"


# --- every word through a translation ------------------------------------------------------------


@pytest.fixture
def pseudo_app(pseudo_twin):
    return pseudo_twin


def without_site_chrome(html: bytes) -> str:
    """The page less the site's header and footer (the lead's pages have them; their words are
    the whole site's, checked with every page)."""
    page = BeautifulSoup(html, "html.parser")
    for chrome in page.select(".govuk-header, .govuk-footer, .govuk-service-navigation"):
        chrome.decompose()
    return str(page)


def data_of(app, world, workshop, *more):
    marking = app.config.get("PROTECTIVE_MARKING", "")
    return [
        marking,
        workshop.join_code,
        world["lead"].name,
        world["partnership"].name,
        world["assessment"].title,
        world["assessment"].period,
        *more,
    ]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_english_is_left_on_the_workshop_pages(app, pseudo_app, world, language):
    workshop = start(lead_in(app, world), world["assessment"])
    join_guest(app, workshop.join_code, "Other Person", "police")
    lead = pseudo_app.test_client()
    lead.set_cookie("language", language)
    sign_in(lead, world["lead"])
    lead.post(
        f"/workshop/{workshop.id}/options",
        data={"show_names": "no", "countdown": "60", "projector_languages": "page"},
    )
    phone = pseudo_app.test_client()
    phone.set_cookie("language", language)
    join = phone.get(f"/join?code={workshop.join_code}")
    assert english_left(join.data, data_of(app, world, workshop)) == []
    response = phone.post(
        "/join",
        data={
            "code": workshop.join_code,
            "name": "Gwen Guest",
            "agency": "health",
            "language": language,
        },
    )
    assert response.status_code == 302
    known = data_of(app, world, workshop, "Gwen Guest", "Other Person", "1.1")
    pages = {
        "phone": phone.get(f"/workshop/{workshop.id}/live"),
        "projector": lead.get(f"/workshop/{workshop.id}/projector"),
        "facilitate": lead.get(f"/workshop/{workshop.id}"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        left = english_left(without_site_chrome(page.data), known)
        assert left == [], (name, left)
    # After a vote, the phone's panel.
    voted = phone.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": f"{KP}:1.1", "value": "green"},
        headers={"X-Requested-With": "fetch"},
    )
    assert english_left(voted.data, known) == []
    # The words the pages' scripts put on screen are in the page, translated.
    projector = soup(pages["projector"])
    for attribute in ("data-time-left", "data-time-up"):
        assert projector.select_one(f"[{attribute}]")[attribute].startswith("⟦")
    for attribute in ("data-on", "data-off"):
        assert projector.select_one("#shortcuts-toggle")[attribute].startswith("⟦")
    state = json.loads(lead.get(f"/workshop/{workshop.id}/status.json").data)
    assert all(state[key].startswith("⟦") for key in ("voted_text", "votes_text", "joined_text"))


def test_the_two_language_projector_leaves_no_english_unmarked(app, pseudo_app, world):
    workshop = start(lead_in(app, world), world["assessment"])
    lead = pseudo_app.test_client()
    sign_in(lead, world["lead"])
    lead.post(
        f"/workshop/{workshop.id}/options",
        data={"show_names": "no", "countdown": "60", "projector_languages": "cy+en"},
    )
    page = lead.get(f"/workshop/{workshop.id}/projector")
    assert english_left(page.data, data_of(app, world, workshop, "1.1")) == []


def test_no_english_is_left_once_the_votes_are_revealed(app, pseudo_app, world):
    workshop = start(lead_in(app, world), world["assessment"])
    lead = pseudo_app.test_client()
    lead.set_cookie("language", "cy")
    sign_in(lead, world["lead"])
    phones = []
    for name in ("Gwen Guest", "Other Person"):
        phone = pseudo_app.test_client()
        response = phone.post(
            "/join",
            data={"code": workshop.join_code, "name": name, "agency": "health", "language": "cy"},
        )
        assert response.status_code == 302
        phone.post(
            f"/workshop/{workshop.id}/live/vote", data={"item": f"{KP}:1.1", "value": "green"}
        )
        phones.append(phone)
    assert lead.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"}).status_code == 302
    known = data_of(app, world, workshop, "Gwen Guest", "Other Person", "1.1")
    pages = {
        "phone": phones[0].get(f"/workshop/{workshop.id}/live"),
        "projector": lead.get(f"/workshop/{workshop.id}/projector"),
        "facilitate": lead.get(f"/workshop/{workshop.id}"),
        "end": lead.get(f"/workshop/{workshop.id}/end"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        left = english_left(without_site_chrome(page.data), known)
        assert left == [], (name, left)


def test_the_two_language_projector_shows_the_reveal_in_both(app, pseudo_app, world):
    lead = lead_in(app, world)
    workshop = start(lead, world["assessment"])
    lead.post(
        f"/workshop/{workshop.id}/options",
        data={"show_names": "no", "countdown": "0", "projector_languages": "cy+en"},
    )
    for name, agency in (("Gwen Guest", "health"), ("Other Person", "police")):
        phone = phone_in(app, workshop.join_code, "cy", name, agency)
        phone.post(
            f"/workshop/{workshop.id}/live/vote", data={"item": f"{KP}:1.1", "value": "green"}
        )
    assert lead.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"}).status_code == 302
    page = soup(lead.get(f"/workshop/{workshop.id}/projector"))
    assert page.html["lang"] == "cy"
    overall = page.select_one("#overall")
    assert [s.get_text() for s in overall.select(".app-stack__label [lang=en]")][:3] == [
        "Red",
        "Amber",
        "Green",
    ]
    agencies = page.select_one("#by-agency")
    assert "Police" in [s.get_text() for s in agencies.select(".app-stack__label [lang=en]")]
    flags = page.select_one("#flags")
    assert "Dim baneri" in flags.get_text() and flags.select_one("[lang=en]") is not None
    # Every word marked, in both languages.
    marked = pseudo_app.test_client()
    sign_in(marked, world["lead"])
    known = data_of(app, world, workshop, "1.1")
    page = marked.get(f"/workshop/{workshop.id}/projector")
    assert english_left(page.data, known) == []
