"""Documents that take seconds, built away from the request that asks for them.

A report PDF lays out in seconds, a national picture PDF draws fifty charts first. Asking for
one starts its build (once, however many people ask) and waits up to DOCUMENT_WAIT_SECONDS:
a document ready by then is served at once; otherwise the person gets a "Preparing your PDF"
page that asks again by itself, and the document is served from the PDF cache when it is done.

Where documents are built:
- With ``REDIS_URL`` set, on the RQ queue ``selfassess-documents``, by ``selfassess documents
  worker`` processes on any machine; the finished PDF goes into the shared cache, so whichever
  app server the next request reaches serves it.
- Without, on two threads of the app server that was asked (the embedded default: ``make run``
  needs nothing more). The PDF goes into that process's cache.

A build is named by its document's key: the state of what it shows and whose ratings the reader
may see (see ``selfassess.views.reports``), so a reader is only ever served a document built for
their own view. A build that fails is kept as failed, with its error logged, until someone asks
to try again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from flask import current_app

from selfassess.documents import pdf, shared_cache

log = logging.getLogger(__name__)
QUEUE = "selfassess-documents"
JOB_TIMEOUT = 600  # seconds: the longest a build may run on a worker
_POLL = 0.1


@dataclass(frozen=True)
class Ready:
    body: bytes


@dataclass(frozen=True)
class Preparing:
    pass


@dataclass(frozen=True)
class Failed:
    pass


Outcome = Ready | Preparing | Failed


def _builders() -> dict[str, Callable[..., bytes | None]]:
    # Imported when first used: each builder brings WeasyPrint, charts and queries with it.
    from selfassess.documents.national_charts import draw_picture_charts_for
    from selfassess.documents.national_picture import render_picture_pdf_for
    from selfassess.documents.report_pdf import render_report_pdf_for

    return {
        "report": render_report_pdf_for,
        "national-picture": render_picture_pdf_for,
        # Not a document: the national picture's charts, drawn as soon as its returns change.
        "national-charts": draw_picture_charts_for,
    }


PDF_KINDS = frozenset({"report", "national-picture"})


def run(kind: str, key: Hashable, args: dict[str, Any]) -> None:
    """Build one document and keep it (the job, on a worker or a thread of the app server)."""
    if kind in PDF_KINDS and pdf.kept_pdf(key) is not None:
        return  # another build of the same document finished first
    body = _builders()[kind](**args)
    if body is not None:
        pdf.keep_pdf(key, body)


def _job_id(key: Hashable) -> str:
    return "document-" + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:40]


# --- the embedded default: threads of this process --------------------------------------------

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="documents")
_builds: LRUCache[str, Future] = LRUCache(maxsize=256)
_builds_lock = threading.Lock()


def wait_for_builds(timeout: float = 60.0) -> None:
    """Until every build on this process's threads has finished (or failed): before a database
    is emptied or the process stops, so no build is left reading it."""
    with _builds_lock:
        running = [build for build in _builds.values() if not build.done()]
    for build in running:
        try:
            build.exception(timeout=timeout)
        except TimeoutError:
            log.warning("A document build was still running after %s s", timeout)


def _in_this_process(app, kind: str, key: Hashable, args: dict) -> None:
    with app.app_context():
        try:
            run(kind, key, args)
        except Exception:
            log.exception("A %s document could not be made", kind)
            raise


def _thread_build(kind: str, key: Hashable, args: dict, again: bool) -> Future:
    app = current_app._get_current_object()
    name = _job_id(key)
    with _builds_lock:
        build = _builds.get(name)
        # A finished build whose document is no longer kept (pushed out of a small cache) is
        # built again; a failed one only when someone asks to try again.
        stale = build is not None and build.done() and (build.exception() is None or again)
        if build is None or stale:
            build = _pool.submit(_in_this_process, app, kind, key, args)
            _builds[name] = build
        return build


# --- several app servers: the RQ queue on Redis -----------------------------------------------


def _queue():
    from rq import Queue  # only deployments with Redis load it

    return Queue(QUEUE, connection=shared_cache.client(), default_timeout=JOB_TIMEOUT)


def _queued_build(kind: str, key: Hashable, args: dict, again: bool):
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    name = _job_id(key)
    queue = _queue()
    try:
        job = Job.fetch(name, connection=queue.connection)
    except NoSuchJobError:
        job = None
    if job is not None:
        status = job.get_status(refresh=False)
        if status == JobStatus.FAILED and again:
            job.delete()
            job = None
        elif status == JobStatus.FINISHED:
            job.delete()  # finished, yet its document is no longer kept: build it again
            job = None
    if job is None:
        job = queue.enqueue_call(
            run, args=(kind, key, args), job_id=name, result_ttl=60, failure_ttl=24 * 3600
        )
    return job


# --- work done ahead of anyone asking ----------------------------------------------------------


def ahead(kind: str, key: Hashable, args: dict[str, Any]) -> None:
    """Start work whose result will be asked for soon (say, the national picture's charts after
    a return changes it), without waiting for it; once per key. Off where DRAW_AHEAD is off
    (the tests, whose databases go away with each test)."""
    if not current_app.config["DRAW_AHEAD"]:
        return
    if shared_cache.shared():
        _queued_build(kind, key, args, again=False)
        return
    app = current_app._get_current_object()
    name = _job_id(key)
    with _builds_lock:
        if name not in _builds:
            _builds[name] = _pool.submit(_in_this_process, app, kind, key, args)


# --- asking for a document --------------------------------------------------------------------


def document(
    kind: str, key: Hashable, args: dict[str, Any], again: bool = False, wait: float | None = None
) -> Outcome:
    """The document for key if it is made (or is made within ``wait`` seconds, by default
    DOCUMENT_WAIT_SECONDS), else whether its build is under way or failed; ``again`` starts a
    failed build again."""
    body = pdf.kept_pdf(key)
    if body is not None:
        return Ready(body)
    if wait is None:
        wait = float(current_app.config["DOCUMENT_WAIT_SECONDS"])
    if shared_cache.shared():
        job = _queued_build(kind, key, args, again)
        deadline = time.monotonic() + wait
        while True:
            body = pdf.kept_pdf(key)
            if body is not None:
                return Ready(body)
            if job.get_status() == "failed":
                return Failed()
            if time.monotonic() >= deadline:
                return Preparing()
            time.sleep(_POLL)
    build = _thread_build(kind, key, args, again)
    try:
        build.result(timeout=wait)
    except TimeoutError:
        return Preparing()
    except Exception:  # noqa: BLE001 - logged by the build; the reader is told and may retry
        return Failed()
    body = pdf.kept_pdf(key)
    # None: made, then pushed out of a small cache before it was collected; the next ask
    # builds it again.
    return Preparing() if body is None else Ready(body)
