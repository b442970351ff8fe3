"""Import returns built to known marginals (tests/national_helpers.py) through the command line;
check the national picture."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from selfassess.cli import cli, register_commands
from selfassess.domain.returns_import import returns_to_rows, rows_to_csv
from selfassess.extensions import db, frameworks
from selfassess.models import AuditEvent, Return, ReturnAnswer
from selfassess.services.collections import create_collection
from tests.factories import make_partnership
from tests.national_helpers import KP, REGIONS, S
from tests.national_helpers import known_returns as _returns


@pytest.fixture
def national(app):
    register_commands()
    partnerships = [make_partnership(region=region) for region in REGIONS]
    collection = create_collection(
        "National returns 2013",
        "returns-2013",
        [KP, S],
        date(2013, 4, 1),
        date(2013, 5, 31),
        expected=partnerships,
    )
    return collection, partnerships


def _write(tmp_path, rows, name="returns.csv"):
    path = tmp_path / name
    path.write_text(rows_to_csv(rows), encoding="utf-8")
    return path


def _report(runner, *extra):
    result = runner.invoke(
        cli, ["national", "report", "--collection", "returns-2013", "--format", "json", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_import_then_report_every_figure(runner, national, tmp_path):
    collection, partnerships = national
    lib = frameworks()
    fws = [lib.get(KP), lib.get(S)]
    path = _write(tmp_path, returns_to_rows(fws, _returns([p.code for p in partnerships])))

    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "returns-2013"])
    assert result.exit_code == 0, result.output
    assert "Imported 10 return(s)" in result.output

    report = _report(runner)
    assert report["collection"] == "returns-2013"
    assert report["returns"] == 10
    items = report["items"]

    def figures(key):
        item = items[key]
        return (
            item["n"],
            item["missing"],
            {k: (o["count"], o["percent"]) for k, o in item["options"].items()},
        )

    assert figures("q1") == (10, 0, {"yes": (8, 80.0), "no": (2, 20.0)})
    assert items["q1"]["unit"] == "partnership" and items["q1"]["framework"] == S
    assert figures("q2") == (1, 1, {"planning_ongoing": (1, 100.0), "no_current_plans": (0, 0.0)})
    assert figures("q3") == (7, 1, {"fully": (5, 71.4), "partly": (2, 28.6)})
    assert figures("q4") == (8, 0, {"one": (6, 75.0), "several": (2, 25.0)})
    n, missing, options = figures("q5")
    assert (n, missing, options["two"], options["three"]) == (1, 1, (1, 100.0), (0, 0.0))

    assert items["q6"]["unit"] == "arrangement"
    n, missing, options = figures("q6")
    assert (n, missing) == (10, 1)  # 11 arrangements in the CSPs with IOM, one unanswered
    assert options["police"] == (10, 100.0)
    assert options["probation"] == (9, 90.0)
    assert options["housing_services"] == (3, 30.0)
    assert options["courts"] == (0, 0.0)

    n, missing, options = figures("q13")
    assert (n, missing) == (7, 1)  # asked of the 8 CSPs with IOM only
    assert options["iom_key_principles"] == (5, 71.4)
    assert options["ppo_self_assessment"] == (3, 42.9)
    assert options["none"] == (2, 28.6)
    assert sum(p for _, p in options.values() if p) > 100  # multi-choice: not 100

    # Asked of the 8 CSPs with IOM, answered by none.
    assert figures("q7")[:2] == (0, 8)
    assert all(p is None for _, p in figures("q7")[2].values())

    assert figures("1.1") == (
        9,
        1,
        {
            "red": (1, 11.1),
            "amber": (3, 33.3),
            "green": (4, 44.4),
            "dont_know": (1, 11.1),
            "not_applicable": (0, 0.0),
        },
    )
    detail = _report(runner, "--detail")
    section = detail["sections"][KP]["1"]
    assert (section["n"], section["missing"]) == (8, 2)
    assert {k: (o["count"], o["percent"]) for k, o in section["options"].items()} == {
        "red": (1, 12.5),
        "amber": (3, 37.5),
        "green": (4, 50.0),
    }
    assert detail["items"]["q6"]["asked"] == 11
    assert detail["items"]["q13"]["multi"] is True
    assert detail["arrangements"] == 11


def test_regional_pictures_suppress_small_groups(app, runner, national, tmp_path):
    from selfassess.queries.national import national_picture

    collection, partnerships = national
    lib = frameworks()
    rows = returns_to_rows([lib.get(KP), lib.get(S)], _returns([p.code for p in partnerships]))
    path = _write(tmp_path, rows)
    assert (
        runner.invoke(
            cli, ["national", "import", str(path), "--collection", "returns-2013"]
        ).exit_code
        == 0
    )
    wales = national_picture(collection, region="wales").to_json()
    assert wales["returns"] == 2
    assert wales["items"]["q1"]["options"]["no"] == {
        "label": "No",
        "count": None,
        "percent": None,
        "suppressed": True,
    }
    north_west = national_picture(collection, region="north_west").to_json()
    assert north_west["items"]["q1"]["options"]["yes"]["count"] == 5
    # q3: London's two answers are too few, and North West's five, shown, would give them away
    # (the national figures less North West's): hidden too, saying why, with n kept.
    assert north_west["items"]["q3"]["options"]["fully"]["suppressed"] is True
    assert north_west["items"]["q3"]["n"] == 5


def test_import_refused_when_a_return_exists_unless_replace(runner, national, tmp_path):
    collection, partnerships = national
    lib = frameworks()
    fws = [lib.get(KP), lib.get(S)]
    returns = _returns([p.code for p in partnerships])
    path = _write(tmp_path, returns_to_rows(fws, returns))
    args = ["national", "import", str(path), "--collection", "returns-2013"]
    assert runner.invoke(cli, args).exit_code == 0
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    assert "already has a return in this collection" in again.output
    assert db.session.scalar(select(func.max(Return.version))) == 1

    replaced = runner.invoke(cli, [*args, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert db.session.scalar(select(func.count(Return.id))) == 10
    assert db.session.scalar(select(func.min(Return.version))) == 2
    events = db.session.scalars(select(AuditEvent).filter_by(entity="return", event="resubmitted"))
    assert len(list(events)) == 10
    assert _report(runner)["items"]["q1"]["options"]["yes"]["count"] == 8


def test_a_bad_file_is_rejected_whole_with_every_error(runner, national, tmp_path):
    collection, partnerships = national
    good = partnerships[0].code
    lines = [
        "partnership_code,arrangement,q1,q2,q6,q13,1.1",
        f"{good},,yes,,,iom_key_principles,green",
        "NOPE99,,no,,,,",  # unknown partnership
        f"{partnerships[1].code},,maybe,,,,",  # unknown option
        # q2 asked only if q1 is no; and IOM in place means at least one arrangement row
        f"{partnerships[2].code},,yes,planning_ongoing,,,",
        f"{partnerships[3].code},,no,,,,purple",  # not a rating
        f"{good},1,,,police;spies,,",  # unknown option in a multi-choice cell
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["national", "import", str(path), "--collection", "returns-2013"])
    assert result.exit_code == 1
    out = result.output
    assert "row 3, column partnership_code: 'NOPE99' is not the code of a partnership" in out
    assert "row 4, column q1: 'maybe' is not an answer to q1" in out
    assert "row 5, column q1: q1 is yes (Yes), which means at least 1, but the return" in out
    assert "row 5, column q2: is answered, but q2 is asked only when q1 is no" in out
    assert "row 6, column 1.1: 'purple' is not a rating" in out
    assert "row 7, column q6: 'spies' is not an answer to q6" in out
    assert "6 error(s) in bad.csv: nothing was imported." in out
    assert db.session.scalar(select(func.count(Return.id))) == 0
    assert db.session.scalar(select(func.count(ReturnAnswer.id))) == 0


def test_the_example_file_imports(runner, app, tmp_path):
    from selfassess.config import PROJECT_ROOT

    register_commands()
    result = runner.invoke(
        cli,
        [
            "national",
            "create-collection",
            "--slug",
            "survey-2013",
            "--title",
            "Survey 2013",
            "--framework",
            S,
            "--opens",
            "2013-04-01",
            "--closes",
            "2013-05-31",
        ],
    )
    assert result.exit_code == 0, result.output
    expected = PROJECT_ROOT / "questions" / "examples" / "expected-partnerships-2013.csv"
    result = runner.invoke(
        cli, ["national", "expected", "load", str(expected), "--collection", "survey-2013"]
    )
    assert result.exit_code == 0, result.output
    example = PROJECT_ROOT / "questions" / "examples" / "returns-2013.csv"
    result = runner.invoke(cli, ["national", "import", str(example), "--collection", "survey-2013"])
    assert result.exit_code == 0, result.output
    report = json.loads(
        runner.invoke(cli, ["national", "report", "--collection", "survey-2013"]).output
    )
    assert report["returns"] == 4
    assert report["items"]["q1"]["options"]["yes"]["count"] == 3
    assert report["items"]["q6"]["n"] == 4  # four arrangements in the three CSPs with IOM
