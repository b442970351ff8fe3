"""A vote the server acknowledged survives the server being killed.

The real server (gunicorn, two workers) runs in its own process group on the test database
(a SQLite file in WAL mode, and PostgreSQL when TEST_DATABASE_URL is set). Guests join a live
workshop over HTTP as phones would, then vote in a burst from many threads, each guest changing
their vote again and again. Mid-burst the whole server gets SIGKILL: no clean shutdown. It is
started again on the same database, and every vote the server had answered 200 to must be
there: each guest's rating is the last value acknowledged to them, or one they sent after it
whose answer never came back. Waits are bounded; nothing asserts on timing.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from selfassess.extensions import db
from selfassess.models import Rating
from selfassess.services.workshop import start_session
from tests.factories import make_assessment, make_partnership, make_user

GUESTS = 24
VOTES_EACH = 40
KILL_AFTER_ACKS = 120
VALUES = ["red", "amber", "green", "dont_know", "not_applicable"]
AGENCIES = ["police", "probation", "health", "housing", "local_authority", "vcs"]
VENV_BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with two workers in a process group of its own, so SIGKILL reaches them all."""

    def __init__(self, database_url: str, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SELFASSESS_CONFIG": "development",
            "SECRET_KEY": "crash-safety-test-secret",
            # Phones reach the server through one proxy that names each of them, as in service.
            "TRUSTED_PROXIES": "1",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = VENV_BIN / "gunicorn"
        command = [str(gunicorn), "--workers", "2", "--threads", "4"]
        command += ["--bind", f"127.0.0.1:{self.port}", "selfassess.wsgi:app"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped on start: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthcheck", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.kill()
        pytest.fail(f"the server did not answer within 60 s: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


class Phone:
    """One guest's phone: its own cookies and its own address behind the proxy."""

    def __init__(self, server: Server, n: int):
        self.n = n
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = f"10.1.{n // 200}.{n % 200 + 1}"
        self.server = server
        self.sent: list[str] = []  # every value sent, in order
        self.acked: list[int] = []  # positions in ``sent`` the server answered 200 to

    def join(self, code: str) -> None:
        page = self.http.get(f"{self.server.url}/join", timeout=30)
        data = {
            "csrf_token": _csrf(page.text),
            "code": code,
            "name": f"Guest {self.n}",
            "agency": AGENCIES[self.n % len(AGENCIES)],
        }
        response = self.http.post(
            f"{self.server.url}/join", data=data, allow_redirects=False, timeout=30
        )
        assert response.status_code == 302, (response.status_code, response.text[-2000:])
        assert "/live" in response.headers["Location"]

    def vote_burst(self, session_id: int, item: str, token: str, stop: threading.Event, acks):
        url = f"{self.server.url}/workshop/{session_id}/live/vote"
        for i in range(VOTES_EACH):
            if stop.is_set():
                return
            value = VALUES[(self.n + i) % len(VALUES)]
            self.sent.append(value)
            try:
                response = self.http.post(
                    url,
                    data={"csrf_token": token, "item": item, "value": value},
                    headers={"X-Requested-With": "fetch"},
                    timeout=30,
                )
            except requests.RequestException:
                return  # the server is gone: this vote was not acknowledged
            if response.status_code == 200:
                self.acked.append(len(self.sent) - 1)
                acks.release()
            else:
                assert response.status_code != 500, response.text[-2000:]


def _ratings_by_guest(assessment_id: int) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.execute(
        db.select(Rating).where(Rating.assessment_id == assessment_id)
    ).scalars()
    return {rating.participant.guest_name: rating.value for rating in rows}


def test_every_acknowledged_vote_survives_sigkill(app, tmp_path):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = make_assessment(partnership)
    workshop = start_session(assessment, lead)
    session_id, code, assessment_id = workshop.id, workshop.join_code, assessment.id
    item = f"{workshop.current_framework_id}:{workshop.current_item_id}"
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    db.engine.dispose()  # nothing of ours holds the database while the server runs

    server = Server(database_url, tmp_path / "server.log")
    server.start()
    try:
        phones = [Phone(server, n) for n in range(GUESTS)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda phone: phone.join(code), phones))
        live = phones[0].http.get(f"{server.url}/workshop/{session_id}/live", timeout=30)
        assert live.status_code == 200
        tokens = {
            phone.n: _csrf(phone.http.get(f"{server.url}/workshop/{session_id}/live").text)
            for phone in phones
        }

        stop = threading.Event()
        acks = threading.Semaphore(0)
        threads = [
            threading.Thread(
                target=phone.vote_burst,
                args=(session_id, item, tokens[phone.n], stop, acks),
                daemon=True,
            )
            for phone in phones
        ]
        for thread in threads:
            thread.start()
        # Mid-burst: once enough votes have been acknowledged (bounded wait), kill everything.
        for _ in range(KILL_AFTER_ACKS):
            if not acks.acquire(timeout=60):
                break
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
    finally:
        server.kill()

    acknowledged = sum(len(phone.acked) for phone in phones)
    sent = sum(len(phone.sent) for phone in phones)
    print(f"\n{acknowledged} votes acknowledged of {sent} sent before SIGKILL")
    assert acknowledged >= 1
    assert sent < GUESTS * VOTES_EACH or acknowledged == sent, "the burst finished before the kill"

    # Started again on the same database, the server serves the votes it acknowledged.
    server.start()
    try:
        stored = _ratings_by_guest(assessment_id)
        for phone in phones:
            if not phone.acked:
                continue
            name = f"Guest {phone.n}"
            assert name in stored, f"{name}'s acknowledged votes were lost"
            # Votes go one at a time, each answered before the next is sent: the last
            # acknowledged one is there, unless one sent after it (never answered) landed.
            last = phone.acked[-1]
            possible = set(phone.sent[last:])
            assert stored[name] in possible, (name, stored[name], possible)
        # And a phone still sees its own vote after the restart.
        phone = next(p for p in phones if p.acked)
        state = phone.http.get(f"{server.url}/workshop/{session_id}/live/state.json", timeout=30)
        assert state.status_code == 200
        assert state.json()["my_vote"] == stored[f"Guest {phone.n}"]
    finally:
        server.kill()
