"""`make bench`: every figure of issue 7 as a ratio against a floor measured in the same run.

Builds a national-scale database with `selfassess demo national` (SQLite, and PostgreSQL at
BENCH_PG_URL when it answers), then measures:

1. the national picture of one collection against the bare grouped SQL query it must run;
2. a workshop burst: 60 phones vote within one second against gunicorn, and vote throughput
   against a hello-world Flask route served by the same gunicorn settings;
3. the PDF report of a full assessment against WeasyPrint rendering the same finished HTML;
4. the question page and the report page under load against the hello-world route;
5. peak memory per gunicorn worker after the national picture is served, and the picture
   page's first views on fresh workers (its charts drawn once per worker, or once in all with
   Redis);
6. many workshops at once: ten workshops with thirty phones each, following and voting
   (bench/many_workshops.py).

Writes bench/results.json and BENCHMARKS.md. Settings from the environment: BENCH_PARTNERSHIPS
(329), BENCH_RATERS (15), BENCH_ROUNDS (3), BENCH_WORKERS (4), BENCH_PG_URL
(postgresql://postgres@127.0.0.1:5432/bench; "" to skip PostgreSQL), BENCH_REDIS_URL
(redis://127.0.0.1:6379/15, used with PostgreSQL as several app servers would; "" for none).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import loadgen  # noqa: E402
import picture_views  # noqa: E402
import requests  # noqa: E402
from many_workshops import bench_many_workshops  # noqa: E402
from report import write_markdown  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from selfassess import create_app  # noqa: E402
from selfassess.config import ProductionConfig, database_url  # noqa: E402
from selfassess.demo.national import generate  # noqa: E402
from selfassess.demo.partnership import DEMO_ANALYST, DEMO_PASSWORD  # noqa: E402
from selfassess.documents import charts  # noqa: E402
from selfassess.documents import pdf as documents  # noqa: E402
from selfassess.documents.picture_rows import national_picture  # noqa: E402
from selfassess.documents.report import build_report  # noqa: E402
from selfassess.extensions import db, frameworks  # noqa: E402
from selfassess.models import (  # noqa: E402
    Action,
    Assessment,
    Collection,
    Membership,
    Participant,
    Rating,
    User,
)
from selfassess.queries import national as national_queries  # noqa: E402
from selfassess.services import workshop as ws_service  # noqa: E402

PARTNERSHIPS = int(os.environ.get("BENCH_PARTNERSHIPS", "329"))
RATERS = int(os.environ.get("BENCH_RATERS", "15"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/bench")
PHONES = 60
REPEAT = 15  # timed repetitions of in-process figures (median taken)
CLIENTS, PER_CLIENT = 8, 25  # pages under load: 200 requests from 8 concurrent clients
FLOOR_SQL = (
    "SELECT framework_id, item_id, value, COUNT(*) FROM return_answer "
    "WHERE collection_id = {p} GROUP BY framework_id, item_id, value"
)


def median_ms(fn, repeat: int = REPEAT) -> tuple[float, list[float]]:
    fn()  # warm: connection, statement caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t0))
    return round(statistics.median(times), 3), times


def ratio(value: float | None, floor: float | None) -> float | None:
    return round(value / floor, 2) if value and floor else None


def make_app(url: str):
    return create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=database_url(url))


# --- the data ---------------------------------------------------------------------------------


def build_data(url: str) -> dict:
    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        counts = generate(PARTNERSHIPS, RATERS, ROUNDS, seed=2011)
        elapsed = time.perf_counter() - t0
        rows = sum(counts.values())
        fixture = prepare()
        db.engine.dispose()
    return {
        "rows": rows,
        "ratings": counts["rating"],
        "seconds": round(elapsed, 1),
        "rows_per_second": round(rows / elapsed),
        "fixture": fixture,
    }


def prepare() -> dict:
    """One partnership's open assessment (question page, workshop) and a submitted one with 40
    actions (report, PDF); the latest collection; who signs in."""
    newest = select(Collection).order_by(Collection.closes_on.desc())
    collection = db.session.scalars(newest).first()
    latest = (
        select(Assessment)
        .where(Assessment.status == "open")
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    open_one = db.session.scalars(latest).first()
    if open_one is None:  # small scales may have none: reopen the newest
        open_one = db.session.scalars(select(Assessment).order_by(Assessment.id.desc())).first()
        open_one.status = "open"
    partnership_id = open_one.partnership_id
    report_one = (
        db.session.scalars(
            select(Assessment)
            .filter_by(partnership_id=partnership_id, status="submitted")
            .order_by(Assessment.id.desc())
        ).first()
        or open_one
    )
    lead = db.session.scalars(
        select(User)
        .join(Membership)
        .where(Membership.partnership_id == partnership_id, Membership.role == "lead")
    ).first()
    have = db.session.scalar(
        select(func.count(Action.id)).where(Action.assessment_id == report_one.id)
    )
    lib = frameworks()
    items = [
        (af.framework_id, item.id)
        for af in report_one.frameworks
        for item in lib.get(af.framework_id, af.framework_version).items
    ]
    now = datetime.now(UTC)
    extra = [
        {
            "assessment_id": report_one.id,
            "framework_id": fid,
            "item_id": iid,
            "description": f"Review the arrangements behind question {iid} with every partner",
            "owner": "Community safety manager",
            "due_on": date.today() + timedelta(days=30 + n),
            "status": "in_progress",
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for n, (fid, iid) in enumerate(items[: max(0, 40 - have)])
    ]
    if extra:
        db.session.execute(insert(Action.__table__), extra)
    db.session.commit()
    workshop = ws_service.start_session(open_one, lead)
    return {
        "collection": collection.slug,
        "collection_id": collection.id,
        "question_assessment": open_one.id,
        "report_assessment": report_one.id,
        "report_frameworks": [af.framework_id for af in report_one.frameworks],
        "lead": lead.email,
        "workshop": workshop.id,
        "join_code": workshop.join_code,
        "item": f"{workshop.current_framework_id}:{workshop.current_item_id}",
    }


# --- 1. national picture ----------------------------------------------------------------------


def bench_picture(url: str, fixture: dict) -> dict:
    app = make_app(url)
    with app.app_context():
        collection = db.session.get(Collection, fixture["collection_id"])
        param = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
        sql = FLOOR_SQL.format(p=param)

        def floor():
            raw = db.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute(sql, (collection.id,))
                cursor.fetchall()
                cursor.close()
            finally:
                raw.close()

        def picture():
            national_picture(collection, with_previous=False).to_json()
            db.session.rollback()

        def picture_with_change():
            national_picture(collection).to_json()
            db.session.rollback()

        def computed():  # grouped afresh every time, as before the rows were kept
            national_queries.national_picture(collection, with_previous=False).to_json()
            db.session.rollback()

        floor_ms, _ = median_ms(floor)
        picture_ms, _ = median_ms(picture)  # from the rows kept after the first
        change_ms, _ = median_ms(picture_with_change)
        computed_ms, _ = median_ms(computed)
        answers = db.session.execute(
            select(func.count()).select_from(db.metadata.tables["return_answer"])
        ).scalar()
        db.engine.dispose()
    return {
        "return_answer_rows": answers,
        "floor_ms": floor_ms,
        "picture_ms": picture_ms,
        "ratio": ratio(picture_ms, floor_ms),
        "with_change_ms": change_ms,
        "with_change_ratio_vs_two_floors": ratio(change_ms, 2 * floor_ms),
        "computed_ms": computed_ms,
        "computed_ratio": ratio(computed_ms, floor_ms),
        "target": "<= 1.5",
    }


# --- 3. PDF -----------------------------------------------------------------------------------


def bench_pdf(url: str, fixture: dict) -> dict:
    from weasyprint import HTML

    app = make_app(url)
    with app.app_context():
        assessment = db.session.get(Assessment, fixture["report_assessment"])
        marking = app.config["PROTECTIVE_MARKING"]
        HTML(string="<p>warm</p>").write_pdf()  # fonts and Pango loaded once, for both sides

        def make():
            return documents.render_pdf(
                "report.html",
                report=build_report(frameworks(), assessment),
                assessment=assessment,
                marking=marking,
            )

        def route_like():  # what the report.pdf view does
            return documents.cached_pdf(("bench", assessment.id), make)

        def cold():
            charts.clear_cache()
            documents._pdfs.clear()
            route_like()

        def charts_cached():
            documents._pdfs.clear()
            route_like()

        html = documents.render_html(
            "report.html",
            printed_on=date.today(),
            report=build_report(frameworks(), assessment),
            assessment=assessment,
            marking=marking,
        )

        def floor():
            # The same kind of PDF (tagged, PDF/UA) from the same finished HTML.
            HTML(string=html, base_url=str(documents.EXPORTS_DIR)).write_pdf(
                pdf_variant=documents.PDF_VARIANT
            )

        # Laying out the report takes seconds: few repetitions (the first of each is a warm-up).
        floor_ms, _ = median_ms(floor, 2)
        cold_ms, _ = median_ms(cold, 2)
        redraw_ms, _ = median_ms(charts_cached, 1)
        warm_ms, _ = median_ms(route_like, 5)
        pdf = route_like()
        actions = db.session.scalar(
            select(func.count(Action.id)).where(Action.assessment_id == assessment.id)
        )
        db.engine.dispose()
    return {
        "assessment": assessment.id,
        "frameworks": fixture["report_frameworks"],
        "actions": actions,
        "pdf_bytes": len(pdf),
        "html_bytes": len(html),
        "floor_ms": floor_ms,
        "cold_ms": cold_ms,
        "cold_ratio": ratio(cold_ms, floor_ms),
        "charts_cached_ms": redraw_ms,
        "charts_cached_ratio": ratio(redraw_ms, floor_ms),
        "warm_ms": warm_ms,
        "warm_ratio": ratio(warm_ms, floor_ms),
        "target": "<= 1.3",
    }


# --- 2, 4, 5: over HTTP ---------------------------------------------------------------------


REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()  # the bench's own database number: nothing else is kept there
        return True
    except Exception:  # noqa: BLE001 - any failure means: no Redis
        return False


def server_env(url: str, tmp: Path, redis_url: str = "") -> dict:
    return {
        "REDIS_URL": redis_url,
        "DATABASE_URL": url,
        "SELFASSESS_CONFIG": "production",
        "TRUSTED_PROXIES": "1",  # phones are told apart by X-Forwarded-For, as behind a proxy
        "BENCH_TMP": str(tmp),
    }


def bench_hello(tmp: Path) -> dict:
    with loadgen.gunicorn("hello_app:app", WORKERS, server_env("", tmp), str(HERE)) as (base, _):
        sessions = [requests.Session() for _ in range(CLIENTS)]
        page = loadgen.load(base + "/", sessions, PER_CLIENT)
        phones = [requests.Session() for _ in range(PHONES)]
        burst, _ = loadgen.burst(
            [lambda s=s: s.post(base + "/vote", data={"value": "red"}, timeout=30) for s in phones],
            1.0,
        )
        votes = loadgen.load(
            lambda s, n: s.post(base + "/vote", data={"value": "red"}, timeout=30), phones, 5
        )
    return {"page": page, "burst": burst, "votes": votes}


def join_phones(base: str, fixture: dict) -> list:
    agencies = ("police", "probation", "local_authority", "health", "housing", "youth_offending")
    phones = []
    for i in range(PHONES):
        s = loadgen.client()
        s.headers["X-Forwarded-For"] = f"10.{1 + i // 250}.{i % 250}.7"
        token = loadgen.csrf_token(s.get(f"{base}/join?code={fixture['join_code']}").text)
        joined = s.post(
            base + "/join",
            data={
                "csrf_token": token,
                "code": fixture["join_code"],
                "name": f"Phone {i + 1}",
                "agency": agencies[i % len(agencies)],
            },
            allow_redirects=False,
            timeout=30,
        )
        if joined.status_code != 302:
            raise RuntimeError(f"phone {i + 1} could not join: {joined.status_code}")
        live = s.get(f"{base}/workshop/{fixture['workshop']}/live", timeout=30)
        phones.append((s, loadgen.csrf_token(live.text)))
    return phones


def votes_recorded(url: str, fixture: dict) -> int:
    app = make_app(url)
    with app.app_context():
        fid, iid = fixture["item"].split(":", 1)
        count = db.session.scalar(
            select(func.count(Rating.id))
            .join(Participant, Participant.id == Rating.participant_id)
            .where(
                Participant.workshop_session_id == fixture["workshop"],
                Rating.framework_id == fid,
                Rating.item_id == iid,
                Rating.value.is_not(None),
            )
        )
        db.engine.dispose()
    return count


def bench_app_http(
    url: str, fixture: dict, tmp: Path, pages: bool = True, redis_url: str = ""
) -> dict:
    out: dict = {}
    env = server_env(url, tmp, redis_url)
    with (
        loadgen.gunicorn("selfassess.wsgi:app", WORKERS, env) as (base, pid),
        loadgen.documents_worker(env),
    ):
        started_kb = [loadgen.memory_kb(p) for p in loadgen.worker_pids(pid)]
        phones = join_phones(base, fixture)
        vote_url = f"{base}/workshop/{fixture['workshop']}/live/vote"
        headers = {"X-Requested-With": "fetch"}

        def vote(session, token, value):
            data = {"csrf_token": token, "item": fixture["item"], "value": value}
            return session.post(vote_url, data=data, headers=headers, timeout=30)

        levels = ("red", "amber", "green")
        sends = [lambda s=s, t=t, i=i: vote(s, t, levels[i % 3]) for i, (s, t) in enumerate(phones)]
        burst, responses = loadgen.burst(sends, 1.0)
        burst["recorded"] = votes_recorded(url, fixture)
        burst["sent"] = PHONES
        burst["statuses"] = sorted({getattr(r, "status_code", str(r)) for r in responses})
        out["burst"] = burst
        tokens = {id(s): t for s, t in phones}
        out["votes"] = loadgen.load(
            lambda s, n: vote(s, tokens[id(s)], levels[n % 3]), [s for s, _ in phones], 5
        )
        if pages:
            lead = loadgen.sign_in(base, fixture["lead"], DEMO_PASSWORD)
            clients = [lead] + [_copy(lead) for _ in range(CLIENTS - 1)]
            rate = "rate/iom-key-principles/1"
            question = f"{base}/assessments/{fixture['question_assessment']}/{rate}"
            report = f"{base}/assessments/{fixture['report_assessment']}/report"
            # The report's first section's page: each question's votes, evidence and actions.
            section = f"{report}/iom-key-principles/1"
            for page_url in (question, report, section):
                loadgen.warm(page_url, WORKERS * 2, lead)
            out["page_kb"] = {
                name: round(len(lead.get(page_url, timeout=60).content) / 1024)
                for name, page_url in (
                    ("question_page", question),
                    ("report_page", report),
                    ("report_section_page", section),
                )
            }
            out["question_page"] = loadgen.load(question, clients, PER_CLIENT)
            out["report_page"] = loadgen.load(report, clients, PER_CLIENT)
            out["report_section_page"] = loadgen.load(section, clients, PER_CLIENT)
        analyst = loadgen.sign_in(base, DEMO_ANALYST[0], DEMO_PASSWORD, "10.9.0.2")
        picture = f"{base}/national/collections/{fixture['collection']}/picture"
        analysts = [analyst] + [_copy(analyst) for _ in range(WORKERS - 1)]
        out["picture_page"] = loadgen.load(picture, analysts, 3)
        out["picture_after_change"] = picture_views.after_change(
            make_app(url), base, fixture["collection"], analysts
        )
        workers = {p: loadgen.memory_kb(p) for p in loadgen.worker_pids(pid)}
        out["memory"] = {
            "workers": len(workers),
            "rss_after_start_mb": round(max(m["VmRSS"] for m in started_kb) / 1024, 1),
            "peak_rss_mb_max": round(max(m["VmHWM"] for m in workers.values()) / 1024, 1),
            "peak_rss_mb_mean": round(
                statistics.fmean(m["VmHWM"] for m in workers.values()) / 1024, 1
            ),
        }
    return out


def _copy(session: requests.Session) -> requests.Session:
    other = loadgen.client()
    other.headers.update(session.headers)
    other.cookies.update(session.cookies)
    return other


def pg_reachable(url: str) -> bool:
    """True when PostgreSQL answers at url; its database is created first if the server answers
    but has no such database yet (a new machine)."""
    if not url:
        return False
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            return False
    address = make_url(url)
    server = address.set(database="postgres").render_as_string(hide_password=False)
    try:
        with psycopg.connect(server, connect_timeout=3, autocommit=True) as connection:
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(address.database))
            connection.execute(create)
        return True
    except Exception:  # noqa: BLE001 - any failure means: skip PostgreSQL
        return False


def main() -> int:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="selfassess-bench-"))
    sqlite_url = f"sqlite:///{tmp / 'bench.sqlite'}"
    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "scale": {"partnerships": PARTNERSHIPS, "raters": RATERS, "rounds": ROUNDS},
        "gunicorn_workers": WORKERS,
        "sqlite": {},
        "postgresql": None,
    }
    try:
        print(f"Generating {PARTNERSHIPS} partnerships x {RATERS} raters x {ROUNDS} rounds")
        data = build_data(sqlite_url)
        fixture = data.pop("fixture")
        results["sqlite"]["generator"] = data
        print("  ", data)
        results["sqlite"]["national_picture"] = bench_picture(sqlite_url, fixture)
        print("1. national picture", results["sqlite"]["national_picture"])
        results["pdf"] = bench_pdf(sqlite_url, fixture)
        print("3. PDF", results["pdf"])
        results["hello"] = bench_hello(tmp)
        print("hello-world", results["hello"])
        results["sqlite"]["http"] = bench_app_http(sqlite_url, fixture, tmp)
        print("2/4/5. over HTTP (SQLite)", results["sqlite"]["http"])
        results["sqlite"]["many_workshops"] = bench_many_workshops(
            sqlite_url, tmp, WORKERS, server_env(sqlite_url, tmp)
        )
        print("6. many workshops (SQLite)", results["sqlite"]["many_workshops"])
        if pg_reachable(PG_URL):
            print(f"Generating the same data on PostgreSQL ({PG_URL})")
            pg: dict = {}
            data = build_data(PG_URL)
            pg_fixture = data.pop("fixture")
            pg["generator"] = data
            pg["national_picture"] = bench_picture(PG_URL, pg_fixture)
            print("1. national picture (PostgreSQL)", pg["national_picture"])
            shared = REDIS_URL if redis_reachable(REDIS_URL) else ""
            pg["redis"] = bool(shared)
            pg["pdf"] = bench_pdf(PG_URL, pg_fixture)
            print("3. PDF (PostgreSQL)", pg["pdf"])
            pg["http"] = bench_app_http(PG_URL, pg_fixture, tmp, redis_url=shared)
            print("2/5. over HTTP (PostgreSQL)", pg["http"])
            pg["many_workshops"] = bench_many_workshops(
                PG_URL, tmp, WORKERS, server_env(PG_URL, tmp, shared)
            )
            print("6. many workshops (PostgreSQL)", pg["many_workshops"])
            results["postgresql"] = pg
        else:
            print(f"PostgreSQL not reachable at {PG_URL!r}: skipped")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    write_markdown(results, HERE.parent / "BENCHMARKS.md", HERE / "notes.md")
    print(f"Done in {results['seconds']} s: bench/results.json and BENCHMARKS.md written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
