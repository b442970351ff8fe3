"""The projector view: the question, the join code and the count while the room votes, then
the reveal and the agreed rating, in very large type and without the site's header, menus,
footer or forms. It follows the lead's controls wherever they are open (it polls, as the phones
do), and the lead can drive it from its own keyboard."""

from __future__ import annotations

from contextlib import nullcontext

from flask import render_template, url_for
from flask_login import login_required

from selfassess.models.assessments import WorkshopSession
from selfassess.queries import workshop as ws_query
from selfassess.views.workshop import bp
from selfassess.views.workshop.routes import _lead_session, qr_svg, status_of
from selfassess.web.language import current_language, use_language

BOTH = "cy+en"  # the projector's option: Welsh above, English underneath


def shown_languages(workshop: WorkshopSession) -> list[str]:
    """The languages the projector shows: the lead's page language, or Welsh then English."""
    return ["cy", "en"] if workshop.projector_languages == BOTH else [current_language()]


def in_language(language: str, render) -> str:
    """A template block (a macro's caller) rendered in ``language``."""
    with use_language(language):
        return render()


def _page_language(workshop: WorkshopSession):
    """A projector in Welsh and English is a Welsh page (its English parts marked as such)."""
    return use_language("cy") if workshop.projector_languages == BOTH else nullcontext()


def _projector_context(workshop: WorkshopSession) -> dict:
    assessment = workshop.assessment
    walk = ws_query.walk_for(assessment)
    stop = ws_query.current_stop(workshop, walk)
    live = workshop.status == "live"
    join_url = url_for("workshop.join", code=workshop.join_code, _external=True)
    status = status_of(workshop)
    return {
        "shown_languages": shown_languages(workshop),
        "in_language": in_language,
        "workshop": workshop,
        "assessment": assessment,
        "framework": ws_query.framework_of(assessment, stop.framework_id),
        "stop": stop,
        "progress": walk.progress(stop),
        "reveal": ws_query.reveal_for(workshop, stop) if live and workshop.revealed else None,
        "agreed": ws_query.agreed_for(assessment.id, stop),
        "join_url": join_url,
        "qr_svg": qr_svg(join_url) if live and not workshop.revealed else None,
        "status": status,
    }


@bp.route("/workshop/<int:session_id>/projector")
@login_required
def projector(session_id: int):
    workshop = _lead_session(session_id)
    with _page_language(workshop):
        return render_template("workshop/projector.html", **_projector_context(workshop))


@bp.route("/workshop/<int:session_id>/projector/panel")
@login_required
def projector_panel(session_id: int):
    workshop = _lead_session(session_id)
    with _page_language(workshop):
        page = render_template("workshop/_projector_panel.html", **_projector_context(workshop))
    return page, 200, {"Cache-Control": "no-store"}
