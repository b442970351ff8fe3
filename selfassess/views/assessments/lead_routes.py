"""The lead's (and observers') views: completion matrix, distributions, one item in full.

Leads agree ratings and record actions here; observers read the same pages without the forms.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from selfassess.domain.history import change_lines
from selfassess.domain.i18n import N_
from selfassess.domain.progress import progress
from selfassess.domain.reference import agency_name
from selfassess.domain.scoring import agreed_choices
from selfassess.extensions import frameworks
from selfassess.models.assessments import ACTION_STATUSES
from selfassess.queries.assessments import (
    action_of,
    agreed_rating_of,
    item_actions,
    item_ratings,
    live_workshop_of,
    participants_with_rated_items,
    section_actions,
)
from selfassess.queries.ratings import assessment_results
from selfassess.services import agreement, audit
from selfassess.views.assessments import bp
from selfassess.views.assessments.common import (
    OVERSIGHT_ROLES,
    framework_text,
    item_or_404,
    my_role,
    section_or_404,
    sections,
)
from selfassess.views.assessments.forms import ActionForm, AgreedRatingForm
from selfassess.web.access import LEAD_ROLES, assessment_or_404
from selfassess.web.language import long_date
from selfassess.web.routing import database_id

ACTION_STATUS_NAMES = dict(ACTION_STATUSES)
# What happened, in words, for each (entity, event) the item's history holds.
HISTORY_EVENT_WORDS = {
    ("rating", "created"): N_("rating created"),
    ("rating", "changed"): N_("rating changed"),
    ("agreed_rating", "created"): N_("agreed rating created"),
    ("agreed_rating", "changed"): N_("agreed rating changed"),
    ("action", "created"): N_("action created"),
    ("action", "changed"): N_("action changed"),
    ("workshop_round", "opened"): N_("workshop round opened"),
    ("workshop_round", "revealed"): N_("workshop round revealed"),
}


@bp.route("/assessments/<int:assessment_id>/progress")
@login_required
def completion(assessment_id: int):
    assessment = assessment_or_404(assessment_id, OVERSIGHT_ROLES)
    refs = sections(assessment)
    members = [
        (participant, progress(refs, rated))
        for participant, rated in participants_with_rated_items(assessment.id)
    ]
    return render_template(
        "assessments/completion.html", assessment=assessment, refs=refs, members=members
    )


@bp.route("/assessments/<int:assessment_id>/results")
@login_required
def results(assessment_id: int):
    assessment = assessment_or_404(assessment_id, OVERSIGHT_ROLES)
    return render_template(
        "assessments/results.html",
        assessment=assessment,
        results=assessment_results(frameworks(), assessment),
    )


def local_choices(framework) -> list[tuple[str, str]]:
    """The ratings a board can agree, named in the page's language."""
    return [(value, framework_text(framework, label)) for value, label in agreed_choices(framework)]


def _item_page(
    assessment, framework, item, agreed_form=None, action_form=None, stale=None, status=200
):
    role = my_role(assessment)
    is_lead = role == "lead" and not assessment.is_locked
    result = assessment_results(frameworks(), assessment).framework(framework.id).item(item.id)
    agreed = agreed_rating_of(assessment.id, framework.id, item.id)
    if agreed_form is None:
        agreed_form = AgreedRatingForm(
            formdata=None,
            value=agreed.value if agreed else None,
            rationale=agreed.rationale if agreed else "",
            version=str(agreed.version) if agreed else "",
        )
    agreed_form.value.choices = local_choices(framework)
    if action_form is None:
        action_form = ActionForm(formdata=None)
    # The history speaks in labels: "Amber", "Not started", "Police", not what is stored.
    words = {
        "value": lambda v: (
            framework_text(framework, framework.scale_value(v).label)
            if framework.scale_value(v)
            else v
        ),
        "status": lambda v: _(ACTION_STATUS_NAMES[v]) if v in ACTION_STATUS_NAMES else v,
        "agency": lambda agency: _(agency_name(agency)),
    }
    return render_template(
        "assessments/item.html",
        assessment=assessment,
        framework=framework,
        item=item,
        result=result,
        ratings=item_ratings(assessment.id, framework.id, item.id),
        agreed=agreed,
        agreed_form=agreed_form,
        action_form=action_form,
        actions=item_actions(assessment.id, framework.id, item.id),
        action_status_names=ACTION_STATUS_NAMES,
        history=audit.item_history(assessment.id, framework.id, item.id) if role == "lead" else [],
        history_event_words=HISTORY_EVENT_WORDS,
        history_lines=lambda event: change_lines(
            event.before, event.after, words, translate=_, dates=long_date
        ),
        is_lead=is_lead,
        stale=stale,
        agency_name=agency_name,
    ), status


@bp.route("/assessments/<int:assessment_id>/items/<framework_id>/<item_id>")
@login_required
def item(assessment_id: int, framework_id: str, item_id: str):
    assessment = assessment_or_404(assessment_id, OVERSIGHT_ROLES)
    framework, found = item_or_404(assessment, framework_id, item_id)
    return _item_page(assessment, framework, found)


def _item_url(assessment, framework, item, anchor=None) -> str:
    return url_for(
        "assessments.item",
        assessment_id=assessment.id,
        framework_id=framework.id,
        item_id=item.id,
        _anchor=anchor,
    )


