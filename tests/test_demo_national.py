"""`selfassess demo national`: synthetic national data at a small scale."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import func, select

from selfassess.cli import cli, register_commands
from selfassess.demo.partnership import DEMO_PASSWORD
from selfassess.domain.return_snapshot import SECTION_PREFIX
from selfassess.domain.returns_import import ImportedReturn, parse_returns
from selfassess.domain.returns_writing import returns_to_rows, rows_to_csv
from selfassess.extensions import db
from selfassess.models import (
    AgreedRating,
    Assessment,
    Collection,
    Membership,
    Participant,
    Partnership,
    Rating,
    Return,
    ReturnAnswer,
    User,
)
from selfassess.queries.national import collection_frameworks, national_picture

ITEMS = 32 + 19 + 17  # Key Principles, PPO traffic light, DIP


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def national(runner):
    args = ["demo", "national", "--partnerships", "6", "--raters", "3", "--rounds", "2"]
    register_commands()  # the demo commands, as the `selfassess` command adds them
    result = runner.invoke(cli, [*args, "--seed", "7"])
    assert result.exit_code == 0, result.output
    return result


def test_counts_add_up(national):
    assert "rows/s" in national.output
    assert count(Partnership) == 6
    regions = set(db.session.scalars(select(Partnership.region)))
    assert len(regions) >= 4  # spread across England and Wales
    names = set(db.session.scalars(select(Partnership.name)))
    assert len(names) == 6
    assert all(name.endswith("Community Safety Partnership") for name in names)
    assert count(User) == 6 * 3 + 1  # raters, and the national analyst
    leads = db.session.scalars(select(Membership).filter_by(role="lead")).all()
    assert len(leads) == 6
    assert count(Assessment) == 6 * 2
    assert count(Participant) == 6 * 3 * 2
    assert count(Rating) == 6 * 3 * ITEMS * 2
    agencies = set(db.session.scalars(select(Participant.agency)))
    assert {"local_authority", "police", "probation"} <= agencies
    assert count(AgreedRating) > 0
    assert count(Collection) == 2


def test_ratings_disagree_but_not_at_random(national):
    by_item: dict[tuple[int, str], set[str]] = defaultdict(set)
    for assessment_id, item_id, value in db.session.execute(
        select(Rating.assessment_id, Rating.item_id, Rating.value)
    ):
        by_item[(assessment_id, item_id)].add(value)
    disagreeing = sum(1 for values in by_item.values() if len(values) > 1)
    unanimous = sum(1 for values in by_item.values() if len(values) == 1)
    assert disagreeing > 0 and unanimous > 0
    values = set(db.session.scalars(select(Rating.value).distinct()))
    assert {"red", "amber", "green", "dont_know"} <= values


def test_returns_are_what_a_submission_stores_and_the_national_picture_computes(national):
    latest = db.session.scalars(select(Collection).order_by(Collection.closes_on.desc())).first()
    returns = db.session.scalars(select(Return).filter_by(collection_id=latest.id)).all()
    assert returns
    for ret in returns:
        assert ret.snapshot["collection"] == latest.slug
        assessment = db.session.get(Assessment, ret.assessment_id)
        assert assessment.status == "submitted"
        assert assessment.partnership_id == ret.partnership_id
        sections = db.session.scalars(
            select(ReturnAnswer.item_id).where(
                ReturnAnswer.return_id == ret.id, ReturnAnswer.item_id.startswith(SECTION_PREFIX)
            )
        ).all()
        assert len(sections) == 5  # a RAG for each Key Principle

    picture = national_picture(latest).to_json()
    assert picture["returns"] == len(returns)
    assert picture["items"]["1.1"]["n"] == len(returns)
    assert 0 < picture["items"]["q1"]["n"] <= len(returns)

    # Read back in the import format, the survey answers pass every import check (asked_if,
    # answers once per arrangement or per partnership, known options).
    fws = collection_frameworks(latest)
    imported: dict[str, ImportedReturn] = {}
    rows = db.session.execute(
        select(
            Partnership.code,
            ReturnAnswer.framework_id,
            ReturnAnswer.item_id,
            ReturnAnswer.arrangement,
            ReturnAnswer.value,
        )
        .join(Return, Return.id == ReturnAnswer.return_id)
        .join(Partnership, Partnership.id == Return.partnership_id)
        .where(Return.collection_id == latest.id, ~ReturnAnswer.item_id.startswith("section:"))
    )
    for code, fid, iid, arrangement, value in rows:
        ret = imported.setdefault(code, ImportedReturn(code))
        answers = ret.arrangements.setdefault(arrangement, {}) if arrangement else ret.answers
        answers.setdefault((fid, iid), []).append(value)
    content = rows_to_csv(returns_to_rows(fws, imported)).encode()
    codes = set(db.session.scalars(select(Partnership.code)))
    result = parse_returns("returns.csv", content, fws, codes, replace=True)
    assert result.ok, result.errors[:5]


def test_every_partnership_is_expected_and_some_are_outstanding_in_the_open_round(runner):
    args = ["demo", "national", "--partnerships", "40", "--raters", "1", "--rounds", "1"]
    assert runner.invoke(cli, args).exit_code == 0
    collection = db.session.scalars(select(Collection)).one()
    assert len(collection.expected) == 40
    returned = count(Return)
    assert 0 < returned < 40


def test_running_again_refuses_and_changes_nothing(national, runner):
    ratings = count(Rating)
    again = runner.invoke(cli, ["demo", "national", "--partnerships", "2", "--raters", "2"])
    assert again.exit_code != 0
    assert "already holds national demo data" in again.output
    assert count(Rating) == ratings
    assert count(Partnership) == 6


def test_a_generated_lead_can_sign_in_and_see_their_assessments(national, client, get_page):
    lead = db.session.scalars(
        select(User).join(Membership).where(Membership.role == "lead")
    ).first()
    partnership = lead.memberships[0].partnership
    signed_in = client.post("/sign-in", data={"email": lead.email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    page = get_page(f"/partnerships/{partnership.id}/assessments")
    assert partnership.name in page.get_text()
    assert len(page.find_all("a", href=lambda h: h and h.startswith("/assessments/"))) >= 2


@pytest.mark.parametrize("quality", [-1.0, 0.0, 1.0])
def test_every_made_up_survey_return_keeps_the_surveys_rules(quality):
    # However the dice fall, a demo partnership's answers pass the checks a real return must,
    # the number of arrangements included (answered before "how many", it could contradict it).
    import random

    from selfassess.demo.national import _survey_answers
    from selfassess.domain.frameworks import load_library
    from selfassess.domain.survey_flow import return_rows
    from selfassess.domain.survey_rules import answers_from_rows, consistency_problems
    from tests.domain.test_framework_errors import QUESTIONS

    surveys = [load_library(QUESTIONS).get("national-survey-2013")]
    several = 0
    for seed in range(300):
        answers = _survey_answers(random.Random(seed), surveys, quality)
        rows, arrangements = return_rows(surveys, answers)
        assert consistency_problems(surveys, answers_from_rows(rows), arrangements) == [], seed
        several += arrangements > 1
    assert several > 0  # the dice did reach partnerships with several arrangements
