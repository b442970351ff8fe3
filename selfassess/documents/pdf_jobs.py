"""PDFs laid out in the background, for documents that take more than a moment.

The person who asked gets a "Preparing your PDF" page that reloads itself until the document is
ready; the job is kept under a random token together with who asked, so only they can fetch it.
Small and in-process on purpose: a job lives in the worker that started it (the page reloads to
the same address, which a sticky or single worker serves; elsewhere it simply starts again).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import Flask

from selfassess.documents import pdf as documents

WAIT_SECONDS = 2.0  # a document ready within this is served at once, with no waiting page
KEEP_SECONDS = 600  # an unfetched job is forgotten after this
MAX_JOBS = 32


@dataclass
class Job:
    owner_id: int
    key: Hashable
    done: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None
    failed: bool = False
    started: float = field(default_factory=time.monotonic)


_jobs: dict[str, Job] = {}
_lock = threading.Lock()


def _forget_old() -> None:
    now = time.monotonic()
    for token in [t for t, j in _jobs.items() if now - j.started > KEEP_SECONDS]:
        del _jobs[token]
    while len(_jobs) >= MAX_JOBS:
        del _jobs[min(_jobs, key=lambda t: _jobs[t].started)]


def start(app: Flask, owner_id: int, key: Hashable, make: Callable[[], bytes]) -> str:
    """Lay the document out in a thread (inside an app context); its token."""
    job = Job(owner_id, key)
    token = secrets.token_urlsafe(16)
    with _lock:
        _forget_old()
        _jobs[token] = job

    def run() -> None:
        try:
            with app.app_context():
                job.body = documents.cached_pdf(key, make)
        except Exception:
            job.failed = True
            app.logger.exception("A PDF could not be laid out")
        finally:
            job.done.set()

    threading.Thread(target=run, name="pdf-job", daemon=True).start()
    return token


def job_for(token: str | None, owner_id: int, key: Hashable) -> Job | None:
    """The job under this token, only for the person who started it and the same document."""
    if not token:
        return None
    with _lock:
        job = _jobs.get(token)
    if job is None or job.owner_id != owner_id or job.key != key:
        return None
    return job


def finish(token: str) -> None:
    with _lock:
        _jobs.pop(token, None)


def ready(key: Hashable) -> bytes | None:
    """The document, if it is already laid out for this state."""
    return documents.cached_copy(key)
