"""The PDF report and action plan: their text says what the aggregation computed."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from selfassess.extensions import frameworks
from selfassess.queries.ratings import assessment_results
from tests.report_world import KP, SCRIPT, build, sign_in


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world(app, client):
    world = build()
    # An observer sees everyone's ratings in the open assessment; a member would see agreed ones.
    sign_in(client, world.observer)
    return world


def test_report_pdf_matches_the_aggregation(app, client, world):
    response = client.get(f"/assessments/{world.assessment.id}/report.pdf")
    assert 'filename="E09REP-assessment-' in response.headers["Content-Disposition"]
    pages = pdf_pages(response)
    text = flat(" ".join(pages))
    results = assessment_results(frameworks(), world.assessment)
    kp = results.framework(KP)
    for section in kp.sections:
        assert section.explanation in text  # e.g. "Principle 1 is amber: its 3 rated ..."
    assert "Principle 1 is amber: its 3 rated questions (of 10) average 2.3, where Red = 1" in text
    assert kp.overall.explanation in text
    sg = results.strengths_and_gaps()
    for gap in sg.gaps:
        assert gap.why in text
    # The summary first, then the contents with what the report is about: partnership, period,
    # framework and version, status, marking.
    assert "Strength and gap report: Board review" in flat(pages[0])
    assert "Summary" in flat(pages[0])
    cover = flat(pages[1])
    assert "Reportshire Community Safety Partnership (E09REP)" in cover
    assert "2026 to 2027" in cover
    fw = frameworks().get(KP)
    assert f"{fw.title}, version {fw.version}" in cover
    assert "Status Open" in cover
    # Marking at the top and bottom of every page, and page numbers.
    for n, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, n
        assert f"Page {n} of {len(pages)}" in page
    # Contents with page numbers.
    contents = flat(pages[1])
    assert re.search(r"Summary[ .]+1 ", contents) and re.search(r"Charts[ .]+\d+", contents)
    # Item detail: the evidence, as text, and the overdue action.
    assert SCRIPT in text  # printed as text, not run or dropped
    assert "Write the information-sharing protocol: Police" in text and "Overdue" in text
    assert "Rationale: Board agreed: <b>in place</b>" in text


def test_protective_marking_is_configurable(app, client, world):
    app.config["PROTECTIVE_MARKING"] = "OFFICIAL"
    pages = pdf_pages(client.get(f"/assessments/{world.assessment.id}/action-plan.pdf"))
    assert all("OFFICIAL" in p and "SENSITIVE" not in p for p in pages)


def test_action_plan_is_landscape_grouped_by_section_with_overdue_marked(app, client, world):
    response = client.get(f"/assessments/{world.assessment.id}/action-plan.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    results = assessment_results(frameworks(), world.assessment).framework(KP)
    assert "IOM Key Principles: Principle 1" in text
    for action in (world.overdue_action, world.done_action):
        assert action.description in text and action.owner in text
    overdue_at = text.index("Write the information-sharing protocol")
    assert "Overdue" in text[overdue_at : overdue_at + 200]
    assert text.count("Overdue") == 1  # the completed one is not overdue
    assert "Completed" in text
    # Current rating of each action's item, as a word.
    assert results.item("1.1").rating_label in text[overdue_at - 200 : overdue_at + 200]
    assert "Page 1 of" in text


def test_report_pdf_follows_changes(app, client, world):
    from selfassess.services.agreement import save_agreed_rating

    url = f"/assessments/{world.assessment.id}/report.pdf"
    before = flat(" ".join(pdf_pages(client.get(url))))
    assert "Principle 1 is amber: its 3 rated questions (of 10) average 2.3" in before
    save_agreed_rating(world.assessment, KP, "1.1", "green", "Fixed", None, world.lead)
    after = flat(" ".join(pdf_pages(client.get(url))))
    assert "Principle 1 is green: its 3 rated questions (of 10) average 3," in after


def test_a_document_is_laid_out_once_per_state_while_among_the_recent_ones():
    from uuid import uuid4

    from selfassess.documents import pdf

    made = []

    def make() -> bytes:
        made.append(1)
        return f"%PDF- number {len(made)}".encode()

    state = ("report", uuid4().hex)
    first = pdf.cached_pdf(state, make)
    assert pdf.cached_pdf(state, make) == first and len(made) == 1
    for n in range(pdf.PDF_CACHE_SIZE):
        pdf.cached_pdf(("other", state, n), make)
    assert pdf.cached_pdf(state, make) != first  # pushed out by newer ones: laid out again
    assert len(made) == pdf.PDF_CACHE_SIZE + 2
