"""Many workshops at once: ten live workshops with thirty phones each, on one machine.

Every phone follows its workshop as the phone page does (asking for the live state once a
second, with the ETag it was last given) and votes once on each question; each workshop's
facilitator moves on every few seconds. Measured: how long after a facilitator moves each phone
sees the new question (p50, p95, max), how many acknowledged votes were recorded, and what share
of the phones' polls were answered "not modified" (304).

Run by `make bench` (bench/run.py) on SQLite and PostgreSQL, or alone:
``python bench/many_workshops.py DATABASE_URL`` against a database `selfassess demo national`
filled (BENCH_WORKSHOPS, BENCH_PHONES_EACH, BENCH_QUESTIONS change the scale).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import loadgen  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from selfassess import create_app  # noqa: E402
from selfassess.config import ProductionConfig, database_url  # noqa: E402
from selfassess.demo.partnership import DEMO_PASSWORD  # noqa: E402
from selfassess.extensions import db  # noqa: E402
from selfassess.models import Assessment, Membership, Participant, Rating, User  # noqa: E402
from selfassess.queries.workshop import live_session_for  # noqa: E402
from selfassess.services import workshop as ws_service  # noqa: E402

WORKSHOPS = int(os.environ.get("BENCH_WORKSHOPS", "10"))
PHONES_EACH = int(os.environ.get("BENCH_PHONES_EACH", "30"))
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "4"))
SECONDS_PER_QUESTION = 6.0
POLL_SECONDS = 1.0  # as the phone page asks
AGENCIES = ("police", "probation", "local_authority", "health", "housing", "youth_offending")


def start_workshops(url: str) -> list[dict]:
    """WORKSHOPS live workshops, each on an open assessment of its own partnership."""
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=database_url(url))
    out = []
    with app.app_context():
        newest_first = select(Assessment).order_by(Assessment.id.desc())
        seen: set[int] = set()
        for assessment in db.session.scalars(newest_first):
            if len(out) == WORKSHOPS:
                break
            if assessment.partnership_id in seen:
                continue
            seen.add(assessment.partnership_id)
            lead = db.session.scalars(
                select(User)
                .join(Membership)
                .where(
                    Membership.partnership_id == assessment.partnership_id,
                    Membership.role == "lead",
                )
            ).first()
            if lead is None:
                continue
            if live_session_for(assessment.id) is not None:
                continue  # the other figures' workshop: its room is full of their phones
            if assessment.status != "open":  # small scales have few open: reopen the newest
                assessment.status = "open"
                db.session.commit()
            workshop = ws_service.start_session(assessment, lead)
            out.append({"id": workshop.id, "code": workshop.join_code, "lead": lead.email})
        db.engine.dispose()
    if len(out) < WORKSHOPS:
        raise RuntimeError(f"only {len(out)} partnerships with a lead to run workshops in")
    return out


def recorded_votes(url: str, workshops: list[dict]) -> int:
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=database_url(url))
    with app.app_context():
        count = db.session.scalar(
            select(func.count(Rating.id))
            .join(Participant, Participant.id == Rating.participant_id)
            .where(
                Participant.workshop_session_id.in_([w["id"] for w in workshops]),
                Rating.value.is_not(None),
            )
        )
        db.engine.dispose()
    return count


class Phone:
    def __init__(self, base: str, workshop: dict, number: int) -> None:
        self.workshop = workshop
        self.session = loadgen.client()
        self.session.headers["X-Forwarded-For"] = f"10.{20 + number // 250}.{number % 250}.9"
        code = workshop["code"]
        form = self.session.get(f"{base}/join?code={code}", timeout=60)
        joined = self.session.post(
            f"{base}/join",
            data={
                "csrf_token": loadgen.csrf_token(form.text),
                "code": code,
                "name": f"Room phone {number + 1}",
                "agency": AGENCIES[number % len(AGENCIES)],
            },
            allow_redirects=False,
            timeout=60,
        )
        if joined.status_code != 302:
            raise RuntimeError(f"phone {number + 1} could not join: {joined.status_code}")
        live = self.session.get(f"{base}/workshop/{workshop['id']}/live", timeout=60)
        self.token = loadgen.csrf_token(live.text)
        self.base = base


def run(base: str, workshops: list[dict], app_pids=()) -> dict:
    phones = [
        Phone(base, w, n * WORKSHOPS + i)
        for i, w in enumerate(workshops)
        for n in range(PHONES_EACH)
    ]
    leads = {}
    for w in workshops:
        lead = loadgen.sign_in(base, w["lead"], DEMO_PASSWORD, f"10.30.{len(leads)}.1")
        page = lead.get(f"{base}/workshop/{w['id']}", timeout=60)
        leads[w["id"]] = (lead, loadgen.csrf_token(page.text))

    moved_at: dict[tuple[int, int], float] = {}  # (workshop, step) -> when the lead moved to it
    follow: list[float] = []
    polls = {"sent": 0, "not_modified": 0, "failed": 0}
    votes = {"sent": 0, "acknowledged": 0}
    lock = threading.Lock()
    stop = threading.Event()

    def phone_loop(phone: Phone) -> None:
        wid = phone.workshop["id"]
        etag = None
        seen_step = None
        voted_step = None
        url = f"{phone.base}/workshop/{wid}/live/state.json"
        while not stop.is_set():
            asked = time.monotonic()
            headers = {"If-None-Match": etag} if etag else {}
            try:
                answer = phone.session.get(url, headers=headers, timeout=30)
            except Exception:  # noqa: BLE001 - counted, not fatal
                with lock:
                    polls["failed"] += 1
                stop.wait(POLL_SECONDS)
                continue
            with lock:
                polls["sent"] += 1
                polls["not_modified"] += answer.status_code == 304
            if answer.status_code == 200:
                etag = answer.headers.get("ETag")
                state = answer.json()
                step = state["step"]
                if step != seen_step:
                    seen_step = step
                    if (wid, step) in moved_at:
                        with lock:
                            follow.append(time.monotonic() - moved_at[(wid, step)])
                if voted_step != step and state["status"] == "live":
                    item = f"{state['item']['framework_id']}:{state['item']['id']}"
                    value = ("red", "amber", "green")[hash((id(phone), step)) % 3]
                    sent = phone.session.post(
                        f"{phone.base}/workshop/{wid}/live/vote",
                        data={"csrf_token": phone.token, "item": item, "value": value},
                        headers={"X-Requested-With": "fetch"},
                        timeout=30,
                    )
                    voted_step = step
                    with lock:
                        votes["sent"] += 1
                        votes["acknowledged"] += sent.status_code == 200
            stop.wait(max(0.0, POLL_SECONDS - (time.monotonic() - asked)))

    def facilitator_loop(workshop: dict, offset: float) -> None:
        lead, token = leads[workshop["id"]]
        stop.wait(offset)
        for _ in range(QUESTIONS - 1):
            if stop.wait(SECONDS_PER_QUESTION):
                return
            state = lead.get(f"{base}/workshop/{workshop['id']}/status.json", timeout=60).json()
            with lock:
                moved_at[(workshop["id"], state["step"] + 1)] = time.monotonic()
            lead.post(
                f"{base}/workshop/{workshop['id']}/move",
                data={"csrf_token": token, "action": "next"},
                allow_redirects=False,
                timeout=60,
            )

    threads = [threading.Thread(target=phone_loop, args=(p,)) for p in phones]
    # Facilitators move at different moments, as separate rooms would.
    threads += [
        threading.Thread(target=facilitator_loop, args=(w, i * SECONDS_PER_QUESTION / WORKSHOPS))
        for i, w in enumerate(workshops)
    ]
    cpu = loadgen.CpuUse(app_pids)
    cpu.start()
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(QUESTIONS * SECONDS_PER_QUESTION + 3)
    stop.set()
    for t in threads:
        t.join()
    # Where the machine's time went: app servers, database, Redis, or the phones themselves.
    used = cpu.stop()
    answered = max(1, polls["sent"])
    used["app_server_ms_per_poll_or_vote"] = round(
        1000 * used["cpu_seconds"]["app_servers"] / (answered + votes["sent"]), 2
    )
    used["client_ms_per_poll_or_vote"] = round(
        1000 * used["cpu_seconds"]["clients"] / (answered + votes["sent"]), 2
    )
    expected_moves = WORKSHOPS * (QUESTIONS - 1) * PHONES_EACH
    return {
        "workshops": WORKSHOPS,
        "phones": len(phones),
        "seconds": round(time.monotonic() - started, 1),
        "follow_seen": len(follow),
        "follow_expected": expected_moves,
        "follow_p50_ms": round(1000 * loadgen.percentile(follow, 0.5), 1),
        "follow_p95_ms": round(1000 * loadgen.percentile(follow, 0.95), 1),
        "follow_max_ms": round(1000 * max(follow), 1) if follow else None,
        "polls": polls,
        "polls_per_second": round(polls["sent"] / (time.monotonic() - started), 1),
        "votes": votes,
        "cpu": used,
    }


def bench_many_workshops(url: str, tmp: Path, workers: int, env: dict) -> dict:
    workshops = start_workshops(url)
    with loadgen.gunicorn("selfassess.wsgi:app", workers, env) as (base, master):
        result = run(base, workshops, [master, *loadgen.worker_pids(master)])
    result["votes"]["recorded"] = recorded_votes(url, workshops)
    return result


if __name__ == "__main__":
    target = sys.argv[1]
    folder = Path(tempfile.mkdtemp(prefix="selfassess-workshops-"))
    server_env = {
        "DATABASE_URL": target,
        "SELFASSESS_CONFIG": "production",
        "TRUSTED_PROXIES": "1",
        "BENCH_TMP": str(folder),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),  # several app servers' shared state
    }
    print(
        bench_many_workshops(target, folder, int(os.environ.get("BENCH_WORKERS", "4")), server_env)
    )
