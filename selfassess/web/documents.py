"""Serving a document that may still be being made: the PDF, or a page that says it is coming.

Views ask ``selfassess.documents.jobs.document`` for a PDF and hand the outcome here. A document
that is ready is the response the view makes; one being made gets "Preparing your PDF" (202),
which asks again by itself (with JavaScript it checks quietly and opens the PDF when ready;
without, the page refreshes every few seconds); one whose build failed says so, and offers to
try again.
"""

from __future__ import annotations

from flask import Response, jsonify, render_template, request, url_for

from selfassess.documents.jobs import Failed, Outcome, Preparing, Ready

CHECK_SECONDS = 3  # how often the page asks again


def asked_again() -> bool:
    """The reader pressed "Try again" after a failed build."""
    return request.args.get("again") == "1"


def wait_seconds() -> float | None:
    """How long to wait for a document: the page's quiet checks do not wait, people do (the
    configured DOCUMENT_WAIT_SECONDS)."""
    return 0.0 if request.headers.get("X-Requested-With") == "fetch" else None


def pending_page(outcome: Outcome, what: str, back_url: str, back_text: str) -> Response | None:
    """None when the document is ready (the view serves it); else the page to show instead.
    The page's quiet check (``X-Requested-With: fetch``) always gets the state as JSON."""
    state = (
        "ready"
        if isinstance(outcome, Ready)
        else "failed"
        if isinstance(outcome, Failed)
        else "preparing"
    )
    if request.headers.get("X-Requested-With") == "fetch":
        response = jsonify(state=state)
        response.headers["Cache-Control"] = "no-store"
        return response
    if state == "ready":
        return None
    args = {**request.view_args, **request.args.to_dict()}
    args.pop("again", None)
    response = Response(
        render_template(
            f"documents/{state}.html",
            what=what,
            check_url=url_for(request.endpoint, **args),
            again_url=url_for(request.endpoint, **args, again="1"),
            back_url=back_url,
            back_text=back_text,
            check_seconds=CHECK_SECONDS,
        )
    )
    if isinstance(outcome, Preparing):
        response.status_code = 202
        response.headers["Retry-After"] = str(CHECK_SECONDS)
    else:
        response.status_code = 500
    response.headers["Cache-Control"] = "no-store"
    return response
