"""Reading scanned paper forms: printed forms marked as a pen would, scanned crooked and noisy,
read back; the upload, the review page and saving; and uploads as an attacker would send them.
A bigger sample is in bench/paper_scan.py (figures in BENCHMARKS.md)."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from sqlalchemy import func, select, text

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.documents.paper_forms import print_form
from selfassess.documents.paper_reading import MAX_PAGES, read_page
from selfassess.extensions import db, frameworks
from selfassess.models import AuditEvent, PaperForm, PaperScan, PaperScanPage, Rating
from tests.factories import make_assessment, make_partnership, make_user
from tests.paper_pen import fill_in, pen_mark, render_pdf_pages, scan, score
from tests.report_world import sign_in

KP = "iom-key-principles"


@pytest.fixture(scope="module")
def printed():
    """One blank form, printed and rendered at 200 dpi (laid out once for the module)."""
    app = create_app(TestConfig)
    with app.app_context():
        fw = frameworks().get(KP)
        form = print_form(fw, "ABCDEFGH", title="Test form", subtitle="", person=None, marking="X")
    return form, render_pdf_pages(form.pdf, dpi=200)


def test_pen_marks_on_crooked_noisy_scans_read_back(printed):
    """Ticks and crosses of varied thickness, some faint, some boxes filled in to cancel them;
    pages turned up to 3 degrees, scaled 90-100%, shifted and noisy."""
    form, pages = printed
    layout = {p["page"]: p for p in form.layout["pages"]}
    rng = random.Random(2026)
    results = []
    for number in (1, 2, 3, 4):
        page = pages[number - 1].copy()
        truths = fill_in(page, layout[number], 200, rng, faint_share=0.1, cancel_share=0.25)
        reading = read_page(scan(page, rng), lambda mark: layout.get(mark.page))
        assert reading.mark.page == number
        results.append((truths, reading.questions))
    figures = score(results)
    assert figures.boxes >= 8 * 5
    assert figures.right / figures.boxes >= 0.995
    assert figures.wrong_unflagged == 0  # every box read wrong is in a question put to the lead
    assert figures.wrong_sure_answers == 0  # no answer read wrong with confidence
    assert figures.faint_or_cancelled >= 2  # the sample did hold doubtful marks


def test_a_page_turned_upside_down_still_reads(printed):
    import cv2

    form, pages = printed
    layout = {p["page"]: p for p in form.layout["pages"]}
    rng = random.Random(7)
    page = pages[0].copy()
    truths = fill_in(page, layout[1], 200, rng, faint_share=0, cancel_share=0)
    turned = cv2.rotate(scan(page, rng, max_turn=2), cv2.ROTATE_180)
    reading = read_page(turned, lambda mark: layout.get(mark.page))
    assert [q.value for q in reading.questions] == [t.value for t in truths]


# --- through the pages ---------------------------------------------------------------------


@pytest.fixture
def world(app, client):
    p = make_partnership(name="Scanton CSP")
    lead = make_user(p, "lead", name="Lena Lead")
    member = make_user(p, "member", name="Priya Shah", agency="probation")
    assessment = make_assessment(p)
    sign_in(client, lead)
    return p, lead, member, assessment


def _print_member_form(client, assessment, member):
    response = client.get(f"/assessments/{assessment.id}/paper/{KP}/members/{member.id}.pdf")
    assert response.status_code == 200
    form = db.session.execute(select(PaperForm).filter_by(user_id=member.id)).scalar_one()
    return form, response.data


def _known_form(printed, assessment, member=None) -> PaperForm:
    """The module's printed form, held by this assessment (its code is the one on the pages)."""
    form = PaperForm(
        code="ABCDEFGH",
        partnership_id=assessment.partnership_id,
        assessment_id=assessment.id,
        framework_id=KP,
        framework_version=frameworks().get(KP).version,
        user_id=member.id if member else None,
        layout=printed[0].layout,
    )
    db.session.add(form)
    db.session.commit()
    return form


def _as_pdf(images) -> bytes:
    out = io.BytesIO()
    pictures = [Image.fromarray(i) for i in images]
    pictures[0].save(out, "PDF", resolution=200, save_all=True, append_images=pictures[1:])
    return out.getvalue()


def _upload(client, assessment, files):
    data = {"scans": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(
        f"/assessments/{assessment.id}/paper/scans", data=data, content_type="multipart/form-data"
    )


def _stored() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(PaperScan.id))),
        db.session.scalar(select(func.count(PaperScanPage.id))),
    )


