"""A database too busy to answer in time is "try again shortly" (503 with Retry-After), not a fault.

A write that waits on a lock past its timeout (SQLite's busy timeout, PostgreSQL's lock or
statement timeout) fails with an OperationalError. Whatever the route, the answer is the same:
JSON for fetch, XHR, JSON and API requests (so autosave can say "not saved, try again"), and a
GOV.UK "service is busy" page for the rest. Nothing of the failed request was saved: its
transaction is rolled back.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from sqlalchemy.exc import OperationalError

from selfassess.domain.i18n import N_
from selfassess.models.engine import is_busy
from selfassess.services import abandon

RETRY_AFTER_SECONDS = 5
# Autosave shows it to the person beside the question, so it is in the page's language; a script
# or the API (no language cookie, no account choice) reads it in English.
BUSY_MESSAGE = N_("The service is busy, so this was not saved. Try again in a few seconds.")


def wants_json() -> bool:
    """Whether the request is a script's or the API's, which reads errors as JSON."""
    if request.blueprint == "api" or request.is_json or request.headers.get("X-Requested-With"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def init_app(app: Flask) -> None:
    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        if not is_busy(error):
            raise error  # a fault, not a queue: the server error page, and logged as one
        abandon()
        app.logger.warning("Database busy, answered 503: %s %s", request.method, request.path)
        if wants_json():
            message = gettext(BUSY_MESSAGE)
            response = jsonify(error=message, errors={"form": message})
        else:
            response = app.make_response(render_template("errors/503.html"))
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response
