"""Paper forms: the printed questionnaires (blank, made out to a member, the national survey for
a partnership), and keying them back in, once or twice, through the rating service. Leads only;
a form code from another assessment is no form at all."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from selfassess.domain.paper import (
    Keyed,
    clean_form_code,
    differences,
    rating_keys,
    read_qr_payload,
    show_form_code,
)
from selfassess.extensions import db, frameworks
from selfassess.models import AuditEvent, PaperEntry, PaperForm, Rating
from tests.factories import make_assessment, make_partnership, make_user
from tests.report_world import sign_in

KP = "iom-key-principles"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world(app, client):
    p = make_partnership(name="Paperton CSP")
    lead = make_user(p, "lead", name="Lena Lead")
    second = make_user(p, "lead", name="Sam Second")
    member = make_user(p, "member", name="Priya Shah", agency="probation")
    assessment = make_assessment(p)
    return p, lead, second, member, assessment


def _pdf_text(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(response.data)).pages]


# --- plain logic ---------------------------------------------------------------------------


def test_form_codes_read_as_people_type_them():
    assert clean_form_code(" k7mp-3qxd ") == "K7MP3QXD"
    assert clean_form_code("K7MP 3QXD") == "K7MP3QXD"
    assert clean_form_code("K7MP-3QX") is None  # too short
    assert clean_form_code("K7MP-3QX0") is None  # 0 is never printed: it reads as O
    assert show_form_code("K7MP3QXD") == "K7MP-3QXD"
    mark = read_qr_payload("SAP1:K7MP3QXD:3:2010.1")
    assert (mark.code, mark.page, mark.version) == ("K7MP3QXD", 3, "2010.1")
    assert read_qr_payload("https://example.com") is None
    assert read_qr_payload("SAP1:K7MP3QXD:0:2010.1") is None


def test_one_key_per_rating_from_the_scale(app):
    keys = rating_keys(frameworks().get(KP).scale)
    assert keys == {
        "red": "r",
        "amber": "a",
        "green": "g",
        "dont_know": "d",
        "not_applicable": "n",
    }


def test_differences_ignore_spacing_but_not_ratings_or_words():
    first = {"1.1": Keyed("red", "minutes  of board"), "1.2": Keyed("green")}
    second = {"1.1": Keyed("red", " minutes of board "), "1.2": Keyed("amber"), "1.3": Keyed("red")}
    found = differences(["1.1", "1.2", "1.3"], first, second)
    assert [d.item_id for d in found] == ["1.2", "1.3"]
    assert found[1].first.value is None


# --- printing ------------------------------------------------------------------------------


def test_lead_prints_a_blank_form_and_one_made_out_to_a_member(client, world, get_page):
    p, lead, _second, member, assessment = world
    sign_in(client, lead)
    show = get_page(f"/assessments/{assessment.id}")
    assert show.select_one("#paper-link")["href"] == f"/assessments/{assessment.id}/paper"
    page = get_page(f"/assessments/{assessment.id}/paper")
    links = [a["href"] for a in page.select("#print a")]
    assert f"/assessments/{assessment.id}/paper/{KP}/blank.pdf" in links
    assert f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf" in links

    pages = _pdf_text(
        client.get(f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf")
    )
    fw = frameworks().get(KP)
    form = db.session.execute(select(PaperForm).filter_by(user_id=member.id)).scalar_one()
    text = " ".join(pages)
    assert "Priya Shah, Probation" in pages[0]
    assert f"Form code {show_form_code(form.code)}" in pages[0]
    for item in fw.items:
        assert flat(item.text)[:60] in text, item.id
        assert flat(item.guidance)[:40] in text, item.id
    for n, page_text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page_text
        assert "OFFICIAL-SENSITIVE" in page_text
        for word in ("Red", "Amber", "Green", "Don't know", "Not applicable"):
            assert word in page_text
    # Every question's five boxes are known on the page that holds them, for reading scans.
    in_order = [i["item_id"] for pg in form.layout["pages"] for i in pg["items"]]
    assert in_order == [item.id for item in fw.items]  # the paper's order, page by page
    laid_out = {i["item_id"]: i for pg in form.layout["pages"] for i in pg["items"]}
    assert set(laid_out) == {item.id for item in fw.items}
    assert all(set(i["boxes"]) == {v.id for v in fw.scale} and i["area"] for i in laid_out.values())
    assert len(form.layout["pages"]) == len(pages)

    # Printed again, the same code: the member's form is one form.
    again = _pdf_text(
        client.get(f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf")
    )
    assert f"Form code {show_form_code(form.code)}" in again[0]
    blank_pdf = client.get(f"/assessments/{assessment.id}/paper/{KP}/blank.pdf")
    assert "Name: ____" in _pdf_text(blank_pdf)[0]
    blank = db.session.execute(select(PaperForm).filter_by(user_id=None)).scalar_one()
    assert blank.code != form.code

    # Each page carries a QR code naming the form, the page and the framework version; a poor
    # 100 dpi scan still reads.
    import zxingcpp

    from tests.paper_pen import render_pdf_pages

    for n, image in enumerate(render_pdf_pages(blank_pdf.data, dpi=100)[:3], start=1):
        found = [read_qr_payload(r.text) for r in zxingcpp.read_barcodes(image)]
        assert [(m.code, m.page, m.version) for m in found if m] == [(blank.code, n, fw.version)]


def test_the_national_survey_prints_with_its_routing(client, app):
    from tests.test_national_pages import S, _open_collection

    p = make_partnership()
    lead = make_user(p, "lead")
    collection = _open_collection([p], frameworks=(S,), slug="paper-survey")
    sign_in(client, lead)
    page = client.get(f"/national/partnerships/{p.id}/returns").get_data(as_text=True)
    url = f"/partnerships/{p.id}/collections/{collection.slug}/paper/{S}.pdf"
    assert url in page
    text = " ".join(_pdf_text(client.get(url)))
    fw = frameworks().get(S)
    numbers = {item.id: n for n, item in enumerate(fw.items, start=1)}
    routed = [item for item in fw.items if item.asked_if]
    assert routed
    for item in routed:
        target = fw.item(item.asked_if.item)
        label = target.option(item.asked_if.values[0]).label
        assert f"Answer only if you answered “{label}" in text
        assert f"to question {numbers[target.id]}" in text
    assert "How many IOM arrangements" in text
    # Another partnership's lead cannot print it, nor can a member.
    other = make_user(make_partnership(), "lead")
    sign_in(client, other)
    assert client.get(url).status_code == 404
    sign_in(client, make_user(p, "member"))
    assert client.get(url).status_code == 403


def test_only_the_lead_reaches_paper_forms(client, world):
    p, lead, _second, member, assessment = world
    urls = [
        f"/assessments/{assessment.id}/paper",
        f"/assessments/{assessment.id}/paper/{KP}/blank.pdf",
        f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf",
    ]
    sign_in(client, member)
    assert [client.get(u).status_code for u in urls] == [403, 403, 403]
    assert (
        client.post(f"/assessments/{assessment.id}/paper/key", data={"code": "X"}).status_code
        == 403
    )
    outsider = make_user(make_partnership(), "lead")
    sign_in(client, outsider)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    # A lead cannot print a form made out to someone outside the partnership.
    sign_in(client, lead)
    assert (
        client.get(f"/assessments/{assessment.id}/paper/{KP}/members/{outsider.id}.pdf").status_code
        == 404
    )


# --- keying in ---------------------------------------------------------------------------------


def _form_for(client, assessment, member=None) -> PaperForm:
    """The form as printing makes it (its code), without laying out the PDF each time."""
    from selfassess.services.paper import assessment_form

    lead = next(m.user for m in assessment.partnership.memberships if m.role == "lead")
    return assessment_form(assessment, frameworks().get(KP), member, lead)


def _answers(values: dict[str, str], evidence: dict[str, str] | None = None) -> dict:
    data = {}
    for item in frameworks().get(KP).items:
        data[f"r-{item.id}"] = values.get(item.id, "")
        data[f"e-{item.id}"] = (evidence or {}).get(item.id, "")
        data[f"m-{item.id}"] = ""
    return data


def test_lead_keys_in_a_form_by_its_code_and_history_says_from_paper(client, world, get_page):
    p, lead, _second, member, assessment = world
    sign_in(client, lead)
    form = _form_for(client, assessment, member)
    typed = show_form_code(form.code).lower()
    response = client.post(f"/assessments/{assessment.id}/paper/key", data={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/paper/forms/{form.code}")
    page = get_page(f"/assessments/{assessment.id}/paper/forms/{form.code}")
    assert "Priya Shah, Probation" in page.select_one("#form-member").get_text()
    order = [q["data-question"] for q in page.select(".app-paper-question")]
    assert order == [item.id for item in frameworks().get(KP).items]
    assert page.select_one('input[name="r-1.1"][value="green"]')["data-key"] == "g"

    data = _answers({"1.1": "green", "1.2": "red"}, {"1.2": "No housing at case meetings"})
    data["step"] = "save"
    response = client.post(f"/assessments/{assessment.id}/paper/forms/{form.code}", data=data)
    assert response.status_code == 302
    ratings = {r.item_id: r for r in db.session.scalars(select(Rating))}
    assert {k: r.value for k, r in ratings.items()} == {"1.1": "green", "1.2": "red"}
    assert ratings["1.2"].evidence == "No housing at case meetings"
    assert ratings["1.1"].participant.user_id == member.id
    labels = {
        e.actor_label for e in db.session.scalars(select(AuditEvent).filter_by(entity="rating"))
    }
    assert len(labels) == 1
    assert re.fullmatch(r"Entered from paper by Lena Lead on \d{1,2} \w+ \d{4}", labels.pop())
    history = get_page(f"/assessments/{assessment.id}/items/{KP}/1.1")
    assert "Entered from paper by Lena Lead" in history.select_one("#history-list").get_text()


def test_a_blank_form_asks_whose_it_is(client, world, get_page):
    p, lead, _second, member, assessment = world
    sign_in(client, lead)
    form = _form_for(client, assessment)
    page = get_page(f"/assessments/{assessment.id}/paper/forms/{form.code}")
    assert page.select_one("#paper-entry") is None
    assert page.select_one("select#member")
    data = _answers({"1.1": "amber"}) | {"step": "save"}
    response = client.post(f"/assessments/{assessment.id}/paper/forms/{form.code}", data=data)
    assert response.status_code == 400
    assert "Choose whose form this is" in response.get_data(as_text=True)
    data["member"] = str(member.id)
    response = client.post(f"/assessments/{assessment.id}/paper/forms/{form.code}", data=data)
    assert response.status_code == 302
    rating = db.session.execute(select(Rating)).scalar_one()
    assert (rating.value, rating.participant.user_id) == ("amber", member.id)


def test_another_assessments_form_code_is_no_form(client, world):
    p, lead, _second, member, assessment = world
    other_partnership = make_partnership()
    other_lead = make_user(other_partnership, "lead")
    other = make_assessment(other_partnership)
    sign_in(client, other_lead)
    theirs = _form_for(client, other)
    sign_in(client, lead)
    response = client.post(f"/assessments/{assessment.id}/paper/key", data={"code": theirs.code})
    assert response.status_code == 400
    assert "No form of this assessment has that code" in response.get_data(as_text=True)
    assert client.get(f"/assessments/{assessment.id}/paper/forms/{theirs.code}").status_code == 404
    data = _answers({"1.1": "red"}) | {"step": "save", "member": str(member.id)}
    assert (
        client.post(
            f"/assessments/{assessment.id}/paper/forms/{theirs.code}", data=data
        ).status_code
        == 404
    )
    assert db.session.scalar(select(Rating.id)) is None


def test_a_member_cannot_key_in_forms(client, world):
    p, lead, _second, member, assessment = world
    sign_in(client, lead)
    form = _form_for(client, assessment, member)
    sign_in(client, member)
    data = _answers({"1.1": "green"}) | {"step": "save"}
    assert (
        client.post(f"/assessments/{assessment.id}/paper/forms/{form.code}", data=data).status_code
        == 403
    )
    assert db.session.scalar(select(Rating.id)) is None


def test_double_entry_shows_differences_side_by_side_before_saving(client, world, get_page):
    p, lead, second, member, assessment = world
    sign_in(client, lead)
    form = _form_for(client, assessment, member)
    url = f"/assessments/{assessment.id}/paper/forms/{form.code}"
    first = _answers({"1.1": "green", "1.2": "red", "1.3": "amber"}, {"1.1": "Signed agreement"})
    assert client.post(url, data=first | {"step": "second"}).status_code == 302
    assert db.session.scalar(select(Rating.id)) is None  # nothing saved yet
    assert get_page(url).select_one("#waiting-for-second")
    # The first keyer cannot check their own keying.
    assert client.post(url, data=first | {"step": "compare"}).status_code == 400

    sign_in(client, second)
    page = get_page(url)
    assert page.select_one("#verifying")
    assert not page.select('input[checked][value="green"]')  # blind: the first keying is not shown
    again = _answers(
        {"1.1": "green", "1.2": "amber", "1.3": "amber"}, {"1.1": "Signed  agreement "}
    )
    response = client.post(url, data=again | {"step": "compare"})
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.data, "html.parser")
    rows = page.select(".app-paper-compare tbody tr")
    assert [r["id"] for r in rows] == ["difference-1.2"]
    assert rows[0].th.get_text(" ", strip=True).startswith("1.2 Is there effective involvement")
    assert [flat(c.get_text(" ", strip=True)) for c in rows[0].select("td")] == [
        "Red (first keying of 1.2)",
        "Amber (second keying of 1.2)",
    ]
    assert db.session.scalar(select(Rating.id)) is None

    form_data = {
        i["name"]: i.get("value", "") for i in page.select("#differences input[type=hidden]")
    }
    response = client.post(url, data=form_data | {"step": "choose"})
    assert response.status_code == 400  # a difference left unchosen
    response = client.post(url, data=form_data | {"step": "choose", "choice-1.2": "first"})
    assert response.status_code == 302
    values = {r.item_id: r.value for r in db.session.scalars(select(Rating))}
    assert values == {"1.1": "green", "1.2": "red", "1.3": "amber"}
    entry = db.session.execute(select(PaperEntry)).scalar_one()
    assert (entry.status, entry.verified_by_id) == ("saved", second.id)
    label = db.session.scalars(select(AuditEvent.actor_label).filter_by(entity="rating")).first()
    assert label.startswith("Entered from paper by Lena Lead, checked by Sam Second, on ")


def test_forms_are_keyed_in_only_while_the_assessment_is_open(client, world, get_page):
    p, lead, _second, member, assessment = world
    sign_in(client, lead)
    form = _form_for(client, assessment, member)
    assessment.status = "agreed"
    db.session.commit()
    url = f"/assessments/{assessment.id}/paper/forms/{form.code}"
    page = get_page(url)
    assert page.select_one("#not-open")
    assert page.select_one("#paper-entry") is None
    response = client.post(url, data=_answers({"1.1": "green"}) | {"step": "save"})
    assert response.status_code == 400
    assert "only be entered while the assessment is open" in response.get_data(as_text=True)
    assert db.session.scalar(select(Rating.id)) is None
