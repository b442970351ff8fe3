"""Report views: thin. The work is in build.py, documents.py, exports.py and the services."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from selfassess.documents import exports, jobs
from selfassess.documents import pdf as documents
from selfassess.documents.report import (
    action_plan,
    build_report,
    current_rating,
    section_detail,
)
from selfassess.documents.report_pdf import scopes_as_data
from selfassess.documents.report_words import status_word
from selfassess.domain.assessment_status import can_start_next_cycle
from selfassess.extensions import frameworks
from selfassess.queries.reports import ACTION_STATUS_LABELS, fingerprint, is_overdue
from selfassess.services.next_cycle import start_next_cycle
from selfassess.views.reports import bp
from selfassess.views.reports.forms import NextCycleForm
from selfassess.web import documents as document_pages
from selfassess.web import kept_pages
from selfassess.web.access import LEAD_ROLES, assessment_or_404, ratings_scope, role_in
from selfassess.web.language import current_language, use_language

# The languages a lead may take the documents away in, as the download links name them.
DOCUMENT_LANGUAGE_NAMES = (("en", "English"), ("cy", "Cymraeg"), ("cy+en", None))


def document_language() -> str:
    """The language a document is asked for in (?language=en, cy or cy+en: Welsh, then
    English); the page's language when none is asked for. Any other is not a document here."""
    choice = request.args.get("language")
    if choice is None:
        return current_language()
    choice = choice.replace(" ", "+")  # "cy+en" typed into the address bar arrives as "cy en"
    if choice not in documents.DOCUMENT_LANGUAGES:
        abort(404)
    return choice


def _suffix(language: str) -> str:
    """The file name says which language a document is in, when it is not English."""
    return "" if language == "en" else "-" + language.replace("+", "-")


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
    is_lead = role_in(assessment.partnership_id) in LEAD_ROLES
    can_start_next = can_start_next_cycle(assessment.status)
    assessment_url = assessment_page_url(assessment.id)
    previous = assessment.previous
    # Everything the content shows depends on: a change to any of it is drawn afresh.
    state = (
        _state(assessment),
        (previous.title, previous.period, str(previous.updated_at)) if previous else None,
        date.today(),
        is_lead,
        can_start_next,
        assessment_url,
    )

    def draw() -> str:
        report = build_report(frameworks(), assessment, scope_of=ratings_scope, with_detail=False)
        return render_template(
            "reports/_report.html",
            report=report,
            assessment=assessment,
            is_lead=is_lead,
            can_start_next=can_start_next,
            status_labels=ACTION_STATUS_LABELS,
            document_languages=DOCUMENT_LANGUAGE_NAMES,
        )

    return render_template(
        "reports/show.html",
        content=kept_pages.report_content(state, draw),
        assessment=assessment,
        assessment_url=assessment_url,
    )


@bp.get("/assessments/<int:assessment_id>/report/<framework_id>/<section_id>")
@login_required
def section(assessment_id: int, framework_id: str, section_id: str):
    """One section's questions in detail: the votes, evidence and actions behind each rating."""
    assessment = assessment_or_404(assessment_id)
    page = section_detail(frameworks(), assessment, framework_id, section_id, ratings_scope)
    if page is None:
        abort(404)
    return render_template(
        "reports/section.html",
        page=page,
        assessment=assessment,
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
    language = document_language()
    # The key holds the language: each language's document is its own, built and kept apart.
    outcome = jobs.document(
        "report",
        ("report", *_state(assessment), date.today(), marking, language),
        {
            "assessment_id": assessment.id,
            "scopes": scopes_as_data(scopes),
            "marking": marking,
            "language": language,
        },
        again=document_pages.asked_again(),
        wait=document_pages.wait_seconds(),
    )
    page = document_pages.pending_page(
        outcome,
        _("The report"),
        url_for("reports.show", assessment_id=assessment.id),
        _("Back to the report"),
    )
    if page is not None:
        return page
    body = outcome.body
    name = f"report{_suffix(language)}.pdf"
    return _download(body, "application/pdf", _filename(assessment, name), inline=True)


@bp.get("/assessments/<int:assessment_id>/action-plan.pdf")
@login_required
def action_plan_pdf(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    language = document_language()
    results, groups = action_plan(frameworks(), assessment, ratings_scope(assessment))
    pdf = documents.render_pdf(
        "action_plan.html",
        languages=documents.languages_of(language),
        assessment=assessment,
        groups=groups,
        rating_of=lambda action: current_rating(results, action),
        overdue=is_overdue,
        marking=current_app.config["PROTECTIVE_MARKING"],
    )
    name = f"action-plan{_suffix(language)}.pdf"
    return _download(pdf, "application/pdf", _filename(assessment, name), inline=True)


CSV = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/assessments/<int:assessment_id>/export/<any(ratings, actions):what>.<any(csv, xlsx):fmt>")
@login_required
def export_table(assessment_id: int, what: str, fmt: str):
    assessment = assessment_or_404(assessment_id)
    # Welsh (or Welsh and English) adds the columns of words again in Welsh, after the others.
    language = "cy" if document_language() != "en" else "en"
    # Before everyone's ratings are visible to them, a member's export holds only their own rows.
    scope = ratings_scope(assessment)
    with use_language(language):
        if what == "ratings":
            header = exports.RATING_HEADER + exports.label_header(exports.RATING_LABELS, language)
            rows = exports.rating_table(frameworks(), assessment, scope, language)
            sheet = _("Ratings")
        else:
            header = exports.ACTION_HEADER + exports.label_header(exports.ACTION_LABELS, language)
            rows = exports.action_table(frameworks(), assessment, scope, language)
            sheet = _("Action plan")
        name = ("ratings" if what == "ratings" else "action-plan") + _suffix(language)
        if fmt == "csv":
            return _download(
                exports.to_csv(header, rows), CSV, _filename(assessment, f"{name}.csv")
            )
        if what == "ratings":
            filters = (
                _("Every rating: one row per person and question, each person's current rating")
                if scope.everyone
                else _(
                    "Your own ratings only: the others' ratings are shown once the assessment "
                    "is agreed or its lead shares the results"
                )
            )
        else:
            filters = _("None: every action of the assessment, in the order of its framework")
        partnership = assessment.partnership
        about = exports.AboutFile(
            what=_(
                "%(sheet)s of %(title)s (%(period)s)",
                sheet=sheet,
                title=assessment.title,
                period=assessment.period,
            ),
            marking=current_app.config["PROTECTIVE_MARKING"],
            filters=filters,
            made_at=datetime.now(UTC),
            details=(
                (_("Partnership"), f"{partnership.name} ({partnership.code})"),
                (_("Assessment status"), status_word(assessment.status)),
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
                _(
                    "The next assessment has started as a draft, from last cycle's agreed "
                    "ratings and open actions."
                ),
                "success",
            )
            return redirect(
                assessment_page_url(assessment.id)
                or url_for("reports.show", assessment_id=assessment.id)
            )
    return render_template("reports/next_cycle.html", form=form, previous=previous)
