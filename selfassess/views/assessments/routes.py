"""Assessment pages for everyone in the partnership: list, create, overview, rating, completing."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from selfassess.domain import assessment_status
from selfassess.domain.mail import LOCAL
from selfassess.domain.progress import all_completed, first_unfinished
from selfassess.domain.visibility import results_visible_to_members
from selfassess.extensions import frameworks
from selfassess.models.base import as_utc
from selfassess.queries.assessments import assessments_of
from selfassess.queries.mail import schedule_for
from selfassess.queries.ratings import assessment_results
from selfassess.services import agreement
from selfassess.services.assessments import change_status, create_assessment, share_results
from selfassess.services.mail.compose import when_text
from selfassess.views.assessments import bp, rating_form
from selfassess.views.assessments.common import (
    OVERSIGHT_ROLES,
    framework_text,
    my_progress,
    my_role,
    pinned_frameworks,
    section_or_404,
    sections,
)
from selfassess.views.assessments.forms import (
    CompleteForm,
    NewAssessmentForm,
    ShareResultsForm,
    StatusForm,
)
from selfassess.web.access import (
    LEAD_ROLES,
    RATE_ROLES,
    assessment_or_404,
    partnership_or_404,
    ratings_scope,
)
from selfassess.web.language import current_language


@bp.route("/partnerships/<int:partnership_id>/assessments")
@login_required
def index(partnership_id: int):
    partnership = partnership_or_404(partnership_id)
    return render_template(
        "assessments/index.html",
        partnership=partnership,
        assessments=assessments_of(partnership.id),
        is_lead=my_role_in(partnership.id) == "lead",
        status_names=assessment_status.STATUS_NAMES,
        status_colours=assessment_status.STATUS_COLOURS,
    )


def my_role_in(partnership_id: int) -> str | None:
    return current_user.role_in(partnership_id)


@bp.route("/partnerships/<int:partnership_id>/assessments/new", methods=["GET", "POST"])
@login_required
def new(partnership_id: int):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    form = NewAssessmentForm()
    form.frameworks.choices = [
        (fw.id, framework_text(fw, fw.title)) for fw in frameworks().offered("optional")
    ]
    if form.validate_on_submit():
        assessment = create_assessment(
            partnership, form.title.data, form.period.data, form.frameworks.data or [], current_user
        )
        flash(
            _(
                "%(title)s created as a draft. Open it for rating when ready.",
                title=assessment.title,
            ),
            "success",
        )
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    return render_template("assessments/new.html", partnership=partnership, form=form)


@bp.route("/assessments/<int:assessment_id>")
@login_required
def show(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    role = my_role(assessment)
    participant, _ratings, rows = my_progress(assessment)
    scheduled = schedule_for(assessment.id)
    workshop_when = None
    if scheduled is not None and scheduled.cancelled_at is None:
        workshop_when = _workshop_when(scheduled)
    return render_template(
        "assessments/show.html",
        assessment=assessment,
        workshop_when=workshop_when,
        role=role,
        can_rate=role in RATE_ROLES,
        can_oversee=role in OVERSIGHT_ROLES,
        rateable=assessment_status.is_rateable(assessment.status),
        frameworks=pinned_frameworks(assessment),
        rows=rows,
        resume=first_unfinished(rows),
        participant=participant,
        moves=assessment_status.moves_from(assessment.status) if role == "lead" else [],
        status_form=StatusForm(),
        share_form=ShareResultsForm(),
        sees_everyone=ratings_scope(assessment).everyone,
        members_see_results=results_visible_to_members(
            assessment.status, assessment.results_shared
        ),
        status_names=assessment_status.STATUS_NAMES,
        status_colours=assessment_status.STATUS_COLOURS,
        can_start_next=assessment_status.can_start_next_cycle(assessment.status),
    )


def _workshop_when(scheduled) -> str:
    """ "Tuesday 9 June 2026, 10am to 12pm (UK time), Town hall" in the page's language."""
    starts, ends = as_utc(scheduled.starts_at), as_utc(scheduled.ends_at)
    if current_language() == "en":
        day, hours = when_text(starts, ends)
    else:
        local_start, local_end = starts.astimezone(LOCAL), ends.astimezone(LOCAL)
        day = format_date(local_start.date(), "EEEE d MMMM y")
        hours = _(
            "%(start)s to %(end)s (UK time)",
            start=local_start.strftime("%H:%M"),
            end=local_end.strftime("%H:%M"),
        )
    return ", ".join(p for p in (day, hours, scheduled.place) if p)


@bp.route("/assessments/<int:assessment_id>/status/<to>")
@login_required
def confirm_move(assessment_id: int, to: str):
    """What a move that stops everyone's rating will do, before the lead makes it."""
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    move = next((m for m in assessment_status.moves_from(assessment.status) if m.to == to), None)
    if move is None or not move.confirm:
        abort(404)
    results = assessment_results(frameworks(), assessment)
    items = [i for f in results.frameworks for i in f.items]
    return render_template(
        "assessments/confirm_status.html",
        assessment=assessment,
        move=move,
        agreed=sum(1 for i in items if i.agreed),
        total=len(items),
        status_form=StatusForm(),
    )


