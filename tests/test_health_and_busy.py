"""Health and failure: the health check tells a load balancer whether the database answers; a
write that waits on a locked database past its timeout is "busy, try again" (503, Retry-After),
in JSON for scripts and as a page for people; the API's errors are JSON."""

from __future__ import annotations

import socket
import sqlite3

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, text

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.extensions import db
from selfassess.models import Rating
from tests.factories import PASSWORD, make_assessment, make_participant, make_partnership, make_user

KP = "iom-key-principles"


def test_healthcheck_answers_ok_when_the_database_answers(client):
    response = client.get("/healthcheck")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("where", ["sqlite-missing-folder", "postgresql-closed-port"])
def test_healthcheck_answers_503_when_the_database_cannot_be_reached(tmp_path, where):
    if where == "sqlite-missing-folder":
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'selfassess.sqlite'}"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/selfassess"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().get("/healthcheck")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert response.headers["Cache-Control"] == "no-store"


class WriteLock:
    """Another connection holding the write lock a rating needs, until released."""

    def __init__(self, url):
        self.url = url

    def __enter__(self):
        if self.url.get_backend_name() == "sqlite":
            self.sqlite = sqlite3.connect(self.url.database, isolation_level=None)
            self.sqlite.execute("BEGIN IMMEDIATE")
        else:
            self.engine = create_engine(self.url)
            self.connection = self.engine.connect()
            self.connection.begin()
            self.connection.execute(text("LOCK TABLE rating IN EXCLUSIVE MODE"))
        return self

    def __exit__(self, *_):
        if self.url.get_backend_name() == "sqlite":
            self.sqlite.rollback()
            self.sqlite.close()
        else:
            self.connection.rollback()
            self.connection.close()
            self.engine.dispose()


@pytest.fixture
def impatient_app(app):
    """The same database, served by an app that waits only briefly for a lock: SQLite's busy
    timeout, PostgreSQL's lock_timeout."""
    url = db.engine.url
    settings = {"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False)}
    if url.get_backend_name() == "sqlite":
        settings["SQLITE_BUSY_TIMEOUT_MS"] = 100
    else:
        options = {"connect_args": {"options": "-c lock_timeout=100"}}
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = options
    impatient = create_app(TestConfig, **settings)
    yield impatient
    with impatient.app_context():
        db.engine.dispose()


def test_a_save_that_waits_on_a_locked_database_is_busy_try_again(app, impatient_app):
    partnership = make_partnership()
    member = make_user(partnership, "member")
    assessment = make_assessment(partnership)
    make_participant(assessment, member)
    autosave = f"/assessments/{assessment.id}/rate/{KP}/1/autosave"
    browser = impatient_app.test_client()
    response = browser.post("/sign-in", data={"email": member.email, "password": PASSWORD})
    assert response.status_code == 302

    with WriteLock(db.engine.url):
        response = browser.post(autosave, json={"item_id": "1.1", "value": "red"})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert "busy" in response.get_json()["errors"]["form"]

        # The same save from a form, not a script: the GOV.UK page, still 503.
        response = browser.post(
            autosave, data={"item_id": "1.1", "value": "red"}, headers={"Accept": "text/html"}
        )
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        page = BeautifulSoup(response.data, "html.parser")
        assert page.h1.get_text(strip=True) == "Sorry, the service is busy"
    assert db.session.execute(db.select(Rating)).scalar() is None

    response = browser.post(autosave, json={"item_id": "1.1", "value": "red"})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert db.session.execute(db.select(Rating.value)).scalar_one() == "red"


def test_api_errors_are_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.is_json and "error" in response.get_json()

    response = client.post("/api/collections")
    assert response.status_code == 405
    assert response.is_json and "error" in response.get_json()
    assert "GET" in response.headers["Allow"]

    response = client.get("/api/collections")
    assert response.status_code == 401 and response.is_json

    # The rest of the site keeps its pages.
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
