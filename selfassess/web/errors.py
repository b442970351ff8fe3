"""Error pages: the GOV.UK pages for 403, 404 and 500, and a clear one for a framework version
the service no longer holds."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from selfassess.domain.frameworks import FrameworkVersionNotFound


def init_app(app: Flask) -> None:
    for status in (403, 404, 500):

        def handler(error, status=status):
            return render_template(f"errors/{status}.html"), status

        app.register_error_handler(status, handler)

    @app.errorhandler(FrameworkVersionNotFound)
    def framework_version_missing(error: FrameworkVersionNotFound):
        # Answers were given against that version: showing them against another would be wrong,
        # so the page says what is missing and who can put it back.
        app.logger.error("Framework version missing: %s", error)
        if request.blueprint == "api" or request.path.startswith("/api/"):
            # For scripts reading the API: kept in English, as machines and their logs read it.
            return jsonify(error=str(error)), 500
        return render_template("errors/framework_version.html", error=error), 500
