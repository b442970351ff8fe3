"""Fixtures in the Flask tutorial's shape (app, client, runner), plus page and database helpers.

Every test that uses the database runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set (CI sets it when the local server answers).
"""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text

from selfassess import create_app
from selfassess.config import TestConfig, database_url
from selfassess.extensions import db

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory):
    """The database address for one backend; PostgreSQL gets its schema built once."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = database_url(os.environ["TEST_DATABASE_URL"])
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield url
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(database, tmp_path):
    if database == "sqlite":
        # A file, not memory, so a live server thread sees the same data as the test.
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        url = database
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)

    @app.before_request
    def _forget_cached_user():
        # The fixture keeps one app context open for factories, so `g` outlives a request;
        # in service each request has its own. Drop Flask-Login's cached user so one test
        # client's sign-in never leaks into another client's request.
        from flask import g

        g.pop("_login_user", None)

    with app.app_context():
        if database == "sqlite":
            db.create_all()
        yield app
        db.session.remove()
        if database != "sqlite":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


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
