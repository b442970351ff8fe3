"""The projector view: the question, the join code and the count while the room votes, then
the reveal and the agreed rating, in very large type and without the site's header, menus,
footer or forms. It follows the lead's controls wherever they are open (it polls, as the phones
do), and the lead can drive it from its own keyboard."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import login_required

from selfassess.models.assessments import WorkshopSession
from selfassess.queries import workshop as ws_query
from selfassess.views.workshop import bp
from selfassess.views.workshop.routes import _lead_session, qr_svg, status_of


def _projector_context(workshop: WorkshopSession) -> dict:
    assessment = workshop.assessment
    walk = ws_query.walk_for(assessment)
    stop = ws_query.current_stop(workshop, walk)
    live = workshop.status == "live"
    join_url = url_for("workshop.join", code=workshop.join_code, _external=True)
    status = status_of(workshop)
    return {
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
    return render_template("workshop/projector.html", **_projector_context(workshop))


@bp.route("/workshop/<int:session_id>/projector/panel")
@login_required
def projector_panel(session_id: int):
    workshop = _lead_session(session_id)
    page = render_template("workshop/_projector_panel.html", **_projector_context(workshop))
    return page, 200, {"Cache-Control": "no-store"}
