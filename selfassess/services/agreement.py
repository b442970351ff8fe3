"""Changing ratings, agreed ratings and actions: state checks, stale-edit checks, audit events.

Every function here commits its change together with its audit event, through
``services.transaction()``. Agreed ratings and actions
carry a version: a save based on an older version than the one stored is refused with
StaleEditError, which carries the newer record so the page can show it; nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from selfassess.documents.language import current_language
from selfassess.domain.frameworks import Framework
from selfassess.domain.i18n import N_
from selfassess.domain.scoring import agreed_choices
from selfassess.extensions import db, frameworks
from selfassess.models import Action, AgreedRating, Assessment, Participant, Rating, User
from selfassess.models.assessments import ACTION_STATUSES
from selfassess.queries.assessments import (
    agreed_rating_of,
    assessment_or_none,
    participant_of,
    rating_of,
)
from selfassess.services import audit, transaction

MAX_TEXT = 5000
MAX_OWNER = 200
ACTION_FIELDS = ("description", "owner", "due_on", "status")
ACTION_STATUS_IDS = tuple(status for status, _ in ACTION_STATUSES)


# An assessment's status as a sentence says it: "The assessment is submitted and …".
STATUS_WORDS = {
    "draft": N_("draft"),
    "open": N_("open"),
    "agreed": N_("agreed"),
    "submitted": N_("submitted"),
}


class AssessmentLocked(Exception):
    """The assessment no longer accepts this change (submitted, or not open for rating)."""

    def __init__(self, assessment: Assessment, message: str | None = None):
        self.assessment = assessment
        super().__init__(
            message
            or _(
                "The assessment is %(status)s and can no longer be changed",
                status=_(STATUS_WORDS[assessment.status])
                if assessment.status in STATUS_WORDS
                else assessment.status,
            )
        )


class StaleEditError(Exception):
    """Someone saved a newer version first; `current` is what is stored now."""

    def __init__(self, current: AgreedRating | Action):
        self.current = current
        super().__init__(_("Someone else saved a newer version first"))


# --- helpers ---------------------------------------------------------------------------------


def _actor_user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def _clean_text(text: str | None, limit: int = MAX_TEXT) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) > limit:
        raise ValueError(_("Text must be %(max)s characters or fewer", max=limit))
    return text or None


def _framework(assessment: Assessment, framework: Framework | str) -> Framework:
    """The framework at the version the assessment pinned; ValueError if it is not covered."""
    framework_id = framework if isinstance(framework, str) else framework.id
    pinned = next((af for af in assessment.frameworks if af.framework_id == framework_id), None)
    if pinned is None:
        raise ValueError(f"The assessment does not cover {framework_id}")
    return frameworks().resolve(framework_id, pinned.framework_version)


def _check_item(framework: Framework, item_id: str, value: str | None, allow_none: bool) -> None:
    if framework.item(item_id) is None:
        raise ValueError(f"{framework.id} has no item {item_id}")
    if value is None and allow_none:
        return
    if framework.scale_value(value or "") is None:
        raise ValueError(f"{value!r} is not a rating in {framework.id}")


def _refuse_if_submitted(assessment: Assessment) -> None:
    if assessment.is_locked:
        raise AssessmentLocked(assessment)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def agreed_snapshot(agreed: AgreedRating | None) -> dict[str, Any] | None:
    if agreed is None:
        return None
    return {"value": agreed.value, "rationale": agreed.rationale, "version": agreed.version}


def action_snapshot(action: Action | None) -> dict[str, Any] | None:
    if action is None:
        return None
    snapshot = {name: _iso(getattr(action, name)) for name in ACTION_FIELDS}
    snapshot["version"] = action.version
    return snapshot


def rating_snapshot(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "value": rating.value,
        "evidence": rating.evidence,
        "improvement": rating.improvement,
        "agency": rating.participant.agency if rating.participant else None,
    }


# --- agreed ratings --------------------------------------------------------------------------


def current_agreed(assessment_id: int, framework_id: str, item_id: str) -> AgreedRating | None:
    return agreed_rating_of(assessment_id, framework_id, item_id)


def save_agreed_rating(
    assessment: Assessment,
    framework_id: str,
    item_id: str,
    value: str,
    rationale: str | None,
    expected_version: int | None,
    actor: Any,
) -> AgreedRating:
    """Record the rating the board agreed. expected_version None means "creating"."""
    _refuse_if_submitted(assessment)
    framework = _framework(assessment, framework_id)
    _check_item(framework, item_id, value, allow_none=False)
    if value not in dict(agreed_choices(framework)):
        raise ValueError(
            _(
                "Choose the rating the board agreed: %(choices)s",
                choices=", ".join(
                    frameworks().in_language(label, current_language())
                    for _value, label in agreed_choices(framework)
                ),
            )
        )
    rationale = _clean_text(rationale)
    user = _actor_user(actor)
    user_id = user.id if user else None  # read before any change, so no early autoflush
    agreed = agreed_rating_of(assessment.id, framework_id, item_id, fresh=True)
    stored_version = agreed.version if agreed is not None else None
    if expected_version != stored_version:
        if agreed is None:
            raise ValueError(_("There is no agreed rating to update"))
        raise StaleEditError(agreed)
    before = agreed_snapshot(agreed)
    if agreed is not None and (agreed.value, agreed.rationale, agreed.carried_forward) == (
        value,
        rationale,
        False,
    ):
        return agreed  # nothing changed
    try:
        with transaction() as session:
            if agreed is None:
                agreed = AgreedRating(
                    assessment_id=assessment.id,
                    framework_id=framework.id,
                    framework_version=framework.version,
                    item_id=item_id,
                )
                session.add(agreed)
            agreed.value = value
            agreed.rationale = rationale
            agreed.carried_forward = False
            agreed.agreed_by_id = user_id
            agreed.agreed_at = datetime.now(UTC)
            session.flush()
            audit.record(
                "agreed_rating",
                "created" if before is None else "changed",
                before,
                agreed_snapshot(agreed),
                actor_user=user,
                actor_label=audit.actor_label_for(actor),
                assessment=assessment,
                framework_id=framework.id,
                item_id=item_id,
                entity_id=agreed.id,
            )
    except (StaleDataError, IntegrityError):
        # Someone saved this agreed rating first (a newer version, or the first one at the
        # same moment): show them what is stored now.
        current = agreed_rating_of(assessment.id, framework_id, item_id, fresh=True)
        if current is None:
            raise
        raise StaleEditError(current) from None
    return agreed


# --- actions ---------------------------------------------------------------------------------


def _check_action_fields(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Actions have no {', '.join(sorted(unknown))}")
    clean = dict(changes)
    if "description" in clean:
        clean["description"] = _clean_text(clean["description"])
        if not clean["description"]:
            raise ValueError(_("An action needs a description"))
    if "owner" in clean:
        clean["owner"] = _clean_text(clean["owner"], MAX_OWNER)
        if not clean["owner"]:
            raise ValueError(_("An action needs an owner"))
    if "status" in clean and clean["status"] not in ACTION_STATUS_IDS:
        raise ValueError(f"{clean['status']!r} is not an action status")
    if "due_on" in clean and clean["due_on"] is not None and not isinstance(clean["due_on"], date):
        raise ValueError("due_on must be a date")
    return clean


def add_action(
    assessment: Assessment,
    framework_id: str,
    description: str,
    owner: str,
    actor: Any,
    due_on: date | None = None,
    status: str = "not_started",
    item_id: str | None = None,
    section_id: str | None = None,
) -> Action:
    """Add an action about an item or a section of the assessment."""
    _refuse_if_submitted(assessment)
    framework = _framework(assessment, framework_id)
    if item_id is not None:
        item = framework.item(item_id)
        if item is None:
            raise ValueError(f"{framework.id} has no item {item_id}")
        section_id = section_id or item.section_id
    elif section_id is not None and framework.section(section_id) is None:
        raise ValueError(f"{framework.id} has no section {section_id}")
    fields = _check_action_fields(
        {"description": description, "owner": owner, "due_on": due_on, "status": status}
    )
    user = _actor_user(actor)
    user_id = user.id if user else None
    with transaction() as session:
        action = Action(
            assessment_id=assessment.id,
            framework_id=framework.id,
            section_id=section_id,
            item_id=item_id,
            created_by_id=user_id,
            **fields,
        )
        session.add(action)
        session.flush()
        audit.record(
            "action",
            "created",
            None,
            action_snapshot(action),
            actor_user=user,
            actor_label=audit.actor_label_for(actor),
            assessment=assessment,
            framework_id=framework.id,
            item_id=item_id,
            entity_id=action.id,
        )
    return action


def update_action(
    action: Action, expected_version: int | None, actor: Any = None, **changes: Any
) -> Action:
    """Change an action's description, owner, due date or status, refusing stale versions."""
    assessment = assessment_or_none(action.assessment_id)
    _refuse_if_submitted(assessment)
    fields = _check_action_fields(changes)
    user = _actor_user(actor)
    # The page that asked loaded the action earlier in this request: compare the version the
    # person saw against what is stored now, not against that earlier read.
    db.session.refresh(action)
    if expected_version != action.version:
        raise StaleEditError(action)
    before = action_snapshot(action)
    if all(getattr(action, name) == value for name, value in fields.items()):
        return action
    action_id = action.id
    try:
        with transaction() as session:
            for name, value in fields.items():
                setattr(action, name, value)
            session.flush()
            audit.record(
                "action",
                "changed",
                before,
                action_snapshot(action),
                actor_user=user,
                actor_label=audit.actor_label_for(actor),
                assessment=assessment,
                framework_id=action.framework_id,
                item_id=action.item_id,
                entity_id=action.id,
            )
    except StaleDataError:
        raise StaleEditError(db.session.get(Action, action_id)) from None
    return action


