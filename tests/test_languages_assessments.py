"""The partnership, invitation and assessment pages in Welsh, and with every word marked.

In Welsh (the language cookie) the pages say so (html lang="cy") and speak Welsh; with the
pseudo-locale every word a page shows has gone through a translation (tests/language_helpers.py).
The question page's kept form components (web/fragments.py) are kept per language, and a rating
given on a Welsh page is stored as the same scale value as one given on an English page.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup

from selfassess.extensions import db, frameworks
from selfassess.models import Invitation, Rating
from selfassess.queries.ratings import assessment_results
from selfassess.services.invitations import create_invitation
from selfassess.views.assessments.common import pinned_frameworks
from selfassess.web import fragments
from tests.authz.harness import EVIDENCE, build_world, client_as
from tests.language_helpers import english_left

KP = "iom-key-principles"


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def pseudo_app(pseudo_twin):
    return pseudo_twin


def pages(world) -> dict[str, tuple[str, str, str, dict | None]]:
    """name -> (persona, method, url, form data) for every page these tests read."""
    a, p = world.assessment.id, world.p.id
    rate_url = f"/assessments/{a}/rate/{KP}/1"
    return {
        "partnership": ("lead", "GET", f"/partnerships/{p}", None),
        "invite": ("lead", "GET", f"/partnerships/{p}/invite", None),
        "overview": ("lead", "GET", f"/assessments/{a}", None),
        "question": ("member", "GET", rate_url, None),
        "question with an error": (
            "member",
            "POST",
            rate_url,
            {"item-1-1-value": "green", "item-1-1-evidence": "x" * 5001},
        ),
        "check answers": ("member", "GET", f"/assessments/{a}/check-your-answers", None),
        "section": ("lead", "GET", f"/assessments/{a}/sections/{KP}/1", None),
        "question in full": ("lead", "GET", f"/assessments/{a}/items/{KP}/1.1", None),
        "results": ("lead", "GET", f"/assessments/{a}/results", None),
        "who has rated what": ("lead", "GET", f"/assessments/{a}/progress", None),
        "mark as agreed": ("lead", "GET", f"/assessments/{a}/status/agreed", None),
        "new assessment": ("lead", "GET", f"/partnerships/{p}/assessments", None),
        "create an assessment": ("lead", "GET", f"/partnerships/{p}/assessments/new", None),
        "change an action": (
            "lead",
            "GET",
            f"/assessments/{a}/actions/{world.ids['action']}",
            None,
        ),
        "change a role": (
            "lead",
            "GET",
            f"/partnerships/{p}/members/{member_of(world, 'member')}/role",
            None,
        ),
        "remove a member": (
            "lead",
            "GET",
            f"/partnerships/{p}/members/{member_of(world, 'member')}/remove",
            None,
        ),
        "your partnerships": ("member", "GET", "/partnerships/", None),
    }


def member_of(world, persona) -> int:
    user = world.users[persona]
    return next(m.id for m in user.memberships if m.partnership_id == world.p.id)


def fetch(app, world, persona, method, url, data=None, language=None):
    client = client_as(app, world, persona)
    if language:
        client.set_cookie("language", language)
    with app.app_context():
        response = client.open(url, method=method, data=data)
    db.session.expire_all()
    return response


OPEN, CLOSE = "\ue000", "\ue001"
INNERMOST = re.compile(r"⟦([^⟦⟧]*)⟧")


def marked_as_one(html: str) -> str:
    """The page with each translated message made one piece of text again.

    A message may hold a link or a visually hidden part ("Change role<span …> of Lee</span>"),
    which splits its ⟦…⟧ across elements; its tags are taken out so that the helper reads it as
    the one message it is. The header and footer are the service's own chrome, checked with the
    pages that own them: these tests read what the partnership and assessment pages put there.
    """
    page = BeautifulSoup(html, "html.parser")
    for chrome in page.select("header.govuk-header, footer.govuk-footer"):
        chrome.decompose()
    html = str(page)
    while True:
        flat = INNERMOST.sub(
            lambda m: (
                OPEN + re.sub(r"<[^>]*>", "", m.group(1)) + CLOSE
                if "<" in m.group(1)
                else OPEN + m.group(1) + CLOSE
            ),
            html,
        )
        if flat == html:
            break
        html = flat
    return html.replace(OPEN, "⟦").replace(CLOSE, "⟧")


def data_of(world) -> list[str]:
    """What the tests' world put on the pages: names, titles, evidence and the like."""
    users = world.users.values()
    return [
        world.p.name,
        world.p.code,
        world.p.police_force_area,
        world.assessment.title,
        world.assessment.period,
        *(u.name for u in users),
        *(u.email for u in users),
        *EVIDENCE.values(),
        "Agreed at the board",
        "Write the protocol",
        "Police",  # the action's owner, as the lead typed it
        "x" * 5001,
    ]


