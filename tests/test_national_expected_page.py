"""An existing collection's expected partnerships, loaded from a file on its page."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import CollectionPartnership, Partnership
from selfassess.queries.national import collection_or_none, expected_codes
from tests.factories import make_partnership
from tests.test_national_pages import _analyst, _open_collection

PAGE = "/national/collections/expecting/expected"
HEADINGS = "name,code,region,police_force_area\n"


def _load(client, text: str, **extra):
    data = {"expected_file": (io.BytesIO(text.encode()), "expected.csv"), **extra}
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def test_the_collection_page_links_to_loading_expected_partnerships(client, get_page):
    _analyst(client)
    _open_collection([make_partnership()], slug="expecting")
    page = get_page("/national/collections/expecting")
    link = page.find("a", string="Load expected partnerships from a file")
    assert link["href"] == PAGE
    page = get_page(PAGE)
    assert "expects returns from 1 partnership;" in page.select_one("#expected-now").text


def test_an_analyst_adds_then_replaces_the_expected_list(client):
    _analyst(client)
    known = make_partnership(code="E01", region="london")
    _open_collection([known], slug="expecting")

    response = _load(client, HEADINGS + "Newtown,E02,Wales,Dyfed-Powys\n")
    assert response.status_code == 302
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 partnerships expected: 1 added (1 new to the tool), 0 updated, 0 removed." in followed
    assert expected_codes(collection_or_none("expecting")) == {"E01", "E02"}

    response = _load(client, HEADINGS + "Newtown,E02,Wales,Dyfed-Powys\n", replace="y")
    assert response.status_code == 302
    assert expected_codes(collection_or_none("expecting")) == {"E02"}


def test_a_bad_row_is_named_and_nothing_is_loaded(client):
    _analyst(client)
    _open_collection([], slug="expecting")
    response = _load(client, HEADINGS + "Newtown,E02,Wales,Dyfed-Powys\nOldtown,??,Mars,\n")
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.text.startswith("Error: ")
    rows = [r.get_text(" ", strip=True) for r in page.select("#problems tbody tr")]
    assert any(r.startswith("3 code") for r in rows)
    assert any(r.startswith("3 region 'Mars' is not a region") for r in rows)
    assert any(r.startswith("3 police_force_area is blank") for r in rows)
    assert db.session.scalar(select(func.count(CollectionPartnership.id))) == 0
    assert db.session.scalar(select(func.count(Partnership.id))) == 0


def test_no_file_chosen_is_an_error_on_the_field(client):
    _analyst(client)
    _open_collection([], slug="expecting")
    response = client.post(PAGE, data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Choose a CSV file of expected partnerships" in response.get_data(as_text=True)
