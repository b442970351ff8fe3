"""Printing forms and keying them back in. Leads only: a form code is looked up only within the
lead's own assessment, so another assessment's code reads as no form at all."""

from __future__ import annotations

from dataclasses import replace

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from selfassess.documents.paper_forms import in_form_language
from selfassess.documents.paper_reading import MAX_PAGES, MAX_UPLOAD_BYTES
from selfassess.domain.paper import (
    PRINT_LANGUAGES,
    Keyed,
    clean_form_code,
    differences,
    rating_keys,
    show_form_code,
)
from selfassess.domain.reference import agency_name
from selfassess.extensions import frameworks
from selfassess.queries import national as nq
from selfassess.queries import paper as q
from selfassess.queries.partnerships import members
from selfassess.services import paper as paper_service
from selfassess.services.agreement import AssessmentLocked
from selfassess.views.paper import bp
from selfassess.views.paper.forms import FindFormForm, PostForm, UploadForm
from selfassess.web.access import LEAD_ROLES, assessment_or_404, partnership_or_404
from selfassess.web.language import current_language
from selfassess.web.routing import database_id

RATING_ROLES = ("lead", "member")


def rated_frameworks(assessment):
    library = frameworks()
    found = [library.resolve(af.framework_id, af.framework_version) for af in assessment.frameworks]
    return [fw for fw in found if fw.is_rated]


def framework_or_404(assessment, framework_id: str):
    fw = next((f for f in rated_frameworks(assessment) if f.id == framework_id), None)
    if fw is None:
        abort(404)
    return fw


def raters(assessment):
    """The users who may be named on a form: the partnership's leads and members."""
    return [m.user for m in members(assessment.partnership_id) if m.role in RATING_ROLES]


def print_language() -> str:
    """The language a form is printed in (?in=): "en", "cy" or "cy+en" (Welsh with the English
    under it); the page's own language when none is asked for."""
    asked = request.args.get("in")
    return asked if asked in PRINT_LANGUAGES else current_language()


