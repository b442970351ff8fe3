"""The files an assessment can be taken away as: CSV and XLSX of the ratings and the action plan,
and JSON of the whole assessment. Every text cell goes through ``safe_cell``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfassess.documents.report import action_plan, current_rating
from selfassess.domain import palette
from selfassess.domain.frameworks import FrameworkLibrary
from selfassess.domain.i18n import N_
from selfassess.domain.reference import agency_name
from selfassess.domain.spreadsheet_safety import CSV_QUOTING, FORMULA_STARTS, safe_row
from selfassess.domain.visibility import EVERYONE, RatingsScope
from selfassess.models import Assessment
from selfassess.queries import reports as q

RATING_HEADER = [
    "Partnership code",
    "Assessment id",
    "Framework id",
    "Framework version",
    "Section",
    "Item id",
    "Item text",
    "Participant name",
    "Agency",
    "Value",
    "Evidence",
    "Improvement",
    "Updated at",
    "Workshop votes",
]
ACTION_HEADER = [
    "Partnership code",
    "Assessment id",
    "Framework id",
    "Section",
    "Item id",
    "Item text",
    "Current rating",
    "Action",
    "Owner",
    "Due date",
    "Status",
    "Overdue",
    "Carried over from last cycle",
]

# In a language other than English, the columns of words are given again in that language,
# after every column above (kept as they are: ids and English words that tools rely on).
RATING_LABELS = (N_("Item text"), N_("Agency"), N_("Rating"))
ACTION_LABELS = (N_("Item text"), N_("Current rating"), N_("Status"))


def label_header(labels: tuple[str, ...], language: str) -> list[str]:
    """The headers of the added columns, in ``language`` (none for English)."""
    if language == "en":
        return []
    from selfassess.documents.language import use_language

    with use_language(language):
        return [gettext(label) for label in labels]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def rating_table(
    library: FrameworkLibrary,
    assessment: Assessment,
    scope: RatingsScope = EVERYONE,
    language: str = "en",
) -> list[list[Any]]:
    code = assessment.partnership.code
    rows = []
    votes = q.workshop_votes(assessment.id)
    for r in q.rating_rows(assessment.id, scope):
        fw = library.resolve(r.framework_id, r.framework_version)
        item = fw.item(r.item_id)
        cast = votes.get((r.participant_id, r.framework_id, r.item_id), [])
        rows.append(
            [
                code,
                assessment.id,
                r.framework_id,
                r.framework_version,
                item.section_id if item else "",
                r.item_id,
                item.text if item else "",
                r.participant,
                agency_name(r.agency),
                r.value or "",
                r.evidence or "",
                r.improvement or "",
                r.updated_at.replace(microsecond=0) if r.updated_at else "",
                _votes_in_words(fw, cast),
            ]
        )
        if language != "en":
            value = fw.scale_value(r.value) if r.value else None
            rows[-1] += [
                fw.in_language(item.text, language) if item else "",
                _in(language, agency_name(r.agency)),
                fw.in_language(value.label, language) if value else "",
            ]
    return rows


def _in(language: str, message: str) -> str:
    """A message of the catalogue in ``language``."""
    from selfassess.documents.language import use_language

    with use_language(language):
        return gettext(message)


def _votes_in_words(framework, cast: list[tuple]) -> str:
    """A person's workshop votes on one question, every round kept:
    "2 December 2026 round 1: Red, round 2: Amber"."""
    by_workshop: dict[Any, list[str]] = {}
    for started, round_, value in cast:
        label = framework.scale_value(value).label if framework.scale_value(value) else value
        by_workshop.setdefault(started, []).append(f"round {round_}: {label}")
    return "; ".join(
        f"{started.day} {started:%B %Y} {', '.join(rounds)}"
        for started, rounds in by_workshop.items()
    )


def action_table(
    library: FrameworkLibrary,
    assessment: Assessment,
    scope: RatingsScope = EVERYONE,
    language: str = "en",
) -> list[list[Any]]:
    results, groups = action_plan(library, assessment, scope)
    today = date.today()
    rows = []
    for group in groups:
        for a in group.actions:
            fw = group.framework
            item = fw.item(a.item_id) if a.item_id else None
            rated = current_rating(results, a)
            rows.append(
                [
                    assessment.partnership.code,
                    assessment.id,
                    a.framework_id,
                    a.section_id or "",
                    a.item_id or "",
                    item.text if item else "",
                    (rated.rating_label or "Not rated") if rated else "",
                    a.description,
                    a.owner,
                    a.due_on,
                    q.ACTION_STATUS_LABELS.get(a.status, a.status),
                    "Overdue" if q.is_overdue(a, today) else "",
                    "Yes" if a.carried_from_id else "",
                ]
            )
            if language != "en":
                rating = ""
                if rated:
                    rating = (
                        fw.in_language(rated.rating_label, language)
                        if rated.rating_label
                        else _in(language, "Not rated")
                    )
                rows[-1] += [
                    fw.in_language(item.text, language) if item else "",
                    rating,
                    _in(language, q.ACTION_STATUS_LABELS.get(a.status, a.status)),
                ]
    return rows


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=CSV_QUOTING)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(_iso(v) if v is not None else "" for v in row))
    # A byte order mark so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Columns holding a rating: their cells take the RAG palette's fill, beside the word.
RAG_COLUMNS = frozenset({"Value", "Current rating"})
# Columns of typed text: wide and wrapped, so a row reads without widening the column by hand.
WRAPPED_COLUMNS = frozenset(
    {"Item text", "Evidence", "Improvement", "Action", "Question", "Answer text"}
)
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"


@dataclass(frozen=True)
class AboutFile:
    """What the "About this file" sheet says: what the file holds, when it was made, its
    protective marking and the filters applied to its rows."""

    what: str
    marking: str
    filters: str
    made_at: datetime
    details: tuple[tuple[str, str], ...] = ()


def _rag_styles() -> dict[str, tuple[PatternFill, Font]]:
    return {
        c.id: (PatternFill("solid", fgColor=c.fill[1:].upper()), Font(color=c.text[1:].upper()))
        for c in palette.RAG
    }


def _cell_value(value: Any) -> Any:
    """Spreadsheet programs hold dates and times without a time zone: times in UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _width(header: str, values: list[Any]) -> float:
    if header in WRAPPED_COLUMNS:
        return 50
    longest = max([len(header)] + [len(str(v)) for v in values if v is not None], default=8)
    return min(max(longest + 2, 10), 40)