@bp.route(
    "/assessments/<int:assessment_id>/items/<framework_id>/<item_id>/agreed-rating",
    methods=["POST"],
)
@login_required
def agree(assessment_id: int, framework_id: str, item_id: str):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    framework, found = item_or_404(assessment, framework_id, item_id)
    if assessment.is_locked:
        abort(403)
    form = AgreedRatingForm()
    form.value.choices = local_choices(framework)
    if not form.validate_on_submit():
        return _item_page(assessment, framework, found, agreed_form=form)
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        agreement.save_agreed_rating(
            assessment,
            framework.id,
            found.id,
            form.value.data,
            form.rationale.data,
            version,
            current_user,
        )
    except agreement.StaleEditError as stale:
        # Keep what they typed; the next save, if they still want it, goes on top of the newer one.
        form.version.data = str(stale.current.version)
        return _item_page(
            assessment, framework, found, agreed_form=form, stale=stale.current, status=409
        )
    flash(_("Agreed rating saved."), "success")
    return redirect(_item_url(assessment, framework, found, "agreed-rating"))


@bp.route(
    "/assessments/<int:assessment_id>/items/<framework_id>/<item_id>/actions", methods=["POST"]
)
@login_required
def add_action(assessment_id: int, framework_id: str, item_id: str):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    framework, found = item_or_404(assessment, framework_id, item_id)
    if assessment.is_locked:
        abort(403)
    form = ActionForm()
    if not form.validate_on_submit():
        return _item_page(assessment, framework, found, action_form=form)
    _add_action(form, assessment, framework, item_id=found.id)
    return redirect(_item_url(assessment, framework, found, "actions"))


def _add_action(form: ActionForm, assessment, framework, **about) -> None:
    """Save a valid action form as an action about a question or a whole section."""
    agreement.add_action(
        assessment,
        framework.id,
        form.description.data,
        form.owner.data,
        current_user,
        due_on=form.due_on.data,
        status=form.status.data,
        **about,
    )
    flash(_("Action added."), "success")


@bp.route("/assessments/<int:assessment_id>/actions/<int:action_id>", methods=["GET", "POST"])
@login_required
def edit_action(assessment_id: int, action_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    action = action_of(assessment.id, action_id)
    if action is None:
        abort(404)
    if assessment.is_locked:
        abort(403)
    form = ActionForm(obj=action if not form_posted() else None)
    form.submit.label.text = _("Save action")
    stale = None
    if not form_posted():
        form.version.data = str(action.version)
    elif form.validate():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            agreement.update_action(
                action,
                version,
                actor=current_user,
                description=form.description.data,
                owner=form.owner.data,
                due_on=form.due_on.data,
                status=form.status.data,
            )
        except agreement.StaleEditError as exc:
            stale = exc.current
            form.version.data = str(stale.version)
        else:
            flash(_("Action saved."), "success")
            return redirect(_back_from_action(assessment, action))
    return render_template(
        "assessments/edit_action.html",
        assessment=assessment,
        action=action,
        form=form,
        stale=stale,
        back_url=_back_from_action(assessment, action),
        action_status_names=ACTION_STATUS_NAMES,
    ), (409 if stale else 200)


def _section_page(assessment, framework, section, action_form=None, status=200):
    result = assessment_results(frameworks(), assessment).framework(framework.id)
    return render_template(
        "assessments/section.html",
        assessment=assessment,
        framework=framework,
        section=section,
        result=result,
        section_result=result.section(section.id) if result else None,
        actions=section_actions(assessment.id, framework.id, section.id),
        action_form=action_form or ActionForm(formdata=None),
        action_status_names=ACTION_STATUS_NAMES,
        is_lead=my_role(assessment) == "lead" and not assessment.is_locked,
    ), status


def _section_url(assessment, framework_id: str, section_id: str, anchor=None) -> str:
    return url_for(
        "assessments.section",
        assessment_id=assessment.id,
        framework_id=framework_id,
        section_id=section_id,
        _anchor=anchor,
    )


@bp.route("/assessments/<int:assessment_id>/sections/<framework_id>/<section_id>")
@login_required
def section(assessment_id: int, framework_id: str, section_id: str):
    """A whole section: its RAG and why, its questions' ratings, and actions about all of it."""
    assessment = assessment_or_404(assessment_id, OVERSIGHT_ROLES)
    ref = section_or_404(assessment, framework_id, section_id)
    framework, found = ref.framework, ref.section
    return _section_page(assessment, framework, found)


@bp.route(
    "/assessments/<int:assessment_id>/sections/<framework_id>/<section_id>/actions",
    methods=["POST"],
)
@login_required
def add_section_action(assessment_id: int, framework_id: str, section_id: str):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    ref = section_or_404(assessment, framework_id, section_id)
    framework, found = ref.framework, ref.section
    if assessment.is_locked:
        abort(403)
    form = ActionForm()
    if not form.validate_on_submit():
        return _section_page(assessment, framework, found, action_form=form)
    _add_action(form, assessment, framework, section_id=found.id)
    return redirect(_section_url(assessment, framework.id, found.id, "actions"))


def form_posted() -> bool:
    return request.method == "POST"


def _back_from_action(assessment, action) -> str:
    # From the workshop's facilitator screen: back to the meeting while it is still running.
    workshop_id = request.args.get("workshop", type=database_id)
    if workshop_id is not None:
        workshop = live_workshop_of(assessment.id, workshop_id)
        if workshop is not None:
            return url_for("workshop.facilitate", session_id=workshop.id)
    if action.item_id:
        return url_for(
            "assessments.item",
            assessment_id=assessment.id,
            framework_id=action.framework_id,
            item_id=action.item_id,
            _anchor="actions",
        )
    if action.section_id:
        return _section_url(assessment, action.framework_id, action.section_id, "actions")
    return url_for("assessments.show", assessment_id=assessment.id)