def test_lead_uploads_scans_checks_them_and_saves(client, world, get_page):
    p, lead, member, assessment = world
    form, pdf = _print_member_form(client, assessment, member)
    layout = {pg["page"]: pg for pg in form.layout["pages"]}
    rng = random.Random(11)
    images, truths = [], []
    for number, page in enumerate(render_pdf_pages(pdf, dpi=200)[:2], start=1):
        page = page.copy()
        marked = fill_in(
            page, layout[number], 200, rng, faint_share=0, cancel_share=0, blank_share=0
        )
        if number == 1:  # a second box ticked in the first question: put to the lead
            first_item = layout[1]["items"][0]
            other = next(v for v in first_item["boxes"] if marked[0].boxes[v] == "empty")
            pen_mark(page, first_item["boxes"][other], 200, rng, "tick")
        truths += marked
        images.append(scan(page, rng))

    response = _upload(client, assessment, [("scans.pdf", _as_pdf(images))])
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    review_url = response.headers["Location"]
    page = get_page(review_url)
    assert "1 question needs checking" in page.select_one("#doubtful-count").get_text()
    questions = page.select(".app-paper-question")
    assert len(questions) == len(truths)
    doubtful = page.select(".app-paper-question--doubtful")
    assert [q["id"] for q in doubtful] == [f"q-{form.code}-{truths[0].item_id}"]
    assert "Check" in doubtful[0].legend.get_text()
    assert "More than one box is marked" in doubtful[0].get_text()
    assert not doubtful[0].select("input[checked]:not([value=''])")
    for t in truths[1:]:
        checked = page.select_one(f'input[name="r-{form.code}-{t.item_id}"][checked]')
        assert checked["value"] == (t.value or "")
    images_on_page = [img["src"] for img in page.select("img")]
    assert any(src.endswith("/pages/1.png") for src in images_on_page)
    evidence = [src for src in images_on_page if "/evidence/" in src]
    assert len(evidence) == len(truths)
    shown = client.get(evidence[0])
    assert shown.mimetype == "image/png"
    assert Image.open(io.BytesIO(shown.data)).size[0] > 900  # 170 mm at 6 px/mm
    assert _stored() == (1, 2)
    assert db.session.scalar(select(func.count(Rating.id))) == 0  # nothing saved before review

    # The lead corrects one answer and types some evidence from the picture, then saves.
    data = {i["name"]: i["value"] for i in page.select("#review input[checked]") if i.get("name")}
    first = truths[0].item_id
    data[f"r-{form.code}-{first}"] = other
    data[f"e-{form.code}-{first}"] = "Board minutes, March"
    response = client.post(review_url, data=data)
    assert response.status_code == 302
    ratings = {r.item_id: r for r in db.session.scalars(select(Rating))}
    expected = {t.item_id: t.value for t in truths if t.value} | {first: other}
    assert {k: r.value for k, r in ratings.items()} == expected
    assert ratings[first].evidence == "Board minutes, March"
    assert ratings[first].participant.user_id == member.id
    assert other != truths[0].value
    labels = set(db.session.scalars(select(AuditEvent.actor_label).filter_by(entity="rating")))
    assert len(labels) == 1 and labels.pop().startswith("Entered from paper (scanned) by Lena Lead")
    assert db.session.execute(select(PaperScan.status)).scalar_one() == "saved"
    # Saved once: a second post saves nothing more.
    assert client.post(review_url, data=data).status_code == 200
    assert db.session.scalar(select(func.count(Rating.id))) == len(expected)


# --- as an attacker ----------------------------------------------------------------------------


def _huge_png(width: int, height: int) -> bytes:
    """A small file whose header claims a huge picture (a decompression bomb's shape)."""

    def chunk(kind, body):
        return (
            len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    rows = zlib.compress(b"\x00" * 1024 * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def _many_page_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("form.png", b"#!/bin/sh\necho hello\n", "is not a PDF, PNG or JPEG file"),
        ("form.png", b"PK\x03\x04" + b"\x00" * 100, "is not a PDF, PNG or JPEG file"),
        ("bomb.png", _huge_png(60000, 60000), "more than 40 million pixels"),
        ("wide.png", _huge_png(9000, 9000), "more than 40 million pixels (9000 × 9000)"),
        ("long.pdf", _many_page_pdf(2000), f"has 2000 pages: upload at most {MAX_PAGES}"),
        ("empty.pdf", b"%PDF-1.4\n%%EOF", "could not be opened"),
        ("blank.png", b"", "blank.png is not a PDF, PNG or JPEG file"),
    ],
    ids=[
        "script-named-png",
        "zip-named-png",
        "bomb",
        "81-megapixels",
        "2000-pages",
        "broken-pdf",
        "empty",
    ],
)
def test_refused_uploads_keep_nothing(client, world, name, content, message):
    p, lead, member, assessment = world
    response = _upload(client, assessment, [(name, content)])
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.get_text().startswith("Error: ")
    assert message in page.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert _stored() == (0, 0)