# --- members' ratings ------------------------------------------------------------------------


def participant_for(assessment: Assessment, user: User, create: bool = False) -> Participant | None:
    """The user's participant row in the assessment; created (agency = theirs) when asked."""
    participant = participant_of(assessment.id, user.id)
    if participant is None and create:
        assessment_id, user_id, agency = assessment.id, user.id, user.agency or "other"
        try:
            with transaction() as session:
                participant = Participant(
                    assessment_id=assessment_id, user_id=user_id, agency=agency
                )
                session.add(participant)
        except IntegrityError:  # created at the same moment by another request
            return participant_of(assessment_id, user_id)
    return participant


def save_rating(
    participant: Participant,
    framework: Framework | str,
    item_id: str,
    value: str | None,
    evidence: str | None,
    improvement: str | None,
    actor: Any,
    *,
    keep_text: bool = False,
    also: Callable[[], None] | None = None,
    actor_label: str | None = None,
) -> Rating:
    """Create or change a participant's rating of an item; no audit event when nothing changed.

    keep_text keeps the evidence and improvement already stored (a workshop vote changes only
    the value), without the caller reading the rating first. ``also`` adds more changes to the
    same commit (a workshop keeps its own record of the vote), even when the rating is unchanged.
    ``actor_label`` names the change in the history where the actor alone would not say enough
    ("Entered from paper by ... on ...").
    """
    assessment = assessment_or_none(participant.assessment_id)
    _refuse_if_submitted(assessment)
    if assessment.status != "open":
        raise AssessmentLocked(
            assessment, _("Ratings can only be changed while the assessment is open")
        )
    fw = _framework(assessment, framework)
    _check_item(fw, item_id, value or None, allow_none=True)
    value = value or None
    evidence = _clean_text(evidence)
    improvement = _clean_text(improvement)
    user = _actor_user(actor)
    rating = rating_of(participant.id, fw.id, item_id)
    if keep_text:
        evidence = rating.evidence if rating is not None else None
        improvement = rating.improvement if rating is not None else None
    before = rating_snapshot(rating)
    if rating is None:
        if value is None and evidence is None and improvement is None:
            raise ValueError(_("Nothing to save"))
    elif (rating.value, rating.evidence, rating.improvement) == (value, evidence, improvement):
        if also is not None:
            with transaction():
                also()
        return rating
    try:
        with transaction() as session:
            if also is not None:
                also()
            if rating is None:
                rating = Rating(
                    assessment_id=assessment.id,
                    participant_id=participant.id,
                    participant=participant,
                    framework_id=fw.id,
                    framework_version=fw.version,
                    item_id=item_id,
                )
                session.add(rating)
            rating.value = value
            rating.evidence = evidence
            rating.improvement = improvement
            session.flush()
            audit.record(
                "rating",
                "created" if before is None else "changed",
                before,
                rating_snapshot(rating),
                actor_user=user,
                actor_label=actor_label or audit.actor_label_for(actor),
                assessment=assessment,
                framework_id=fw.id,
                item_id=item_id,
                entity_id=rating.id,
            )
    except IntegrityError:
        if before is not None:
            raise
        # The same person's first rating of this item was saved at the same moment (a double
        # tap, or autosave beside the Save button): that row now exists, so change it instead.
        return save_rating(
            participant,
            fw,
            item_id,
            value,
            evidence,
            improvement,
            actor,
            keep_text=keep_text,
            also=also,
            actor_label=actor_label,
        )
    return rating


def autosave_rating(
    participant: Participant,
    framework: Framework,
    item_id: str,
    value: str | None,
    evidence: str,
    improvement: str,
    actor: Any,
) -> Rating | None:
    """Save what autosave sent for one item. A blank choice keeps the rating already chosen
    (the script sends text as it is typed, before or without a choice); nothing at all on an
    item never rated saves nothing (None)."""
    existing = rating_of(participant.id, framework.id, item_id)
    if existing is None and not (value or evidence or improvement):
        return None
    value = value or (existing.value if existing else None)
    return save_rating(participant, framework.id, item_id, value, evidence, improvement, actor)


def mark_complete(participant: Participant) -> None:
    """The member says their ratings are complete (they can still change them while open)."""
    with transaction():
        participant.completed_at = datetime.now(UTC)
