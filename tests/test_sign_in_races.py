"""Wrong passwords sent all at once, as a script would: each one counts, and the account locks.

A real threaded server (werkzeug) on the test database (a SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set) takes simultaneous sign-ins from many threads. Nothing asserts on time.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from selfassess.extensions import db
from selfassess.models import User
from selfassess.services.accounts import MAX_FAILED_SIGN_INS
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.slow


def _at_once(server: str, email: str, password: str, count: int) -> list[requests.Response]:
    barrier = threading.Barrier(count)

    def attempt(_n: int) -> requests.Response:
        barrier.wait(timeout=30)
        return requests.post(
            f"{server}/sign-in",
            data={"email": email, "password": password},
            allow_redirects=False,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def _stored(email: str) -> User:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def test_simultaneous_wrong_passwords_each_count(app, server):
    make_user(email="alex@test.example")
    attempts = MAX_FAILED_SIGN_INS - 1
    responses = _at_once(server, "alex@test.example", "wrong", attempts)
    assert [r.status_code for r in responses] == [200] * attempts
    user = _stored("alex@test.example")
    assert user.failed_sign_ins == attempts
    assert user.locked_until is None


def test_sixteen_simultaneous_wrong_passwords_lock_the_account(app, server):
    make_user(email="alex@test.example")
    responses = _at_once(server, "alex@test.example", "wrong", 16)
    assert [r.status_code for r in responses] == [200] * 16
    user = _stored("alex@test.example")
    assert user.locked_until is not None
    # The count starts again from nothing for when the lock ends.
    assert user.failed_sign_ins == 0
    # Locked: even the right password is refused now.
    right = requests.post(
        f"{server}/sign-in",
        data={"email": "alex@test.example", "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    assert right.status_code == 200
    assert "govuk-error-summary" in right.text
