"""Actions about a whole section: the section page, adding and editing them, the action plan."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from selfassess.extensions import db
from selfassess.models import Action
from tests.authz.harness import build_world, client_as

KP = "iom-key-principles"


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def visit(app, world):
    def go(persona, url, method="GET", **kwargs):
        client = client_as(app, world, persona)
        with app.app_context():
            response = client.open(url, method=method, **kwargs)
        db.session.expire_all()
        return response

    return go


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


NEW = {
    "description": "Agree one information-sharing protocol for all partners",
    "owner": "Community Safety Partnership board",
    "status": "not_started",
    "due_on": ["31", "3", "2027"],
}


def test_the_section_page_shows_its_rag_with_why_and_its_questions(world, visit):
    response = visit("observer", f"/assessments/{world.assessment.id}/sections/{KP}/1")
    assert response.status_code == 200
    html = page(response)
    assert text(html.h1).startswith("Principle 1")
    rag = text(html.find(id="section-rag"))
    # The word, never colour alone, and the sentence that explains it.
    assert "Amber" in rag
    assert "Principle 1 is amber" in rag
    rows = html.find(id="section-questions").find_all("tr", attrs={"data-item-id": True})
    assert [r["data-item-id"] for r in rows][:2] == ["1.1", "1.2"]
    assert "Amber" in text(rows[0])
    # Observers read; only the lead gets the form.
    assert html.find(id="add-action-form") is None


def test_a_lead_adds_an_action_for_the_whole_principle_and_edits_it(world, visit):
    base = f"/assessments/{world.assessment.id}/sections/{KP}/2"
    response = visit("lead", base + "/actions", "POST", data={**NEW, "description": ""})
    assert response.status_code == 200
    assert "Enter" in text(page(response).find(class_="govuk-error-summary"))
    assert db.session.execute(db.select(Action).filter_by(section_id="2")).first() is None

    response = visit("lead", base + "/actions", "POST", data=NEW)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base}#actions")
    action = db.session.execute(
        db.select(Action).filter_by(description=NEW["description"])
    ).scalar()
    assert (action.section_id, action.item_id) == ("2", None)

    html = page(visit("lead", base))
    listed = text(html.find(id="action-list"))
    assert NEW["description"] in listed and "31 March 2027" in listed
    # It is about the whole principle, so no single question's page lists it.
    question = page(visit("lead", f"/assessments/{world.assessment.id}/items/{KP}/2.1"))
    assert NEW["description"] not in text(question)

    edit = f"/assessments/{world.assessment.id}/actions/{action.id}"
    response = visit("lead", edit, "POST", data={**NEW, "status": "in_progress", "version": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base}#actions")
    assert db.session.get(Action, action.id).status == "in_progress"


def test_the_action_plan_lists_a_section_action_with_the_sections_rag(world, visit):
    base = f"/assessments/{world.assessment.id}/sections/{KP}/1"
    assert visit("lead", base + "/actions", "POST", data=NEW).status_code == 302
    response = visit("lead", f"/assessments/{world.assessment.id}/export/actions.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    row = next(r for r in rows if r["Action"] == NEW["description"])
    assert row["Section"] == "1"
    assert row["Item id"] == ""
    assert row["Current rating"] == "Amber"


def test_the_results_page_links_each_section(world, visit):
    html = page(visit("lead", f"/assessments/{world.assessment.id}/results"))
    href = f"/assessments/{world.assessment.id}/sections/{KP}/3"
    assert html.find("a", href=href) is not None


def test_an_unknown_section_is_not_found(world, visit):
    url = f"/assessments/{world.assessment.id}/sections/{KP}/9"
    assert visit("lead", url).status_code == 404
    assert visit("lead", url + "/actions", "POST", data=NEW).status_code == 404


def test_the_report_and_its_pdf_list_actions_for_the_whole_section(world, visit):
    base = f"/assessments/{world.assessment.id}"
    assert visit("lead", f"{base}/sections/{KP}/4/actions", "POST", data=NEW).status_code == 302
    report = page(visit("member", f"{base}/report"))
    pages = report.find(id=f"section-pages-{KP}").find_all("li")
    assert "actions: 1" in text(pages[3])  # its principle's page, linked from the report
    html = page(visit("member", pages[3].a["href"]))
    listed = html.find(id=f"section-actions-{KP}-4")
    assert NEW["description"] in text(listed)
    assert "31 March 2027" in text(listed)
    # Only under its own principle.
    first = page(visit("member", pages[0].a["href"]))
    assert first.find(id=f"section-actions-{KP}-1") is None

    response = visit("member", f"{base}/report.pdf")
    assert response.status_code == 200
    words = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages
    )
    assert "Actions for the whole principle" in words
    assert "information-sharing protocol" in words