def _pdf(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/assessments/<int:assessment_id>/paper")
@login_required
def index(assessment_id: int, find_form=None, upload_form=None, status=200):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    return render_template(
        "paper/index.html",
        assessment=assessment,
        frameworks=rated_frameworks(assessment),
        people=raters(assessment),
        agency_name=agency_name,
        find_form=find_form or FindFormForm(formdata=None),
        upload_form=upload_form or UploadForm(formdata=None),
        waiting=q.waiting_entries(assessment.id),
        scans=q.scans_of(assessment.id),
        show_form_code=show_form_code,
        max_pages=MAX_PAGES,
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    ), status


def _assessment_pdf(assessment, fw, member):
    form = paper_service.assessment_form(assessment, fw, member, current_user)
    language = print_language()
    said = in_form_language(language)
    pdf = paper_service.form_pdf(
        form,
        fw,
        title=said(
            lambda lang: _("%(framework)s: paper form", framework=fw.in_language(fw.name, lang))
        ),
        subtitle=f"{assessment.title} · {assessment.partnership.name}",
        marking=current_app.config["PROTECTIVE_MARKING"],
        language=language,
    )
    who = f"member-{member.id}" if member else "blank"
    suffix = "" if language == "en" else f"-{language.replace('+', '-')}"
    return _pdf(pdf, f"assessment-{assessment.id}-{fw.id}-{who}-{form.code}{suffix}.pdf")


@bp.get("/assessments/<int:assessment_id>/paper/<framework_id>/blank.pdf")
@login_required
def blank_pdf(assessment_id: int, framework_id: str):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    return _assessment_pdf(assessment, framework_or_404(assessment, framework_id), None)


@bp.get("/assessments/<int:assessment_id>/paper/<framework_id>/members/<int:user_id>.pdf")
@login_required
def member_pdf(assessment_id: int, framework_id: str, user_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    fw = framework_or_404(assessment, framework_id)
    member = next((u for u in raters(assessment) if u.id == user_id), None)
    if member is None:
        abort(404)
    return _assessment_pdf(assessment, fw, member)


@bp.get("/partnerships/<int:partnership_id>/collections/<slug>/paper/<framework_id>.pdf")
@login_required
def survey_pdf(partnership_id: int, slug: str, framework_id: str):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    collection = nq.collection_or_none(slug)
    if collection is None or not nq.is_expected(collection, partnership.id):
        abort(404)
    fw = next(
        (
            f
            for f in nq.collection_frameworks(collection)
            if f.kind == "survey" and f.id == framework_id
        ),
        None,
    )
    if fw is None:
        abort(404)
    form = paper_service.survey_form(partnership, collection, fw, current_user)
    language = print_language()
    pdf = paper_service.form_pdf(
        form,
        fw,
        title=in_form_language(language)(lambda lang: fw.in_language(fw.title, lang)),
        subtitle=f"{collection.title} · {partnership.name}",
        marking=current_app.config["PROTECTIVE_MARKING"],
        language=language,
    )
    suffix = "" if language == "en" else f"-{language.replace('+', '-')}"
    return _pdf(pdf, f"{collection.slug}-{fw.id}-{form.code}{suffix}.pdf")


# --- keying in -------------------------------------------------------------------------------


@bp.post("/assessments/<int:assessment_id>/paper/key")
@login_required
def find_form(assessment_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    form = FindFormForm()
    if form.validate_on_submit():
        code = clean_form_code(form.code.data)
        found = q.form_by_code(code) if code else None
        if found is not None and found.assessment_id == assessment.id:
            return redirect(url_for("paper.key", assessment_id=assessment.id, code=found.code))
        form.code.errors = [
            _(
                "No form of this assessment has that code: check the 8 letters and numbers "
                "printed at the top of the form"
            )
        ]
    return index(assessment.id, find_form=form, status=400)


def _paper_form_or_404(assessment, code: str):
    found = q.form_by_code(clean_form_code(code) or "")
    if found is None or found.assessment_id != assessment.id:
        abort(404)
    return found


def _keyed_from(fw, data) -> dict[str, Keyed]:
    return {
        item.id: Keyed(
            data.get(f"r-{item.id}") or None,
            data.get(f"e-{item.id}", ""),
            data.get(f"m-{item.id}", ""),
        )
        for item in fw.items
    }


def _member(assessment, paper_form):
    """Whose form this is: the member it was made out to, or (a blank form) the one chosen."""
    if paper_form.user is not None:
        return paper_form.user, None
    chosen = request.values.get("member", type=database_id)
    member = next((u for u in raters(assessment) if u.id == chosen), None)
    return member, chosen


@bp.route("/assessments/<int:assessment_id>/paper/forms/<code>", methods=["GET", "POST"])
@login_required
def key(assessment_id: int, code: str):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    paper_form = _paper_form_or_404(assessment, code)
    fw = framework_or_404(assessment, paper_form.framework_id)
    member, chosen = _member(assessment, paper_form)
    waiting = q.waiting_entry(paper_form.id, member.id) if member else None
    verifying = waiting is not None and waiting.entered_by_id != current_user.id
    form = PostForm()
    error, keyed, status = None, {}, 200
    if request.method == "POST" and form.validate_on_submit():
        keyed = _keyed_from(fw, request.form)
        step = request.form.get("step", "")
        try:
            if member is None:
                raise paper_service.PaperError(_("Choose whose form this is"))
            if waiting is not None and not verifying:
                raise paper_service.PaperError(
                    _("You keyed this form already: it waits for a second person to key it again")
                )
            if verifying:
                return _compare_or_save(assessment, fw, paper_form, waiting, keyed, step)
            if step == "second":
                paper_service.keep_for_second_keying(
                    assessment, paper_form, fw, member, keyed, current_user
                )
                flash(
                    _(
                        "Form %(code)s for %(name)s is kept for a second person to key in. "
                        "Nothing is saved until they do.",
                        code=show_form_code(paper_form.code),
                        name=member.name,
                    ),
                    "success",
                )
            else:
                saved = paper_service.save_keyed(assessment, fw, member, keyed, current_user)
                flash(
                    ngettext(
                        "%(num)d rating entered from paper for %(name)s.",
                        "%(num)d ratings entered from paper for %(name)s.",
                        saved,
                        name=member.name,
                    ),
                    "success",
                )
            return redirect(url_for("paper.index", assessment_id=assessment.id))
        except (paper_service.PaperError, AssessmentLocked) as exc:
            error, status = str(exc), 400
    elif request.method == "POST":
        error, status = _("The form expired: key it in again"), 400
    return render_template(
        "paper/key.html",
        assessment=assessment,
        framework=fw,
        paper_form=paper_form,
        code_shown=show_form_code(paper_form.code),
        member=member,
        chosen=chosen,
        people=raters(assessment) if paper_form.user is None else [],
        agency_name=agency_name,
        waiting=waiting,
        verifying=verifying,
        keys=rating_keys(
            [replace(v, label=fw.in_language(v.label, current_language())) for v in fw.scale]
        ),
        keyed=keyed,
        form=form,
        error=error,
    ), status


def _compare_or_save(assessment, fw, paper_form, waiting, second, step):
    """The second keying: saved at once when it matches the first; otherwise the differences
    side by side, each to be chosen, before anything is saved."""
    first = paper_service.entry_answers(waiting)
    order = [item.id for item in fw.items]
    found = differences(order, first, second)
    if found and step == "choose":
        chosen = dict(second)
        missing = []
        for d in found:
            pick = request.form.get(f"choice-{d.item_id}")
            if pick == "first":
                chosen[d.item_id] = d.first
            elif pick != "second":
                missing.append(d.item_id)
        if not missing:
            found = []
            second = chosen
    if found:
        return render_template(
            "paper/compare.html",
            assessment=assessment,
            framework=fw,
            paper_form=paper_form,
            code_shown=show_form_code(paper_form.code),
            member=waiting.user,
            first_by=waiting.entered_by,
            found=found,
            second=second,
            scale_label=lambda v: fw.scale_value(v).label if v and fw.scale_value(v) else None,
            form=PostForm(),
            agency_name=agency_name,
            unchosen=step == "choose",
        ), (400 if step == "choose" else 200)
    saved = paper_service.finish_double_entry(assessment, waiting, fw, second, current_user)
    flash(
        ngettext(
            "Checked by a second person: %(num)d rating entered from paper for %(name)s.",
            "Checked by a second person: %(num)d ratings entered from paper for %(name)s.",
            saved,
            name=waiting.user.name,
        ),
        "success",
    )
    return redirect(url_for("paper.index", assessment_id=assessment.id))


@bp.post("/assessments/<int:assessment_id>/paper/entries/<int:entry_id>/discard")
@login_required
def discard(assessment_id: int, entry_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    entry = q.entry_or_none(assessment.id, entry_id)
    if entry is None:
        abort(404)
    if PostForm().validate_on_submit():
        paper_service.discard_entry(entry, current_user)
        flash(_("The waiting keying was discarded; nothing from it was saved."), "success")
    return redirect(url_for("paper.index", assessment_id=assessment.id))
