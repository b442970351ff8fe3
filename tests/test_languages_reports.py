"""The report, its PDFs and its exports in Welsh, in English, and in both at once."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.documents import exports
from selfassess.documents.report_pdf import render_report_pdf_for
from selfassess.extensions import frameworks
from selfassess.queries.ratings import assessment_results
from tests.conftest import app_on
from tests.language_helpers import english_left
from tests.report_world import FORMULA, KP, SCRIPT, build, section_url, sign_in

WELSH_MONTH = format_date(date.today(), "MMMM", locale="cy")


def flat(value: str) -> str:
    return re.sub(r"\s+", " ", value)


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def structure_languages(reader: PdfReader) -> set[str]:
    found = set()

    def walk(node):
        node = node.get_object()
        if "/Lang" in node:
            found.add(str(node["/Lang"]))
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid.get_object(), dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture
def world(app, client):
    world = build()
    sign_in(client, world.observer)
    return world


def get_pdf(client, world, name: str, language: str | None = None):
    query = {"language": language} if language else {}
    response = client.get(f"/assessments/{world.assessment.id}/{name}", query_string=query)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response


# --- the report page -------------------------------------------------------------------------


def test_the_report_page_in_welsh(app, client, world):
    client.set_cookie("language", "cy")
    response = client.get(f"/assessments/{world.assessment.id}/report")
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == "cy"
    words = flat(page.get_text(" "))
    for welsh in ("Crynodeb", "Cryfderau", "Y bylchau mwyaf dybryd", "Lawrlwythiadau"):
        assert welsh in words
    assert "The most pressing gaps" not in words
    due = format_date(world.overdue_action.due_on, "d MMMM y", locale="cy")
    assert f"dyddiad targed {due}" in words  # an action's due date, in Welsh
    # The documents in each language, offered to take away.
    links = {a["href"] for a in page.select("#document-languages a")}
    base = f"/assessments/{world.assessment.id}"
    assert f"{base}/report.pdf?language=cy" in links
    assert f"{base}/action-plan.pdf?language=cy%2Ben" in links
    assert f"{base}/report.pdf?language=en" in links


def test_a_document_in_a_language_the_service_does_not_have_is_not_found(app, client, world):
    for name in ("report.pdf", "action-plan.pdf", "export/ratings.csv"):
        response = client.get(
            f"/assessments/{world.assessment.id}/{name}", query_string={"language": "fr"}
        )
        assert response.status_code == 404


def whole_messages(html: bytes) -> str:
    """The page's <main>, with each element that holds one whole message, links and all
    ("⟦<a>Download this report</a> or …⟧"), read as its text: the message went through a
    translation even where its links split its words into several strings."""
    main = BeautifulSoup(html, "html.parser").select_one("main")
    for tag in main.find_all("metadata"):  # the charts' SVG metadata: never shown
        tag.decompose()
    for tag in main.find_all(True):
        words = tag.get_text().strip()
        if not tag.find(True) or not words.startswith("⟦") or not words.endswith("⟧"):
            continue
        rest, before = words, None
        while rest != before:
            before, rest = rest, re.sub(r"⟦[^⟦⟧]*⟧", "", rest)
        if not rest.strip():
            tag.string = words
    return str(main)


@pytest.fixture
def pseudo_app(database, tmp_path):
    """The app again, with every translated message marked ⟦…⟧."""
    with app_on(database, tmp_path, "pseudo", PSEUDO_LOCALE=True, DOCUMENT_WAIT_SECONDS=0) as app:
        yield app


def test_every_word_of_the_report_and_preparing_pages_goes_through_a_translation(pseudo_app):
    client = pseudo_app.test_client()
    world = build()
    sign_in(client, world.observer)
    kp = assessment_results(frameworks(), world.assessment).framework(KP)
    # What the test put in, and the sentences the rating rules write (their own translations
    # are made where the rules are).
    data = [
        world.partnership.name,
        world.partnership.code,
        world.assessment.title,
        world.assessment.period,
        "Board review",
        SCRIPT,
        FORMULA,
        "Write a protocol",
        "-1 reminder to share data",
        "Joint tasking meets weekly",
        "Board agreed: <b>in place</b>",
        "Write the information-sharing protocol",
        "Weekly tasking minutes",
        "Police",
        "Probation",
        "Lee Lead",
        "Mo Member",
        "Ola Observer",
        "English",
        "Cymraeg",
        "XLSX",
        "CSV",
        "RAG",
        kp.overall.explanation,
        *(s.explanation for s in kp.sections),
        *(i.explanation for i in kp.items),
        *(i.contested_reason for i in kp.items if i.contested_reason),
        *(i.settled_note for i in kp.items if i.settled_note),
        *(
            getattr(g, "explanation", "")
            for lens in assessment_results(frameworks(), world.assessment).lenses
            for g in lens.groups
        ),
    ]
    from selfassess.domain import rating_words

    data.append(rating_words.exact_rule(kp.framework))
    for url in (
        f"/assessments/{world.assessment.id}/report",
        *(section_url(world.assessment.id, item) for item in ("1.1", "2.1")),
    ):
        page = client.get(url)
        assert page.status_code == 200
        left = english_left(whole_messages(page.data), data)
        assert left == [], url + "\n" + "\n".join(left)

    preparing = client.get(f"/assessments/{world.assessment.id}/report.pdf")
    assert preparing.status_code == 202
    assert english_left(whole_messages(preparing.data), data) == []


# --- the PDFs ---------------------------------------------------------------------------------


ENGLISH_CHROME = ("Summary", "Action plan", "Contents", "Strengths", "Page ", "The most pressing")


def test_the_report_pdf_in_welsh(app, client, world):
    response = get_pdf(client, world, "report.pdf", "cy")
    assert "-report-cy.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    words = pdf_text(response.data)
    for welsh in ("Crynodeb", "Cynnwys", "Cryfderau", "Y bylchau mwyaf dybryd", "Tudalen 1 o"):
        assert welsh in words
    assert f"lluniwyd {date.today().day} {WELSH_MONTH}" in words
    for english in ENGLISH_CHROME:
        assert english not in words, english
    assert "Crynodeb" in outline_titles(reader)


def test_the_action_plan_pdf_in_welsh(app, client, world):
    words = pdf_text(get_pdf(client, world, "action-plan.pdf", "cy").data)
    assert "Cynllun gweithredu: Board review" in words
    assert "Perchennog" in words and WELSH_MONTH in words
    for english in ("Action plan", "Owner", "Overdue", "Page "):
        assert english not in words, english


def test_the_bilingual_report_has_each_language_whole_and_tagged(app, client, world):
    response = get_pdf(client, world, "report.pdf", "cy+en")
    reader = PdfReader(io.BytesIO(response.data))
    words = pdf_text(response.data)
    assert words.index("Crynodeb") < words.index("Summary")  # Welsh first, then English
    assert "Tudalen 1 o" in words and "Page " in words
    titles = outline_titles(reader)
    assert titles[0] == "Cymraeg" and "English" in titles
    assert {"Crynodeb", "Summary"} <= set(titles)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert structure_languages(reader) == {"cy", "en"}
    # The page's own language is the default: a Welsh reader's download is in Welsh.
    english = pdf_text(get_pdf(client, world, "report.pdf").data)
    assert "Summary" in english and "Crynodeb" not in english
    client.set_cookie("language", "cy")
    assert "Crynodeb" in pdf_text(get_pdf(client, world, "report.pdf").data)


def test_the_bilingual_action_plan(app, client, world):
    response = get_pdf(client, world, "action-plan.pdf", "cy en")  # "+" typed: a space
    reader = PdfReader(io.BytesIO(response.data))
    words = pdf_text(response.data)
    assert "Cynllun gweithredu: Board review" in words and "Action plan: Board review" in words
    assert structure_languages(reader) == {"cy", "en"}


def test_a_background_build_renders_in_the_language_it_was_asked_for(app, world):
    body = render_report_pdf_for(
        world.assessment.id, {world.assessment.id: (True, None)}, "OFFICIAL", "cy"
    )
    words = pdf_text(body)
    assert "Crynodeb" in words and "Summary" not in words


# --- the exports ------------------------------------------------------------------------------


def test_welsh_exports_keep_every_column_and_add_welsh_words(app, client, world):
    base = f"/assessments/{world.assessment.id}/export"
    english = client.get(f"{base}/ratings.csv")
    welsh = client.get(f"{base}/ratings.csv", query_string={"language": "cy"})
    assert welsh.status_code == 200
    rows_en = list(csv.reader(io.StringIO(english.data.decode("utf-8-sig"))))
    rows_cy = list(csv.reader(io.StringIO(welsh.data.decode("utf-8-sig"))))
    assert rows_en[0] == exports.RATING_HEADER
    assert rows_cy[0] == [*exports.RATING_HEADER, "Testun yr eitem", "Asiantaeth", "Sgôr"]
    width = len(exports.RATING_HEADER)
    assert [r[:width] for r in rows_cy] == rows_en  # ids and English words as they were
    police = next(r for r in rows_cy[1:] if r[8] == "Police")
    assert police[width + 1] == "Heddlu"

    actions = client.get(f"{base}/actions.xlsx", query_string={"language": "cy"})
    book = load_workbook(io.BytesIO(actions.data))
    assert book.sheetnames == ["Cynllun gweithredu", "Ynglŷn â’r ffeil hon"]
    sheet = book["Cynllun gweithredu"]
    header = [c.value for c in sheet[1]]
    assert header == [*exports.ACTION_HEADER, "Testun yr eitem", "Sgôr bresennol", "Statws"]
    statuses = {row[len(exports.ACTION_HEADER) + 2] for row in sheet.iter_rows(2, values_only=True)}
    assert statuses == {"Heb ddechrau", "Wedi’i gwblhau"}
    about = {r[0]: r[1] for r in book["Ynglŷn â’r ffeil hon"].iter_rows(values_only=True)}
    assert about["Hidlyddion a ddefnyddiwyd"].startswith("Dim: pob cam gweithredu")
    assert about["Statws yr asesiad"] == "Ar agor"
