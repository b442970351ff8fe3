"""Scanned paper forms: upload, the review page (each page's image, the boxes read, the doubtful
ones, the evidence areas as pictures), then save or discard. Leads only."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from selfassess.documents.paper_reading import MAX_UPLOAD_BYTES, ScanError, crop_png
from selfassess.domain.paper import Keyed, layout_in, show_form_code
from selfassess.domain.reference import agency_name
from selfassess.extensions import frameworks
from selfassess.queries import paper as q
from selfassess.services import paper_scans
from selfassess.services.agreement import AssessmentLocked
from selfassess.services.paper import PaperError
from selfassess.views.paper import bp
from selfassess.views.paper.forms import PostForm, UploadForm
from selfassess.views.paper.routes import index, raters
from selfassess.web.access import LEAD_ROLES, assessment_or_404
from selfassess.web.routing import database_id


@bp.post("/assessments/<int:assessment_id>/paper/scans")
@login_required
def upload(assessment_id: int):
    # Room for a scanned PDF: more than the service-wide limit, still bounded (413 past it).
    request.max_content_length = MAX_UPLOAD_BYTES + 256 * 1024
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    form = UploadForm()
    if form.validate_on_submit():
        files = [
            (f.filename or "upload", f.read())
            for f in request.files.getlist(form.scans.name)
            if f and (f.filename or f.content_length)
        ]
        try:
            if not files:
                raise ScanError(_("Choose a PDF or pictures of the filled-in forms"))
            scan = paper_scans.read_upload(assessment, files, current_user)
        except (ScanError, AssessmentLocked) as exc:
            form.scans.errors = [_("Nothing was kept from this upload. %(problem)s", problem=exc)]
        else:
            return redirect(url_for("paper.review", assessment_id=assessment.id, scan_id=scan.id))
    return index(assessment.id, upload_form=form, status=400)


def _scan_or_404(assessment, scan_id):
    scan = q.scan_or_none(assessment.id, scan_id)
    if scan is None:
        abort(404)
    return scan


def _forms_in(assessment, scan):
    """The forms an upload holds, in the order first seen: code -> (paper form, framework)."""
    found = {}
    for page in scan.readings:
        if page["code"] not in found:
            form = q.form_by_code(page["code"])
            if form is None or form.assessment_id != assessment.id:
                abort(404)
            found[page["code"]] = (
                form,
                frameworks().resolve(form.framework_id, form.framework_version),
            )
    return found


def _checked_answers(assessment, scan, forms):
    """What the lead left on the review page, per form: (framework, member, answers); and the
    problems to show (a blank form's member not chosen)."""
    checked, problems = {}, []
    people = {u.id: u for u in raters(assessment)}
    for code, (form, fw) in forms.items():
        member = form.user or people.get(request.form.get(f"member-{code}", type=database_id) or -1)
        if member is None:
            problems.append(
                (f"member-{code}", _("Choose whose form %(code)s is", code=show_form_code(code)))
            )
            continue
        answers = {}
        for page in scan.readings:
            if page["code"] != code:
                continue
            for item in page["items"]:
                name = f"{code}-{item['item_id']}"
                answers[item["item_id"]] = Keyed(
                    request.form.get(f"r-{name}") or None,
                    request.form.get(f"e-{name}", ""),
                    request.form.get(f"m-{name}", ""),
                )
        checked[code] = (fw, member, answers)
    return checked, problems


@bp.route("/assessments/<int:assessment_id>/paper/scans/<int:scan_id>", methods=["GET", "POST"])
@login_required
def review(assessment_id: int, scan_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    scan = _scan_or_404(assessment, scan_id)
    forms = _forms_in(assessment, scan)
    form = PostForm()
    problems, status = [], 200
    if request.method == "POST" and scan.status == "read":
        if form.validate_on_submit():
            checked, problems = _checked_answers(assessment, scan, forms)
            if not problems:
                try:
                    saved = paper_scans.save_scan(assessment, scan, checked, current_user)
                except (PaperError, AssessmentLocked) as exc:
                    problems = [("review", str(exc))]
                else:
                    flash(
                        ngettext(
                            "%(num)d rating entered from the scanned forms.",
                            "%(num)d ratings entered from the scanned forms.",
                            saved,
                        ),
                        "success",
                    )
                    return redirect(url_for("paper.index", assessment_id=assessment.id))
        else:
            problems = [("review", _("The page expired: check the answers and save again"))]
        status = 400
    doubtful = sum(1 for p in scan.readings for i in p["items"] if i["doubtful"])
    return render_template(
        "paper/review.html",
        assessment=assessment,
        scan=scan,
        forms=forms,
        doubtful=doubtful,
        people=raters(assessment),
        agency_name=agency_name,
        show_form_code=show_form_code,
        form=form,
        problems=problems,
        posted=request.form if request.method == "POST" else None,
    ), status


@bp.post("/assessments/<int:assessment_id>/paper/scans/<int:scan_id>/discard")
@login_required
def discard_scan(assessment_id: int, scan_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    scan = _scan_or_404(assessment, scan_id)
    if PostForm().validate_on_submit():
        paper_scans.discard_scan(scan, current_user)
        flash(_("Nothing from the upload was saved. The scan is kept for audit."), "success")
    return redirect(url_for("paper.index", assessment_id=assessment.id))


def _png(body: bytes) -> Response:
    response = Response(body, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page_or_404(assessment, scan_id, position):
    scan = _scan_or_404(assessment, scan_id)
    page = q.scan_page(scan.id, position)
    if page is None:
        abort(404)
    return scan, page


@bp.get("/assessments/<int:assessment_id>/paper/scans/<int:scan_id>/pages/<int:position>.png")
@login_required
def page_image(assessment_id: int, scan_id: int, position: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    _scan, page = _page_or_404(assessment, scan_id, position)
    return _png(page.image)


@bp.get(
    "/assessments/<int:assessment_id>/paper/scans/<int:scan_id>/pages/<int:position>/"
    "evidence/<item_id>.png"
)
@login_required
def evidence_image(assessment_id: int, scan_id: int, position: int, item_id: str):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    scan, page = _page_or_404(assessment, scan_id, position)
    reading = scan.readings[position - 1]
    form = q.form_by_code(reading["code"])
    printed = layout_in(form.layout, reading.get("language", "en")) or {}
    layout = next((p for p in printed.get("pages", []) if p["page"] == page.form_page), None)
    if layout is None:
        abort(404)
    item = next((i for i in layout["items"] if i["item_id"] == item_id), None)
    if item is None or not item.get("area"):
        abort(404)
    return _png(crop_png(page.image, item["area"]))
