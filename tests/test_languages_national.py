"""The national pages in Welsh: the analysts' collection, national picture and expected-list
import (with its row problems), and a partnership lead's survey question and check-answers
pages. Walked in Welsh they show Welsh words; walked with the pseudo-locale every word on them
went through a translation; and a return saved from the Welsh pages stores the option ids the
English ones store."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.domain.reference import REGIONS as REGION_NAMES
from selfassess.extensions import db, frameworks
from selfassess.models import Return
from selfassess.services.agreement import save_agreed_rating
from selfassess.services.collections import create_collection
from tests.conftest import app_on
from tests.factories import make_assessment, make_partnership, make_user
from tests.language_helpers import english_left
from tests.national_helpers import KP, REGIONS, S, import_rows, known_returns

BAD_LIST = (
    "name,code,region,police_force_area\n"
    "Nowhere CSP,E1,Atlantis,Nowhere Police\n"
    ",W22000001,wales,Dyfed-Powys Police\n"
)


BAD_RETURNS = "partnership_code,q1,q2,q99\nNOWHERE,maybe,planning_ongoing,\n"


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def _collection(slug: str, partnerships):
    today = date.today()
    return create_collection(
        "Returns now",
        slug,
        [KP, S],
        today - timedelta(days=1),
        today + timedelta(days=30),
        expected=partnerships,
    )


def _national(client, language: str) -> dict:
    """A collection with ten imported returns, and a lead of another partnership who has
    answered the survey as far as the check-answers page; every page's address."""
    partnerships = [
        make_partnership(name=f"Partneriaeth {i}", region=region)
        for i, region in enumerate(REGIONS, start=1)
    ]
    own = make_partnership(name="Partneriaeth Caerdydd", region="wales")
    lead = make_user(own, "lead", name="Siân Lewis")
    assessment = make_assessment(own, (KP,), status="open")
    save_agreed_rating(assessment, KP, "1.1", "green", "Cytunwyd", None, lead)
    assessment.status = "agreed"
    collection = _collection("returns-now", [*partnerships, own])
    import_rows(collection, known_returns([p.code for p in partnerships]))
    analyst = make_user(None, is_analyst=True, agency=None, name="Dai Jones")
    analyst.language = language
    lead.language = language
    db.session.commit()
    base = f"/national/partnerships/{own.id}/collections/returns-now"
    return {
        "analyst": analyst,
        "lead": lead,
        "assessment": assessment,
        "collection": "/national/collections/returns-now",
        "picture": "/national/collections/returns-now/picture",
        "expected": "/national/collections/returns-now/expected",
        "returns": f"/national/partnerships/{own.id}/returns",
        "base": base,
        "data": [p.name for p in partnerships]
        + [p.code for p in [*partnerships, own]]
        + [own.name, "Siân Lewis", "Dai Jones", "Returns now", assessment.title, assessment.period],
    }


def _answer(client, base, item, value, arrangement=0):
    response = client.post(f"{base}/questions/{S}/{item}/{arrangement}", data={"answer": value})
    assert response.status_code == 302, response.data
    return response


def _lead_answers(client, base) -> None:
    _answer(client, base, "q1", "yes")
    _answer(client, base, "q3", "fully")
    _answer(client, base, "q4", "one")
    _answer(client, base, "_arrangements", "1")
    _answer(client, base, "q6", ["police", "probation"], 1)