def test_a_page_without_a_form_code_refuses_the_whole_upload(client, world, printed):
    p, lead, member, assessment = world
    _form, pages = printed  # printed with a code no assessment holds
    white = Image.new("L", (1654, 2339), 255)
    buffer = io.BytesIO()
    white.save(buffer, "PNG")
    response = _upload(client, assessment, [("blank-sheet.png", buffer.getvalue())])
    assert "no form QR code was found" in response.get_data(as_text=True)
    response = _upload(client, assessment, [("theirs.pdf", _as_pdf([pages[0]]))])
    assert response.status_code == 400
    assert "is not one of this assessment" in response.get_data(as_text=True)
    assert _stored() == (0, 0)


def test_another_assessments_form_is_refused(client, world, printed):
    p, lead, member, assessment = world
    other = make_assessment(make_partnership())
    _known_form(printed, other)
    response = _upload(client, assessment, [("theirs.png", _png(printed[1][0]))])
    assert response.status_code == 400
    assert "is not one of this assessment" in response.get_data(as_text=True)
    assert _stored() == (0, 0)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "PNG")
    return buffer.getvalue()


def test_members_and_outsiders_cannot_upload_or_see_scans(client, world, printed):
    p, lead, member, assessment = world
    _known_form(printed, assessment, member)
    page = printed[1][0]
    response = _upload(client, assessment, [("p1.png", _png(page))])
    assert response.status_code == 302
    review_url = response.headers["Location"]
    urls = [review_url, review_url + "/pages/1.png", review_url + "/pages/1/evidence/1.1.png"]
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    sign_in(client, member)
    assert [client.get(u).status_code for u in urls] == [403, 403, 403]
    assert _upload(client, assessment, [("p1.png", _png(page))]).status_code == 403
    sign_in(client, make_user(make_partnership(), "lead"))
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    assert _stored() == (1, 1)


def test_an_upload_over_the_size_limit_is_refused(client, world):
    p, lead, member, assessment = world
    response = _upload(client, assessment, [("big.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024))])
    assert response.status_code == 413
    assert _stored() == (0, 0)


def test_scans_go_with_their_assessment(client, world, printed):
    p, lead, member, assessment = world
    _known_form(printed, assessment, member)
    page = printed[1][0]
    assert _upload(client, assessment, [("p1.png", _png(page))]).status_code == 302
    assert _stored() == (1, 1)
    # The audit trail outlives nothing it refers to: clear it as an erasure would, then delete.
    db.session.execute(
        text("DELETE FROM audit_event WHERE assessment_id = :a"), {"a": assessment.id}
    )
    db.session.execute(text("DELETE FROM assessment WHERE id = :a"), {"a": assessment.id})
    db.session.commit()
    assert _stored() == (0, 0)
    assert db.session.scalar(select(func.count(PaperForm.id))) == 0


def test_photos_of_several_pages_are_one_upload_kept_whole(client, world, printed, get_page):
    import zipfile

    p, lead, member, assessment = world
    _known_form(printed, assessment, member)
    page = get_page(f"/assessments/{assessment.id}/paper")
    field = page.select_one('input[type="file"]')
    assert field.has_attr("multiple")
    assert field["accept"] == "application/pdf,image/png,image/jpeg"
    photos = [("IMG_0001.png", _png(printed[1][0])), ("IMG_0002.png", _png(printed[1][1]))]
    assert _upload(client, assessment, photos).status_code == 302
    scan_row = db.session.execute(select(PaperScan)).scalar_one()
    assert (scan_row.media_type, scan_row.page_count) == ("application/zip", 2)
    with zipfile.ZipFile(io.BytesIO(scan_row.original)) as bundle:
        assert bundle.namelist() == ["01-IMG_0001.png", "02-IMG_0002.png"]
    assert [r["page"] for r in scan_row.readings] == [1, 2]


def test_a_page_missing_a_corner_mark_is_not_read(printed):
    """A corner torn off or out of the picture: the page is refused, never read askew."""
    import cv2

    from selfassess.documents.paper_reading import ScanError

    form, pages = printed
    layout = {p["page"]: p for p in form.layout["pages"]}
    page = pages[0].copy()
    k = 200 / 25.4
    cv2.rectangle(page, (0, int(270 * k)), (int(40 * k), page.shape[0]), 255, -1)
    with pytest.raises(ScanError, match="corner mark"):
        read_page(scan(page, random.Random(3)), lambda mark: layout.get(mark.page))