def to_xlsx(title: str, header: list[str], rows: list[list[Any]], about: AboutFile) -> bytes:
    """One sheet of rows a person can work with (column widths, the header row frozen and
    filtered, dates as dates, ratings in the RAG palette with their word) and an "About this
    file" sheet. Every text is a text cell, never a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    for n, name in enumerate(header, start=1):
        sheet.cell(row=1, column=n, value=name).font = bold
    styles = _rag_styles()
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r, row in enumerate(rows, start=2):
        for n, value in enumerate(row, start=1):
            value = _cell_value(value)
            cell = sheet.cell(row=r, column=n, value=value)
            name = header[n - 1]
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl takes text starting "=" for a formula
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cell.alignment = wrap if name in WRAPPED_COLUMNS else top
            if name in RAG_COLUMNS:
                colour = palette.rag_colour(value if isinstance(value, str) else None).id
                if colour in styles:
                    cell.fill, cell.font = styles[colour]
    for n, name in enumerate(header, start=1):
        column = get_column_letter(n)
        sheet.column_dimensions[column].width = _width(name, [row[n - 1] for row in rows])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    sheet.oddHeader.center.text = about.marking
    sheet.oddFooter.center.text = about.marking
    _about_sheet(book, about, len(rows))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _about_sheet(book: Workbook, about: AboutFile, count: int) -> None:
    """In the language the file is made in (the caller's ``use_language``)."""
    sheet = book.create_sheet(gettext("About this file")[:31])
    rows = [
        (gettext("What this file holds"), about.what),
        *about.details,
        (gettext("Made"), about.made_at),
        (gettext("Protective marking"), about.marking),
        (gettext("Filters applied"), about.filters),
        (gettext("Rows"), count),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        sheet.cell(row=r, column=1, value=key).font = Font(bold=True)
        cell = sheet.cell(row=r, column=2, value=_cell_value(value))
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80


def assessment_json(
    library: FrameworkLibrary, assessment: Assessment, scope: RatingsScope = EVERYONE
) -> dict[str, Any]:
    """The whole assessment as this reader may see it: frameworks, results per section and item,
    ratings (only their own, until everyone's are visible to them), actions."""
    from selfassess.queries.ratings import assessment_results

    results = assessment_results(library, assessment, scope)
    frameworks = []
    for fr in results.frameworks:
        fw = fr.framework
        frameworks.append(
            {
                "id": fw.id,
                "version": fw.version,
                "title": fw.title,
                "overall": _section_json(fr.overall),
                "sections": [
                    {**_section_json(s), "items": [_item_json(i) for i in s.items]}
                    for s in fr.sections
                ],
            }
        )
    return {
        "partnership": {
            "code": assessment.partnership.code,
            "name": assessment.partnership.name,
        },
        "assessment": {
            "id": assessment.id,
            "title": assessment.title,
            "period": assessment.period,
            "status": assessment.status,
            "previous_id": assessment.previous_id,
            "frameworks": [
                {"id": af.framework_id, "version": af.framework_version}
                for af in assessment.frameworks
            ],
        },
        "results": frameworks,
        "ratings": [
            {k: _iso(v) for k, v in zip(RATING_HEADER, r, strict=True)}
            for r in rating_table(library, assessment, scope)
        ],
        "actions": [
            {k: _iso(v) for k, v in zip(ACTION_HEADER, r, strict=True)}
            for r in action_table(library, assessment, scope)
        ],
    }


def _section_json(s) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "title": s.title,
        "rag": s.rag,
        "score": s.score,
        "items_scored": s.items_scored,
        "items_total": s.items_total,
        "provisional": s.provisional,
        "explanation": s.explanation,
    }


def _item_json(i) -> dict[str, Any]:
    return {
        "id": i.item_id,
        "text": i.item.text,
        "rating": i.rating,
        "provisional": i.provisional,
        "carried_forward": i.carried_forward,
        "rationale": i.rationale,
        "derived": i.derived,
        "distribution": i.distribution,
        "by_agency": i.by_agency,
        "n": i.n,
        "agreement": i.agreement,
        "contested": i.contested,
        "uncertain": i.uncertain,
        "explanation": i.explanation,
    }
