"""The append-only audit trail. Events are only ever added: there is no update or delete here."""

from __future__ import annotations

from typing import Any

from selfassess.extensions import db
from selfassess.models import Assessment, AuditEvent, User


def actor_label_for(actor: Any) -> str:
    """Who acted, in words: a user's name, a participant's display name, or a given label."""
    if actor is None:
        return "System"
    if isinstance(actor, str):
        return actor
    if isinstance(actor, User):
        return actor.name
    name = getattr(actor, "display_name", None) or getattr(actor, "name", None)
    return str(name) if name else "Unknown"


def record(
    entity: str,
    event: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor_user: User | None = None,
    actor_label: str | None = None,
    assessment: Assessment | None = None,
    framework_id: str | None = None,
    item_id: str | None = None,
    partnership_id: int | None = None,
    entity_id: int | None = None,
) -> AuditEvent:
    """Append one audit event to the session (the caller commits with the change itself)."""
    if partnership_id is None and assessment is not None:
        partnership_id = assessment.partnership_id
    audit_event = AuditEvent(
        actor_id=actor_user.id if actor_user is not None else None,
        actor_label=actor_label or actor_label_for(actor_user),
        partnership_id=partnership_id,
        assessment_id=assessment.id if assessment is not None else None,
        framework_id=framework_id,
        item_id=item_id,
        entity=entity,
        entity_id=entity_id,
        event=event,
        before=before,
        after=after,
    )
    db.session.add(audit_event)
    return audit_event


def item_history(assessment_id: int, framework_id: str, item_id: str) -> list[AuditEvent]:
    """Every event about one item of an assessment, newest first."""
    return list(
        db.session.execute(
            db.select(AuditEvent)
            .filter_by(assessment_id=assessment_id, framework_id=framework_id, item_id=item_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        ).scalars()
    )