def _pages(client, where) -> dict[str, str]:
    """Every page of the area, as the reader sees it."""
    pages = {}
    sign_in(client, where["analyst"])
    for name in ("collection", "picture", "expected"):
        response = client.get(where[name])
        assert response.status_code == 200, name
        pages[name] = response.get_data(as_text=True)
    response = client.post(
        where["expected"],
        data={"expected_file": (io.BytesIO(BAD_LIST.encode()), "expected.csv")},
        content_type="multipart/form-data",
    )
    pages["expected problems"] = response.get_data(as_text=True)
    response = client.get(where["picture"] + "?region=wales")
    assert response.status_code == 200
    pages["regional picture"] = response.get_data(as_text=True)
    # A returns file with a problem in a cell, in a heading and in the asked_if rule.
    response = client.post(
        where["collection"] + "/import",
        data={"returns_file": (io.BytesIO(BAD_RETURNS.encode()), "returns.csv")},
        content_type="multipart/form-data",
    )
    pages["import problems"] = response.get_data(as_text=True)
    for name, url in (
        ("collections", "/national/"),
        ("new collection", "/national/collections/new"),
        ("tokens", "/national/tokens"),
    ):
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.get_data(as_text=True)
    response = client.post("/national/collections/new", data={})
    pages["new collection with errors"] = response.get_data(as_text=True)
    first = db.session.scalar(select(Return).order_by(Return.id))
    response = client.get(f"{where['collection']}/returns/{first.id}")
    assert response.status_code == 200
    pages["return"] = response.get_data(as_text=True)
    sign_in(client, where["lead"])
    base = where["base"]
    pages["returns"] = client.get(where["returns"]).get_data(as_text=True)
    response = client.get(f"{base}/questions/{S}/q1/0")
    assert response.status_code == 200
    pages["question"] = response.get_data(as_text=True)
    _lead_answers(client, base)
    response = client.get(f"{base}/questions/{S}/q6/1")
    assert response.status_code == 200
    pages["question per arrangement"] = response.get_data(as_text=True)
    # "None" beside "probation": the exclusive rule's message, in the page's words.
    response = client.post(f"{base}/questions/{S}/q8/0", data={"answer": ["probation", "none"]})
    assert response.status_code == 200
    pages["question with an error"] = response.get_data(as_text=True)
    response = client.get(f"{base}/check")
    assert response.status_code == 200
    pages["check answers"] = response.get_data(as_text=True)
    response = client.post(f"{base}/check", data={})
    pages["check answers with an error"] = response.get_data(as_text=True)
    return pages


def test_the_national_pages_in_welsh(client):
    where = _national(client, "cy")
    pages = _pages(client, where)
    for name, html in pages.items():
        page = BeautifulSoup(html, "html.parser")
        assert page.html["lang"] == "cy", name
    text_of = {
        name: BeautifulSoup(html, "html.parser").get_text(" ") for name, html in pages.items()
    }
    assert "Cyfradd ymateb" in text_of["collection"]
    assert "Y darlun cenedlaethol" in text_of["picture"]
    assert "Cwestiynau" in text_of["picture"]
    expected = BeautifulSoup(pages["expected problems"], "html.parser")
    assert "Mae problem wedi codi" in expected.select_one(".govuk-error-summary").text
    table = expected.select_one("#problems").get_text(" ")
    assert "Rhes" in table and "Colofn" in table
    problems = BeautifulSoup(pages["import problems"], "html.parser").select_one("#problems")
    assert "nid yw 'maybe' yn ateb i q1" in problems.get_text(" ")
    assert "yn wag" in table  # row 3's name is blank
    assert "nid yw 'Atlantis' yn rhanbarth" in table
    assert "Gogledd-orllewin Lloegr" in text_of["picture"]  # the regions, in Welsh
    assert "Cadw a pharhau" in text_of["question"]
    assert "Gwirio eich atebion" in text_of["check answers"]
    assert "Dewiswch yr asesiad y cytunwyd arno" in text_of["check answers with an error"]


def test_a_welsh_return_stores_the_same_option_ids(client, app):
    where = _national(client, "cy")
    sign_in(client, where["lead"])
    base = where["base"]
    _lead_answers(client, base)
    response = client.post(f"{base}/check", data={"assessment": where["assessment"].id})
    assert response.status_code == 302, response.data
    ret = db.session.scalar(select(Return).where(Return.source == "app"))
    assert ret.snapshot["survey"][S]["q1"] == {"0": ["yes"]}
    assert ret.snapshot["survey"][S]["q6"] == {"1": ["police", "probation"]}
    assert ret.snapshot["ratings"][KP]["1.1"] == {"rating": "green", "agreed": True}


@pytest.fixture
def pseudo_app(database, tmp_path):
    """The app with the pseudo-locale: every translated word comes out marked ⟦…⟧."""
    with app_on(database, tmp_path, "pseudo", PSEUDO_LOCALE=True) as app:
        yield app


