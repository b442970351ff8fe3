"""National analysts' pages: collections, response rates, the national picture, import, exports,
API tokens. Analysts see a partnership's data only once it is submitted as a return."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

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
from flask_login import current_user

from selfassess.documents import exports, jobs
from selfassess.documents import picture_rows as kept
from selfassess.documents.national_charts import picture_charts
from selfassess.documents.national_picture import picture_pdf_key
from selfassess.documents.national_tables import FORMATS as TABLE_FORMATS
from selfassess.documents.national_tables import dataset_file
from selfassess.domain.expected_partnerships import parse_expected
from selfassess.domain.i18n import N_
from selfassess.domain.national_figures import collection_items
from selfassess.domain.reference import REGIONS, region_name
from selfassess.domain.returns_import import parse_returns, rows_to_csv
from selfassess.domain.spreadsheet_safety import safe_row
from selfassess.extensions import frameworks
from selfassess.models import Collection
from selfassess.queries import api_tokens as token_queries
from selfassess.queries import national as q
from selfassess.queries import national_dataset
from selfassess.services import api_tokens
from selfassess.services.collections import (
    ExpectedRefused,
    create_collection_expecting,
    load_expected,
)
from selfassess.services.returns import import_returns
from selfassess.views.national import bp
from selfassess.views.national.forms import (
    CollectionForm,
    ConfirmForm,
    ExpectedForm,
    ImportForm,
    TokenForm,
)
from selfassess.web import documents as document_pages
from selfassess.web.access import analyst_required
from selfassess.web.language import current_language, local
from selfassess.web.phrases import translated

MULTI_NOTE = N_(
    "Percentages do not add up to 100 because partnerships could choose more than one answer."
)


def collection_or_404(slug: str) -> Collection:
    collection = q.collection_or_none(slug)
    if collection is None:
        abort(404)
    return collection


def _framework_choices() -> list[tuple[str, str]]:
    return [
        (fw.id, local(fw.title)) for fw in frameworks().latest_all() if fw.kind in ("rag", "survey")
    ]


@bp.route("/")
@analyst_required
def index():
    return render_template("national/index.html", collections=q.all_collections())


@bp.route("/collections/new", methods=["GET", "POST"])
@analyst_required
def new_collection():
    form = CollectionForm()
    form.frameworks.choices = _framework_choices()
    problems = []
    if form.validate_on_submit():
        if q.collection_or_none(form.slug.data):
            form.slug.errors = [*form.slug.errors, _("A collection already uses this short name")]
        upload = request.files.get("expected")
        rows = []
        if upload and upload.filename:
            rows, problems = parse_expected(upload.read(), upload.filename)
        if not form.slug.errors and not problems:
            collection, expected, created = create_collection_expecting(
                form.title.data,
                form.slug.data,
                form.frameworks.data,
                form.opens_on.data,
                form.closes_on.data,
                current_user,
                rows,
            )
            flash(
                _(
                    "Collection created: %(expected)s partnerships expected, %(created)s of them "
                    "new to the tool.",
                    expected=expected,
                    created=created,
                )
                if created
                else _(
                    "Collection created: %(expected)s partnerships expected.", expected=expected
                ),
                "success",
            )
            return redirect(url_for("national.collection", slug=collection.slug))
    return render_template("national/new_collection.html", form=form, problems=problems)


@bp.route("/collections/<slug>")
@analyst_required
def collection(slug: str):
    coll = collection_or_404(slug)
    return render_template(
        "national/collection.html",
        collection=coll,
        rates=q.response_rates(coll),
        returns=q.returns_of(coll),
        frameworks=q.collection_frameworks(coll),
        is_open=q.is_open(coll),
    )


@bp.route("/collections/<slug>/returns/<int:return_id>")
@analyst_required
def show_return(slug: str, return_id: int):
    coll = collection_or_404(slug)
    ret = q.return_in(coll, return_id)
    if ret is None:
        abort(404)
    return render_template(
        "national/return.html",
        collection=coll,
        ret=ret,
        frameworks=q.collection_frameworks(coll),
    )


def _region_or_404() -> str | None:
    region = request.args.get("region") or None
    if region is not None and region not in dict(REGIONS):
        abort(404)
    return region


def _compare_or_404(coll: Collection) -> Collection | None:
    """The collection the analyst chose to compare with (?compare=SLUG), if any."""
    slug = request.args.get("compare") or None
    if slug is None:
        return None
    other = q.collection_or_none(slug)
    if other is None or other.id == coll.id:
        abort(404)
    return other


@bp.route("/collections/<slug>/picture")
@analyst_required
def picture(slug: str):
    coll = collection_or_404(slug)
    region = _region_or_404()
    earlier = _compare_or_404(coll)
    figures = kept.national_picture(coll, region=region)
    fws = q.collection_frameworks(coll)
    # Comparisons are of the England and Wales figures: a region's are suppressed apart.
    comparison = (
        kept.compared_with(coll, earlier, figures)
        if earlier is not None and region is None
        else None
    )

    charts = picture_charts((coll.id, region), figures)
    items = [(f, charts[("item", key)]) for key, f in figures.items.items()]
    sections = [
        (fid, s, charts[("section", fid, sid)])
        for fid, by_id in figures.sections.items()
        for sid, s in by_id.items()
    ]
    return render_template(
        "national/picture.html",
        collection=coll,
        picture=figures,
        items=items,
        sections=sections,
        frameworks={fw.id: fw for fw in fws},
        regions=REGIONS,
        region=region,
        region_label=region_name(region) if region else None,
        multi_note=MULTI_NOTE,
        others=[c for c in q.all_collections() if c.id != coll.id],
        earlier=earlier,
        comparison=comparison,
    )


@bp.get("/collections/<slug>/picture.pdf")
@analyst_required
def picture_pdf(slug: str):
    coll = collection_or_404(slug)
    region = _region_or_404()
    earlier = _compare_or_404(coll)
    marking = current_app.config["PROTECTIVE_MARKING"]
    outcome = jobs.document(
        "national-picture",
        picture_pdf_key(coll, region, marking, earlier, current_language()),
        {
            "collection_id": coll.id,
            "region": region,
            "marking": marking,
            "earlier_id": earlier.id if earlier else None,
            "language": current_language(),
        },
        again=document_pages.asked_again(),
        wait=document_pages.wait_seconds(),
    )
    page = document_pages.pending_page(
        outcome,
        _("The national picture"),
        url_for(
            "national.picture",
            slug=coll.slug,
            **{k: v for k, v in request.args.items() if k in ("region", "compare")},
        ),
        _("Back to the national picture"),
    )
    if page is not None:
        return page
    pdf = outcome.body
    stem = re.sub(r"[^A-Za-z0-9-]", "", coll.slug) or "collection"
    name = f"{stem}-national-picture" + (f"-{region}" if region else "") + ".pdf"
    response = _download(pdf, "application/pdf", name)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/collections/<slug>/import", methods=["GET", "POST"])
@analyst_required
def import_file(slug: str):
    coll = collection_or_404(slug)
    form = ImportForm()
    problems = []
    if request.method == "POST":
        upload = request.files.get("returns_file")
        if upload is None or not upload.filename:
            form.returns_file.errors = [_("Choose a returns file")]
        elif form.validate_on_submit() or not form.errors.keys() - {"returns_file"}:
            result = parse_returns(
                upload.filename,
                upload.read(),
                q.collection_frameworks(coll),
                q.all_codes(),
                q.existing_codes(coll),
                replace=bool(form.replace.data),
                expected_codes=q.expected_codes(coll),
                add_expected=bool(form.add_expected.data),
            )
            if result.ok:
                count = import_returns(
                    coll, result, current_user, add_expected=bool(form.add_expected.data)
                )
                flash(_("%(count)s returns imported.", count=count), "success")
                return redirect(url_for("national.collection", slug=coll.slug))
            problems = result.errors
    return render_template("national/import.html", collection=coll, form=form, problems=problems)


@bp.route("/collections/<slug>/expected", methods=["GET", "POST"])
@analyst_required
def expected(slug: str):
    coll = collection_or_404(slug)
    form = ExpectedForm()
    problems = []
    if form.validate_on_submit():
        upload = request.files.get("expected_file")
        if upload is None or not upload.filename:
            form.expected_file.errors = [_("Choose a CSV file of expected partnerships")]
        else:
            rows, problems = parse_expected(upload.read(), upload.filename)
            if not problems:
                try:
                    loaded = load_expected(
                        coll, rows, current_user, replace=bool(form.replace.data)
                    )
                except ExpectedRefused as exc:
                    form.expected_file.errors = [
                        _("%(problem)s. Nothing was loaded.", problem=translated(exc.message))
                    ]
                else:
                    flash(
                        _(
                            "%(expected)s partnerships expected: %(added)s added (%(created)s new "
                            "to the tool), %(updated)s updated, %(removed)s removed.",
                            expected=loaded.expected,
                            added=loaded.added,
                            created=loaded.created,
                            updated=loaded.updated,
                            removed=loaded.removed,
                        ),
                        "success",
                    )
                    return redirect(url_for("national.collection", slug=coll.slug))
    return render_template(
        "national/expected.html",
        collection=coll,
        form=form,
        problems=problems,
        rates=q.response_rates(coll),
    )


@bp.route("/collections/<slug>/dataset.<fmt>")
@analyst_required
def dataset(slug: str, fmt: str):
    coll = collection_or_404(slug)
    rows = national_dataset.dataset_rows(coll)
    name = f"{coll.slug}-returns"
    if fmt == "json":
        body = json.dumps(rows, indent=2, ensure_ascii=False)
        return _download(body, "application/json", f"{name}.json")
    # The id columns as they always are, then the same answers in words, in the page's
    # language: the region's name, the question and the answer's label.
    labels = _dataset_labels(coll)
    table = [[*national_dataset.DATASET_COLUMNS, _("Region name"), _("Question"), _("Answer")]] + [
        ["" if r[c] is None else str(r[c]) for c in national_dataset.DATASET_COLUMNS] + labels(r)
        for r in rows
    ]
    if fmt == "csv":
        csv_table = [table[0], *(safe_row(row) for row in table[1:])]
        return _download(rows_to_csv(csv_table), "text/csv", f"{name}.csv")
    if fmt == "xlsx":
        about = exports.AboutFile(
            what=_(
                "National dataset: %(title)s, one row per answer in each return", title=coll.title
            ),
            marking=current_app.config["PROTECTIVE_MARKING"],
            filters=_("None: every return made to this collection, one row per answer"),
            made_at=datetime.now(UTC),
        )
        return _download(
            exports.to_xlsx(_("National dataset"), table[0], table[1:], about),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    abort(404)


def _dataset_labels(coll: Collection):
    """A dataset row's words: its region's name, its question and its answers' labels."""
    items = {ci.key: ci for ci in collection_items(q.collection_frameworks(coll))}

    def labels(row: dict) -> list[str]:
        ci = items.get(row["item"])
        region = _(region_name(row["region"])) if row["region"] else ""
        if ci is None:
            return [region, "", ""]
        options = dict(ci.options)
        values = [v for v in (row["value"] or "").split(";") if v]
        answer = "; ".join(str(local(options[v])) if v in options else v for v in values)
        return [region, str(local(ci.item.text)), answer]

    return labels


