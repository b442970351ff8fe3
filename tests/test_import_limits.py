"""Hostile upload files get a short, clean list of problems, never a server error or a traceback.

The upload limit (5 MB) is on the file as sent: a workbook unzips, and a CSV can hold a million
cells. These files are built here: a workbook that unzips past the limit (a zip bomb), one part
compressed as no spreadsheet program does, a sheet declaring more rows than any collection
needs, a row reaching column XFD, truncated sheet XML, an undefined entity, an entity
expansion ("billion laughs"), a CSV of a million stray cells, and expected-partnership lists
with values longer than their column, codes the partnership form refuses, and 30,000 rows. Each
is refused from the page and from the command line, and nothing is stored.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from sqlalchemy import func, select

from selfassess.cli import cli, register_commands
from selfassess.domain import returns_files
from selfassess.extensions import db
from selfassess.models import AuditEvent, Collection, Partnership, Return
from tests.factories import make_partnership
from tests.test_national_pages import _analyst, _open_collection
from tests.test_uploads import _new_collection, upload

IMPORT = "/national/collections/limits/import"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def workbook(rows=(("partnership_code", "q1"), ("E01", "yes"))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(change, content: bytes | None = None) -> bytes:
    """The workbook with its first sheet's XML changed by ``change`` (bytes -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(content or workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(part.filename, data)
    return out.getvalue()


def padded(megabytes: float) -> bytes:
    """Whitespace inside the sheet's data: valid XML that deflates about a thousand times."""
    return with_sheet(
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * int(megabytes * 2**20))
    )


def stray_cells_csv(cells: int = 1_000_000, per_row: int = 500) -> bytes:
    row = b"E01" + b",x" * per_row + b"\n"
    return b"partnership_code\n" + row * (cells // per_row)


HOSTILE_WORKBOOKS = {
    "zip-bomb": (lambda: padded(130), "unzips to 130 MB: a workbook may unzip to at most 20 MB"),
    "compressed-part": (lambda: padded(5), "unzips to"),
    "declared-size": (
        lambda: with_sheet(lambda x: x.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"')),
        "has more than 10,000 rows",
    ),
    "far-row": (
        lambda: with_sheet(
            lambda x: x.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                b"</sheetData>",
            )
        ),
        "has more than 10,000 rows",
    ),
    "far-column": (
        lambda: with_sheet(
            lambda x: x.replace(
                b"</sheetData>",
                b'<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            )
        ),
        "has 16,384 columns: a file has at most 1,000",
    ),
    "truncated-xml": (lambda: with_sheet(lambda x: x[: len(x) // 2]), "cannot be read as an Excel"),
    "undefined-entity": (
        lambda: with_sheet(lambda x: x.replace(b">yes<", b">&nope;<")),
        "cannot be read as an Excel workbook: undefined entity",
    ),
    "entity-expansion": (
        lambda: with_sheet(lambda x: LAUGHS + x.replace(b">yes<", b">&lol3;<")),
        "declares XML entities, which no spreadsheet program writes",
    ),
}


@pytest.fixture
def collection(app, client):
    _analyst(client)
    return _open_collection([make_partnership(code="E01")], slug="limits")


def problems_on(response) -> tuple[BeautifulSoup, str]:
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.get_text().startswith("Error: ")
    return page, page.select_one("main").get_text(" ", strip=True)


def test_the_limits_hold_a_realistic_collection():
    """The limits are far from what a real collection sends: 350 partnerships, 119 questions."""
    assert returns_files.MAX_ROWS >= 20 * 350
    assert returns_files.MAX_COLUMNS >= 5 * 121
    assert returns_files.MAX_PROBLEMS == 100


@pytest.mark.parametrize("hostile", list(HOSTILE_WORKBOOKS), ids=list(HOSTILE_WORKBOOKS))
def test_a_hostile_workbook_is_refused_with_one_clean_problem(client, collection, hostile):
    make, message = HOSTILE_WORKBOOKS[hostile]
    content = make()
    assert len(content) < 5 * 2**20  # every one of them passes the upload limit
    response = upload(client, IMPORT, "returns_file", content, "returns.xlsx")
    page, text = problems_on(response)
    assert message in text
    assert "1 problem found in the returns file: nothing was imported" in text
    assert "Traceback" not in text
    assert db.session.scalar(select(func.count(Return.id))) == 0


@pytest.mark.parametrize("hostile", ["zip-bomb", "truncated-xml", "entity-expansion"])
def test_the_command_line_lists_the_same_problem_without_a_traceback(
    runner, collection, tmp_path, hostile
):
    register_commands()
    make, message = HOSTILE_WORKBOOKS[hostile]
    path = tmp_path / "returns.xlsx"
    path.write_bytes(make())
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "limits"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "file: " in result.output and message in result.output
    assert "1 error(s) in returns.xlsx: nothing was imported." in result.output
    assert "Traceback" not in result.output


def test_a_million_stray_cells_list_the_first_hundred_and_count_the_rest(client, collection):
    content = stray_cells_csv()
    assert len(content) < 5 * 2**20
    response = upload(client, IMPORT, "returns_file", content, "returns.csv")
    page, text = problems_on(response)
    # A million stray cells, and E01's 1,999 rows after its first.
    assert "1,001,999 problems found in the returns file" in text
    assert len(page.select("#problems tbody tr")) == 100
    assert page.select("#problems tbody tr")[0].get_text(" ", strip=True) == (
        "2 B 'x' is in a column with no heading"
    )
    assert "And 1,001,899 more problems, not listed here" in page.select_one("#more-problems").text
    assert len(response.data) < 200_000  # the page of problems stays a page


def test_the_command_line_counts_problems_past_the_hundred_listed(runner, collection, tmp_path):
    register_commands()
    path = tmp_path / "returns.csv"
    path.write_bytes(stray_cells_csv(cells=5_000, per_row=50))
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "limits"])
    assert result.exit_code == 1
    listed = [line for line in result.output.splitlines() if line.startswith("row ")]
    assert len(listed) == 100
    # 5,000 stray cells, and E01's 99 rows after its first.
    assert "and 4,999 more error(s), not listed here" in result.output
    assert "5,099 error(s) in returns.csv: nothing was imported." in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"partnership_code\n" + b"E01\n" * 10_001, "has more than 10,000 rows"),
        (b"partnership_code" + b",q" * 1_000 + b"\nE01\n", "has 1,001 columns"),
        (b"[" * 50_000 + b"]" * 50_000, "is nested too deeply"),
        (b'[{"partnership_code": "E01", "q1": "\\ud800"}]', "half of a character"),
    ],
    ids=["rows", "columns", "deep-json", "lone-surrogate-json"],
)
def test_text_files_past_the_limits_are_refused(client, collection, content, message):
    name = "returns.json" if content.startswith(b"[") else "returns.csv"
    response = upload(client, IMPORT, "returns_file", content, name)
    page, text = problems_on(response)
    assert message in text
    assert db.session.scalar(select(func.count(Return.id))) == 0