def test_every_word_on_the_national_pages_is_translated(pseudo_app):
    client = pseudo_app.test_client()
    where = _national(client, "cy")
    pages = _pages(client, where)
    # What the test put in, and the file's own values the problems quote.
    data = [*where["data"], "E1", "Atlantis", "name", "code", "region", "police_force_area"]
    data += ["NOWHERE", "maybe", "partnership_code", "arrangement"]  # the returns file's own
    data += [name for _, name in REGION_NAMES]  # what a file may give, named as it must be
    # Item ids (q1, 1.1) and dates in the page's locale are not words to translate; section
    # headings are the framework library's own (in the page's language, not marked).
    data += [item.id for fw in frameworks().latest_all() for item in fw.items]
    data += [
        fw.section_heading(section, "cy")
        for fw in frameworks().latest_all()
        for section in fw.sections
    ]
    today = date.today()
    data += [
        format_date(d, "d MMMM y", locale="cy")
        for d in (today, today - timedelta(days=1), today + timedelta(days=30))
    ]
    left = {name: english_left(_own_part(html), data) for name, html in pages.items()}
    for name, words in left.items():
        print(name, words)
    assert left == {name: [] for name in pages}


def _own_part(html: str) -> str:
    """The page less the layout every page shares (header, navigation, footer): the words this
    area is answerable for, its title and back link included."""
    page = BeautifulSoup(html, "html.parser")
    for tag in page.select("header, footer, .govuk-skip-link, .govuk-service-navigation"):
        tag.decompose()
    for tag in page.select(".govuk-phase-banner, .app-language-toggle"):
        tag.decompose()
    # The contents list and the charts shorten long texts: a marked text cut short ("...")
    # keeps its opening mark.
    for piece in list(page.find_all(string=True)):
        if "⟦" in piece and piece.rstrip().endswith("...") and "⟧" not in piece.split("⟦")[-1]:
            piece.replace_with(piece.rstrip() + "⟧")
    # A sentence with a link or code in it is one message: read it as one piece of text.
    for tag in page.select("main p code, main p a, main p strong, main li a, main li code"):
        tag.unwrap()
    for tag in page.select("svg metadata"):  # the chart file's own, never shown
        tag.decompose()
    page.smooth()
    return str(page)


def test_charts_pdf_and_datasets_speak_the_readers_language(client):
    """Each language has its own charts and PDF (kept apart in their caches), and the
    datasets keep their id columns, adding the same answers in words in the page's language."""
    from pypdf import PdfReader

    where = _national(client, "cy")
    analyst = where["analyst"]
    sign_in(client, analyst)
    picture = client.get(where["picture"]).get_data(as_text=True)
    assert "Canran y partneriaethau a roddodd bob ateb" in picture
    welsh_pdf = client.get(where["picture"] + ".pdf")
    assert welsh_pdf.mimetype == "application/pdf", welsh_pdf.status_code
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(welsh_pdf.data)).pages)
    assert "Cyfradd ymateb" in text and "Am y ffigurau" in text
    assert "Gogledd-orllewin Lloegr" in text

    csv = client.get(where["collection"] + "/dataset.csv").get_data(as_text=True)
    header = csv.splitlines()[0]
    assert header.startswith('"collection","partnership_code","partnership","region"')
    assert header.endswith('"Enw’r rhanbarth","Cwestiwn","Ateb"')
    assert '"north_west"' in csv and '"Gogledd-orllewin Lloegr"' in csv
    # The analysis tables: the same variables and codes, labelled in Welsh.
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(where["collection"] + "/tables/xlsx").data))
    codebook = [[c.value for c in row] for row in book["codebook"].iter_rows()]
    assert codebook[0] == ["table", "variable", "label", "code", "code label"]
    assert ["returns", "region", "Rhanbarth", None, None] in codebook
    assert any(row[3] == 1 and row[4] == "Wedi’i ddewis" for row in codebook)

    # The same, in English: nothing of the Welsh comes back from a cache.
    analyst.language = "en"
    db.session.commit()
    picture = client.get(where["picture"]).get_data(as_text=True)
    assert "Percentage of partnerships giving each answer" in picture
    assert "Canran y partneriaethau" not in picture
    english_pdf = client.get(where["picture"] + ".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(english_pdf.data)).pages)
    assert "Response rate" in text and "Cyfradd ymateb" not in text
    header = client.get(where["collection"] + "/dataset.csv").get_data(as_text=True).splitlines()[0]
    assert header.endswith('"Region name","Question","Answer"')
