"""Live workshop pages: the lead's controls (this module), the projector view
(projector_routes.py) and the participants' phone screen (phone_routes.py).

The lead (only the lead) starts, drives and ends a session. Anyone with the join code may join
as a named guest; a signed-in member or lead of the partnership joins as themselves. The
participant a browser joined as is kept in the Flask session under the assessment, so joining
again (this workshop or a later one of the same assessment) is the same participant, not a new
vote.
"""

from __future__ import annotations

import segno
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from selfassess.domain.workshop import Stop, progress_among
from selfassess.models.assessments import WorkshopSession
from selfassess.models.base import as_utc
from selfassess.queries import workshop as ws_query
from selfassess.queries.mail import schedule_for
from selfassess.services import workshop as ws_service
from selfassess.services import workshop_participants as participants
from selfassess.services.agreement import AssessmentLocked, StaleEditError, add_action
from selfassess.services.mail.compose import when_text
from selfassess.views.workshop import bp
from selfassess.views.workshop.forms import ActionForm, AgreeForm, OptionsForm
from selfassess.web.access import LEAD_ROLES, assessment_or_404
from selfassess.web.language import current_language, local, use_language
from selfassess.web.live_state import conditional_json

# {assessment id: participant id}; a new name, so ids kept under the old one (workshop
# session ids) are never read as assessment ids.
SESSION_KEY = "workshop_joined"
JOIN_LIMIT_LIVE_CODE = "200 per minute"  # per address
JOIN_LIMIT_WRONG_CODE = "20 per minute"  # per address


def _votes_text(count: int) -> str:
    return ngettext("%(num)d vote cast", "%(num)d votes cast", count)


def _joined_text(count: int) -> str:
    return ngettext("%(num)d person has joined", "%(num)d people have joined", count)


def voted_text(votes: int, joined: int) -> str:
    """The room's count while voting: "9 of 11 have voted"."""
    return ngettext(
        "%(num)d of %(joined)d has voted", "%(num)d of %(joined)d have voted", votes, joined=joined
    )


def voted_texts(workshop: WorkshopSession, votes: int, joined: int) -> dict[str, str]:
    """The count in each language the projector shows (Welsh and English, when it shows both)."""
    if workshop.projector_languages != "cy+en":
        return {current_language(): voted_text(votes, joined)}
    texts = {}
    for language in ("cy", "en"):
        with use_language(language):
            texts[language] = voted_text(votes, joined)
    return texts


def status_of(workshop: WorkshopSession) -> dict:
    """The small state the lead's screens poll: where the board is and the counts."""
    walk = ws_query.walk_for(workshop.assessment)
    stop = ws_query.current_stop(workshop, walk)
    votes = ws_query.vote_count(workshop, stop)
    joined = ws_query.joined_count(workshop)
    return {
        "step": workshop.step,
        "status": workshop.status,
        "round": workshop.round,
        "revealed": workshop.revealed,
        "votes": votes,
        "votes_text": _votes_text(votes),
        "joined": joined,
        "joined_text": _joined_text(joined),
        "voted_text": voted_text(votes, joined),
        "voted_texts": voted_texts(workshop, votes, joined),
        "seconds_left": ws_query.countdown_left(workshop),
    }


def _local_choices(choices):
    """The scale's words (framework texts) in the page's language."""
    return [(value, local(words)) for value, words in choices]


def options_form_for(workshop: WorkshopSession | None, formdata=None) -> OptionsForm:
    form = OptionsForm(formdata=formdata)
    if formdata is None and workshop is not None:
        form.show_names.data = "yes" if workshop.show_names else "no"
        form.countdown.data = str(workshop.countdown_seconds or 0)
        form.projector_languages.data = workshop.projector_languages or "page"
    return form


# --- the lead -----------------------------------------------------------------------------------


def _lead_session(session_id: int) -> WorkshopSession:
    workshop = ws_query.workshop_or_none(session_id)
    if workshop is None:
        abort(404)
    assessment_or_404(workshop.assessment_id, LEAD_ROLES)
    return workshop


def _live_lead_session(session_id: int) -> WorkshopSession:
    workshop = _lead_session(session_id)
    try:
        ws_service.refuse_if_ended(workshop)
    except ws_service.WorkshopEnded as ended:
        flash(str(ended))
        abort(redirect(url_for("workshop.facilitate", session_id=workshop.id)))
    return workshop


def _stop_from_form(workshop: WorkshopSession, walk) -> Stop:
    framework_id, _, item_id = request.form.get("item", "").partition(":")
    stop = walk.find(framework_id, item_id)
    if stop is None:
        abort(400)
    return stop


def _overview_page(assessment, form: OptionsForm | None = None, status: int = 200):
    scheduled = schedule_for(assessment.id)
    if scheduled is not None and scheduled.cancelled_at is not None:
        scheduled = None
    return (
        render_template(
            "workshop/overview.html",
            assessment=assessment,
            live=ws_query.live_session_for(assessment.id),
            sessions=ws_query.sessions_for(assessment.id),
            form=form or options_form_for(None),
            scheduled=scheduled,
            scheduled_when=when_text(as_utc(scheduled.starts_at), as_utc(scheduled.ends_at))
            if scheduled
            else None,
        ),
        status,
    )


