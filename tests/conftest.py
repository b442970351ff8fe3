"""Fixtures in the Flask tutorial's shape (app, client, runner), plus page and database helpers.

Every test that uses the database runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set (CI sets it when the local server answers). `make test` runs the suite
in parallel (pytest-xdist): each SQLite test has its own file, and each worker its own
PostgreSQL database, made beside the one TEST_DATABASE_URL names (``test_gw0``, ``test_gw1``...).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import has_app_context
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from selfassess import create_app
from selfassess.config import TestConfig, database_url
from selfassess.documents import jobs, picture_rows, report
from selfassess.extensions import db
from selfassess.web import kept_pages

# Property tests and the API fuzz: derandomized in CI, so a run can be repeated exactly; on a
# developer's machine random, with failures kept in .hypothesis/. Either way a failure prints the
# blob that reproduces it (@reproduce_failure).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def postgres_url(worker_id):
    """This worker's own PostgreSQL database (made afresh), or None when none is configured."""
    if not os.environ.get("TEST_DATABASE_URL"):
        yield None
        return
    url = make_url(database_url(os.environ["TEST_DATABASE_URL"]))
    if worker_id == "master":
        yield url.render_as_string(hide_password=False)
        return
    own = f"{url.database}_{worker_id}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{own}"'))
    yield url.set(database=own).render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def redis_url(worker_id):
    """A Redis database of this worker's own, emptied, when TEST_REDIS_URL names a server
    (CI sets it when the local one answers); the tests that share state through Redis skip,
    saying so, without one."""
    base = os.environ.get("TEST_REDIS_URL")
    if not base:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to share state through")
    import redis

    # Database 0 is left alone; worker gw0 takes 1, gw1 takes 2...
    number = 1 + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    url = urlsplit(base)._replace(path=f"/{number}").geturl()
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, postgres_url):
    """The database address for one backend; PostgreSQL gets its schema built once."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = postgres_url
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield url
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


class RequestScopedClient(FlaskClient):
    """A test client whose every request runs in its own application context, as in service.

    The test's own code (factories, assertions) keeps one app context and session open; a request
    sharing them would see the test's identity map and uncommitted changes. So each request starts
    from an empty context (its own app context, session and `g`), the test's transaction is
    committed first (another actor's writes are visible to a request only once committed) and
    the test's objects are expired after (the test then reads what the request committed).
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect being followed, already in the request's context
            return super().open(*args, **kwargs)
        db.session.commit()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            db.session.expire_all()


@contextlib.contextmanager
def app_on(database, tmp_path, name: str = "test", **overrides):
    """The app on the test's database, its tables made (SQLite) or emptied after (PostgreSQL)."""
    if database == "sqlite":
        # A file, not memory, so a request (and a live server thread) sees the test's data.
        url = f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    else:
        url = database
    # Emails sent without a mail server are written here, never into the project's instance/.
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
        **overrides,
    )
    app.test_client_class = RequestScopedClient
    # Each test's database starts its ids again: rows kept for another test's would look current.
    picture_rows.clear_cache()
    report.clear_kept_results()
    kept_pages.clear()

    with app.app_context():
        if database == "sqlite":
            db.create_all()
        yield app
        jobs.wait_for_builds()  # no background build left reading the database being emptied
        db.session.remove()
        if database != "sqlite":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def second_app(app, **overrides):
    """Another app on the test app's database (say, with the pseudo-locale on), whose requests
    see what the test wrote; its connections are closed with the test."""
    other = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_OUTBOX_DIR=app.config["MAIL_OUTBOX_DIR"],
        **overrides,
    )
    other.test_client_class = RequestScopedClient
    return other


def close_second_app(other) -> None:
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pseudo_twin(app):
    """The test app's twin on the same database, with every translated word marked ⟦…⟧."""
    other = second_app(app, PSEUDO_LOCALE=True)
    yield other
    close_second_app(other)


@pytest.fixture
def app(database, tmp_path):
    with app_on(database, tmp_path) as made:
        yield made


@pytest.fixture
def server(app):
    """The app behind a real threaded server on a free port: for requests at the same moment."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def get_page(client):
    """GET a page, assert its status, return it parsed."""

    def get(url: str, status: int = 200, **kwargs) -> BeautifulSoup:
        response = client.get(url, **kwargs)
        assert response.status_code == status, (url, response.status_code)
        return BeautifulSoup(response.data, "html.parser")

    return get


@pytest.fixture
def post_page(client):
    """POST a form, assert the status, return the page parsed (following redirects by default)."""

    def post(url: str, data: dict, status: int = 200, follow: bool = True) -> BeautifulSoup:
        response = client.post(url, data=data, follow_redirects=follow)
        assert response.status_code == status, (url, response.status_code)
        return BeautifulSoup(response.data, "html.parser")

    return post


@pytest.fixture
def smtp_server(app):
    """A real SMTP server in this process; the app's MAIL_URL points at it."""
    from tests.mail_helpers import SmtpServer

    server = SmtpServer().start()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()
