"""CSV, XLSX and JSON exports read back as a spreadsheet program would; formulas neutralised."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from selfassess.extensions import frameworks
from selfassess.queries.ratings import assessment_results
from tests.report_world import FORMULA, KP, SCRIPT, build, sign_in


@pytest.fixture
def world(app, client):
    world = build()
    sign_in(client, world.observer)
    return world


def get(client, world, name):
    response = client.get(f"/assessments/{world.assessment.id}/export/{name}")
    assert response.status_code == 200, name
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    ext = name.rsplit(".", 1)[1]
    assert f'filename="E09REP-assessment-{world.assessment.id}-' in disposition
    assert disposition.endswith(f'.{ext}"')
    return response


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def read_xlsx(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_ratings_csv_one_row_per_rater_and_item(app, client, world):
    rows = read_csv(get(client, world, "ratings.csv"))
    assert len(rows) == 7
    assert list(rows[0]) == [
        "Partnership code",
        "Assessment id",
        "Framework id",
        "Framework version",
        "Section",
        "Item id",
        "Item text",
        "Participant name",
        "Agency",
        "Value",
        "Evidence",
        "Improvement",
        "Updated at",
        "Workshop votes",
    ]
    fw = frameworks().get(KP)
    first = rows[0]
    assert first["Partnership code"] == "E09REP"
    assert first["Framework id"] == KP and first["Framework version"] == fw.version
    assert first["Item id"] == "1.1" and first["Item text"] == fw.item("1.1").text
    by_person = {(r["Item id"], r["Participant name"]): r for r in rows}
    assert by_person[("1.1", "Lee Lead")]["Evidence"] == SCRIPT
    assert by_person[("1.1", "Mo Member")]["Evidence"] == "'" + FORMULA  # neutralised
    assert by_person[("1.3", "Mo Member")]["Improvement"] == "'-1 reminder to share data"
    assert by_person[("2.1", "Lee Lead")]["Value"] == "dont_know"


def test_ratings_xlsx_reads_back_with_formulas_as_text(app, client, world):
    rows = read_xlsx(get(client, world, "ratings.xlsx"))
    assert len(rows) == 7
    evidence = [r["Evidence"] for r in rows if r["Evidence"]]
    assert FORMULA in evidence  # a text cell holding what was typed, no apostrophe shown
    assert not any(isinstance(v, str) and v.startswith("'") for r in rows for v in r.values())


def test_action_plan_exports(app, client, world):
    results = assessment_results(frameworks(), world.assessment).framework(KP)
    for rows in (
        read_csv(get(client, world, "actions.csv")),
        read_xlsx(get(client, world, "actions.xlsx")),
    ):
        assert [r["Action"] for r in rows] == [
            "Write the information-sharing protocol",
            "Weekly tasking minutes",
        ]
        overdue, done = rows
        assert overdue["Overdue"] == "Overdue" and not done["Overdue"]
        assert overdue["Current rating"] == results.item("1.1").rating_label
        assert done["Status"] == "Completed"
        assert overdue["Section"] == "1" and overdue["Owner"] == "Police"


def test_assessment_json_holds_results_ratings_and_actions(app, client, world):
    data = json.loads(get(client, world, "assessment.json").data)
    assert data["partnership"]["code"] == "E09REP"
    assert data["assessment"]["frameworks"][0]["id"] == KP
    results = assessment_results(frameworks(), world.assessment).framework(KP)
    section = data["results"][0]["sections"][0]
    assert section["rag"] == results.sections[0].rag and section["score"] == 2.33
    assert section["explanation"] == results.sections[0].explanation
    assert len(data["ratings"]) == 7 and len(data["actions"]) == 2
    assert SCRIPT in json.dumps(data)


def test_exports_are_out_of_reach_of_others(app, client, world):
    from tests.factories import make_partnership, make_user

    visitor = app.test_client()
    sign_in(visitor, make_user(make_partnership(), "lead"))
    with app.app_context():
        for name in ("ratings.csv", "actions.xlsx", "assessment.json"):
            url = f"/assessments/{world.assessment.id}/export/{name}"
            assert visitor.get(url).status_code == 404


def test_xlsx_is_a_finished_spreadsheet_with_an_about_sheet(app, client, world):
    from datetime import date, datetime

    from selfassess.domain import palette

    book = load_workbook(io.BytesIO(get(client, world, "actions.xlsx").data))
    assert book.sheetnames == ["Action plan", "About this file"]
    sheet = book["Action plan"]
    header = [c.value for c in sheet[1]]
    # The header row is frozen, bold and filtered; columns have widths; typed text wraps.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{sheet.max_row}"
    assert all(c.font.b for c in sheet[1])
    col = {name: n for n, name in enumerate(header)}
    widths = {name: sheet.column_dimensions[chr(65 + n)].width for name, n in col.items()}
    assert widths["Action"] == 50 and 10 <= widths["Owner"] <= 40
    overdue = sheet[2]
    assert overdue[col["Action"]].alignment.wrap_text
    # Dates are dates, shown as dates.
    due = overdue[col["Due date"]]
    assert isinstance(due.value, datetime | date) and due.number_format == "d mmm yyyy"
    # A rating cell holds the word on the palette's fill.
    rating = overdue[col["Current rating"]]
    assert rating.value == "Red"
    assert rating.fill.fgColor.rgb.endswith(palette.RED.fill[1:].upper())
    assert rating.font.color.rgb.endswith(palette.RED.text[1:].upper())
    # The marking is printed on every page.
    assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text

    about = {r[0]: r[1] for r in book["About this file"].iter_rows(values_only=True)}
    assert about["What this file holds"] == "Action plan of Board review (2026 to 2027)"
    assert about["Partnership"] == "Reportshire Community Safety Partnership (E09REP)"
    assert about["Protective marking"] == "OFFICIAL-SENSITIVE"
    assert about["Filters applied"].startswith("None: every action")
    assert isinstance(about["Made"], datetime) and about["Rows"] == 2


def test_ratings_xlsx_says_whose_ratings_it_holds(app, client, world):
    from datetime import datetime

    book = load_workbook(io.BytesIO(get(client, world, "ratings.xlsx").data))
    updated = [r[12] for r in book["Ratings"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, datetime) for v in updated)
    about = {r[0]: r[1] for r in book["About this file"].iter_rows(values_only=True)}
    assert about["Filters applied"].startswith("Every rating")
    # A member before results are shared: their own rows, and the file says so.
    sign_in(client, world.member)
    book = load_workbook(io.BytesIO(get(client, world, "ratings.xlsx").data))
    about = {r[0]: r[1] for r in book["About this file"].iter_rows(values_only=True)}
    assert about["Filters applied"].startswith("Your own ratings only")
    names = {r[7] for r in book["Ratings"].iter_rows(min_row=2, values_only=True)}
    assert names == {"Mo Member"}
