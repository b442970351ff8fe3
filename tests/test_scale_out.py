"""Several app servers, one state: two gunicorn instances on two ports share one PostgreSQL
database and one Redis, as a deployment behind a load balancer does. A workshop's phones are
split across both; the live state, the tallies, the rate limits and the cached charts agree.

Needs PostgreSQL (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL); CI sets both when the local
servers answer, and the tests skip, saying why, without them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, make_url, text

from bench import loadgen
from selfassess.config import database_url

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
EXAMPLES = Path(__file__).resolve().parent.parent / "questions" / "examples"
PASSWORD = "demo-password-1"  # the demo accounts'
AGENCIES = ("police", "probation", "health", "housing")
FOLLOW_SECONDS = 2.0  # phones follow the facilitator within two seconds


def selfassess(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [str(BIN / "selfassess"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def servers(tmp_path_factory, redis_url, worker_id):
    """Two app servers (two gunicorn workers each) on one database with the demo loaded."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: several app servers need PostgreSQL")
    base = make_url(database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"{base.database}_scale_{worker_id}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    tmp = tmp_path_factory.mktemp("scale")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SELFASSESS_CONFIG": "production",
        "SECRET_KEY": "scale-out-test-only",
        "TRUSTED_PROXIES": "1",  # phones told apart by X-Forwarded-For, as behind the balancer
        "BENCH_TMP": str(tmp),
        "SELFASSESS_INSTANCE": str(tmp / "instance"),
        "DOCUMENT_WAIT_SECONDS": "0",  # every PDF goes to the worker
    }
    selfassess(env, "db", "upgrade")
    selfassess(env, "demo", "load")
    with ExitStack() as stack:
        a, _ = stack.enter_context(loadgen.gunicorn("selfassess.wsgi:app", 2, env))
        b, _ = stack.enter_context(loadgen.gunicorn("selfassess.wsgi:app", 2, env))
        worker = subprocess.Popen(  # noqa: S603 - our own command line
            [str(BIN / "selfassess"), "documents", "worker"],
            env=env,
            stdout=open(tmp / "worker.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        stack.callback(worker.wait, timeout=30)
        stack.callback(worker.terminate)
        yield {"a": a, "b": b, "env": env, "url": url, "redis": redis_url, "tmp": tmp}
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def scalar(url: str, sql: str, **params):
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


PER_REQUEST = re.compile(r'(name="csrf_token"[^>]*value="|nonce=")[^"]*"')


def same_page(html: str) -> str:
    """The page without what differs per request (form tokens, the script nonce)."""
    return PER_REQUEST.sub(r"\1", html)


def within(seconds: float, check) -> float:
    """Seconds until check() holds, failing after ``seconds``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > seconds:
            pytest.fail(f"not seen within {seconds} s")
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_workshop_split_across_two_servers_is_one_workshop(servers):
    a, b = servers["a"], servers["b"]
    assessment = scalar(
        servers["url"],
        "SELECT id FROM assessment WHERE status = 'open' ORDER BY id LIMIT 1",
    )
    lead = loadgen.sign_in(a, "lead@demo.example", PASSWORD, "10.8.0.1")
    page = lead.get(f"{a}/assessments/{assessment}/workshop", timeout=30)
    started = lead.post(
        f"{a}/assessments/{assessment}/workshop",
        data={"csrf_token": loadgen.csrf_token(page.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert started.status_code == 302, started.text
    workshop = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    code = scalar(
        servers["url"], "SELECT join_code FROM workshop_session WHERE id = :id", id=workshop
    )

    # Four phones, two joining through each server; the same cookie works on both.
    phones = []
    for i, agency in enumerate(AGENCIES):
        server = (a, b)[i % 2]
        phone = loadgen.client()
        phone.headers["X-Forwarded-For"] = f"10.8.1.{i + 1}"
        form = phone.get(f"{server}/join?code={code}", timeout=30)
        joined = phone.post(
            f"{server}/join",
            data={
                "csrf_token": loadgen.csrf_token(form.text),
                "code": code,
                "name": f"Board member {i + 1}",
                "agency": agency,
            },
            allow_redirects=False,
            timeout=30,
        )
        assert joined.status_code == 302, joined.text
        live = phone.get(f"{server}/workshop/{workshop}/live", timeout=30)
        phones.append((phone, server, loadgen.csrf_token(live.text)))

    state = phones[0][0].get(f"{a}/workshop/{workshop}/live/state.json", timeout=30).json()
    item = f"{state['item']['framework_id']}:{state['item']['id']}"
    for i, (phone, server, token) in enumerate(phones):
        other = b if server == a else a  # each phone votes through the server it did not join on
        voted = phone.post(
            f"{other}/workshop/{workshop}/live/vote",
            data={
                "csrf_token": token,
                "item": item,
                "value": ("red", "amber", "green", "amber")[i],
            },
            headers={"X-Requested-With": "fetch"},
            timeout=30,
        )
        assert voted.status_code == 200, voted.text

    def status(server):
        return lead.get(f"{server}/workshop/{workshop}/status.json", timeout=30).json()

    # The facilitator's count is the same whichever server answers it.
    within(FOLLOW_SECONDS, lambda: status(a)["votes"] == 4 and status(b)["votes"] == 4)
    assert status(a)["joined"] == status(b)["joined"] == 4

    # The lead moves on through server B; phones on server A follow within two seconds.
    facilitator = lead.get(f"{b}/workshop/{workshop}", timeout=30)
    moved = lead.post(
        f"{b}/workshop/{workshop}/move",
        data={"csrf_token": loadgen.csrf_token(facilitator.text), "action": "next"},
        allow_redirects=False,
        timeout=30,
    )
    assert moved.status_code in (302, 303), moved.text
    for phone, _, _ in phones:
        within(
            FOLLOW_SECONDS,
            lambda phone=phone: (
                phone.get(f"{a}/workshop/{workshop}/live/state.json", timeout=30).json()["step"]
                == state["step"] + 1
            ),
        )


def test_failed_sign_ins_are_counted_across_both_servers(servers):
    a, b = servers["a"], servers["b"]
    statuses = []
    for n in range(11):  # the limit is ten a minute from one address
        server = (a, b)[n % 2]
        s = loadgen.client()
        s.headers["X-Forwarded-For"] = "10.8.2.9"
        form = s.get(f"{server}/sign-in", timeout=30)
        answer = s.post(
            f"{server}/sign-in",
            data={
                "csrf_token": loadgen.csrf_token(form.text),
                "email": "nobody@demo.example",
                "password": "wrong-password",
            },
            timeout=30,
        )
        statuses.append(answer.status_code)
    # Ten tries answered (five by each server), the eleventh refused: one count, not two.
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_a_new_return_redraws_the_national_picture_on_both_servers(servers):
    a, b, env = servers["a"], servers["b"], servers["env"]
    slug = "scale-out-2013"
    selfassess(
        env,
        "national",
        "create-collection",
        "--slug",
        slug,
        "--title",
        "Scale-out round",
        "--framework",
        "national-survey-2013",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-12-31",
    )
    selfassess(
        env,
        "national",
        "expected",
        "load",
        str(EXAMPLES / "expected-partnerships-2013.csv"),
        "--collection",
        slug,
    )
    analyst = loadgen.sign_in(a, "analyst@demo.example", PASSWORD, "10.8.3.1")
    picture = f"/national/collections/{slug}/picture"
    before = [analyst.get(server + picture, timeout=60) for server in (a, b)]
    assert [r.status_code for r in before] == [200, 200]

    selfassess(
        env,
        "national",
        "import",
        str(EXAMPLES / "returns-2013.csv"),
        "--collection",
        slug,
    )
    store = redis.Redis.from_url(servers["redis"])
    after_a = analyst.get(a + picture, timeout=60)
    kept = set(store.scan_iter("selfassess:cache:national-charts:*"))
    after_b = analyst.get(b + picture, timeout=60)

    # Both servers show the four returns, identically; the charts B showed are the ones A drew
    # (nothing new kept), and none of them is the picture from before the returns came.
    assert after_a.status_code == after_b.status_code == 200
    assert same_page(after_a.text) == same_page(after_b.text) != same_page(before[0].text)
    assert kept and set(store.scan_iter("selfassess:cache:national-charts:*")) == kept


def test_a_pdf_asked_for_on_one_server_is_built_by_the_worker_and_served_by_the_other(servers):
    a, b = servers["a"], servers["b"]
    assessment = scalar(
        servers["url"], "SELECT id FROM assessment WHERE status = 'open' ORDER BY id LIMIT 1"
    )
    lead = loadgen.sign_in(a, "lead@demo.example", PASSWORD, "10.8.4.1")
    url = f"/assessments/{assessment}/report.pdf"
    asked = lead.get(a + url, timeout=60)
    assert asked.status_code == 202 and "Preparing your PDF" in asked.text

    def ready_on_b():
        check = lead.get(b + url, headers={"X-Requested-With": "fetch"}, timeout=60)
        return check.json()["state"] == "ready"

    within(120, ready_on_b)  # laying out a report takes seconds, more on a busy machine
    served = lead.get(b + url, timeout=60)
    assert served.status_code == 200 and served.content.startswith(b"%PDF")
    log = (servers["tmp"] / "worker.log").read_text()
    assert "Job OK" in log or "Successfully completed" in log, log
