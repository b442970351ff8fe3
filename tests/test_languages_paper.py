"""Paper forms in Welsh: the pages with nothing left in English (walked with the pseudo-locale),
a form printed in Welsh and one in Welsh with the English under it (their PDF text read back),
and a Welsh form filled in with a pen, scanned and read back to the same answers, its English
printing's layout kept beside the Welsh one."""

from __future__ import annotations

import io
import random
import re

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from selfassess.domain.paper import layout_in, read_qr_payload
from selfassess.extensions import db, frameworks
from selfassess.models import PaperForm
from tests.factories import make_assessment, make_partnership, make_user
from tests.language_helpers import english_left
from tests.paper_pen import fill_in, render_pdf_pages, scan
from tests.report_world import sign_in

KP = "iom-key-principles"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def main_part(html: bytes | str) -> str:
    """The page's own part (its <main> and title) as a page of the same language: the header,
    footer and breadcrumbs are checked with the pages they belong to. A message may hold a link,
    code or a key: its words are read as the one sentence they are."""
    soup = BeautifulSoup(html, "html.parser")
    lang = soup.html.get("lang", "en")
    main = soup.find("main")
    for tag in main.find_all(["a", "code", "strong", "kbd"]):
        if not tag.get("lang") and not tag.get("translate"):
            tag.unwrap()
    main.smooth()
    title = soup.title.get_text() if soup.title else ""
    return f'<html lang="{lang}"><title>{title}</title><body>{main}</body></html>'


@pytest.fixture
def world(app):
    p = make_partnership(name="Papurton CSP")
    lead = make_user(p, "lead", name="Lowri Lead", language="cy")
    second = make_user(p, "lead", name="Siôn Second", language="cy")
    member = make_user(p, "member", name="Prys Shah", agency="probation")
    assessment = make_assessment(p, title="Asesiad 2026")
    return p, lead, second, member, assessment


@pytest.fixture
def pseudo_client(pseudo_twin):
    """A client of the test app's twin, every message wrapped in ⟦…⟧."""
    return pseudo_twin.test_client()


def _pdf_text(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(response.data)).pages]


def _allowed(world, *more) -> list[str]:
    p, lead, second, member, assessment = world
    fw = frameworks().get(KP)
    # Section headings are the framework's texts, put together by the framework library.
    headings = [fw.section_heading(s.id, "cy") for s in fw.sections]
    return [
        p.name,
        assessment.title,
        lead.name,
        second.name,
        member.name,
        *headings,
        # The error summary's heading is the shared component's, checked with it.
        "There is a problem",
        *more,
    ]


def test_the_paper_pages_in_welsh_leave_nothing_in_english(client, pseudo_client, world):
    p, lead, second, member, assessment = world
    sign_in(pseudo_client, lead)
    base = f"/assessments/{assessment.id}/paper"
    index = pseudo_client.get(base)
    assert index.status_code == 200
    assert english_left(main_part(index.data), _allowed(world)) == []
    # A form is printed (so it has a code), then found by a code that is no form's.
    assert pseudo_client.get(f"{base}/{KP}/members/{member.id}.pdf").status_code == 200
    form = db.session.execute(select(PaperForm)).scalar_one()
    wrong = pseudo_client.post(f"{base}/key", data={"code": "AAAA-AAAA"})
    assert wrong.status_code == 400
    assert english_left(main_part(wrong.data), _allowed(world)) == []
    key = pseudo_client.get(f"{base}/forms/{form.code}")
    assert key.status_code == 200
    code_shown = f"{form.code[:4]}-{form.code[4:]}"
    allowed = _allowed(world, code_shown, form.framework_version)
    assert english_left(main_part(key.data), allowed) == []
    # Kept for a second person, who keys it differently: the answers side by side.
    kept = pseudo_client.post(
        f"{base}/forms/{form.code}",
        data={"member": member.id, "step": "second", "r-1.1": "red", "r-1.2": "green"},
    )
    assert kept.status_code == 302
    waiting = pseudo_client.get(base)
    assert english_left(main_part(waiting.data), allowed) == []
    sign_in(pseudo_client, second)
    compare = pseudo_client.post(
        f"{base}/forms/{form.code}",
        data={"member": member.id, "step": "compare", "r-1.1": "amber", "r-1.2": "green"},
    )
    assert compare.status_code == 200
    assert "difference-1.1" in compare.get_data(as_text=True)
    assert english_left(main_part(compare.data), allowed) == []


def test_a_form_printed_in_welsh_says_everything_in_welsh(client, world):
    p, lead, second, member, assessment = world
    sign_in(client, lead)
    fw = frameworks().get(KP)
    # The lead reads Welsh: the form is printed in Welsh unless asked otherwise.
    member_pdf = f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf"
    pages = _pdf_text(client.get(member_pdf))
    text = " ".join(pages)
    for words in ("Sut i lenwi hon.", "Tystiolaeth", "Camau i wella", "Cod y ffurflen"):
        assert words in text, words
    assert "Tudalen 1 o" in pages[0] and "Ticiwch neu rhowch groes mewn un blwch" in pages[0]
    # (The framework's own texts may speak of evidence: the form's words are checked.)
    for english in ("How to fill this in", "Measures to improve", "Form code", "Page 1 of"):
        assert english not in text, english
    for value in fw.scale:  # a long answer wraps beside its box: each word is there
        for word in fw.in_language(value.label, "cy").split():
            assert word in pages[0], value.label
    if fw.in_language("Red", "cy") != "Red":  # the framework's Welsh is held
        for words in ("Coch", "Ambr", "Gwyrdd"):
            assert words in pages[0]
        assert fw.in_language(fw.items[0].text, "cy")[:30] in flat(text)
    # The same form in English, asked for by name: its code is the form's own.
    english = _pdf_text(client.get(f"{member_pdf}?in=en"))
    assert "How to fill this in." in english[0] and "Tystiolaeth" not in " ".join(english)
    form = db.session.execute(select(PaperForm)).scalar_one()
    assert f"Form code {form.code[:4]}-{form.code[4:]}" in english[0]
    assert f"Cod y ffurflen {form.code[:4]}-{form.code[4:]}" in pages[0]


