"""A 2013 collection compared with a 2010/11 one on the mapping between the surveys
(questions/comparisons/): both shares, the change, and where it is not like for like, in the
JSON report, on the picture page and in its PDF. The analyst chooses the collection.

2010/11 (four returns): IOM implemented F1-F3, planned F4; of the three that have implemented
it, housing involved in F1-F2; fully established F1, partially F2-F3, not yet F4.
2013 (five returns, one arrangement each): IOM in place all five; housing in G1-G4's
arrangements; fully established G1-G4, partly G5.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup

from selfassess.cli import cli, register_commands
from selfassess.services.api_tokens import issue_token
from selfassess.services.collections import create_collection
from tests.factories import make_partnership
from tests.test_national_pages import _analyst
from tests.test_national_pdf import pdf_pages

S11, S13 = "national-survey-2011", "national-survey-2013"


def _import(runner, tmp_path, slug, text):
    path = tmp_path / f"{slug}.csv"
    path.write_text(text)
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", slug])
    assert result.exit_code == 0, result.output


@pytest.fixture
def two_surveys(app, runner, tmp_path):
    register_commands()
    earlier = [make_partnership(code=f"F{i}") for i in range(1, 5)]
    later = [make_partnership(code=f"G{i}") for i in range(1, 6)]
    create_collection(
        "Survey 2010/11", "s2011", [S11], date(2010, 12, 1), date(2011, 1, 31), expected=earlier
    )
    create_collection(
        "Survey 2013", "s2013", [S13], date(2013, 4, 1), date(2013, 4, 30), expected=later
    )
    rows = ["partnership_code,q1,q2,q39,q40"]
    for i in range(1, 5):
        q2 = "fully" if i == 1 else ("partially" if i < 4 else "not_established")
        rows.append(
            f"F{i},iom,{q2},{'implemented' if i < 4 else 'planned'},"
            + ("police;housing" if i < 3 else ("police" if i < 4 else ""))
        )
    _import(runner, tmp_path, "s2011", "\n".join(rows) + "\n")
    rows = ["partnership_code,arrangement,q1,q3,q4,q6"]
    for i in range(1, 6):
        rows.append(f"G{i},,yes,{'fully' if i < 5 else 'partly'},one,")
        rows.append(f"G{i},1,,,,{'police;housing_services' if i < 5 else 'police'}")
    _import(runner, tmp_path, "s2013", "\n".join(rows) + "\n")


def test_the_report_compares_where_mapped(runner, two_surveys):
    result = runner.invoke(
        cli, ["national", "report", "--collection", "s2013", "--compare", "s2011"]
    )
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.output)["comparison"]
    by = {(f["item"], f["option"]): f for f in comparison["figures"]}
    housing = by[("q6", "housing_services")]
    assert housing["earlier_item"] == "q40"
    assert (housing["earlier"]["percent"], housing["later"]["percent"]) == (66.7, 80.0)
    assert housing["change"] == 13.3 and housing["like_for_like"] is False
    assert "arrangements" in housing["note"]
    in_place = by[("q1", "yes")]
    assert (in_place["earlier"]["percent"], in_place["later"]["percent"]) == (75.0, 100.0)
    fully = by[("q3", "fully")]
    assert (fully["earlier"]["percent"], fully["later"]["percent"], fully["change"]) == (
        25.0,
        80.0,
        55.0,
    )
    assert "q9" in comparison["not_compared"] and "q1" not in comparison["not_compared"]

    # Compared the wrong way round, no mapping joins them: said, not guessed.
    wrong = runner.invoke(
        cli, ["national", "report", "--collection", "s2011", "--compare", "s2013"]
    )
    assert wrong.exit_code == 1 and "No mapping" in wrong.output


def test_the_page_and_the_pdf_show_both_years(client, two_surveys):
    _analyst(client)
    page = BeautifulSoup(
        client.get("/national/collections/s2013/picture?compare=s2011").data, "html.parser"
    )
    chooser = page.select_one("select#compare")
    assert chooser.select_one("option[selected]")["value"] == "s2011"
    row = page.select_one("#compare-q6-housing_services")
    assert [c.get_text(strip=True) for c in row.find_all(["th", "td"])] == [
        "Housing services",
        "66.7%",
        "80.0%",
        "+13.3",
    ]
    note = page.select_one("#compare-q6").find_next("p").get_text(" ", strip=True)
    assert "Not like for like" in note and "IOM arrangements" in note
    pdf_link = page.select_one("#picture-pdf")["href"]
    assert "compare=s2011" in pdf_link
    text = " ".join(pdf_pages(client.get(pdf_link)))
    assert "Compared with Survey 2010/11" in text and "+13.3" in text

    # Without a choice, nothing is compared; an unknown collection is not found.
    plain = client.get("/national/collections/s2013/picture").data.decode()
    assert 'id="comparison"' not in plain
    assert client.get("/national/collections/s2013/picture?compare=nope").status_code == 404
    none = BeautifulSoup(
        client.get("/national/collections/s2011/picture?compare=s2013").data, "html.parser"
    )
    assert none.select_one("#no-comparison") is not None


def test_the_api_compares_when_asked(app, client, two_surveys):
    token = issue_token("scripts", _analyst(client))
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    got = api.get("/api/collections/s2013/picture?compare=s2011", headers=headers)
    assert got.status_code == 200
    figures = {(f["item"], f["option"]): f for f in got.get_json()["comparison"]["figures"]}
    assert figures[("q6", "housing_services")]["change"] == 13.3
    assert "comparison" not in api.get("/api/collections/s2013/picture", headers=headers).get_json()
    for url in (
        "/api/collections/s2013/picture?compare=nope",
        "/api/collections/s2011/picture?compare=s2013",  # no mapping that way round
        "/api/collections/s2013/picture?compare=s2011&region=london",
    ):
        response = api.get(url, headers=headers)
        assert response.status_code == 404 and "error" in response.get_json(), url