@bp.get("/collections/<slug>/tables/<fmt>")
@analyst_required
def tables(slug: str, fmt: str):
    """The dataset as two tables (a row per return, a row per arrangement) for analysis
    packages: CSV or XLSX with a codebook, SPSS or Stata with labels."""
    coll = collection_or_404(slug)
    if fmt not in TABLE_FORMATS:
        abort(404)
    mimetype, extension = TABLE_FORMATS[fmt]
    stem = re.sub(r"[^A-Za-z0-9-]", "", coll.slug) or "collection"
    return _download(dataset_file(coll, fmt), mimetype, f"{stem}-tables.{extension}")


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- API tokens -----------------------------------------------------------------------------


@bp.route("/tokens", methods=["GET", "POST"])
@analyst_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = api_tokens.issue_token(form.name.data, current_user)
        form = TokenForm(formdata=None)
    return render_template(
        "national/tokens.html",
        form=form,
        tokens=token_queries.all_tokens(),
        new_token=new_token,
        revoke_form=ConfirmForm(),
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@analyst_required
def revoke_token(token_id: int):
    token = token_queries.token_or_none(token_id)
    if token is None:
        abort(404)
    if api_tokens.revoke_token(token, current_user):
        flash(_("Token “%(name)s” revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("national.tokens"))