def test_a_bilingual_form_has_the_welsh_with_the_english_under_it(client, world):
    p, lead, second, member, assessment = world
    sign_in(client, lead)
    response = client.get(f"/assessments/{assessment.id}/paper/{KP}/blank.pdf?in=cy%2Ben")
    pages = _pdf_text(response)
    first = pages[0]
    assert first.index("Sut i lenwi hon.") < first.index("How to fill this in.")
    assert first.index("Tystiolaeth") < first.index("Evidence")
    assert first.index("Camau i wella") < first.index("Measures to improve")
    assert "Enw:" in first and "Name:" in first
    assert "Tudalen 1 o" in first and "Page 1 of" in first
    form = db.session.execute(select(PaperForm)).scalar_one()
    assert layout_in(form.layout, "cy+en") is not None
    assert layout_in(form.layout, "en") is None  # never printed in English


def test_the_print_page_offers_each_language(client, world):
    p, lead, second, member, assessment = world
    sign_in(client, lead)
    page = BeautifulSoup(client.get(f"/assessments/{assessment.id}/paper").data, "html.parser")
    links = [a["href"] for a in page.select(f"#forms-{KP} a")]
    blank = f"/assessments/{assessment.id}/paper/{KP}/blank.pdf"
    assert links == [f"{blank}?in=en", blank, f"{blank}?in=cy%2Ben"]
    assert (
        page.select_one(f'#forms-{KP} a[lang="en"]').get_text(" ", strip=True).startswith("English")
    )
    assert "Ffurflenni papur" in page.select_one("h1").get_text()


def test_a_welsh_form_filled_in_and_scanned_reads_back_the_same_answers(
    client, pseudo_client, world
):
    p, lead, second, member, assessment = world
    sign_in(client, lead)
    base = f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf"
    client.get(f"{base}?in=en")  # printed in English first: that layout must survive
    form = db.session.execute(select(PaperForm)).scalar_one()
    english_layout = layout_in(form.layout, "en")
    welsh_pdf = client.get(f"{base}?in=cy").data
    db.session.refresh(form)
    assert layout_in(form.layout, "en") == english_layout
    welsh = layout_in(form.layout, "cy")
    assert welsh is not None
    if frameworks().get(KP).in_language("Red", "cy") != "Red":
        # The Welsh runs longer: its boxes are elsewhere, and the reader must use its own.
        assert welsh["pages"] != english_layout["pages"]
    layout = {pg["page"]: pg for pg in welsh["pages"]}
    rng = random.Random(7)
    images, truths = [], []
    rendered = render_pdf_pages(welsh_pdf, dpi=200)
    for number, page in enumerate(rendered[:2], start=1):
        page = page.copy()
        truths += fill_in(
            page, layout[number], 200, rng, faint_share=0, cancel_share=0, blank_share=0
        )
        images.append(scan(page, rng))
    import zxingcpp

    marks = [read_qr_payload(r.text) for r in zxingcpp.read_barcodes(rendered[0])]
    assert [(m.code, m.page, m.language) for m in marks if m] == [(form.code, 1, "cy")]

    out = io.BytesIO()
    pictures = [Image.fromarray(i) for i in images]
    pictures[0].save(out, "PDF", resolution=200, save_all=True, append_images=pictures[1:])
    # Uploaded by the lead, who reads Welsh: the review page, with nothing left in English.
    sign_in(pseudo_client, lead)
    response = pseudo_client.post(
        f"/assessments/{assessment.id}/paper/scans",
        data={"scans": [(io.BytesIO(out.getvalue()), "sganiau.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    review = pseudo_client.get(response.headers["Location"])
    page = BeautifulSoup(review.data, "html.parser")
    for t in truths:
        checked = page.select_one(f'input[name="r-{form.code}-{t.item_id}"][checked]')
        assert checked["value"] == (t.value or ""), t.item_id
    assert len(page.select(".app-paper-question")) == len(truths)
    evidence = [i["src"] for i in page.select("img") if "/evidence/" in i["src"]]
    assert pseudo_client.get(evidence[0]).mimetype == "image/png"
    allowed = _allowed(world, f"{form.code[:4]}-{form.code[4:]}", "sganiau.pdf")
    assert english_left(main_part(review.data), allowed) == []
    # The same page in Welsh words.
    sign_in(client, lead)
    welsh_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gwirio’r ffurflenni a sganiwyd" in welsh_page
    assert "Cafodd pob blwch ei ddarllen yn glir." in welsh_page


def test_keying_in_welsh_takes_its_keys_from_the_welsh_answers(client, world):
    p, lead, second, member, assessment = world
    sign_in(client, lead)
    client.get(f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf")
    form = db.session.execute(select(PaperForm)).scalar_one()
    page = BeautifulSoup(
        client.get(f"/assessments/{assessment.id}/paper/forms/{form.code}").data, "html.parser"
    )
    keys = {i["value"]: i["data-key"] for i in page.select('input[name="r-1.1"]') if i["value"]}
    if frameworks().get(KP).in_language("Red", "cy") == "Coch":
        assert keys == {
            "red": "c",
            "amber": "a",
            "green": "g",
            "dont_know": "d",
            "not_applicable": "m",
        }
    assert len(set(keys.values())) == len(keys)
    assert "Gadawyd yn wag" in page.select_one('label[for="r-1.1-blank"]').get_text()
