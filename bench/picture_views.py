"""The national picture page's first views after its returns change (figure 5).

A change is made as an analyst makes one: a partnership's return imported again through the
import page with one Key Principles rating changed. Storing it starts drawing the England and
Wales picture's charts in the background (on a thread of the app server that stored it, or by
the documents worker when Redis is configured). Then every analyst opens the picture at the same
moment, twice: straight after the import answers (they wait for that drawing, or, in a worker
that cannot see it, draw the charts themselves), and AFTER_SECONDS later (an analyst going from
the import to the picture, or opening it later in the day).
"""

from __future__ import annotations

import time

import loadgen
from sqlalchemy import select

from selfassess.domain.returns_import import ImportedReturn
from selfassess.domain.returns_writing import returns_to_rows, rows_to_csv
from selfassess.extensions import db
from selfassess.models import Collection, Partnership, Return, ReturnAnswer
from selfassess.queries.national import SECTION_PREFIX, collection_frameworks

AFTER_SECONDS = 10.0
CHANGES = 3  # per delay; each opened by every analyst at once
KEY_PRINCIPLES = "iom-key-principles"


def changed_return(app, slug: str, change: int) -> tuple[str, bytes]:
    """The ``change``-th partnership's return (by code) in the import format, its first Key
    Principles rating changed to another value; its code and the file. Each change is to a
    partnership not changed before, so the picture is one no one has seen (no chart is kept)."""
    with app.app_context():
        collection = db.session.scalars(select(Collection).filter_by(slug=slug)).one()
        code, return_id = db.session.execute(
            select(Partnership.code, Return.id)
            .join(Return, Return.partnership_id == Partnership.id)
            .where(Return.collection_id == collection.id)
            .order_by(Partnership.code)
            .offset(change)
            .limit(1)
        ).one()
        rows = db.session.execute(
            select(
                ReturnAnswer.framework_id,
                ReturnAnswer.item_id,
                ReturnAnswer.arrangement,
                ReturnAnswer.value,
            ).where(
                ReturnAnswer.return_id == return_id,
                ~ReturnAnswer.item_id.startswith(SECTION_PREFIX),
            )
        )
        imported = ImportedReturn(code)
        for fid, iid, arrangement, value in rows:
            answers = (
                imported.arrangements.setdefault(arrangement, {})
                if arrangement
                else (imported.answers)
            )
            answers.setdefault((fid, iid), []).append(value)
        first = min(k for k in imported.answers if k[0] == KEY_PRINCIPLES)
        levels = ["red", "amber", "green"]
        was = imported.answers[first][0]
        imported.answers[first] = [levels[(levels.index(was) + 1) % 3] if was in levels else "red"]
        fws = collection_frameworks(collection)
        content = rows_to_csv(returns_to_rows(fws, {code: imported})).encode()
        db.session.remove()
    return code, content


def import_again(base: str, analyst, slug: str, content: bytes) -> float:
    """Import the file through the import page, replacing the return; seconds it took."""
    page = f"{base}/national/collections/{slug}/import"
    token = loadgen.csrf_token(analyst.get(page, timeout=60).text)
    started = time.perf_counter()
    response = analyst.post(
        page,
        data={"csrf_token": token, "replace": "y"},
        files={"returns_file": ("return.csv", content, "text/csv")},
        allow_redirects=False,
        timeout=120,
    )
    if response.status_code != 302:
        raise RuntimeError(f"the import was refused ({response.status_code})")
    return time.perf_counter() - started


def timed(session, url: str):
    def send():
        started = time.perf_counter()
        response = session.get(url, timeout=120)
        return response, time.perf_counter() - started

    return send


def after_change(app, base: str, slug: str, analysts: list) -> dict:
    picture = f"{base}/national/collections/{slug}/picture"
    out: dict = {"analysts": len(analysts), "changes": CHANGES, "after_seconds": AFTER_SECONDS}
    change = 0
    for label, wait in (("at_once", 0.0), ("after", AFTER_SECONDS)):
        latencies: list[float] = []
        imports: list[float] = []
        for _ in range(CHANGES):
            change += 1
            _, content = changed_return(app, slug, change)
            imports.append(import_again(base, analysts[0], slug, content))
            time.sleep(wait)
            _, responses = loadgen.burst([timed(s, picture) for s in analysts], 0.0)
            if any(r[0].status_code != 200 for r in responses):
                raise RuntimeError("the picture did not open for every analyst")
            latencies += [1000 * seconds for _, seconds in responses]
        out[label] = {
            "p50_ms": round(loadgen.percentile(latencies, 0.5), 1),
            "p95_ms": round(loadgen.percentile(latencies, 0.95), 1),
            "max_ms": round(max(latencies), 1),
            "views": len(latencies),
            "import_ms": round(1000 * sum(imports) / len(imports), 1),
        }
    return out
