"""The PDFs are accessible (PDF/UA: tagged, with a title, a language and bookmarks) and keep
each heading with what follows it, never alone at the foot of a page. Checked with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.report_world import build, sign_in

# A4 is 842 points tall; the bottom margin is 22 mm (62 points). A heading whose top is this
# close to the page's foot has no room for a line of what follows it: it would stand alone.
FOOT = 62 + 36


def _bookmarks(outline, out=None) -> list:
    out = [] if out is None else out
    for entry in outline:
        if isinstance(entry, list):
            _bookmarks(entry, out)
        else:
            out.append(entry)
    return out


def check_accessible(data: bytes, title: str) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert reader.metadata.title == title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    marks = _bookmarks(reader.outline)
    assert marks, "no bookmarks"
    for mark in marks:
        page = reader.get_destination_page_number(mark) + 1
        assert float(mark["/Top"]) > FOOT, f"{mark['/Title']!r} alone at the foot of page {page}"
    return [m["/Title"] for m in marks]


def test_the_report_pdf_is_tagged_titled_in_english_with_bookmarks(app, client):
    world = build()
    sign_in(client, world.observer)
    response = client.get(f"/assessments/{world.assessment.id}/report.pdf")
    titles = check_accessible(response.data, "Strength and gap report: Board review")
    assert titles[:3] == ["Summary", "Contents", "About this report"]
    assert "Ratings and how they were reached" in titles and "Charts" in titles
    # Tiles are not bookmarks; each question's detail is a part of its section.
    assert "Principle 1" not in titles


def test_the_action_plan_pdf_is_tagged_too(app, client):
    world = build()
    sign_in(client, world.lead)
    response = client.get(f"/assessments/{world.assessment.id}/action-plan.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
