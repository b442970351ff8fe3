"""Everything the report page and the PDF report show about one assessment, gathered once.

The numbers come from the aggregation (``selfassess.domain.scoring`` via
``selfassess.queries.ratings.assessment_results``); this module only fetches the words around
them (evidence, actions, last cycle) in a few queries and draws the charts through the cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from cachetools import LRUCache
from flask_babel import gettext

from selfassess.documents import charts
from selfassess.domain import rating_words
from selfassess.domain import summary as summaries
from selfassess.domain.frameworks import Framework, FrameworkLibrary
from selfassess.domain.i18n import N_
from selfassess.domain.scoring import (
    AssessmentResults,
    FrameworkResult,
    ItemResult,
    SectionResult,
)
from selfassess.domain.sentences import Sentence
from selfassess.domain.visibility import EVERYONE, RatingsScope
from selfassess.extensions import db
from selfassess.models import Action, Assessment
from selfassess.queries import reports as q
from selfassess.queries.assessments import ratings_of
from selfassess.queries.ratings import assessment_results


@dataclass(frozen=True)
class ItemChange:
    before: str | None  # last cycle's rating (value id), None when not rated
    before_label: str | None
    now: str | None
    now_label: str | None
    words: str  # "better", "worse", "same", "newly rated", ...
    actions_done: int  # last cycle's actions about the item that are completed now
    actions_total: int


@dataclass
class FrameworkReport:
    framework: Framework
    result: FrameworkResult
    previous: FrameworkResult | None
    bars: charts.Chart
    heatmap: charts.Chart
    change: charts.Chart | None
    item_changes: dict[str, ItemChange] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        """How its ratings are worked out, exactly: for the reader who asks."""
        framework = self.framework
        return Sentence(lambda t, language: rating_words.exact_rule(framework, t, language))


@dataclass(kw_only=True)
class ReportDetail:
    """What each question's detail shows (ratings, votes, evidence, actions) as one reader may
    see it: the PDF report holds every question's; the report page links to one section's at a
    time."""

    assessment: Assessment
    results: AssessmentResults
    evidence: dict
    actions: list[Action]
    actions_by_item: dict
    today: date
    # Whose ratings this reader may see; when not everyone's, their own ratings by item.
    scope: RatingsScope = EVERYONE
    mine: dict = field(default_factory=dict)

    def my_rating(self, framework_id: str, item_id: str) -> str | None:
        rating = self.mine.get((framework_id, item_id))
        return rating.value if rating else None

    def explanation(self, item: ItemResult) -> str:
        """How the item's rating was reached; for a reader who sees only agreed ratings, an item
        with none is waiting for the board (not unrated: others may well have rated it)."""
        if self.scope.everyone or item.rating:
            return item.explanation
        return gettext("The board has not agreed a rating yet.")

    def item_actions(self, framework_id: str, item_id: str) -> list[Action]:
        return self.actions_by_item.get((framework_id, item_id), [])

    def section_actions(self, framework_id: str, section_id: str) -> list[Action]:
        """Actions about a whole section rather than one of its questions."""
        return [
            a
            for a in self.actions
            if a.framework_id == framework_id and a.section_id == section_id and not a.item_id
        ]

    def quotes(self, framework_id: str, item_id: str) -> list[Any]:
        return self.evidence.get((framework_id, item_id), [])

    def overdue(self, action: Action) -> bool:
        return q.is_overdue(action, self.today)


@dataclass(kw_only=True)
class Report(ReportDetail):
    frameworks: list[FrameworkReport]
    strengths: tuple
    gaps: tuple
    flags: list[ItemResult]
    previous: Assessment | None
    summary: summaries.Summary | None = None

    def framework_report(self, framework_id: str) -> FrameworkReport | None:
        return next((f for f in self.frameworks if f.framework.id == framework_id), None)

    def section_actions_count(self, framework_id: str, section_id: str) -> int:
        """Actions about a section or any of its questions: what its detail page lists."""
        fw = self.results.framework(framework_id)
        section = fw.section(section_id) if fw else None
        items = {i.item_id for i in section.items} if section else set()
        return sum(
            1
            for a in self.actions
            if a.framework_id == framework_id
            and (a.item_id in items or (not a.item_id and a.section_id == section_id))
        )


CHANGE_WORDS = {1: N_("better"), -1: N_("worse"), 0: N_("same")}


def _item_change(item: ItemResult, before: ItemResult | None, outcomes: list[str]) -> ItemChange:
    b_score = before.rating_score if before else None
    if b_score is None and item.rating_score is None:
        words = N_("not rated")
    elif b_score is None:
        words = N_("newly rated")
    elif item.rating_score is None:
        words = N_("no longer rated")
    else:
        diff = item.rating_score - b_score
        words = CHANGE_WORDS[(diff > 0) - (diff < 0)]
    return ItemChange(
        before.rating if before else None,
        before.rating_label if before else None,
        item.rating,
        item.rating_label,
        words,
        sum(1 for s in outcomes if s == "completed"),
        len(outcomes),
    )


# Results already worked out, per state of an assessment's ratings (``q.fingerprint``) and whose
# ratings the reader may see: a board reads its report many times between changes, and last
# cycle's (shown beside it) does not change at all. In this process only: results are counts,
# ratings and the board's rationales, never anyone's evidence, and cheap to work out again.
_kept_results: LRUCache = LRUCache(maxsize=64)
_kept_lock = threading.Lock()


def clear_kept_results() -> None:
    """Forget every result kept (a database whose ids start again, as each test's does)."""
    with _kept_lock:
        _kept_results.clear()


def results_of(
    library: FrameworkLibrary, assessment: Assessment, scope: RatingsScope, state: tuple
) -> AssessmentResults:
    """``assessment_results``, worked out once per state of the assessment's ratings."""
    key = (
        assessment.id,
        state,
        scope.cache_key,
        tuple((af.framework_id, af.framework_version) for af in assessment.frameworks),
        id(library),
    )
    with _kept_lock:
        found = _kept_results.get(key)
    if found is None:
        found = assessment_results(library, assessment, scope)
        with _kept_lock:
            _kept_results[key] = found
    return found


def build_report(
    library: FrameworkLibrary,
    assessment: Assessment,
    today: date | None = None,
    scope_of: Callable[[Assessment], RatingsScope] = lambda _: EVERYONE,
    with_detail: bool = True,
) -> Report:
    """The report as one reader may see it: ``scope_of`` says whose ratings they may see in an
    assessment (this one and the last cycle's, each by its own state). Without detail it holds
    no evidence: the report page shows each section's on a page of its own
    (:func:`section_detail`), and reading every rating's evidence was most of its cost."""
    scope = scope_of(assessment)
    state = q.fingerprint(assessment.id)
    results = results_of(library, assessment, scope, state)
    previous = (
        db.session.get(Assessment, assessment.previous_id) if assessment.previous_id else None
    )
    prev_scope = scope_of(previous) if previous else EVERYONE
    prev_state = q.fingerprint(previous.id) if previous else None
    prev_results = results_of(library, previous, prev_scope, prev_state) if previous else None
    # Charts are drawn in the reader's language: each language's are kept apart.
    key = (assessment.id, state, scope.cache_key, charts.language_key())
    prev_key = (previous.id, prev_state, prev_scope.cache_key) if previous else None
    outcomes = q.previous_action_outcomes(assessment) if previous else {}

    framework_reports = []
    for result in results.frameworks:
        fw = result.framework
        before = prev_results.framework(fw.id) if prev_results else None
        change = None
        if before is not None:
            change = charts.cached(
                ("change", key, prev_key, fw.id, fw.version),
                lambda r=result, b=before: charts.change_chart(r, b),
            )
        report = FrameworkReport(
            framework=fw,
            result=result,
            previous=before,
            bars=charts.cached(
                ("bars", key, fw.id, fw.version), lambda r=result: charts.section_bars(r)
            ),
            heatmap=charts.cached(
                ("heatmap", key, fw.id, fw.version), lambda r=result: charts.agency_heatmap(r)
            ),
            change=change,
        )
        if before is not None:
            report.item_changes = {
                item.item_id: _item_change(
                    item, before.item(item.item_id), outcomes.get((fw.id, item.item_id), [])
                )
                for item in result.items
            }
        framework_reports.append(report)

    sg = results.strengths_and_gaps()
    actions = q.actions_of(assessment.id)
    today = today or date.today()
    people = None
    if scope.everyone:  # who took part is as private as the progress page
        people = summaries.Participation(*q.participation(assessment.id))
    summary = summaries.Summary(
        tiles=summaries.tiles(
            results.frameworks,
            {f.framework.id: f.previous for f in framework_reports} if previous else None,
        ),
        gaps=summaries.pressing_gaps(sg.gaps),
        gaps_total=len(sg.gaps),
        actions=summaries.action_counts(
            ((a.status, a.due_on) for a in actions), today, q.OPEN_ACTION_STATUSES
        ),
        participation=people,
    )
    return Report(
        assessment=assessment,
        results=results,
        frameworks=framework_reports,
        strengths=sg.strengths,
        gaps=sg.gaps,
        flags=[i for r in results.frameworks for i in r.items if i.contested or i.uncertain],
        evidence=q.evidence_by_item(assessment.id, scope) if with_detail else {},
        actions=actions,
        actions_by_item=q.actions_by_item(actions),
        previous=previous,
        today=today,
        scope=scope,
        mine={} if scope.participant_id is None else ratings_of(scope.participant_id),
        summary=summary,
    )


class SectionPlace(NamedTuple):
    """One section of an assessment's report, in the order the report lists them."""

    framework: Framework
    section: SectionResult


@dataclass(frozen=True)
class SectionDetail:
    """One section's page of the report: its questions in detail and where it sits."""

    detail: ReportDetail
    framework: FrameworkResult
    section: SectionResult
    before: SectionPlace | None
    after: SectionPlace | None


def report_sections(results: AssessmentResults) -> list[SectionPlace]:
    """Every section of the assessment's frameworks, framework by framework."""
    return [SectionPlace(r.framework, s) for r in results.frameworks for s in r.sections]


def section_detail(
    library: FrameworkLibrary,
    assessment: Assessment,
    framework_id: str,
    section_id: str,
    scope_of: Callable[[Assessment], RatingsScope] = lambda _: EVERYONE,
    today: date | None = None,
) -> SectionDetail | None:
    """One section's questions in detail, as this reader may see them; None when the
    assessment has no such section. Reads only that section's evidence, and nothing of the
    previous cycle or the charts."""
    scope = scope_of(assessment)
    results = results_of(library, assessment, scope, q.fingerprint(assessment.id))
    framework = results.framework(framework_id)
    section = framework.section(section_id) if framework else None
    if section is None:
        return None
    places = report_sections(results)
    at = next(
        n for n, p in enumerate(places) if p.framework.id == framework_id and p.section is section
    )
    actions = q.actions_of(assessment.id)
    detail = ReportDetail(
        assessment=assessment,
        results=results,
        evidence=q.evidence_by_item(
            assessment.id, scope, framework_id, [i.item_id for i in section.items]
        ),
        actions=actions,
        actions_by_item=q.actions_by_item(actions),
        today=today or date.today(),
        scope=scope,
        mine={} if scope.participant_id is None else ratings_of(scope.participant_id),
    )
    return SectionDetail(
        detail,
        framework,
        section,
        places[at - 1] if at > 0 else None,
        places[at + 1] if at + 1 < len(places) else None,
    )


@dataclass
class ActionPlanSection:
    framework: Framework
    section_id: str | None
    title: str
    actions: list[Action]


def action_plan(
    library: FrameworkLibrary, assessment: Assessment, scope: RatingsScope = EVERYONE
) -> tuple[AssessmentResults, list[ActionPlanSection]]:
    """The assessment's actions grouped by framework and section, in the framework's order."""
    results = assessment_results(library, assessment, scope)
    actions = q.actions_of(assessment.id)
    groups: list[ActionPlanSection] = []
    for af in assessment.frameworks:
        fw = library.resolve(af.framework_id, af.framework_version)
        mine = [a for a in actions if a.framework_id == fw.id]
        for section in fw.sections:
            in_section = [a for a in mine if a.section_id == section.id]
            if in_section:
                groups.append(ActionPlanSection(fw, section.id, section.title, in_section))
        loose = [a for a in mine if fw.section(a.section_id or "") is None]
        if loose:
            groups.append(ActionPlanSection(fw, None, f"{fw.name}: whole framework", loose))
    return results, groups


class CurrentRating(NamedTuple):
    rating: str | None
    rating_label: str | None
    provisional: bool


def current_rating(results: AssessmentResults, action: Action) -> CurrentRating | None:
    """What an action is about, rated now: its question's rating, or its whole section's RAG."""
    fr = results.framework(action.framework_id)
    if fr is None:
        return None
    if action.item_id:
        item = fr.item(action.item_id)
        return CurrentRating(item.rating, item.rating_label, item.provisional) if item else None
    section = fr.section(action.section_id or "")
    return CurrentRating(section.rag, section.rag_label, section.provisional) if section else None
