"""A published framework version is remembered when first used, and a later edit of its file
is refused at start and by `selfassess frameworks check`."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import yaml
from sqlalchemy import select

from selfassess import create_app, frameworks
from selfassess.cli import cli
from selfassess.config import PROJECT_ROOT, TestConfig
from selfassess.domain.frameworks import FrameworkError
from selfassess.extensions import db
from selfassess.models import FrameworkRelease
from selfassess.services.assessments import create_assessment
from selfassess.services.collections import create_collection
from tests.factories import make_partnership, make_user

KP = "iom-key-principles"


@pytest.fixture
def questions(tmp_path):
    target = tmp_path / "questions"
    shutil.copytree(PROJECT_ROOT / "questions", target)
    return target


UNSURE = {
    "id": "unsure",
    "label": {"en": "Unsure", "cy": "Ansicr", "cy_review": "awaiting"},
    "counts_as": "maybe",
}


def edit(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def kp_first_tags(data):
    return data["sections"][0]["items"][0]["tags"]["hallmarks"]


def reword_first_question(folder):
    edit(
        folder,
        "iom-key-principles.yaml",
        # the English reworded; its Welsh is left as it was
        lambda d: d["sections"][0]["items"][0]["text"].update(en="Are the agencies signed up?"),
    )


def held(app_db) -> dict[tuple[str, str], str]:
    rows = app_db.session.execute(select(FrameworkRelease)).scalars()
    return {(r.framework_id, r.version): r.content_hash for r in rows}


def test_a_new_assessment_records_the_versions_it_pins_once(app):
    partnership = make_partnership()
    lead = make_user(partnership, role="lead")
    create_assessment(partnership, "Spring", "2026", ["dip"], lead)
    create_assessment(partnership, "Autumn", "2026", ["dip"], lead)
    library = frameworks()
    assert held(db) == {
        (KP, "2010.1"): library.get(KP).content_hash,
        ("dip", "2010.1"): library.get("dip").content_hash,
    }


def test_a_new_collection_records_its_survey_version(app):
    create_collection(
        "2013", "iom-2013", ["national-survey-2013"], date(2013, 4, 1), date(2013, 5, 1)
    )
    assert list(held(db)) == [("national-survey-2013", "2013.2")]


def test_the_app_refuses_to_start_when_a_version_in_use_was_changed_in_place(app, questions):
    partnership = make_partnership()
    create_assessment(partnership, "Spring", "2026", [], make_user(partnership, role="lead"))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    assert create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, FRAMEWORKS_DIR=str(questions))
    reword_first_question(questions)
    with pytest.raises(FrameworkError) as raised:
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, FRAMEWORKS_DIR=str(questions))
    assert (
        "iom-key-principles.yaml: version: iom-key-principles 2010.1 was changed in place after "
        "answers were given against it: publish the change as a new version"
    ) in str(raised.value)


def test_the_app_starts_before_the_table_exists(tmp_path, questions):
    reword_first_question(questions)  # nothing is held yet, so nothing to compare with
    url = f"sqlite:///{tmp_path / 'before-upgrade.sqlite'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, FRAMEWORKS_DIR=str(questions))
    assert app.extensions["selfassess.frameworks"].get(KP).items[0].text == (
        "Are the agencies signed up?"
    )


def test_frameworks_check_compares_with_the_database(app, questions):
    partnership = make_partnership()
    create_assessment(partnership, "Spring", "2026", [], make_user(partnership, role="lead"))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    runner = app.test_cli_runner()
    args = ["frameworks", "check", "--dir", str(questions), "--database", url]
    assert runner.invoke(cli, args).exit_code == 0
    reword_first_question(questions)
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "iom-key-principles 2010.1 was changed in place" in result.output


def test_frameworks_check_lists_each_new_kind_of_problem(runner, questions):
    edit(questions, "iom-key-principles.yaml", lambda d: kp_first_tags(d).append("charisma"))
    edit(questions, "ppo-traffic-light.yaml", lambda d: d["scale"]["values"].__setitem__(3, UNSURE))
    (questions / "dip.rc1.yaml").write_text(
        (questions / "dip.yaml").read_text(encoding="utf-8").replace('"2010.1"', '"2010.rc1"', 1),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["frameworks", "check", "--dir", str(questions)])
    assert result.exit_code == 1
    assert "dip.rc1.yaml: version: '2010.rc1' cannot be put in order with '2010.1'" in result.output
    assert "scale.values[3].counts_as: 'maybe' is not known to scoring" in result.output
    assert "'charisma' is not an item of hallmarks 2010.1" in result.output
    assert "problem(s) found" in result.output