# --- expected partnerships -------------------------------------------------------------------

HEAD = "name,code,region,police force area\n"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("N" * 201 + ",E90,London,Met", "name", "must be 200 characters or fewer"),
        ("CSP,E90,London," + "P" * 101, "police_force_area", "must be 100 characters or fewer"),
        ("CSP," + "E" * 21 + ",London,Met", "code", "must be 2 to 20 letters, numbers or hyphens"),
        ("CSP,E 90!,London,Met", "code", "must be 2 to 20 letters, numbers or hyphens"),
        ("CSP,-E90,London,Met", "code", "must be 2 to 20 letters, numbers or hyphens"),
    ],
    ids=["long-name", "long-force-area", "long-code", "odd-code", "hyphen-first"],
)
def test_an_expected_partnership_the_table_cannot_hold_is_a_row_problem(
    client, row, column, message
):
    _analyst(client)
    content = (HEAD + "Good CSP,E91,Wales,Dyfed-Powys\n" + row + "\n").encode()
    page, text = problems_on(_new_collection(client, content, "list.csv"))
    cells = [td.get_text(strip=True) for td in page.select("#problems tbody tr")[0]("td")]
    assert cells[:2] == ["3", column] and message in cells[2]
    assert db.session.scalar(select(func.count(Partnership.id))) == 0
    assert db.session.scalar(select(func.count(Collection.id))) == 0


def test_a_nul_character_deep_in_an_expected_partnerships_list_is_a_row_problem(client):
    """PostgreSQL cannot store a NUL; one past the first 64 KB is not taken for binary data."""
    _analyst(client)
    rows = "".join(f"CSP {n},E{n:05d},London,Met\n" for n in range(3_000))
    content = (HEAD + rows + "CSP,E90,London,Met\x00ropolitan\n").encode()
    page, text = problems_on(_new_collection(client, content, "list.csv"))
    cells = [td.get_text(strip=True) for td in page.select("#problems tbody tr")[0]("td")]
    assert cells == ["3002", "police_force_area", "holds a NUL character, not text"]
    assert db.session.scalar(select(func.count(Partnership.id))) == 0


def test_an_expected_partnerships_list_of_thirty_thousand_rows_is_refused(client):
    _analyst(client)
    rows = "".join(f"CSP {n},E{n:06d},London,Met\n" for n in range(30_000))
    page, text = problems_on(_new_collection(client, (HEAD + rows).encode(), "list.csv"))
    assert "has more than 10,000 rows" in text
    assert db.session.scalar(select(func.count(Partnership.id))) == 0


def test_partnerships_created_from_an_expected_list_are_audited(client):
    analyst = _analyst(client)
    make_partnership(code="E01", name="Known CSP")
    content = (HEAD + "Known CSP,E01,London,Met\nNew CSP,e02,North West,Cumbria\n").encode()
    response = _new_collection(client, content, "list.csv")
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Partnership).filter_by(code="E02"))
    events = db.session.scalars(
        select(AuditEvent).filter_by(entity="partnership", event="created")
    ).all()
    assert [(e.entity_id, e.partnership_id, e.actor_id) for e in events] == [
        (new.id, new.id, analyst.id)
    ]
    assert events[0].after == {
        "name": "New CSP",
        "code": "E02",
        "region": "north_west",
        "police_force_area": "Cumbria",
    }
