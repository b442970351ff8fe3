from flask import render_template

from selfassess.extensions import frameworks
from selfassess.queries.health import database_answers
from selfassess.views.main import bp


@bp.route("/")
def start():
    library = frameworks()
    return render_template(
        "main/start.html",
        rated_frameworks=library.of_kind("rag"),
        surveys=library.of_kind("survey"),
    )


@bp.route("/healthcheck")
def healthcheck():
    """JSON for load balancers: 200 when the database answers, 503 when it cannot be reached."""
    headers = {"Cache-Control": "no-store"}
    if not database_answers():
        return {"status": "unavailable", "database": "unreachable"}, 503, headers
    return {"status": "ok", "database": "ok"}, 200, headers
