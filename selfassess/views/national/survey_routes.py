"""The partnership's side: collections it is expected in, the national survey one question per
page, check your answers, and submit the return (which locks the agreed assessment)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from selfassess.domain.survey_flow import (
    ARRANGEMENTS_ITEM,
    MAX_ARRANGEMENTS,
    Step,
    arrangement_count,
    return_rows,
    survey_steps,
    unanswered,
)
from selfassess.domain.survey_rules import (
    answers_from_rows,
    consistency_problems,
    exclusive_problem,
)
from selfassess.queries import national as q
from selfassess.services.returns import (
    ReturnError,
    StaleReturn,
    save_draft_answer,
    submit_return,
)
from selfassess.views.national import bp
from selfassess.web.access import LEAD_ROLES, READ_ROLES, partnership_or_404, role_in
from selfassess.web.language import local
from selfassess.web.phrases import translated
from selfassess.web.routing import database_id


def _expected_collection_or_404(partnership, slug):
    collection = q.collection_or_none(slug)
    if collection is None or not q.is_expected(collection, partnership.id):
        abort(404)
    return collection


def _survey_frameworks(collection):
    return [fw for fw in q.collection_frameworks(collection) if fw.kind == "survey"]


def _step_url(partnership, collection, step: Step) -> str:
    return url_for(
        "national.survey_question",
        partnership_id=partnership.id,
        slug=collection.slug,
        framework_id=step.framework_id,
        item_id=step.item_id,
        arrangement=step.arrangement,
    )


@bp.route("/partnerships/<int:partnership_id>/returns")
@login_required
def partnership_returns(partnership_id: int):
    partnership = partnership_or_404(partnership_id, READ_ROLES)
    rows = []
    for collection in q.expected_collections_for(partnership.id):
        rows.append((collection, q.return_for(collection, partnership.id), q.is_open(collection)))
    return render_template(
        "national/partnership_returns.html",
        partnership=partnership,
        rows=rows,
        is_lead=role_in(partnership.id) == "lead",
        paper_surveys=_survey_frameworks,
    )


@bp.route("/partnerships/<int:partnership_id>/collections/<slug>/start")
@login_required
def survey_start(partnership_id: int, slug: str):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    collection = _expected_collection_or_404(partnership, slug)
    answers = q.draft_answers(collection, partnership.id)
    todo = unanswered(_survey_frameworks(collection), answers)
    if todo:
        return redirect(_step_url(partnership, collection, todo[0]))
    return redirect(
        url_for("national.check_answers", partnership_id=partnership.id, slug=collection.slug)
    )


def _question_form(fw, item_id: str, current: list[str]):
    class QuestionForm(FlaskForm):
        submit = SubmitField(lazy_gettext("Save and continue"), widget=GovSubmitInput())

    if item_id == ARRANGEMENTS_ITEM:
        QuestionForm.answer = IntegerField(
            lazy_gettext("How many IOM arrangements are there in your partnership's area?"),
            widget=GovTextInput(),
            validators=[
                InputRequired(
                    message=lazy_gettext("Enter the number of IOM arrangements, for example 1")
                ),
                NumberRange(
                    1,
                    MAX_ARRANGEMENTS,
                    message=lazy_gettext("Enter a number from 1 to %(max)s", max=MAX_ARRANGEMENTS),
                ),
            ],
        )
        data = {"answer": int(current[0])} if current else {}
        return QuestionForm(data=data), None
    item = fw.item(item_id)
    if item is None:
        abort(404)
    choices = [(o.id, local(o.label)) for o in item.options]
    if item.type == "multi":
        QuestionForm.answer = SelectMultipleField(
            local(item.text),
            widget=GovCheckboxesInput(),
            choices=choices,
            validators=[Optional()],
        )
        data = {"answer": current}
    else:
        QuestionForm.answer = RadioField(
            local(item.text),
            widget=GovRadioInput(),
            choices=choices,
            validators=[Optional()],
        )
        data = {"answer": current[0] if current else None}
    return QuestionForm(data=data), item


@bp.route(
    "/partnerships/<int:partnership_id>/collections/<slug>/questions/"
    "<framework_id>/<item_id>/<int:arrangement>",
    methods=["GET", "POST"],
)
@login_required
def survey_question(partnership_id: int, slug: str, framework_id: str, item_id: str, arrangement):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    collection = _expected_collection_or_404(partnership, slug)
    fws = _survey_frameworks(collection)
    fw = next((f for f in fws if f.id == framework_id), None)
    if fw is None:
        abort(404)
    answers = q.draft_answers(collection, partnership.id)
    step = Step(framework_id, item_id, arrangement)
    if step not in survey_steps(fws, answers):
        abort(404)
    current = answers.get((framework_id, item_id, arrangement)) or []
    form, item = _question_form(fw, item_id, current)
    if form.validate_on_submit():
        value = form.answer.data
        if item_id == ARRANGEMENTS_ITEM:
            values = [str(value)]
        elif isinstance(value, list):
            values = [v for v in value if v]
        else:
            values = [value] if value and value != "None" else []
        problem = exclusive_problem(item, values) if item is not None else None
        if problem:
            form.answer.errors = [_exclusive_message(item, values)]
            return _question_page(partnership, collection, fw, item, arrangement, answers, form)
        save_draft_answer(collection, partnership, framework_id, item_id, arrangement, values)
        answers = q.draft_answers(collection, partnership.id)
        steps = survey_steps(fws, answers)
        following = steps[steps.index(step) + 1 :] if step in steps else []
        if following and request.args.get("change") is None:
            return redirect(_step_url(partnership, collection, following[0]))
        return redirect(
            url_for("national.check_answers", partnership_id=partnership.id, slug=collection.slug)
        )
    return _question_page(partnership, collection, fw, item, arrangement, answers, form)


def _exclusive_message(item, values: list[str]) -> str:
    """The exclusive rule in the words of the page: the options' labels."""
    alone = next(item.option(v) for v in values if v in item.exclusive)
    return _(
        "“%(answer)s” cannot be chosen with other answers: choose it alone, or untick it",
        answer=local(alone.label),
    )


