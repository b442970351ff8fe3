"""Figures combining answers, declared by the 2013 framework ("more than one type of offender",
"police co-located with all three"), each with its own base: in the JSON report, the API, the
picture page and its PDF, and suppressed in the regional picture when their base is small.

Eight CSPs with IOM return (london E21-E25, wales E26-E28):

- q10 yes E21-E27 (7), no E28. q11 answered by 6 of them (E27 not): more than one type E21-E24,
  one type E25 and E26: 4 of 6, 66.7%.
- q8 answered by all 8: probation, drug and alcohol and local authority E21 and E22 (and
  housing E22); probation only E23; none E24-E28: 2 of 8, 25.0%.
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

HEAD = "partnership_code,arrangement,q1,q4,q6,q8,q10,q11\n"
ALL_THREE = "probation;drug_alcohol_services;local_authority"
ROWS = {
    "E21": (ALL_THREE, "yes", "ppo;drug_misusing;young_offenders"),
    "E22": (ALL_THREE + ";housing_services", "yes", "ppo;women_offenders"),
    "E23": ("probation", "yes", "ppo;gang_members"),
    "E24": ("none", "yes", "ppo;drug_misusing"),
    "E25": ("none", "yes", "ppo"),
    "E26": ("none", "yes", "drug_misusing"),
    "E27": ("none", "yes", ""),
    "E28": ("none", "no", ""),
}


def returns_file(path):
    lines = [HEAD]
    for code, (q8, q10, q11) in ROWS.items():
        lines.append(f"{code},,yes,one,,{q8},{q10},{q11}\n{code},1,,,police,,,\n")
    path.write_text("".join(lines))
    return path


@pytest.fixture
def combined(app, runner, tmp_path):
    register_commands()
    partnerships = [
        make_partnership(code=code, region="london" if i < 5 else "wales")
        for i, code in enumerate(ROWS)
    ]
    create_collection(
        "Survey 2013",
        "combined",
        ["national-survey-2013"],
        date(2013, 4, 1),
        date(2013, 4, 30),
        expected=partnerships,
    )
    path = returns_file(tmp_path / "returns.csv")
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "combined"])
    assert result.exit_code == 0, result.output


def test_the_report_carries_each_figure_with_n_base_and_percentage(runner, combined):
    report = runner.invoke(cli, ["national", "report", "--collection", "combined"])
    figures = json.loads(report.output)["figures"]
    several = figures["several_offender_types"]
    assert (several["n"], several["base"], several["percent"]) == (4, 6, 66.7)
    assert several["item"] == "q11" and several["rule"] == "more_than_one"
    assert several["base_of"] == "answered"
    colocated = figures["police_colocated_with_three"]
    assert (colocated["n"], colocated["base"], colocated["percent"]) == (2, 8, 25.0)
    assert colocated["options"] == ["probation", "drug_alcohol_services", "local_authority"]


def test_the_page_the_pdf_and_the_api_show_them(app, client, combined):
    analyst = _analyst(client)
    page = BeautifulSoup(client.get("/national/collections/combined/picture").data, "html.parser")
    row = page.select_one("#figure-several_offender_types")
    cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
    assert cells[0].startswith("Prioritise more than one type of offender")
    assert "(of partnerships that answered q11)" in cells[0]
    assert cells[1] == "66.7% (4 of 6)"

    text = " ".join(pdf_pages(client.get("/national/collections/combined/picture.pdf")))
    assert "Figures combining answers" in text
    assert "Prioritise more than one type of offender" in text and "66.7%" in text

    token = issue_token("scripts", analyst)
    api = app.test_client()
    picture = api.get(
        "/api/collections/combined/picture", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert picture["figures"]["police_colocated_with_three"]["percent"] == 25.0


def test_a_region_too_small_shows_no_figure(app, client, combined):
    token = issue_token("scripts", _analyst(client))
    wales = (
        app.test_client()
        .get(
            "/api/collections/combined/picture?region=wales",
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    # Wales: q11 answered by E26 alone, so the figure's base (1) is under the threshold.
    several = wales["figures"]["several_offender_types"]
    assert several["suppressed"] is True and several["n"] is None and several["percent"] is None
    assert several["base"] == 1
    page = client.get("/national/collections/combined/picture?region=wales").data.decode()
    row = BeautifulSoup(page, "html.parser").select_one("#figure-several_offender_types")
    assert "fewer than 3 returns" in row.get_text()
