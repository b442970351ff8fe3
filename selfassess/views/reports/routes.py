"""Report views: thin. The work is in build.py, documents.py, exports.py and the services."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required

from selfassess.documents import exports, jobs
from selfassess.documents import pdf as documents
from selfassess.documents.report import action_plan, build_report, current_rating
from selfassess.documents.report_pdf import scopes_as_data
from selfassess.domain.assessment_status import can_start_next_cycle
from selfassess.extensions import frameworks
from selfassess.queries.reports import ACTION_STATUS_LABELS, fingerprint, is_overdue
from selfassess.services.next_cycle import start_next_cycle
from selfassess.views.reports import bp
from selfassess.views.reports.forms import NextCycleForm
from selfassess.web import documents as document_pages
from selfassess.web.access import LEAD_ROLES, assessment_or_404, ratings_scope, role_in


def _filename(assessment, name: str) -> str:
    code = re.sub(r"[^A-Za-z0-9-]", "", assessment.partnership.code) or "partnership"
    return f"{code}-assessment-{assessment.id}-{name}"


def _download(body: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _state(assessment) -> tuple:
    """What the report shows depends on: this assessment's and the previous one's state, and
    whose ratings the reader may see in each."""
    previous = assessment.previous
    return (
        assessment.id,
        fingerprint(assessment.id),
        str(assessment.updated_at),
        ratings_scope(assessment).cache_key,
        assessment.partnership.name,
        (previous.id, fingerprint(previous.id), ratings_scope(previous).cache_key)
        if previous
        else None,
    )


def assessment_page_url(assessment_id: int) -> str | None:
    """The assessment's own page, when the assessments area is there to link to."""
    if "assessments.show" in current_app.view_functions:
        return url_for("assessments.show", assessment_id=assessment_id)
    return None


@bp.get("/assessments/<int:assessment_id>/report")
@login_required
def show(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    report = build_report(frameworks(), assessment, scope_of=ratings_scope)
    return render_template(
        "reports/show.html",
        report=report,
        assessment=assessment,
        is_lead=role_in(assessment.partnership_id) in LEAD_ROLES,
        can_start_next=can_start_next_cycle(assessment.status),
        assessment_url=assessment_page_url(assessment.id),
        status_labels=ACTION_STATUS_LABELS,
    )


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def report_pdf(assessment_id: int):
    """Served at once when ready within a moment; otherwise a "Preparing your PDF" page that
    reloads itself until the document, laid out in the background, is ready for this person."""
    assessment = assessment_or_404(assessment_id)
    marking = current_app.config["PROTECTIVE_MARKING"]
    # Built in the background when it takes a while: the reader's view goes with it as data.
    scopes = {assessment.id: ratings_scope(assessment)}
    if assessment.previous is not None:
        scopes[assessment.previous.id] = ratings_scope(assessment.previous)
    outcome = jobs.document(
        "report",
        ("report", *_state(assessment), marking),
        {"assessment_id": assessment.id, "scopes": scopes_as_data(scopes), "marking": marking},
        again=document_pages.asked_again(),
        wait=document_pages.wait_seconds(),
    )
    page = document_pages.pending_page(
        outcome,
        "The report",
        url_for("reports.show", assessment_id=assessment.id),
        "Back to the report",
    )
    if page is not None:
        return page
    body = outcome.body
    return _download(body, "application/pdf", _filename(assessment, "report.pdf"), inline=True)


@bp.get("/assessments/<int:assessment_id>/action-plan.pdf")
@login_required
def action_plan_pdf(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    results, groups = action_plan(frameworks(), assessment, ratings_scope(assessment))
    pdf = documents.render_pdf(
        "action_plan.html",
        assessment=assessment,
        groups=groups,
        rating_of=lambda action: current_rating(results, action),
        overdue=is_overdue,
        marking=current_app.config["PROTECTIVE_MARKING"],
    )
    return _download(pdf, "application/pdf", _filename(assessment, "action-plan.pdf"), inline=True)


CSV = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/assessments/<int:assessment_id>/export/<any(ratings, actions):what>.<any(csv, xlsx):fmt>")
@login_required
def export_table(assessment_id: int, what: str, fmt: str):
    assessment = assessment_or_404(assessment_id)
    # Before everyone's ratings are visible to them, a member's export holds only their own rows.
    scope = ratings_scope(assessment)
    if what == "ratings":
        header, rows = exports.RATING_HEADER, exports.rating_table(frameworks(), assessment, scope)
        sheet = "Ratings"
    else:
        header, rows = exports.ACTION_HEADER, exports.action_table(frameworks(), assessment, scope)
        sheet = "Action plan"
    name = "ratings" if what == "ratings" else "action-plan"
    if fmt == "csv":
        return _download(exports.to_csv(header, rows), CSV, _filename(assessment, f"{name}.csv"))
    if what == "ratings":
        whose = "Every rating" if scope.everyone else "Your own ratings only"
        filters = (
            f"{whose}: one row per person and question, each person's current rating"
            if scope.everyone
            else f"{whose}: the others' ratings are shown once the assessment is agreed or "
            "its lead shares the results"
        )
    else:
        filters = "None: every action of the assessment, in the order of its framework"
    about = exports.AboutFile(
        what=f"{sheet} of {assessment.title} ({assessment.period})",
        marking=current_app.config["PROTECTIVE_MARKING"],
        filters=filters,
        made_at=datetime.now(UTC),
        details=(
            ("Partnership", f"{assessment.partnership.name} ({assessment.partnership.code})"),
            ("Assessment status", assessment.status.capitalize()),
        ),
    )
    body = exports.to_xlsx(sheet, header, rows, about)
    return _download(body, XLSX, _filename(assessment, f"{name}.xlsx"))


@bp.get("/assessments/<int:assessment_id>/export/assessment.json")
@login_required
def export_json(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    content = exports.assessment_json(frameworks(), assessment, ratings_scope(assessment))
    body = json.dumps(content, indent=2, default=str)
    return _download(
        body.encode("utf-8"), "application/json", _filename(assessment, "assessment.json")
    )


@bp.route("/assessments/<int:assessment_id>/next-cycle", methods=["GET", "POST"])
@login_required
def next_cycle(assessment_id: int):
    previous = assessment_or_404(assessment_id, LEAD_ROLES)
    form = NextCycleForm()
    if not form.is_submitted():
        form.title.data = previous.title
    if form.validate_on_submit():
        try:
            assessment = start_next_cycle(
                frameworks(), previous, form.title.data, form.period.data, current_user
            )
        except ValueError as error:
            form.title.errors = [*form.title.errors, str(error)]
        else:
            flash(
                "The next assessment has started as a draft, from last cycle's agreed ratings "
                "and open actions.",
                "success",
            )
            return redirect(
                assessment_page_url(assessment.id)
                or url_for("reports.show", assessment_id=assessment.id)
            )
    return render_template("reports/next_cycle.html", form=form, previous=previous)