def _question_page(partnership, collection, fw, item, arrangement, answers, form):
    section = fw.section(item.section_id) if item else None
    return render_template(
        "national/survey_question.html",
        partnership=partnership,
        collection=collection,
        framework=fw,
        item=item,
        section=section,
        arrangement=arrangement,
        count=arrangement_count(fw.id, answers),
        form=form,
        multi=bool(item and item.type == "multi"),
    )


# A version number a database integer column can hold on every database.
MAX_VERSION = 2**31 - 1


@bp.route("/partnerships/<int:partnership_id>/collections/<slug>/check", methods=["GET", "POST"])
@login_required
def check_answers(partnership_id: int, slug: str):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    collection = _expected_collection_or_404(partnership, slug)
    fws = q.collection_frameworks(collection)
    surveys = [fw for fw in fws if fw.kind == "survey"]
    rated = [fw for fw in fws if fw.is_rated]
    answers = q.draft_answers(collection, partnership.id)
    steps = survey_steps(surveys, answers)
    assessments = q.assessments_to_submit(partnership.id) if rated else []
    existing = q.return_for(collection, partnership.id)
    error = None
    error_target = "submit"  # where the error summary's link takes the person
    status = 400

    class SubmitForm(FlaskForm):
        submit = SubmitField(lazy_gettext("Submit the return"), widget=GovSubmitInput())

    form = SubmitForm()
    rows, arrangements = return_rows(surveys, answers)
    broken = consistency_problems(surveys, answers_from_rows(rows), arrangements)
    by_step = {(p.framework_id, p.item_id, p.arrangement): translated(p.message) for p in broken}
    submitting = form.validate_on_submit()
    if submitting and broken:
        status = 400  # shown with links to the answers to change; nothing is submitted
    elif submitting:
        chosen = None
        if rated:
            chosen_id = request.form.get("assessment", type=database_id)
            chosen = next((a for a in assessments if a.id == chosen_id), None)
        # The version the page showed (0: none), so a double click makes one version; a form
        # without it stands for the version stored when this request began.
        shown = request.form.get("shown_version", type=int)
        if shown is None or not 0 <= shown <= MAX_VERSION:
            shown = existing.version if existing else 0
        if rated and chosen is None:
            error, error_target = _("Choose the agreed assessment to submit"), "assessment"
        else:
            try:
                ret = submit_return(
                    collection,
                    partnership,
                    chosen,
                    rows,
                    arrangements,
                    current_user._get_current_object(),
                    shown_version=shown,
                )
            except StaleReturn as exc:
                error, status = translated(exc.message), 409
                error_target = "existing-version"  # the version now stored, said above the form
                existing = exc.current
            except ReturnError as exc:
                error = translated(exc.message)
            else:
                flash(
                    _(
                        "Return submitted to %(collection)s (version %(version)s).",
                        collection=collection.title,
                        version=ret.version,
                    ),
                    "success",
                )
                return redirect(
                    url_for("national.partnership_returns", partnership_id=partnership.id)
                )
    by_fw = {fw.id: fw for fw in surveys}
    shown = [
        (
            s,
            by_fw[s.framework_id],
            by_fw[s.framework_id].item(s.item_id),
            answers.get((s.framework_id, s.item_id, s.arrangement)) or [],
        )
        for s in steps
    ]
    return render_template(
        "national/check_answers.html",
        partnership=partnership,
        collection=collection,
        shown=shown,
        step_url=lambda s: _step_url(partnership, collection, s) + "?change=1",
        assessments=assessments,
        rated=rated,
        existing=existing,
        form=form,
        error=error,
        error_target=error_target,
        is_open=q.is_open(collection),
        broken=[
            (_step_url(partnership, collection, Step(*key)) + "?change=1", message)
            for key, message in by_step.items()
        ],
        broken_at=by_step,
    ), (200 if error is None and not (submitting and broken) else status)
