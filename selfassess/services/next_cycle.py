"""Starting the next cycle: a new assessment that begins where the last one ended.

The board's agreed ratings are carried forward as the starting point (marked as last cycle's
until agreed afresh) and the actions still open are carried over, each pointing at the action
it came from. The new assessment is a draft, linked to the previous one, so the report can show
what changed and whether last cycle's actions were completed.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from selfassess.domain.assessment_status import can_start_next_cycle
from selfassess.domain.frameworks import FrameworkLibrary, FrameworkVersionNotFound
from selfassess.extensions import db
from selfassess.models import Action, AgreedRating, Assessment, AssessmentFramework, User
from selfassess.queries.reports import OPEN_ACTION_STATUSES
from selfassess.services import audit, transaction
from selfassess.services.framework_releases import record_first_use

MAX_TITLE = 200
MAX_PERIOD = 60


def next_cycle_of(assessment_id: int) -> Assessment | None:
    return db.session.execute(select(Assessment).filter_by(previous_id=assessment_id)).scalar()


def start_next_cycle(
    library: FrameworkLibrary,
    previous: Assessment,
    title: str,
    period: str,
    actor: User | None,
) -> Assessment:
    """Create the next assessment from ``previous``; frameworks move to their newest version.

    An agreed rating or action about an item the newer framework version no longer has is
    left behind (the last cycle's report still shows it). An assessment has one next cycle:
    when it already has one (a double click, two tabs at once), that one is returned.
    """
    title, period = (title or "").strip(), (period or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise ValueError(_("Enter a title of %(max)s characters or fewer", max=MAX_TITLE))
    if not period or len(period) > MAX_PERIOD:
        raise ValueError(_("Enter a period of %(max)s characters or fewer", max=MAX_PERIOD))

    if not can_start_next_cycle(previous.status):
        raise ValueError(_("A draft has nothing to carry forward: open it for rating first"))
    already = next_cycle_of(previous.id)
    if already is not None:
        return already
    # A new cycle moves on to the newest version of each framework the last one used.
    pinned = {}
    for af in previous.frameworks:
        fw = library.get(af.framework_id)
        if fw is None:
            raise FrameworkVersionNotFound(af.framework_id, af.framework_version)
        pinned[fw.id] = fw
    assessment = Assessment(
        partnership_id=previous.partnership_id,
        title=title,
        period=period,
        status="draft",
        previous_id=previous.id,
        created_by_id=actor.id if actor else None,
        frameworks=[
            AssessmentFramework(framework_id=fw.id, framework_version=fw.version, position=n)
            for n, fw in enumerate(pinned.values())
        ],
    )
    previous_id = previous.id
    try:
        with transaction():
            _carry_forward(previous, assessment, pinned, actor, title, period)
    except IntegrityError:
        # Started at the same moment by another request (one next cycle per assessment).
        winner = next_cycle_of(previous_id)
        if winner is None:
            raise ValueError(_("The next cycle could not be started. Try again.")) from None
        return winner
    return assessment


def _carry_forward(
    previous: Assessment, assessment: Assessment, pinned: dict, actor, title: str, period: str
) -> None:
    """Add the new cycle with the agreed ratings and open actions it carries, and its audit."""
    db.session.add(assessment)
    db.session.flush()
    record_first_use(pinned.values())

    carried_ratings = 0
    agreed = db.session.execute(
        select(AgreedRating).where(AgreedRating.assessment_id == previous.id)
    ).scalars()
    for old in agreed:
        fw = pinned.get(old.framework_id)
        if fw is None or fw.item(old.item_id) is None or fw.scale_value(old.value) is None:
            continue
        db.session.add(
            AgreedRating(
                assessment_id=assessment.id,
                framework_id=fw.id,
                framework_version=fw.version,
                item_id=old.item_id,
                value=old.value,
                rationale=old.rationale,
                carried_forward=True,
                agreed_by_id=old.agreed_by_id,
            )
        )
        carried_ratings += 1

    carried_actions = 0
    actions = db.session.execute(
        select(Action)
        .where(Action.assessment_id == previous.id, Action.status.in_(OPEN_ACTION_STATUSES))
        .order_by(Action.id)
    ).scalars()
    for old in actions:
        fw = pinned.get(old.framework_id)
        if fw is None or (old.item_id and fw.item(old.item_id) is None):
            continue
        section_id = old.section_id if fw.section(old.section_id or "") else None
        db.session.add(
            Action(
                assessment_id=assessment.id,
                framework_id=fw.id,
                section_id=section_id,
                item_id=old.item_id,
                description=old.description,
                owner=old.owner,
                due_on=old.due_on,
                status=old.status,
                carried_from_id=old.id,
                created_by_id=actor.id if actor else None,
            )
        )
        carried_actions += 1

    after: dict[str, Any] = {
        "title": title,
        "period": period,
        "previous_id": previous.id,
        "agreed_ratings_carried_forward": carried_ratings,
        "actions_carried_over": carried_actions,
    }
    audit.record(
        "assessment",
        "next_cycle_started",
        None,
        after,
        actor_user=actor,
        actor_label=audit.actor_label_for(actor),
        assessment=assessment,
        entity_id=assessment.id,
    )
