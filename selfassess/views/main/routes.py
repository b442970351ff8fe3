from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from selfassess.extensions import frameworks
from selfassess.queries import start as start_q
from selfassess.queries.health import database_answers
from selfassess.services.accounts import choose_language as keep_language
from selfassess.views.main import bp
from selfassess.web.language import COOKIE, COOKIE_DAYS, LANGUAGES
from selfassess.web.local_paths import local_path


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


@bp.route("/language/<language>")
def choose_language(language: str):
    """The "English | Cymraeg" toggle: back to the same page in the chosen language, kept on the
    account when signed in and in a cookie either way (for a guest, and for the sign-in page)."""
    if language not in LANGUAGES:
        abort(404)
    if current_user.is_authenticated and current_user.language != language:
        keep_language(current_user.id, language)
    response = redirect(local_path(request.args.get("next")) or url_for("main.start"))
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_DAYS * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    return response
