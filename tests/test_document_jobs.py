"""A PDF that is not ready within the wait gets "Preparing your PDF", which asks again by itself;
the PDF is then served to the person who asked, built for their own view; a build that fails
says so and can be tried again. (Here builds run on the app server's own threads, the default;
tests/test_scale_out.py runs them on a worker through Redis.)"""

from __future__ import annotations

import time
from datetime import date

import pytest
from bs4 import BeautifulSoup

from selfassess.documents import pdf, report_pdf
from selfassess.services.collections import create_collection
from tests.authz.harness import build_world, client_as
from tests.factories import make_partnership
from tests.national_helpers import KP, REGIONS, S, import_rows, known_returns


@pytest.fixture
def world(app):
    app.config["DOCUMENT_WAIT_SECONDS"] = 0  # every build outlasts the wait
    pdf._pdfs.clear()
    return build_world()


def until_ready(client, url: str, seconds: float = 120):
    """Ask again as the page does, until the PDF comes."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(url)
        if response.status_code != 202:
            return response
        assert time.monotonic() < deadline, "the PDF was never made"
        time.sleep(0.2)


def test_a_slow_report_pdf_gets_a_page_that_asks_again_then_the_pdf(app, world):
    lead = client_as(app, world, "lead")
    url = f"/assessments/{world.assessment.id}/report.pdf"

    waiting = lead.get(url)
    assert waiting.status_code == 202
    assert waiting.headers["Retry-After"] == "3"
    page = BeautifulSoup(waiting.data, "html.parser")
    assert page.h1.get_text(strip=True) == "Preparing your PDF"
    # Without JavaScript the page refreshes itself; with it, preparing.js checks quietly.
    assert 'http-equiv="refresh"' in page.find("noscript").decode_contents()
    assert page.find("a", string="Check if it is ready now")["href"] == url
    assert page.find("script", src=lambda s: s and s.endswith("/preparing.js"))

    ready = until_ready(lead, url)
    assert ready.status_code == 200
    assert ready.mimetype == "application/pdf" and ready.data.startswith(b"%PDF")
    # The quiet check says "ready" without sending the document.
    check = lead.get(url, headers={"X-Requested-With": "fetch"})
    assert check.get_json() == {"state": "ready"}


def test_a_pdf_built_for_one_reader_is_not_served_to_another(app, world):
    lead = client_as(app, world, "lead")
    member = client_as(app, world, "member")
    url = f"/assessments/{world.assessment.id}/report.pdf"
    assert until_ready(lead, url).status_code == 200
    # The member may see only their own ratings: theirs is a build of its own, not the lead's.
    assert member.get(url).status_code == 202
    assert until_ready(member, url).status_code == 200


def test_a_build_that_fails_says_so_and_can_be_tried_again(app, world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the layout engine fell over")

    monkeypatch.setattr(report_pdf, "render_report_pdf_for", broken)
    lead = client_as(app, world, "lead")
    url = f"/assessments/{world.assessment.id}/report.pdf"
    lead.get(url)
    deadline = time.monotonic() + 60

    def state():
        return lead.get(url, headers={"X-Requested-With": "fetch"}).get_json()["state"]

    while state() != "failed":
        assert time.monotonic() < deadline
        time.sleep(0.1)

    failed = lead.get(url)
    assert failed.status_code == 500
    page = BeautifulSoup(failed.data, "html.parser")
    assert page.h1.get_text(strip=True) == "Your PDF could not be made"
    assert "the layout engine" not in page.get_text()  # the error is logged, not shown
    again = page.find("a", string=lambda s: s and "Try again" in s)["href"]
    assert again == url + "?again=1"

    monkeypatch.undo()
    assert lead.get(url).status_code == 500  # still failed until someone asks to try again
    assert lead.get(again).status_code == 202
    assert until_ready(lead, url).data.startswith(b"%PDF")


def test_the_national_picture_pdf_is_prepared_the_same_way(app, world):
    partnerships = [make_partnership(region=region) for region in REGIONS]
    collection = create_collection(
        "National returns 2013",
        "returns-2013",
        [KP, S],
        date(2013, 4, 1),
        date(2013, 5, 31),
        expected=partnerships,
    )
    import_rows(collection, known_returns([p.code for p in partnerships]))
    analyst = client_as(app, world, "analyst")
    url = "/national/collections/returns-2013/picture.pdf"
    assert analyst.get(url).status_code == 202
    ready = until_ready(analyst, url)
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")
    # A reader who may not have it gets no preparing page either.
    assert client_as(app, world, "lead").get(url).status_code == 404


def test_new_returns_have_the_pictures_charts_drawn_before_anyone_opens_it(app, world, monkeypatch):
    from selfassess.documents import jobs, national_charts

    app.config["DRAW_AHEAD"] = True
    national_charts.clear_cache()
    partnerships = [make_partnership(region=region) for region in REGIONS]
    collection = create_collection(
        "National returns 2013",
        "returns-2013",
        [KP, S],
        date(2013, 4, 1),
        date(2013, 5, 31),
        expected=partnerships,
    )
    import_rows(collection, known_returns([p.code for p in partnerships]))
    # The import started the drawing in the background; wait for it as the analyst would not.
    deadline = time.monotonic() + 120
    while any(not b.done() for b in list(jobs._builds.values())):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert len(national_charts._pictures) == 2  # in English and in Welsh

    # The picture page finds every chart drawn: drawing one now would fail the page.
    def no_drawing(*args, **kwargs):
        raise AssertionError("a chart was drawn while the page waited")

    monkeypatch.setattr(national_charts, "percentage_bars", no_drawing)
    analyst = client_as(app, world, "analyst")
    page = analyst.get("/national/collections/returns-2013/picture")
    assert page.status_code == 200
    assert BeautifulSoup(page.data, "html.parser").select("figure.national-chart svg")
    analyst.get("/language/cy?next=/")  # a Welsh reader finds theirs drawn too
    page = analyst.get("/national/collections/returns-2013/picture")
    assert page.status_code == 200 and 'lang="cy"' in page.get_data(as_text=True)
    assert BeautifulSoup(page.data, "html.parser").select("figure.national-chart svg")
