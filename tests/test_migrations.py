"""The Alembic migrations build exactly the schema the models describe, and upgrade a database
that already holds the previous release's data without losing any of it."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.extensions import db


@pytest.fixture
def empty_database(database, tmp_path):
    """An empty database on the backend under test (its own schema on PostgreSQL)."""
    if database == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.sqlite'}"
        return
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
        conn.execute(text("CREATE SCHEMA migration_test"))
    url = database + ("&" if "?" in database else "?") + "options=-csearch_path%3Dmigration_test"
    yield url
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
    with app.app_context():
        db.engine.dispose()


def _app(url):
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)


def test_migrations_match_the_models(empty_database):
    app = _app(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        db.engine.dispose()


def test_upgrade_keeps_the_previous_release_data(empty_database):
    app = _app(empty_database)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO partnership (id, name, code, region, police_force_area,"
                    " created_at)"
                    " VALUES (1, 'Northshire CSP', 'E1', 'north_west', 'Northshire Police', :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO user_account (id, name, email, is_analyst, active,"
                    " failed_sign_ins, created_at)"
                    " VALUES (1, 'Priya Shah', 'lead@x.example', false, true, 0, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO invitation (id, partnership_id, role, nonce, invited_by_id,"
                    " created_at, expires_at) VALUES (7, 1, 'member', 'nonce-7', 1, :now, :later)"
                ),
                {"now": now, "later": now + timedelta(days=14)},
            )
            conn.execute(
                text(
                    "INSERT INTO audit_event (at, actor_id, actor_label, partnership_id, entity,"
                    " entity_id, event, after) VALUES (:now, 1, 'Priya Shah', 1, 'invitation', 7,"
                    " 'invited', :after)"
                ),
                {
                    "now": now,
                    "after": json.dumps(
                        {"role": "member", "note": "Housing lead", "for_email": "jo@x.example"}
                    ),
                },
            )
            # A national return: answers to a multi-choice question for two arrangements.
            conn.execute(
                text(
                    "INSERT INTO collection (id, slug, title, opens_on, closes_on, created_at)"
                    " VALUES (3, 'iom-2013', 'IOM 2013', :day, :day, :now)"
                ),
                {"day": now.date(), "now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO return (id, collection_id, partnership_id, version, arrangements,"
                    " source, submitted_at, snapshot) VALUES (5, 3, 1, 1, 2, 'app', :now, '{}')"
                ),
                {"now": now},
            )
            for n, (arrangement, value) in enumerate(
                [(1, "police"), (1, "probation"), (2, "police")], start=1
            ):
                conn.execute(
                    text(
                        "INSERT INTO return_answer (id, return_id, collection_id, framework_id,"
                        " item_id, arrangement, value) VALUES (:id, 5, 3, 'national-survey-2013',"
                        " 'q5', :arrangement, :value)"
                    ),
                    {"id": n, "arrangement": arrangement, "value": value},
                )
        upgrade()
        indexes = {i["name"] for i in sa_inspect(db.engine).get_indexes("return_answer")}
        assert "ix_return_answer_unit" in indexes
        with db.engine.connect() as conn:
            units = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT DISTINCT return_id, arrangement"
                    " FROM return_answer WHERE collection_id = 3 AND item_id = 'q5') AS u"
                )
            ).scalar()
            assert units == 2
            row = conn.execute(
                text(
                    "SELECT i.note, i.for_name, i.for_email, p.name FROM invitation i"
                    " JOIN partnership p ON p.id = i.partnership_id WHERE i.id = 7"
                )
            ).one()
            assert tuple(row) == ("Housing lead", None, "jo@x.example", "Northshire CSP")
            assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1
        downgrade(revision="0001")
        upgrade()
        db.engine.dispose()
