"""Each consistency rule of the 2013 survey, broken by a returns file: refused with its row and
column from the command line and the upload page, and nothing imported."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.cli import cli, register_commands
from selfassess.extensions import db
from selfassess.models import Return
from selfassess.services.collections import create_collection
from tests.factories import make_partnership
from tests.test_national_pages import _analyst

HEAD = "partnership_code,arrangement,q1,q4,q5,q6,q7,q8,q12,q13\n"

# (what breaks, the file, the row and column named, words of the message)
BROKEN = [
    (
        "none-with-others",
        "E01,,yes,one,,,yes,,,none;iom_key_principles\nE01,1,,,,police,,,,\n",
        (2, "q13"),
        "none (None of these) is chosen with iom_key_principles",
    ),
    (
        "q8-none-with-police-partners",
        "E01,,yes,one,,,yes,none;probation,,\nE01,1,,,,police,,,,\n",
        (2, "q8"),
        "is chosen on its own or not at all",
    ),
    (
        "q12-not-monitored-and-monitored",
        "E01,,yes,one,,,,,not_formally_monitored;idiom,\nE01,1,,,,police,,,,\n",
        (2, "q12"),
        "not_formally_monitored (We do not formally monitor outcomes) is chosen with idiom",
    ),
    (
        "one-arrangement-two-rows",
        "E01,,yes,one,,,,,,\nE01,1,,,,police,,,,\nE01,2,,,,probation,,,,\n",
        (2, "q4"),
        "q4 is one (One arrangement covering the whole area), which means 1 IOM arrangement, "
        "but the return answers for 2",
    ),
    (
        "three-arrangements-one-row",
        "E01,,yes,several,three,,,,,\nE01,1,,,,police,,,,\n",
        (2, "q5"),
        "q5 is three (3), which means 3 IOM arrangements, but the return answers for 1",
    ),
    (
        "iom-without-arrangement-rows",
        "E01,,yes,,,,,,,\n",
        (2, "q1"),
        "q1 is yes (Yes), which means at least 1, but the return answers for none",
    ),
    (
        "support-tools-without-iom",
        "E01,,no,,,,,,,iom_key_principles\n",
        (2, "q13"),
        "q13 is asked only when q1 is yes, and q1 is no",
    ),
    (
        "no-iom-with-an-arrangement-row",
        "E01,,no,,,,,,,\nE01,1,,,,police,,,,\n",
        (2, "q1"),
        "q1 is no (No), which means 0 IOM arrangements, but the return answers for 1",
    ),
    (
        "several-arrangements-one-row",
        "E01,,yes,several,,,,,,\nE01,1,,,,police,,,,\n",
        (2, "q4"),
        "q4 is several (Several arrangements covering different parts of the area), which "
        "means at least 2",
    ),
    (
        "two-arrangements-three-rows",
        "E01,,yes,several,two,,,,,\n" + "".join(f"E01,{n},,,,police,,,,\n" for n in (1, 2, 3)),
        (2, "q5"),
        "q5 is two (2), which means 2 IOM arrangements, but the return answers for 3",
    ),
    (
        "four-or-more-arrangements-three-rows",
        "E01,,yes,several,four_or_more,,,,,\n"
        + "".join(f"E01,{n},,,,police,,,,\n" for n in (1, 2, 3)),
        (2, "q5"),
        "q5 is four_or_more (4 or more), which means at least 4",
    ),
    (
        "how-many-asked-of-one-arrangement",
        "E01,,yes,one,three,,,,,\nE01,1,,,,police,,,,\n",
        (2, "q5"),
        "q5 is asked only when q4 is several",
    ),
    (
        "agencies-without-iom",
        "E01,,no,,,,,,,\nE01,1,,,,police,,,,\n",
        (3, "q6"),
        "q6 is asked only when q1 is yes",
    ),
    (
        "co-location-without-iom",
        "E01,,no,,,,,probation,,\n",
        (2, "q8"),
        "q8 is asked only when q1 is yes",
    ),
]

# Rules on questions the main heading leaves out: (case, heading, body, where, words).
OTHER_HEAD = "partnership_code,arrangement,q1,q2,q4,q6,q10,q11\n"
BROKEN += [
    (
        "plans-asked-of-a-partnership-with-iom",
        "E01,,yes,planning_ongoing,one,,,\nE01,1,,,,police,,\n",
        (2, "q2"),
        "q2 is asked only when q1 is no",
    ),
    (
        "offender-types-without-prioritising",
        "E01,,yes,,one,,no,ppo\nE01,1,,,,police,,\n",
        (2, "q11"),
        "q11 is asked only when q10 is yes",
    ),
]
HEADS = {case: OTHER_HEAD for case, *_ in BROKEN[-2:]}


def _file(case: str, body: str) -> str:
    return HEADS.get(case, HEAD) + body


@pytest.fixture
def collection(app):
    register_commands()
    partnership = make_partnership(code="E01")
    return create_collection(
        "Survey 2013",
        "rules",
        ["national-survey-2013"],
        date(2013, 4, 1),
        date(2013, 4, 30),
        expected=[partnership],
    )


@pytest.mark.parametrize(("case", "body", "where", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_rule_is_refused_from_the_command_line(
    runner, collection, tmp_path, case, body, where, words
):
    path = tmp_path / f"{case}.csv"
    path.write_text(_file(case, body))
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "rules"])
    assert result.exit_code == 1
    row, column = where
    assert f"row {row}, column {column}: " in result.output
    assert words in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(select(func.count(Return.id))) == 0


@pytest.mark.parametrize(("case", "body", "where", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_rule_is_refused_on_the_upload_page(client, collection, case, body, where, words):
    _analyst(client)
    response = client.post(
        "/national/collections/rules/import",
        data={"returns_file": (io.BytesIO(_file(case, body).encode()), f"{case}.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("#problems tbody tr")
    ]
    assert any(r[:2] == [str(where[0]), where[1]] and words in r[2] for r in rows), rows
    assert db.session.scalar(select(func.count(Return.id))) == 0


def test_a_consistent_return_imports(runner, collection, tmp_path):
    path = tmp_path / "fine.csv"
    path.write_text(
        HEAD
        + "E01,,yes,several,two,,yes,none,not_formally_monitored,none\n"
        + "E01,1,,,,police,,,,\nE01,2,,,,police;probation,,,,\n"
    )
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "rules"])
    assert result.exit_code == 0, result.output


def test_co_location_is_asked_of_every_partnership_with_iom(runner, app, tmp_path):
    """q8's base is every CSP with IOM, as the 2013 publication's (55% of CSPs with IOM
    co-locate police and probation), "no" to q7 and "none" included."""
    register_commands()
    codes = ["E11", "E12", "E13", "E14", "E15"]
    create_collection(
        "Survey 2013",
        "colocation",
        ["national-survey-2013"],
        date(2013, 4, 1),
        date(2013, 4, 30),
        expected=[make_partnership(code=code) for code in codes],
    )
    lines = [
        "E11,,yes,one,,,yes,probation;local_authority,,",
        "E12,,yes,one,,,yes,probation,,",
        "E13,,yes,one,,,no,none,,",  # asked although q7 is no
        "E14,,yes,one,,,no,,,",  # asked, not answered: counted as missing
        "E15,,no,,,,,,,",  # no IOM: not asked
    ]
    rows = [line + "\n" + line.split(",")[0] + ",1,,,,police,,,,\n" for line in lines[:4]]
    path = tmp_path / "colocation.csv"
    path.write_text(HEAD + "".join(rows) + lines[4] + "\n")
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "colocation"])
    assert result.exit_code == 0, result.output

    report = runner.invoke(cli, ["national", "report", "--collection", "colocation", "--detail"])
    q8 = json.loads(report.output)["items"]["q8"]
    assert (q8["asked"], q8["n"], q8["missing"]) == (4, 3, 1)
    probation = q8["options"]["probation"]
    assert (probation["count"], probation["percent"]) == (2, 66.7)
    assert q8["options"]["none"]["count"] == 1


def test_co_location_answered_without_iom_is_refused(runner, collection, tmp_path):
    path = tmp_path / "no-iom.csv"
    path.write_text(HEAD + "E01,,no,,,,,none,,\n")
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "rules"])
    assert result.exit_code == 1
    assert "row 2, column q8: is answered, but q8 is asked only when q1 is yes" in result.output
