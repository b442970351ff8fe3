"""Backup and restore: a populated database dumped to JSON and restored into an empty one, SQLite
and PostgreSQL, comes back row for row; restore refuses a database that already holds data."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from selfassess import create_app
from selfassess.cli import cli, register_commands
from selfassess.config import TestConfig
from selfassess.demo.partnership import load_demo, load_demo_analyst
from selfassess.extensions import db
from selfassess.models import (
    Action,
    Assessment,
    AuditEvent,
    Partnership,
    Return,
    User,
)
from selfassess.queries.backup import FORMAT_VERSION, dump_data
from selfassess.queries.workshop import current_stop, walk_for
from selfassess.services import workshop, workshop_participants
from selfassess.services.agreement import save_agreed_rating
from selfassess.services.collections import create_collection
from selfassess.services.invitations import create_invitation
from tests.factories import make_assessment, make_partnership, make_user

KP = "iom-key-principles"
S = "national-survey-2013"
TARGETS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
SCHEMA = "restore_target"

register_commands()


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def populate(app) -> None:
    """Demo data, a live workshop with a guest's vote, an invitation, an API token, and a
    national collection with a submitted return and its survey answers."""
    load_demo()
    load_demo_analyst()
    demo = db.session.scalar(select(Assessment).order_by(Assessment.id))
    lead = db.session.scalar(select(User).filter_by(email="lead@demo.example"))
    session = workshop.start_session(demo, lead)
    guest = workshop_participants.join_as_guest(session, "Gus Guest", "housing")
    stop = current_stop(session, walk_for(demo))
    workshop.cast_vote(guest, stop, "red", None)
    workshop.move(session, "reveal")
    create_invitation(demo.partnership, "member", lead, note="For the YOT", for_name="Yvonne")
    db.session.commit()

    partnership = make_partnership(region="london", name="Returnshire CSP")
    other_lead = make_user(partnership, "lead")
    agreed = make_assessment(partnership, (KP,), status="open")
    save_agreed_rating(
        agreed, KP, "1.1", "green", "Agreed — “quotes” and ünïcode", None, other_lead
    )
    agreed.status = "agreed"
    db.session.commit()
    today = date.today()
    collection = create_collection(
        "Returns now",
        "returns-now",
        [KP, S],
        today - timedelta(days=1),
        today + timedelta(days=30),
        expected=[partnership, demo.partnership],
    )
    client = app.test_client()
    sign_in(client, other_lead)
    base = f"/national/partnerships/{partnership.id}/collections/{collection.slug}"
    for item, value in (("q1", "yes"), ("q3", "fully"), ("_arrangements", "1")):
        assert (
            client.post(f"{base}/questions/{S}/{item}/0", data={"answer": value}).status_code == 302
        )
    assert client.post(f"{base}/questions/{S}/q6/1", data={"answer": ["police"]}).status_code == 302
    assert client.post(f"{base}/check", data={"assessment": agreed.id}).status_code == 302

    analyst = db.session.scalar(select(User).filter_by(is_analyst=True))
    analyst_client = app.test_client()
    sign_in(analyst_client, analyst)
    with app.app_context():
        response = analyst_client.post("/national/tokens", data={"name": "Stats team"})
    assert response.status_code == 200
    db.session.expire_all()


@pytest.fixture(params=TARGETS)
def target_app(request, tmp_path, postgres_url):
    """A second, empty database with the schema in place: a SQLite file, or its own schema in
    the PostgreSQL test database."""
    if request.param == "sqlite":
        target = create_app(
            TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'restored.sqlite'}"
        )
        with target.app_context():
            db.create_all()
        yield target
        return
    url = postgres_url
    target = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={SCHEMA}"}},
    )
    with target.app_context():
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        db.create_all()
    yield target
    with target.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        db.engine.dispose()


def test_a_populated_database_round_trips_row_for_row(app, runner, target_app, tmp_path):
    populate(app)
    before = dump_data(with_password_hashes=True)
    counts = {name: len(rows) for name, rows in before["tables"].items()}
    for name in (
        "partnership", "user_account", "membership", "invitation", "api_token", "assessment",
        "assessment_framework", "participant", "rating", "agreed_rating", "action",
        "workshop_session", "audit_event", "collection", "collection_framework",
        "collection_partnership", "return", "return_answer", "survey_answer",
    ):  # fmt: skip
        assert counts[name] > 0, f"nothing in {name} to round-trip"
    assert set(counts) == {t.name for t in db.metadata.sorted_tables}

    path = tmp_path / "backup.json"
    result = runner.invoke(cli, ["dump", str(path), "--with-password-hashes"])
    assert result.exit_code == 0, result.output
    dumped = json.loads(path.read_text(encoding="utf-8"))
    assert dumped["format_version"] == FORMAT_VERSION
    assert dumped["tables"] == before["tables"]

    with target_app.app_context():
        restore = target_app.test_cli_runner().invoke(cli, ["restore", str(path)])
        assert restore.exit_code == 0, restore.output
        assert f"Restored {sum(counts.values())} rows" in restore.output
        after = dump_data(with_password_hashes=True)
        assert after["tables"] == before["tables"]
        # Dates, times and JSON come back as the same Python values, not just the same text.
        source_events = before["tables"]["audit_event"]
        restored = db.session.get(AuditEvent, source_events[-1]["id"])
        assert restored.after == source_events[-1]["after"]
        ret = db.session.scalar(select(Return))
        assert ret.snapshot["ratings"][KP]["1.1"] == {"rating": "green", "agreed": True}
        overdue = db.session.scalar(select(Action).where(Action.due_on.is_not(None)))
        assert isinstance(overdue.due_on, date)
        # New rows get fresh ids after the restored ones (PostgreSQL's sequences were moved on).
        top = db.session.scalar(select(func.max(Partnership.id)))
        added = Partnership(
            name="After restore", code="E99NEW", region="wales", police_force_area="Dyfed-Powys"
        )
        db.session.add(added)
        db.session.commit()
        assert added.id == top + 1
        db.session.remove()


def test_password_hashes_are_left_out_unless_asked(app, runner, tmp_path):
    load_demo()
    path = tmp_path / "plain.json"
    assert runner.invoke(cli, ["dump", str(path)]).exit_code == 0
    users = json.loads(path.read_text(encoding="utf-8"))["tables"]["user_account"]
    assert users and all(u["password_hash"] is None for u in users)
    assert "pbkdf2" not in path.read_text() and "scrypt" not in path.read_text()
    with_hashes = dump_data(with_password_hashes=True)["tables"]["user_account"]
    assert all(u["password_hash"] for u in with_hashes)


def test_restore_refuses_a_database_that_is_not_empty(app, runner, tmp_path):
    load_demo()
    path = tmp_path / "backup.json"
    assert runner.invoke(cli, ["dump", str(path)]).exit_code == 0
    partnerships = db.session.scalar(select(func.count(Partnership.id)))
    result = runner.invoke(cli, ["restore", str(path)])
    assert result.exit_code == 1
    assert "the database is not empty" in result.output
    assert "restore only into a new, empty database" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Partnership.id))) == partnerships


def test_restore_refuses_a_file_that_is_not_a_dump(app, runner, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    result = runner.invoke(cli, ["restore", str(path)])
    assert result.exit_code == 1
    assert "this is not a selfassess dump" in result.output
    path.write_text("not json", encoding="utf-8")
    result = runner.invoke(cli, ["restore", str(path)])
    assert result.exit_code == 1
    assert "it is not JSON" in result.output
