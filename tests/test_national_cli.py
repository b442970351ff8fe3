"""A collection run from the command line alone: open it, load its expected partnerships,
import returns; and the refusals that say how to put a file right."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from selfassess.cli import cli, register_commands
from selfassess.extensions import db
from selfassess.models import CollectionPartnership, Partnership, Return, ReturnAnswer
from selfassess.queries.national import collection_or_none, expected_codes, response_rates

EXAMPLES = Path(__file__).resolve().parent.parent / "questions" / "examples"
SURVEY = "national-survey-2013"


@pytest.fixture
def cli_runner(app, runner):
    register_commands()
    return runner


def _run(runner, *args):
    return runner.invoke(cli, list(args))


def _create(runner, slug="survey-2013"):
    result = _run(
        runner,
        "national", "create-collection", "--slug", slug, "--title", "IOM survey 2013",
        "--framework", SURVEY, "--opens", "2013-04-01", "--closes", "2013-04-30",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def _load(runner, path, *extra, slug="survey-2013"):
    return _run(runner, "national", "expected", "load", str(path), "--collection", slug, *extra)


def _import(runner, path, *extra, slug="survey-2013"):
    return _run(runner, "national", "import", str(path), "--collection", slug, *extra)


def _returns():
    return db.session.scalar(select(func.count(Return.id)))


def test_the_shipped_examples_import_cleanly_as_the_readme_says(cli_runner):
    _create(cli_runner)
    loaded = _load(cli_runner, EXAMPLES / "expected-partnerships-2013.csv")
    assert loaded.exit_code == 0, loaded.output
    assert "now expects 4 partnership(s): 4 added (4 new to the tool)" in loaded.output

    imported = _import(cli_runner, EXAMPLES / "returns-2013.csv")
    assert imported.exit_code == 0, imported.output
    assert "Imported 4 return(s) into survey-2013" in imported.output
    rates = response_rates(collection_or_none("survey-2013"))
    assert (rates["expected"], rates["returned"]) == (4, 4)


def test_loading_again_adds_and_updates_and_replace_makes_the_list_the_files(cli_runner, tmp_path):
    _create(cli_runner)
    first = tmp_path / "first.csv"
    first.write_text(
        "name,code,region,police_force_area\n"
        "Exampleton,E22EX001,North West,Exampleshire\n"
        "Sampleford,E22EX002,London,Metropolitan\n"
    )
    assert _load(cli_runner, first).exit_code == 0
    second = tmp_path / "second.csv"
    second.write_text(
        "name,code,region,police_force_area\n"
        "Exampleton and District,E22EX001,north_west,Exampleshire\n"
        "Testbury,E22EX003,South East,Testshire\n"
    )
    added = _load(cli_runner, second)
    assert added.exit_code == 0, added.output
    assert "expects 3 partnership(s): 1 added (1 new to the tool), 1 updated, 0 removed" in (
        added.output
    )
    renamed = db.session.scalars(select(Partnership).filter_by(code="E22EX001")).one()
    assert renamed.name == "Exampleton and District"

    replaced = _load(cli_runner, second, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "expects 2 partnership(s): 0 added (0 new to the tool), 0 updated, 1 removed" in (
        replaced.output
    )
    assert expected_codes(collection_or_none("survey-2013")) == {"E22EX001", "E22EX003"}
    # No longer expected, still known to the tool.
    assert db.session.scalars(select(Partnership).filter_by(code="E22EX002")).one()


def test_a_list_with_a_bad_row_loads_nothing_and_names_the_row(cli_runner, tmp_path):
    _create(cli_runner)
    path = tmp_path / "expected.csv"
    path.write_text(
        "name,code,region,police_force_area\n"
        "Exampleton,E22EX001,North West,Exampleshire\n"
        "Sampleford,E22EX002,Narnia,Sampleshire\n"
    )
    result = _load(cli_runner, path)
    assert result.exit_code == 1
    assert "row 3, column region: 'Narnia' is not a region" in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(select(func.count(CollectionPartnership.id))) == 0
    assert db.session.scalar(select(func.count(Partnership.id))) == 0


def test_replacing_never_drops_a_partnership_that_has_returned(cli_runner, tmp_path):
    _create(cli_runner)
    assert _load(cli_runner, EXAMPLES / "expected-partnerships-2013.csv").exit_code == 0
    assert _import(cli_runner, EXAMPLES / "returns-2013.csv").exit_code == 0
    path = tmp_path / "fewer.csv"
    path.write_text("name,code,region,police_force_area\nTestbury,E22EX003,South East,Testshire\n")
    result = _load(cli_runner, path, "--replace")
    assert result.exit_code == 1
    assert "E22EX001, E22EX002, W22EX004 already made a return" in result.output
    assert len(expected_codes(collection_or_none("survey-2013"))) == 4


def test_import_refuses_partnerships_the_collection_does_not_expect(cli_runner, tmp_path):
    _create(cli_runner)
    _create(cli_runner, slug="other")
    assert _load(cli_runner, EXAMPLES / "expected-partnerships-2013.csv").exit_code == 0
    # The right file, the wrong collection: its response rate must not change.
    result = _import(cli_runner, EXAMPLES / "returns-2013.csv", slug="other")
    assert result.exit_code == 1
    assert (
        "row 2, column partnership_code: E22EX001 is not expected to return to this collection"
        in result.output
    )
    assert "--add-expected" in result.output
    assert _returns() == 0
    assert expected_codes(collection_or_none("other")) == set()

    added = _import(cli_runner, EXAMPLES / "returns-2013.csv", "--add-expected", slug="other")
    assert added.exit_code == 0, added.output
    assert len(expected_codes(collection_or_none("other"))) == 4


def test_an_unknown_partnership_is_told_to_load_the_expected_list(cli_runner):
    _create(cli_runner)
    result = _import(cli_runner, EXAMPLES / "returns-2013.csv")
    assert result.exit_code == 1
    assert "'E22EX001' is not the code of a partnership known to the tool: load the" in (
        result.output
    )


def test_a_semicolon_separated_file_gets_a_hint(cli_runner, tmp_path):
    _create(cli_runner)
    assert _load(cli_runner, EXAMPLES / "expected-partnerships-2013.csv").exit_code == 0
    text = (EXAMPLES / "returns-2013.csv").read_text().replace(",", ";")
    path = tmp_path / "semicolons.csv"
    path.write_text(text)
    result = _import(cli_runner, path)
    assert result.exit_code == 1
    assert "separated by semicolons" in result.output

    listed = tmp_path / "expected.csv"
    listed.write_text((EXAMPLES / "expected-partnerships-2013.csv").read_text().replace(",", ";"))
    result = _load(cli_runner, listed)
    assert result.exit_code == 1
    assert "separated by semicolons" in result.output


def test_options_are_named_by_id_or_label_whatever_the_case(cli_runner, tmp_path):
    _create(cli_runner)
    assert _load(cli_runner, EXAMPLES / "expected-partnerships-2013.csv").exit_code == 0
    path = tmp_path / "labels.csv"
    path.write_text(
        "partnership_code,arrangement,q1,q3,q4,q6,q9\n"
        "E22EX001,,YES,Fully established,one,,100 OR FEWER\n"
        "E22EX001,1,,,,Police;probation SERVICE;Drug and alcohol services,\n"
    )
    result = _import(cli_runner, path)
    assert result.exit_code == 0, result.output
    values = set(db.session.execute(select(ReturnAnswer.item_id, ReturnAnswer.value)))
    assert {("q1", "yes"), ("q3", "fully"), ("q9", "up_to_100"), ("q6", "probation")} <= values


def test_an_option_matching_neither_id_nor_label_lists_the_allowed_ones(cli_runner, tmp_path):
    _create(cli_runner)
    assert _load(cli_runner, EXAMPLES / "expected-partnerships-2013.csv").exit_code == 0
    path = tmp_path / "bad.csv"
    path.write_text("partnership_code,q1,q9\nE22EX001,yes,<100\n")
    result = _import(cli_runner, path)
    assert result.exit_code == 1
    assert (
        "row 2, column q9: '<100' is not an answer to q9: use one of up_to_100 (100 or fewer); "
        "from_101_to_200 (101 to 200)"
    ) in result.output
    assert _returns() == 0