@bp.route("/assessments/<int:assessment_id>/workshop")
@login_required
def overview(assessment_id: int):
    return _overview_page(assessment_or_404(assessment_id, LEAD_ROLES))


@bp.route("/assessments/<int:assessment_id>/workshop", methods=["POST"])
@login_required
def start(assessment_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    form = options_form_for(None, request.form)
    if not form.validate_on_submit():
        return _overview_page(assessment, form, 400)
    try:
        workshop = ws_service.start_session(
            assessment,
            current_user._get_current_object(),
            show_names=form.names_shown(),
            countdown_seconds=form.countdown_seconds(),
            projector_languages=form.projector_languages_value(),
        )
    except ws_service.WorkshopError as error:
        flash(str(error))
        return redirect(url_for("workshop.overview", assessment_id=assessment.id))
    return redirect(url_for("workshop.facilitate", session_id=workshop.id))


@bp.route("/workshop/<int:session_id>/options", methods=["POST"])
@login_required
def change_options(session_id: int):
    workshop = _live_lead_session(session_id)
    form = options_form_for(workshop, request.form)
    if not form.validate_on_submit():
        return _facilitator_page(workshop, options_form=form)
    try:
        ws_service.change_options(
            workshop,
            form.names_shown(),
            form.countdown_seconds(),
            current_user._get_current_object(),
            projector_languages=form.projector_languages_value(),
        )
    except ws_service.WorkshopError as error:
        flash(str(error))
    else:
        flash(_("The workshop's options are saved."), "success")
    return redirect(url_for("workshop.facilitate", session_id=workshop.id))


def qr_svg(url: str) -> Markup:
    # Our own SVG of our own address: safe to put in the page as it is.
    svg = segno.make(url, error="m").svg_inline(
        scale=6, border=2, title=_("QR code of the join address"), dark="#0b0c0c", light="#ffffff"
    )
    return Markup(svg)  # noqa: S704


def _facilitator_page(
    workshop: WorkshopSession,
    agree_form: AgreeForm | None = None,
    action_form: ActionForm | None = None,
    stale=None,
    status: int = 200,
    options_form: OptionsForm | None = None,
):
    assessment = workshop.assessment
    walk = ws_query.walk_for(assessment)
    stop = ws_query.current_stop(workshop, walk)
    framework = ws_query.framework_of(assessment, stop.framework_id)
    agreed = ws_query.agreed_for(assessment.id, stop)
    contested = ws_query.contested_keys(assessment)
    agreed_keys = ws_query.agreed_keys(assessment.id)
    reveal = ws_query.reveal_for(workshop, stop) if workshop.revealed else None
    drafted = False
    if agree_form is None:
        agree_form = AgreeForm(formdata=None)
        if agreed is not None:
            agree_form.value.data = agreed.value
            agree_form.rationale.data = agreed.rationale or ""
        elif reveal is not None and reveal.comments:
            # The phones' comments, offered as a draft of the board's rationale.
            agree_form.rationale.data = "\n".join(f"- {c}" for c in reveal.comments)
            drafted = True
    agree_form.value.choices = _local_choices(ws_query.agree_choices(framework))
    if agree_form.expected_version.data in (None, "") and agreed is not None:
        agree_form.expected_version.data = str(agreed.version)
    if action_form is None:
        action_form = ActionForm(formdata=None)
    join_url = url_for("workshop.join", code=workshop.join_code, _external=True)
    votes = ws_query.vote_count(workshop, stop)
    joined = ws_query.joined_count(workshop)
    options_form = options_form or options_form_for(workshop)
    options_form.submit.label.text = _("Save options")
    return (
        render_template(
            "workshop/facilitate.html",
            workshop=workshop,
            assessment=assessment,
            framework=framework,
            walk=walk,
            stop=stop,
            progress=walk.progress(stop),
            contested_progress=progress_among(walk.only(contested), stop),
            contested=contested,
            agreed_keys=agreed_keys,
            votes_text=_votes_text(votes),
            voted_text=voted_text(votes, joined),
            joined_text=_joined_text(joined),
            present=ws_query.present(workshop) if workshop.status == "live" else [],
            voted=ws_query.voter_ids(workshop, stop),
            reveal=reveal,
            result=reveal.meeting if reveal else None,
            before=reveal.before if reveal else None,
            drafted=drafted,
            options_form=options_form,
            seconds_left=ws_query.countdown_left(workshop),
            agreed=agreed,
            actions=ws_query.actions_for(assessment.id, stop),
            agree_form=agree_form,
            action_form=action_form,
            stale=stale,
            join_url=join_url,
            qr_svg=qr_svg(join_url) if workshop.status == "live" else None,
        ),
        status,
    )


@bp.route("/workshop/<int:session_id>")
@login_required
def facilitate(session_id: int):
    return _facilitator_page(_lead_session(session_id))


@bp.route("/workshop/<int:session_id>/status.json")
@login_required
def facilitator_status(session_id: int):
    workshop = _lead_session(session_id)
    return conditional_json(status_of(workshop))


@bp.route("/workshop/<int:session_id>/move", methods=["POST"])
@login_required
def move(session_id: int):
    """A move from the lead's controls (a form) or the projector's shortcuts (a script, which
    gets JSON back: the state after the move, or what was refused)."""
    by_script = request.headers.get("X-Requested-With") == "fetch"
    workshop = _lead_session(session_id) if by_script else _live_lead_session(session_id)
    try:
        ws_service.move(
            workshop,
            request.form.get("action", ""),
            request.form.get("target"),
            current_user._get_current_object(),
        )
    except ws_service.WorkshopError as error:
        if by_script:
            return jsonify(problem=str(error), **status_of(workshop)), 409
        flash(str(error))
    if by_script:
        return jsonify(status_of(workshop))
    return redirect(url_for("workshop.facilitate", session_id=workshop.id))


@bp.route("/workshop/<int:session_id>/agree", methods=["POST"])
@login_required
def agree(session_id: int):
    workshop = _live_lead_session(session_id)
    assessment = workshop.assessment
    stop = _stop_from_form(workshop, ws_query.walk_for(assessment))
    framework = ws_query.framework_of(assessment, stop.framework_id)
    form = AgreeForm()
    form.value.choices = _local_choices(ws_query.agree_choices(framework))
    try:
        ws_service.refuse_if_moved(workshop, stop)
    except ws_service.BoardMoved as moved:
        flash(str(moved))
        return redirect(url_for("workshop.facilitate", session_id=workshop.id))
    if not form.validate_on_submit():
        return _facilitator_page(workshop, agree_form=form)
    raw_version = form.expected_version.data
    expected = int(raw_version) if raw_version and raw_version.isdigit() else None
    try:
        ws_service.agree_rating(
            workshop,
            stop,
            form.value.data,
            form.rationale.data,
            expected,
            current_user._get_current_object(),
        )
    except ws_service.WorkshopError as refused:
        flash(str(refused))
        return redirect(url_for("workshop.facilitate", session_id=workshop.id))
    except StaleEditError as stale:
        form.expected_version.data = str(stale.current.version)
        return _facilitator_page(workshop, agree_form=form, stale=stale.current, status=409)
    except (ValueError, AssessmentLocked) as error:
        form.value.errors = [*form.value.errors, str(error)]
        return _facilitator_page(workshop, agree_form=form)
    flash(_("Agreed rating saved."), "success")
    return redirect(url_for("workshop.facilitate", session_id=workshop.id))


@bp.route("/workshop/<int:session_id>/actions", methods=["POST"])
@login_required
def new_action(session_id: int):
    workshop = _live_lead_session(session_id)
    assessment = workshop.assessment
    stop = _stop_from_form(workshop, ws_query.walk_for(assessment))
    form = ActionForm()
    if not form.validate_on_submit():
        return _facilitator_page(workshop, action_form=form)
    try:
        add_action(
            assessment,
            stop.framework_id,
            form.description.data,
            form.owner.data,
            current_user._get_current_object(),
            due_on=form.due_on.data,
            status=form.status.data,
            item_id=stop.item_id,
        )
    except (ValueError, AssessmentLocked) as error:
        form.description.errors = [*form.description.errors, str(error)]
        return _facilitator_page(workshop, action_form=form)
    flash(_("Action added."), "success")
    return redirect(url_for("workshop.facilitate", session_id=workshop.id))


@bp.route("/workshop/<int:session_id>/participants/<int:participant_id>/remove", methods=["POST"])
@login_required
def remove_participant(session_id: int, participant_id: int):
    workshop = _live_lead_session(session_id)
    participant = ws_query.participant_or_none(participant_id)
    if participant is None or participant.assessment_id != workshop.assessment_id:
        abort(404)
    try:
        participants.remove_participant(workshop, participant, current_user._get_current_object())
    except ws_service.WorkshopError as error:
        flash(str(error))
    else:
        flash(
            _(
                "%(name)s was removed from this workshop. "
                "Their votes no longer count in this meeting.",
                name=participant.user.name
                if participant.user
                else _("%(name)s (guest)", name=participant.guest_name),
            ),
            "success",
        )
    return redirect(url_for("workshop.facilitate", session_id=workshop.id))


@bp.route("/workshop/<int:session_id>/end")
@login_required
def confirm_end(session_id: int):
    """What ending will do, before the lead does it for the whole room."""
    workshop = _live_lead_session(session_id)
    walk = ws_query.walk_for(workshop.assessment)
    agreed = len(ws_query.agreed_keys(workshop.assessment_id) & {s.key for s in walk})
    return render_template(
        "workshop/end.html",
        workshop=workshop,
        agreed=agreed,
        total=len(walk),
        joined=ws_query.joined_count(workshop),
    )


@bp.route("/workshop/<int:session_id>/end", methods=["POST"])
@login_required
def end(session_id: int):
    workshop = _live_lead_session(session_id)
    ws_service.end_session(workshop)
    flash(_("The workshop has ended. Its join code no longer works."), "success")
    return redirect(url_for("workshop.overview", assessment_id=workshop.assessment_id))