@bp.route("/assessments/<int:assessment_id>/status", methods=["POST"])
@login_required
def move(assessment_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change_status(assessment, form.to.data or "", current_user)
    except assessment_status.StatusError as exc:
        flash(_(exc.message, **exc.params))
    else:
        flash(
            _(
                "The assessment is now %(status)s.",
                status=_(assessment_status.STATUS_NAMES[assessment.status]).lower(),
            ),
            "success",
        )
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>/share-results", methods=["POST"])
@login_required
def share(assessment_id: int):
    """The lead shows members everyone's ratings before agreement, or stops showing them."""
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    form = ShareResultsForm()
    if not form.validate_on_submit() or form.share.data not in ("yes", "no"):
        abort(400)
    if assessment.is_locked:
        abort(403)
    shared = form.share.data == "yes"
    share_results(assessment, shared, current_user)
    if shared:
        message = _("Members can now see everyone's ratings and evidence on the report.")
    elif results_visible_to_members(assessment.status, False):
        message = _("Results are no longer shared early; members still see them as it is agreed.")
    else:
        message = _("Members now see only their own ratings and the board's agreed ratings.")
    flash(message, "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id, _anchor="sharing"))


@bp.route(
    "/assessments/<int:assessment_id>/rate/<framework_id>/<section_id>", methods=["GET", "POST"]
)
@login_required
def rate(assessment_id: int, framework_id: str, section_id: str):
    assessment = assessment_or_404(assessment_id, RATE_ROLES)
    ref = section_or_404(assessment, framework_id, section_id)
    rateable = assessment_status.is_rateable(assessment.status)
    participant, ratings, rows = my_progress(assessment)
    entries = rating_form.from_ratings(ref.section.items, ratings, ref.framework.id)
    errors: list[dict] = []
    if request.method == "POST":
        if not rateable:
            abort(403)
        entries = rating_form.from_form(ref.framework, ref.section.items, request.form)
        errors = rating_form.error_list(entries)
        if not errors:
            _save_entries(assessment, ref, entries, ratings)
            return redirect(_after_section(assessment, ref))
    return render_template(
        "assessments/rate.html",
        assessment=assessment,
        ref=ref,
        entries=entries,
        errors=errors,
        rateable=rateable,
        scale=ref.framework.scale,
        rows=rows,
    )


def _save_entries(assessment, ref, entries, ratings) -> None:
    participant = None
    for entry in entries:
        existing = ratings.get((ref.framework.id, entry.item.id))
        if existing is None and not (entry.value or entry.evidence or entry.improvement):
            continue
        if participant is None:
            participant = agreement.participant_for(assessment, current_user, create=True)
        agreement.save_rating(
            participant,
            ref.framework.id,
            entry.item.id,
            entry.value or (existing.value if existing else None),
            entry.evidence,
            entry.improvement,
            current_user,
        )


def _after_section(assessment, ref) -> str:
    """The next section of the assessment, or the check-your-answers page after the last."""
    refs = sections(assessment)
    position = next(i for i, r in enumerate(refs) if r.key == ref.key)
    if position + 1 < len(refs):
        following = refs[position + 1]
        return url_for(
            "assessments.rate",
            assessment_id=assessment.id,
            framework_id=following.framework.id,
            section_id=following.section.id,
        )
    return url_for("assessments.check", assessment_id=assessment.id)


@bp.route(
    "/assessments/<int:assessment_id>/rate/<framework_id>/<section_id>/autosave",
    methods=["POST"],
)
@login_required
def autosave(assessment_id: int, framework_id: str, section_id: str):
    """Save one item as the member changes it; answers and errors are JSON."""
    assessment = assessment_or_404(assessment_id, RATE_ROLES)
    ref = section_or_404(assessment, framework_id, section_id)
    if not assessment_status.is_rateable(assessment.status):
        return jsonify(
            saved=False, errors={"form": _("The assessment is not open: ratings cannot change")}
        ), 409
    data = request.get_json(silent=True) or request.form
    fields = ("item_id", "value", "evidence", "improvement")
    if not hasattr(data, "get") or any(
        not isinstance(data.get(name), str | None) for name in fields
    ):
        return jsonify(
            saved=False, errors={"form": _("Send the answer as a form or an object")}
        ), 400
    item = next((i for i in ref.section.items if i.id == data.get("item_id")), None)
    if item is None:
        return jsonify(saved=False, errors={"form": _("That question is not in this section")}), 400
    value = data.get("value") or None
    evidence = (data.get("evidence") or "").replace("\r\n", "\n").strip()
    improvement = (data.get("improvement") or "").replace("\r\n", "\n").strip()
    errors = rating_form.check(ref.framework, value, evidence, improvement)
    if errors:
        return jsonify(saved=False, errors=errors), 400
    participant = agreement.participant_for(assessment, current_user, create=True)
    agreement.autosave_rating(
        participant, ref.framework, item.id, value, evidence, improvement, current_user
    )
    return jsonify(saved=True, item_id=item.id)


@bp.route("/assessments/<int:assessment_id>/check-your-answers")
@login_required
def check(assessment_id: int):
    assessment = assessment_or_404(assessment_id, RATE_ROLES)
    participant, ratings, rows = my_progress(assessment)
    return render_template(
        "assessments/check.html",
        assessment=assessment,
        participant=participant,
        ratings=ratings,
        rows=rows,
        complete=all_completed(rows),
        rateable=assessment_status.is_rateable(assessment.status),
        form=CompleteForm(),
        item_key=rating_form.item_key,
    )


@bp.route("/assessments/<int:assessment_id>/complete", methods=["POST"])
@login_required
def complete(assessment_id: int):
    assessment = assessment_or_404(assessment_id, RATE_ROLES)
    if not assessment_status.is_rateable(assessment.status):
        abort(403)
    participant, _ratings, rows = my_progress(assessment)
    if participant is None or not all_completed(rows):
        flash(_("Rate every question before marking your ratings as complete."))
        return redirect(url_for("assessments.check", assessment_id=assessment.id))
    agreement.mark_complete(participant)
    flash(
        _(
            "Your ratings are marked as complete. You can still change them while the "
            "assessment is open."
        ),
        "success",
    )
    return redirect(url_for("assessments.show", assessment_id=assessment.id))
