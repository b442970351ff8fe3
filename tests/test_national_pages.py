"""National pages: collections, response rates, the national picture, import, exports; the
partnership lead's survey and return; analysts see a partnership's data only once submitted."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import (
    AuditEvent,
    Collection,
    CollectionPartnership,
    Partnership,
    Return,
    ReturnAnswer,
)
from selfassess.services.agreement import save_agreed_rating
from selfassess.services.collections import create_collection
from selfassess.services.returns import submit_return
from tests.factories import make_assessment, make_partnership, make_user

S = "national-survey-2013"
KP = "iom-key-principles"


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def _analyst(client):
    analyst = make_user(None, is_analyst=True, agency=None)
    sign_in(client, analyst)
    return analyst


def _open_collection(partnerships, frameworks=(KP, S), slug="returns-now"):
    today = date.today()
    return create_collection(
        "Returns now",
        slug,
        list(frameworks),
        today - timedelta(days=1),
        today + timedelta(days=30),
        expected=partnerships,
    )


def test_analyst_creates_a_collection_with_expected_partnerships(client, get_page):
    _analyst(client)
    existing = make_partnership(code="E01", region="london")
    csv = (
        "name,code,region,police force area\n"
        f"Known CSP,{existing.code},London,Metropolitan Police\n"
        "New CSP,E02,North West,Cumbria Police\n"
    )
    response = client.post(
        "/national/collections/new",
        data={
            "title": "National returns 2026",
            "slug": "returns-2026",
            "frameworks": [KP, S],
            "opens_on": ["1", "4", "2026"],
            "closes_on": ["31", "5", "2026"],
            "expected": (io.BytesIO(csv.encode()), "expected.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    collection = db.session.scalar(select(Collection).filter_by(slug="returns-2026"))
    assert [cf.framework_id for cf in collection.frameworks] == [KP, S]
    assert len(collection.expected) == 2
    new = db.session.scalar(select(Partnership).filter_by(code="E02"))
    assert new.region == "north_west" and new.police_force_area == "Cumbria Police"

    page = get_page("/national/collections/returns-2026")
    assert (
        "0 of 2 expected partnerships have made a return" in page.select_one("#response-rate").text
    )
    outstanding = page.select_one("#outstanding").text
    assert "New CSP (E02)" in outstanding


def test_a_bad_expected_partnerships_file_creates_nothing(client):
    _analyst(client)
    csv = "name,code,region,police force area\nA,E10,Atlantis,X\n,E11,London,Y\nC,E10,Wales,Z\n"
    response = client.post(
        "/national/collections/new",
        data={
            "title": "T",
            "slug": "t",
            "frameworks": [S],
            "opens_on": ["1", "4", "2026"],
            "closes_on": ["31", "5", "2026"],
            "expected": (io.BytesIO(csv.encode()), "expected.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<title>Error:" in text
    assert "3 problems found" in text
    assert "&#39;Atlantis&#39; is not a region" in text
    assert "E10 is already on row 2" in text
    assert db.session.scalar(select(func.count(Collection.id))) == 0
    assert db.session.scalar(select(func.count(Partnership.id))) == 0


def _agreed_assessment(partnership, lead, ratings):
    assessment = make_assessment(partnership, (KP,), status="open")
    for item_id, value in ratings.items():
        save_agreed_rating(assessment, KP, item_id, value, "Agreed", None, lead)
    assessment.status = "agreed"
    db.session.commit()
    return assessment


def test_lead_answers_the_survey_and_submits_then_resubmits(client, get_page):
    partnership = make_partnership(region="london")
    lead = make_user(partnership, "lead")
    assessment = _agreed_assessment(partnership, lead, {"1.1": "green", "1.2": "amber"})
    collection = _open_collection([partnership])
    sign_in(client, lead)
    base = f"/national/partnerships/{partnership.id}/collections/{collection.slug}"

    page = get_page(f"/national/partnerships/{partnership.id}/returns")
    assert "Answer and submit" in page.text
    response = client.get(f"{base}/start")
    assert response.headers["Location"].endswith(f"{base}/questions/{S}/q1/0")

    def answer(item, value, arrangement=0):
        r = client.post(f"{base}/questions/{S}/{item}/{arrangement}", data={"answer": value})
        assert r.status_code == 302, r.data
        return r.headers["Location"]

    # asked_if: "yes" to q1 moves on to q3 (q2 is asked only without IOM).
    assert answer("q1", "yes").endswith(f"/questions/{S}/q3/0")
    answer("q3", "fully")
    answer("q4", "several")
    answer("q5", "two")
    assert answer("_arrangements", "2").endswith(f"/questions/{S}/q6/1")
    assert answer("q6", ["police", "probation"], 1).endswith(f"/questions/{S}/q6/2")
    answer("q6", ["police", "housing_services"], 2)
    get_page(f"{base}/questions/{S}/q2/0", status=404)  # not asked

    # An analyst sees nothing of it until it is submitted.
    analyst = make_user(None, is_analyst=True, agency=None)
    analyst_client = client.application.test_client()
    sign_in(analyst_client, analyst)
    with client.application.app_context():  # Flask-Login caches the user per context
        page = analyst_client.get(f"/national/collections/{collection.slug}")
    assert "No returns yet." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReturnAnswer.id))) == 0

    page = get_page(f"{base}/check")
    assert "Check your answers" in page.h1.text
    response = client.post(f"{base}/check", data={"assessment": assessment.id})
    assert response.status_code == 302, response.data
    ret = db.session.scalar(select(Return))
    assert ret.version == 1 and ret.arrangements == 2 and ret.source == "app"
    assert ret.snapshot["ratings"][KP]["1.1"] == {"rating": "green", "agreed": True}
    assert ret.snapshot["survey"][S]["q6"]["2"] == ["police", "housing_services"]
    assert db.session.get(type(assessment), assessment.id).status == "submitted"

    with client.application.app_context():
        figures = analyst_client.get(f"/national/collections/{collection.slug}/picture")
    text = figures.get_data(as_text=True)
    assert "Percentages do not add up to 100 because partnerships could choose more" in text
    assert "<svg" in text

    # Resubmission replaces the return, bumps the version and is audited.
    answer("q3", "partly")
    assert client.post(f"{base}/check", data={"assessment": assessment.id}).status_code == 302
    db.session.expire_all()
    ret = db.session.scalar(select(Return))
    assert ret.version == 2
    assert ret.snapshot["survey"][S]["q3"] == {"0": ["partly"]}
    events = db.session.scalars(select(AuditEvent).filter_by(entity="return")).all()
    assert [e.event for e in events] == ["submitted", "resubmitted"]
    assert events[1].before["version"] == 1


def test_a_closed_collection_refuses_a_return(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = _agreed_assessment(partnership, lead, {"1.1": "green"})
    collection = create_collection(
        "Old", "old", [KP], date(2013, 4, 1), date(2013, 5, 31), expected=[partnership]
    )
    import pytest

    from selfassess.services.returns import ReturnError

    with pytest.raises(ReturnError):
        submit_return(collection, partnership, assessment, [], 1, lead)


def _imported(client, collection_slug, regions=("north_west",) * 3 + ("wales",)):
    codes = []
    for region in regions:
        codes.append(make_partnership(region=region).code)
    lines = ["partnership_code,arrangement,q1,q6,q13,1.1"]
    for i, code in enumerate(codes):
        tools = "iom_key_principles;ppo_self_assessment"
        lines.append(f"{code},,yes,,{tools},{'green' if i else 'red'}")
        lines.append(f"{code},1,,police,,")
    return codes, "\n".join(lines) + "\n"


def test_analyst_imports_in_the_app_and_downloads_the_dataset(client, get_page):
    _analyst(client)
    collection = _open_collection([], slug="upload")
    codes, csv = _imported(client, "upload")
    bad = csv.replace("iom_key_principles;ppo_self_assessment", "nonsense", 1)
    response = client.post(
        "/national/collections/upload/import",
        data={"returns_file": (io.BytesIO(bad.encode()), "returns.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "nothing was imported" in text
    assert "&#39;nonsense&#39; is not an answer to q13" in text
    assert db.session.scalar(select(func.count(Return.id))) == 0

    def upload(**extra):
        return client.post(
            "/national/collections/upload/import",
            data={"returns_file": (io.BytesIO(csv.encode()), "returns.csv"), **extra},
            content_type="multipart/form-data",
        )

    # Not expected by the collection: refused unless the analyst asks to add them.
    response = upload()
    assert response.status_code == 200
    refused = response.get_data(as_text=True)
    assert f"{codes[0]} is not expected to return to this collection" in refused
    assert db.session.scalar(select(func.count(Return.id))) == 0
    response = upload(add_expected="y")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Return.id))) == 4
    assert (
        db.session.scalar(
            select(func.count(CollectionPartnership.id)).filter_by(collection_id=collection.id)
        )
        == 4
    )

    page = get_page("/national/collections/upload/picture?region=wales")
    assert "fewer than 3 returns" in page.text
    page = get_page("/national/collections/upload/picture")
    q1 = page.select_one("#item-q1")
    assert "100.0%" in q1.text

    data = json.loads(client.get("/national/collections/upload/dataset.json").data)
    assert any(
        r["partnership_code"] == codes[0]
        and r["item"] == "q13"
        and r["value"] == "iom_key_principles;ppo_self_assessment"
        for r in data
    )
    assert any(r["item"] == "q6" and r["arrangement"] == 1 for r in data)
    csv_response = client.get("/national/collections/upload/dataset.csv")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"  # charset once
    csv_out = csv_response.get_data(as_text=True)
    assert csv_out.splitlines()[0].startswith('"collection","partnership_code"')  # all quoted
    assert len(csv_out.splitlines()) == 1 + len(data)
    xlsx = client.get("/national/collections/upload/dataset.xlsx").data
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row == 1 + len(data)


def test_a_return_matches_the_collections_framework_version_not_just_its_id(app):
    """An assessment rated against another version of the Key Principles is refused by name."""
    import pytest

    from selfassess.models import AssessmentFramework
    from selfassess.services.returns import ReturnError

    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = _agreed_assessment(partnership, lead, {"1.1": "green"})
    pinned = db.session.scalar(
        select(AssessmentFramework).filter_by(assessment_id=assessment.id, framework_id=KP)
    )
    pinned.framework_version = "2009.1"
    db.session.commit()
    collection = _open_collection([partnership], frameworks=(KP,), slug="versions")

    with pytest.raises(ReturnError, match="version 2009.1"):
        submit_return(collection, partnership, assessment, [], 1, lead)
    assert db.session.scalar(select(Return)) is None
