"""The rated frameworks in Welsh: every shipped one holds its Welsh, the framework pages show it,
national analysts see each Welsh text's review, and reviewers list them from the command line."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from selfassess.cli import cli
from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import check_directory
from selfassess.extensions import db, frameworks
from tests.conftest import app_on
from tests.factories import make_user
from tests.language_helpers import english_left

KP = "iom-key-principles"
RATED = ("iom-key-principles", "hallmarks", "ppo-traffic-light", "dip")
AWAITING = "Translation awaiting review"


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "html.parser")


def test_every_shipped_rated_framework_holds_its_welsh_with_no_problems():
    found, problems = check_directory(PROJECT_ROOT / "questions")
    assert problems == []
    by_id = {fw.id: fw for fw in found}
    for framework_id in RATED:
        texts = by_id[framework_id].texts
        assert texts.languages == ("en", "cy"), framework_id
        assert texts.placed("cy"), framework_id
        assert all(p.translation.text.strip() for p in texts.placed("cy"))


def test_the_framework_page_in_welsh_shows_the_welsh_questions(app, client):
    client.set_cookie("language", "cy")
    shown = page(client, f"/frameworks/{KP}")
    assert shown.h1.get_text(strip=True) == (
        "Rheoli Troseddwyr yn Integredig: Egwyddorion Allweddol"
    )
    first = shown.select_one("#item-1\\.3 h3").get_text(" ", strip=True)
    assert "A oes gweledigaeth strategol glir a chyffredin o IOM" in first
    heading = shown.select("h2.govuk-heading-l")[0].get_text(" ", strip=True)
    assert heading.startswith("Egwyddor 1: Pob partner yn mynd i'r afael")
    scale = [s.get_text(strip=True) for s in shown.select(".govuk-summary-list .app-rag")]
    assert scale == ["Coch", "Ambr", "Gwyrdd", "Ddim yn gwybod", "Amherthnasol"]
    assert "Egwyddorion" in shown.select_one(".govuk-summary-list").get_text()
    assert not shown.select(".app-review-tag")  # a guest sees no review marks


def test_the_framework_list_in_welsh_names_each_framework_in_welsh(app, client):
    client.set_cookie("language", "cy")
    titles = [a.get_text(strip=True) for a in page(client, "/frameworks/").select("tbody a")]
    assert "Meini prawf y Rhaglen Ymyriadau Cyffuriau (DIP)" in titles
    assert "Asesiad goleuadau traffig PPO" in titles


def test_an_analyst_sees_each_welsh_text_awaiting_review_and_the_count(app, client):
    analyst = make_user(is_analyst=True, language="cy")
    db.session.commit()
    sign_in(client, analyst)
    shown = page(client, f"/frameworks/{KP}")
    awaiting = len(frameworks().get(KP).texts.placed("cy"))
    notice = shown.select_one(".app-translation-review").get_text(" ", strip=True)
    assert f"{awaiting} testun Cymraeg yn aros am adolygiad gan siaradwr Cymraeg" in notice
    tags = shown.select(".app-review-tag")
    assert {t.get_text(strip=True) for t in tags} == {"Cyfieithiad yn aros am adolygiad"}
    assert shown.select_one("#item-1\\.1 h3 .app-review-tag")
    assert all("govuk-tag--grey" in t["class"] for t in tags)


def test_an_analyst_reading_english_can_show_the_welsh_beside_it(app, client):
    analyst = make_user(is_analyst=True)
    db.session.commit()
    sign_in(client, analyst)
    plain = page(client, f"/frameworks/{KP}")
    notice = plain.select_one(".app-translation-review")
    assert "Welsh texts await review by a Welsh speaker" in notice.get_text()
    assert not plain.select(".app-welsh")
    link = notice.find("a", string="Show the Welsh beside the English")
    shown = page(client, link["href"])
    item = shown.select_one("#item-1\\.3")
    assert "Is there a clear and common strategic vision" in item.h3.get_text()
    welsh = item.select_one(".app-welsh[lang=cy]").get_text(strip=True)
    assert welsh.startswith("A oes gweledigaeth strategol glir a chyffredin o IOM")
    assert item.select_one(".app-review-tag").get_text(strip=True) == AWAITING
    assert shown.select_one(".app-translation-review").find("a", string="Hide the Welsh")


def test_a_signed_off_text_shows_who_checked_it_and_when(app, client, monkeypatch):
    from selfassess.domain.framework_texts import Translation

    framework = frameworks().get(KP)
    english = framework.items[0].text
    signed = Translation(framework.in_language(english, "cy"), "Ceri Jones", "2026-12-07")
    monkeypatch.setitem(framework.texts.by_english[english], "cy", signed)
    analyst = make_user(is_analyst=True)
    db.session.commit()
    sign_in(client, analyst)
    item = page(client, f"/frameworks/{KP}?welsh=1").select_one("#item-1\\.1 h3 + div")
    assert "Welsh checked by Ceri Jones on 7 December 2026" in item.get_text(" ", strip=True)
    assert not item.select(".app-review-tag")


def test_people_other_than_analysts_see_no_review_marks(app, client):
    member = make_user(is_analyst=False)
    db.session.commit()
    sign_in(client, member)
    for language in ("en", "cy"):
        client.set_cookie("language", language)
        shown = page(client, f"/frameworks/{KP}?welsh=1")
        assert not shown.select(".app-review-tag, .app-translation-review, .app-welsh")
        assert AWAITING not in shown.get_text()


def test_the_command_lists_each_welsh_text_and_totals(runner):
    result = runner.invoke(cli, ["frameworks", "translations", "hallmarks"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "hallmarks.yaml: title (awaiting review)",
        "  en: Hallmarks of Effective Partnerships",
        "  cy: Nodweddion Partneriaethau Effeithiol",
    ]
    assert "hallmarks.yaml: sections[0].items[0].text (awaiting review)" in lines
    count = len(frameworks().get("hallmarks").texts.placed("cy"))
    assert (
        f"hallmarks.yaml: hallmarks 2010.1: {count} Welsh texts, {count} awaiting review, 0 "
        "signed off" in lines
    )
    assert lines[-1] == f"Total: {count} Welsh texts, {count} awaiting review, 0 signed off"


def test_the_command_totals_every_framework_and_lists_only_what_awaits(runner):
    result = runner.invoke(cli, ["frameworks", "translations", "--awaiting"])
    assert result.exit_code == 0, result.output
    library = frameworks()
    total = sum(
        len(fw.texts.placed("cy"))
        for fid in {fw.id for fw in library}
        for fw in library.versions(fid)
    )
    assert result.output.splitlines()[-1] == (
        f"Total: {total} Welsh texts, {total} awaiting review, 0 signed off"
    )
    assert runner.invoke(cli, ["frameworks", "translations", "no-such"]).exit_code == 1


# --- no English left: every word through a translation ----------------------------------


def framework_content(html: bytes) -> str:
    """The whole page: the layout every page shares is translated too."""
    return html.decode()


@pytest.fixture
def pseudo_app(tmp_path):
    with app_on("sqlite", tmp_path, "pseudo", PSEUDO_LOCALE=True) as app:
        yield app


@pytest.mark.parametrize("url", ["/frameworks/", *(f"/frameworks/{f}" for f in RATED)])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_english_is_left_on_the_framework_pages(pseudo_app, url, language):
    client = pseudo_app.test_client()
    client.set_cookie("language", language)
    response = client.get(url)
    assert response.status_code == 200
    assert english_left(framework_content(response.data)) == []


@pytest.mark.parametrize(
    ("url", "language"),
    [(f"/frameworks/{KP}", "en"), (f"/frameworks/{KP}?welsh=1", "en"), (f"/frameworks/{KP}", "cy")],
)
def test_no_english_is_left_for_an_analyst_reviewing_the_welsh(pseudo_app, url, language):
    analyst = make_user(is_analyst=True, language=language)
    db.session.commit()
    client = pseudo_app.test_client()
    sign_in(client, analyst)
    response = client.get(url)
    left = english_left(framework_content(response.data), data=[analyst.name])
    assert left == []
