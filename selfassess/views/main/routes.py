from flask import render_template

from selfassess.extensions import frameworks
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
    return {"status": "ok"}
