"""Uploads: the national returns import and the expected-partnerships list. Too large a file gets
a GOV.UK page; the extension and the content must both match; a workbook is opened read-only
and a formula in it is refused, never evaluated. Nothing is stored from a refused file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import Collection, Partnership, Return
from tests.test_national_pages import _analyst, _open_collection

IMPORT = "/national/collections/upload/import"


@pytest.fixture
def collection(app, client):
    _analyst(client)
    return _open_collection([], slug="upload")


def upload(client, url, field, content: bytes, filename: str, **extra):
    data = {field: (io.BytesIO(content), filename), **extra}
    return client.post(url, data=data, content_type="multipart/form-data")


def problems_shown(response) -> str:
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".govuk-error-summary")
    return page.select_one("main").get_text(" ", strip=True)


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def returns_stored() -> int:
    return db.session.scalar(select(func.count(Return.id)))


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"partnership_code,q1\nE01,yes\n", "returns.xlsx", "is not an Excel workbook"),
        (xlsx([["partnership_code"]]), "returns.csv", "looks like an Excel workbook"),
        (b"partnership_code,q1\n\x00\x01\x02binary", "returns.csv", "holds binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "returns.json", "holds binary data"),
        (b"partnership_code,q1\n", "returns.txt", "is not a .csv, .xlsx or .json file"),
        (b"\xff\xfe\xfa not utf-8", "returns.csv", "is not UTF-8 text"),
    ],
    ids=["text-named-xlsx", "workbook-named-csv", "binary-csv", "binary-json", "txt", "latin"],
)
def test_a_file_whose_content_does_not_match_its_type_is_refused(
    client, collection, content, filename, message
):
    response = upload(client, IMPORT, "returns_file", content, filename)
    assert message in problems_shown(response)
    assert returns_stored() == 0


def test_a_formula_in_a_workbook_is_refused_not_evaluated(client, collection, monkeypatch):
    code = db.session.scalar(select(Partnership.code)) or "E01"
    opened = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        opened.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    content = xlsx([["partnership_code", "q1"], [code, '=IF(1,"yes","no")']])
    response = upload(client, IMPORT, "returns_file", content, "returns.xlsx")
    text = problems_shown(response)
    assert "holds a formula" in text and "type the value itself" in text
    assert opened == [{"read_only": True, "data_only": False}]
    assert returns_stored() == 0


def test_an_upload_over_the_size_limit_gets_a_gov_uk_page(app, client, collection):
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    big = b"partnership_code,q1\n" + b"E01,yes\n" * (5 * 1024 * 1024 // 8 + 10)
    response = upload(client, IMPORT, "returns_file", big, "returns.csv")
    assert response.status_code == 413
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text(strip=True) == "The file is too large"
    assert "larger than 5 MB" in page.get_text()
    assert "govuk-template" in page.html["class"]
    assert returns_stored() == 0


def _new_collection(client, content: bytes, filename: str):
    return upload(
        client,
        "/national/collections/new",
        "expected",
        content,
        filename,
        title="T",
        slug="t",
        frameworks=["national-survey-2013"],
        opens_on=["1", "4", "2026"],
        closes_on=["31", "5", "2026"],
    )


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"name,code,region,police force area\nA,E01,London,Met\n", "list.xlsx", "is not a .csv"),
        (xlsx([["name", "code"]]), "list.csv", "looks like an Excel workbook"),
        (b"name,code\x00\x00\x00", "list.csv", "holds binary data"),
    ],
    ids=["named-xlsx", "workbook-named-csv", "binary-csv"],
)
def test_an_expected_partnerships_file_must_be_csv_text(app, client, content, filename, message):
    _analyst(client)
    response = _new_collection(client, content, filename)
    assert message in problems_shown(response)
    assert db.session.scalar(select(func.count(Collection.id))) == 0
    assert db.session.scalar(select(func.count(Partnership.id))) == 0


def test_an_expected_partnerships_file_over_the_limit_gets_a_gov_uk_page(app, client):
    _analyst(client)
    big = b"name,code,region,police force area\n" + b"A,E01,London,Met\n" * 400_000
    response = _new_collection(client, big, "list.csv")
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Collection.id))) == 0
