from datetime import date

from flask import render_template
from flask_login import current_user

from selfassess.extensions import frameworks
from selfassess.queries import start as start_q
from selfassess.queries.health import database_answers
from selfassess.views.main import bp


@bp.route("/")
def start():
    """The public start page; once signed in, the person's own: what needs doing."""
    if current_user.is_authenticated:
        return render_template(
            "main/home.html",
            partnerships=start_q.to_do_for(frameworks(), current_user),
            collections=start_q.analyst_collections() if current_user.is_analyst else [],
            today=date.today(),
        )
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
