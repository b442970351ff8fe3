"""The report as a PDF, for one reader's view of it.

Built in the request's place by a background job (``selfassess.documents.jobs``), which has
ids, not the request's signed-in person: so the reader's view travels as ``scopes``, whose
ratings they may see in this assessment and in the previous cycle's, decided by the request.
"""

from __future__ import annotations

from selfassess.documents import pdf
from selfassess.documents.language import current_language, use_language
from selfassess.documents.report import build_report
from selfassess.domain.visibility import RatingsScope
from selfassess.extensions import db, frameworks
from selfassess.models import Assessment


def scopes_as_data(scopes: dict[int, RatingsScope]) -> dict[int, tuple[bool, int | None]]:
    return {aid: (s.everyone, s.participant_id) for aid, s in scopes.items()}


def render_report_pdf(
    assessment: Assessment,
    scopes: dict[int, RatingsScope],
    marking: str,
    language: str = "en",
) -> bytes:
    """The report in ``language``: "en", "cy", or "cy+en" (the whole report in Welsh, then in
    English). Its charts and sentences are made in each half's language."""
    languages = pdf.languages_of(language)
    reports = {}
    for code in languages:
        with use_language(code):
            reports[code] = build_report(frameworks(), assessment, scope_of=lambda a: scopes[a.id])

    return pdf.render_pdf(
        "report.html",
        languages=languages,
        report=_InLanguage(reports),
        assessment=assessment,
        marking=marking,
    )


class _InLanguage:
    """The report built for the language being rendered (its charts are drawn in it)."""

    def __init__(self, reports: dict) -> None:
        self._reports = reports

    def __getattr__(self, name: str):
        report = self._reports.get(current_language()) or next(iter(self._reports.values()))
        return getattr(report, name)


def render_report_pdf_for(
    assessment_id: int,
    scopes: dict[int, tuple[bool, int | None]],
    marking: str,
    language: str = "en",
) -> bytes:
    """The PDF built by a background job, from ids and the reader's scopes as plain data, in
    the language the reader asked for (the job has no request to tell it)."""
    readers_view = {aid: RatingsScope(*scope) for aid, scope in scopes.items()}
    return render_report_pdf(
        db.session.get(Assessment, assessment_id), readers_view, marking, language
    )
