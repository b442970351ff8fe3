"""Creating assessments and moving them through their statuses, with audit events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from selfassess.domain import assessment_status
from selfassess.extensions import frameworks
from selfassess.models import Assessment, AssessmentFramework, Partnership, User
from selfassess.services import audit, transaction
from selfassess.services.framework_releases import record_first_use


def create_assessment(
    partnership: Partnership, title: str, period: str, optional: Iterable[str], actor: User
) -> Assessment:
    """A draft assessment covering the frameworks always offered (the Key Principles) and the
    optional ones chosen; the framework files declare which are which.

    Each framework is pinned to its current version. The Hallmarks lens needs no row: it is a
    view over the Key Principles answers, worked out whenever results are shown.
    """
    library = frameworks()
    wanted = set(optional)
    chosen = library.offered("always") + [
        fw for fw in library.offered("optional") if fw.id in wanted
    ]
    rows = []
    for position, framework in enumerate(chosen):
        rows.append(
            AssessmentFramework(
                framework_id=framework.id, framework_version=framework.version, position=position
            )
        )
    assessment = Assessment(
        partnership_id=partnership.id,
        title=title.strip(),
        period=period.strip(),
        status="draft",
        created_by_id=actor.id,
        frameworks=rows,
    )
    with transaction() as session:
        session.add(assessment)
        record_first_use(chosen)
        session.flush()
        audit.record(
            "assessment",
            "created",
            None,
            _snapshot(assessment),
            actor_user=actor,
            assessment=assessment,
            entity_id=assessment.id,
        )
    return assessment


def change_status(assessment: Assessment, to: str, actor: User) -> Assessment:
    """Move the assessment on (or back to open); StatusError when the rules do not allow it."""
    before = _snapshot(assessment)
    with transaction():
        assessment.status = assessment_status.next_status(assessment.status, to)
        audit.record(
            "assessment",
            "status_changed",
            before,
            _snapshot(assessment),
            actor_user=actor,
            assessment=assessment,
            entity_id=assessment.id,
        )
    return assessment


def share_results(assessment: Assessment, shared: bool, actor: User) -> Assessment:
    """Let members see everyone's ratings and evidence before the assessment is agreed, or stop."""
    before = _snapshot(assessment)
    with transaction():
        assessment.results_shared = shared
        audit.record(
            "assessment",
            "results_shared" if shared else "results_unshared",
            before,
            _snapshot(assessment),
            actor_user=actor,
            assessment=assessment,
            entity_id=assessment.id,
        )
    return assessment


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        "title": assessment.title,
        "period": assessment.period,
        "status": assessment.status,
        "results_shared": bool(assessment.results_shared),
        "frameworks": [af.framework_id for af in assessment.frameworks],
    }
