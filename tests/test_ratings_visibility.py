"""Members rate on their own: until the assessment is agreed, or the lead shares the results, a
member sees only their own ratings and the board's agreed ratings on every page and export.

Partnership P: the lead rated 1.1 amber with "Board minutes"; the member rated 1.1 red with
"No protocol"; a second member (Sam, probation) rated 1.2 green with "Sam's secret evidence";
the board agreed 1.1 amber.
"""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.extensions import db
from selfassess.models import AuditEvent
from selfassess.services.agreement import participant_for, save_agreed_rating
from tests.factories import make_assessment, make_partnership, make_user, rate

KP = "iom-key-principles"
SECRET = "Sam's secret evidence"


@pytest.fixture
def world(app):
    p = make_partnership(name="Pshire Community Safety Partnership")
    lead = make_user(p, "lead", name="Lee Lead", agency="local_authority")
    member = make_user(p, "member", name="Mo Member", agency="police")
    sam = make_user(p, "member", name="Sam Second", agency="probation")
    observer = make_user(p, "observer", name="Ola Observer", agency="other")
    assessment = make_assessment(p, status="open")
    rate(participant_for(assessment, lead, create=True), "1.1", "amber", evidence="Board minutes")
    rate(participant_for(assessment, member, create=True), "1.1", "red", evidence="No protocol")
    rate(participant_for(assessment, sam, create=True), "1.2", "green", evidence=SECRET)
    save_agreed_rating(assessment, KP, "1.1", "amber", "Agreed at the board", None, lead)
    db.session.commit()
    return {"assessment": assessment, "lead": lead, "member": member, "observer": observer}


def signed_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body)).pages)


def xlsx_text(body: bytes) -> str:
    sheet = load_workbook(io.BytesIO(body)).active
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def everything_a_reader_gets(app, user, assessment_id: int) -> dict[str, str]:
    """The text of every page and export that can show individual ratings."""
    client = signed_in(app, user)
    base = f"/assessments/{assessment_id}"
    out = {}
    for name, url, as_text in (
        ("report", "/report", lambda b: b.decode()),
        ("report.pdf", "/report.pdf", pdf_text),
        ("ratings.csv", "/export/ratings.csv", lambda b: b.decode("utf-8-sig")),
        ("ratings.xlsx", "/export/ratings.xlsx", xlsx_text),
        ("assessment.json", "/export/assessment.json", lambda b: b.decode()),
        ("actions.csv", "/export/actions.csv", lambda b: b.decode("utf-8-sig")),
    ):
        with app.app_context():
            response = client.get(base + url)
        assert response.status_code == 200, name
        out[name] = as_text(response.data)
    # The report's detail is on a page per section: the report is all of them.
    listed = BeautifulSoup(out["report"], "html.parser").select("[id^=section-pages-] a")
    assert listed, "the report links to its sections' pages"
    for link in listed:
        with app.app_context():
            response = client.get(link["href"])
        assert response.status_code == 200, link["href"]
        out["report"] += response.data.decode()
    return out


def test_a_member_of_an_open_assessment_gets_no_one_elses_ratings_by_any_route(app, world):
    got = everything_a_reader_gets(app, world["member"], world["assessment"].id)
    for name, text in got.items():
        for other in (SECRET, "Sam Second", "Board minutes", "Lee Lead"):
            assert other not in text, f"{other!r} reached a member through {name}"
    # They keep their own ratings and evidence, and the board's agreed rating.
    for name in ("report", "report.pdf", "ratings.csv", "ratings.xlsx", "assessment.json"):
        assert "No protocol" in got[name], name
        assert "Mo Member" in got[name] or name in ("report", "report.pdf"), name
    assert "Agreed at the board" in got["report"]
    data = json.loads(got["assessment.json"])
    assert {r["Participant name"] for r in data["ratings"]} == {"Mo Member"}
    item = data["results"][0]["sections"][0]["items"][0]
    assert (item["id"], item["rating"]) == ("1.1", "amber")  # the board's agreed rating
    assert sum(item["distribution"].values()) == 0  # no count of how the others voted


@pytest.mark.parametrize("state", ["agreed", "submitted", "shared"])
def test_members_see_everyones_ratings_once_agreed_or_shared(app, world, state):
    assessment = world["assessment"]
    if state == "shared":
        assessment.results_shared = True
    else:
        assessment.status = state
    db.session.commit()
    got = everything_a_reader_gets(app, world["member"], assessment.id)
    for name in ("report", "report.pdf", "ratings.csv", "ratings.xlsx", "assessment.json"):
        assert SECRET in got[name].replace("&#39;", "'"), name


@pytest.mark.parametrize("role", ["lead", "observer"])
def test_leads_and_observers_see_everyones_ratings_while_open(app, world, role):
    got = everything_a_reader_gets(app, world[role], world["assessment"].id)
    for name in ("report", "report.pdf", "ratings.csv", "ratings.xlsx", "assessment.json"):
        assert SECRET in got[name].replace("&#39;", "'"), name


def test_the_lead_shares_results_early_and_stops_again_with_an_audit_trail(app, world):
    assessment = world["assessment"]
    lead = signed_in(app, world["lead"])
    with app.app_context():
        page = lead.get(f"/assessments/{assessment.id}")
    assert b"Share results with members" in page.data
    with app.app_context():
        shared = lead.post(
            f"/assessments/{assessment.id}/share-results",
            data={"share": "yes"},
            follow_redirects=True,
        )
    assert b"Members can now see everyone" in shared.data
    assert b"Stop sharing results with members" in shared.data
    report = everything_a_reader_gets(app, world["member"], assessment.id)["report"]
    assert SECRET in report.replace("&#39;", "'")

    with app.app_context():
        lead.post(f"/assessments/{assessment.id}/share-results", data={"share": "no"})
    report = everything_a_reader_gets(app, world["member"], assessment.id)["report"]
    assert SECRET not in report.replace("&#39;", "'")
    kinds = [
        e.event
        for e in db.session.query(AuditEvent).filter_by(entity="assessment").order_by(AuditEvent.id)
    ]
    assert kinds[-2:] == ["results_shared", "results_unshared"]


def test_a_member_cannot_share_results(app, world):
    member = signed_in(app, world["member"])
    with app.app_context():
        response = member.post(
            f"/assessments/{world['assessment'].id}/share-results", data={"share": "yes"}
        )
    assert response.status_code == 403
    db.session.expire_all()
    assert world["assessment"].results_shared is False