def codes_of(world, name) -> list[str]:
    """What is allowed as it is on one page: the questions' codes ("pr-1" is no word), and on
    the section and question pages the sentence that explains the rating, which the scoring
    rules still write in English (on a Welsh page it is marked lang="en")."""
    codes = [item.id for fw in pinned_frameworks(world.assessment) for item in fw.items]
    # Dates are written by Babel in the page's locale (Welsh months on a Welsh page); the
    # pseudo-locale's pages are English ones.
    codes += [date(2026, month, 1).strftime("%B") for month in range(1, 13)]
    results = assessment_results(frameworks(), world.assessment).framework(KP)
    if name == "section":
        codes.append(results.section("1").explanation)
    if name == "question in full":
        codes.append(results.item("1.1").explanation)
    return codes


@pytest.mark.parametrize(
    "name",
    [
        "partnership",
        "invite",
        "overview",
        "question",
        "question with an error",
        "check answers",
        "section",
        "question in full",
        "results",
        "who has rated what",
        "mark as agreed",
        "new assessment",
        "create an assessment",
        "change an action",
        "change a role",
        "remove a member",
        "your partnerships",
    ],
)
def test_every_word_on_the_page_goes_through_a_translation(app, pseudo_app, world, name):
    persona, method, url, data = pages(world)[name]
    response = fetch(pseudo_app, world, persona, method, url, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "⟦" in html
    left = english_left(marked_as_one(html), data=data_of(world) + codes_of(world, name))
    assert left == []


WELSH = {
    "partnership": ("Eich rôl", "Aelodau", "Gwahodd rhywun", "Gwahoddiadau heb eu defnyddio eto"),
    "invite": ("Gwahodd rhywun", "Iaith yr e-bost gwahoddiad", "Y ddwy, Cymraeg yn gyntaf"),
    "overview": ("Cyfnod", "Ar agor i’w sgorio", "Adroddiad a lawrlwythiadau", "Eich sgoriau"),
    "question": ("Cadw a pharhau", "Tystiolaeth i gefnogi eich sgôr ar gyfer 1.1"),
    "question with an error": ("Mae problem wedi codi", "Cwestiwn 1.1: Rhaid i’r dystiolaeth"),
    "check answers": ("Gwirio eich atebion", "Heb ei sgorio", "Newid"),
    "section": ("Cwestiynau", "Ychwanegu cam gweithredu", "Statws"),
}


@pytest.mark.parametrize("name", list(WELSH))
def test_the_pages_in_welsh(app, world, name):
    persona, method, url, data = pages(world)[name]
    response = fetch(app, world, persona, method, url, data, language="cy")
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == "cy"
    words = " ".join(page.get_text(" ").split())
    for welsh in WELSH[name]:
        assert welsh in words, welsh
    if name.startswith("question"):
        # The autosave script's words come from the page, in its language.
        form = page.find("form", id="rating-form")
        assert form["data-text-saved"] == "Wedi’i gadw"
        assert form["data-text-saving"] == "Wrthi’n cadw…"


def first_question(html: str) -> str:
    """The first question's form components, as the kept fragments drew them."""
    return str(BeautifulSoup(html, "html.parser").find(id="item-1-1"))


def test_a_welsh_page_after_an_english_one_gets_welsh_fragments(app, world):
    fragments.clear()
    url = f"/assessments/{world.assessment.id}/rate/{KP}/1"
    english = fetch(app, world, "member", "GET", url).get_data(as_text=True)
    welsh = fetch(app, world, "member", "GET", url, language="cy").get_data(as_text=True)
    again = fetch(app, world, "member", "GET", url).get_data(as_text=True)

    assert 'lang="en"' in english and 'lang="cy"' in welsh
    assert "Evidence to support your rating for 1.1" in english
    assert "Tystiolaeth i gefnogi eich sgôr ar gyfer 1.1" in welsh
    assert "Evidence to support your rating for 1.1" not in welsh
    assert "Tystiolaeth i gefnogi" not in again
    # The English page is the same, byte for byte, before and after a Welsh one was drawn.
    token = re.compile(r'name="csrf_token" value="[^"]*"|nonce="[^"]*"')
    assert token.sub("", again) == token.sub("", english)
    # Both kept, each under its own language.
    languages = {key[1] for key in fragments._kept}
    assert {"en", "cy"} <= languages
    assert "Gallwch roi hyd at 5000 nod" in first_question(welsh)
    assert "You can enter up to 5000 characters" in first_question(english)
    assert first_question(again) == first_question(english)


def test_a_rating_from_a_welsh_page_is_stored_as_from_an_english_page(app, world):
    url = f"/assessments/{world.assessment.id}/rate/{KP}/1"
    chosen = {"item-1-2-value": "green", "item-1-2-evidence": "Tystiolaeth"}
    response = fetch(app, world, "member", "POST", url, chosen, language="cy")
    assert response.status_code == 302
    welsh = db.session.execute(
        db.select(Rating).filter_by(assessment_id=world.assessment.id, item_id="1.2")
    ).scalar_one()
    assert (welsh.value, welsh.evidence) == ("green", "Tystiolaeth")

    chosen = {"item-1-3-value": "green", "item-1-3-evidence": "Evidence"}
    assert fetch(app, world, "member", "POST", url, chosen).status_code == 302
    english = db.session.execute(
        db.select(Rating).filter_by(assessment_id=world.assessment.id, item_id="1.3")
    ).scalar_one()
    assert english.value == welsh.value == "green"

    # Autosave from a Welsh page: the same stored value, and its refusals in Welsh.
    autosave = url + "/autosave"
    sent = {"item_id": "1.4", "value": "amber", "evidence": "", "improvement": ""}
    response = fetch(app, world, "member", "POST", autosave, sent, language="cy")
    assert response.status_code == 200 and response.get_json()["saved"]
    saved = db.session.execute(
        db.select(Rating).filter_by(assessment_id=world.assessment.id, item_id="1.4")
    ).scalar_one()
    assert saved.value == "amber"
    response = fetch(app, world, "member", "POST", autosave, {"item_id": "9.9"}, language="cy")
    assert response.status_code == 400
    assert response.get_json()["errors"]["form"] == "Nid yw’r cwestiwn hwnnw yn yr adran hon"


@pytest.mark.parametrize(
    ("choice", "stored"), [("en", "en"), ("cy", "cy"), ("both", None), (None, None)]
)
def test_a_lead_chooses_the_language_of_the_invitation_email(app, world, choice, stored):
    form = {"role": "member", "email": f"new-{choice or 'none'}@test.example"}
    if choice is not None:
        form["language"] = choice
    response = fetch(app, world, "lead", "POST", f"/partnerships/{world.p.id}/invite", form)
    assert response.status_code == 302
    invitation = db.session.execute(
        db.select(Invitation).filter_by(for_email=form["email"])
    ).scalar_one()
    assert invitation.language == stored


def test_the_invite_page_offers_the_email_languages_welsh_first_for_both(app, world):
    response = fetch(app, world, "lead", "GET", f"/partnerships/{world.p.id}/invite")
    page = BeautifulSoup(response.data, "html.parser")
    radios = page.find_all("input", attrs={"name": "language"})
    assert [r["value"] for r in radios] == ["en", "cy", "both"]
    labels = [page.find("label", attrs={"for": r["id"]}).get_text(strip=True) for r in radios]
    assert labels == ["English", "Cymraeg", "Both, Welsh first"]
    assert page.find("input", attrs={"name": "language", "value": "both"}).has_attr("checked")


def test_the_invitation_pages_go_through_a_translation(app, pseudo_app, world):
    made = create_invitation(
        world.p, "member", world.users["lead"], note="For the YOT", for_email="yot@test.example"
    )
    link = f"/partnerships/{world.p.id}/invitations/{made.invitation.id}"
    allowed = [*data_of(world), "For the YOT", "yot@test.example"]
    allowed += [date(2026, month, 1).strftime("%B") for month in range(1, 13)]
    for persona, url in (("lead", link), ("anonymous", f"/invitations/{made.token}")):
        response = fetch(pseudo_app, world, persona, "GET", url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert english_left(marked_as_one(html), data=allowed) == [], url
    page = BeautifulSoup(fetch(app, world, "lead", "GET", link, language="cy").data, "html.parser")
    button = page.find(attrs={"data-copy-target": "invitation-link"})
    assert button["data-text-copied"] == "Dolen wedi’i chopïo."
    assert "Dolen wahoddiad (aelod)" in page.get_text()
