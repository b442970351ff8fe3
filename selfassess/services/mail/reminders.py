"""The reminder run (``selfassess reminders run``, hourly from cron): works out which reminders
are due and queues each one once.

Each reminder has an occurrence key naming exactly what it is about (the workshop, the person,
which of the "days before" it is), unique in the outbox: running again, or two runs at once,
queues nothing twice. People who turned a kind of reminder off on their account page are left
out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from selfassess.domain import mail as m
from selfassess.queries import mail as q
from selfassess.services import transaction
from selfassess.services.mail import compose
from selfassess.services.mail.outbox import queue


@dataclass
class Pending:
    occurrence: str
    user_id: int
    kind: str
    build: object  # () -> Email, called only when the reminder is not queued yet


@dataclass
class RunResult:
    queued: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.queued.values())


def _local_date(moment: datetime) -> date:
    return moment.astimezone(compose.LOCAL).date()


def _rating_reminders(now: datetime, today: date) -> list[Pending]:
    found = []
    days = current_app.config["RATING_REMINDER_DAYS"]
    for due in q.raters_not_finished(now):
        starts = compose._aware(due.schedule.starts_at)
        threshold = m.due_threshold((_local_date(starts) - today).days, days)
        if threshold is None:
            continue
        key = f"rating:{due.schedule.id}:{starts:%Y%m%dT%H%M}:{due.user.id}:{threshold}"
        found.append(
            Pending(
                key,
                due.user.id,
                m.RATING_REMINDER,
                lambda d=due: compose.rating_reminder(d.schedule, d.assessment, d.user),
            )
        )
    return found


def _action_reminders(today: date) -> list[Pending]:
    found = []
    soon = today + timedelta(days=int(current_app.config["ACTION_DUE_SOON_DAYS"]))
    overdue_by_partnership = defaultdict(list)
    for row in q.open_actions_due_by(soon):
        action = row.action
        if action.due_on < today:
            overdue_by_partnership[row.partnership.id].append(row)
        owner = q.member_named(row.partnership.id, action.owner)
        if owner is None:
            continue
        stage = "overdue" if action.due_on < today else "due"
        key = f"action-{stage}:{action.id}:{action.due_on.isoformat()}:{owner.id}"
        found.append(
            Pending(
                key,
                owner.id,
                m.ACTION_REMINDER,
                lambda r=row, o=owner: compose.action_reminder(r.action, r.assessment, o, today),
            )
        )
    week = m.iso_week(today)
    for partnership_id, rows in overdue_by_partnership.items():
        partnership = rows[0].partnership
        pairs = [(r.assessment, r.action) for r in rows]
        for lead in q.members_with_roles(partnership_id, ("lead",)):
            found.append(
                Pending(
                    f"action-digest:{partnership_id}:{lead.id}:{week}",
                    lead.id,
                    m.ACTION_DIGEST,
                    lambda p=partnership, lead=lead, pairs=pairs: compose.action_digest(
                        p, lead, pairs, today
                    ),
                )
            )
    return found


def _collection_mail(today: date) -> list[Pending]:
    found = []
    days = current_app.config["COLLECTION_REMINDER_DAYS"]
    for row in q.leads_of_expected(today):
        c, p, lead = row.collection, row.partnership, row.lead
        found.append(
            Pending(
                f"collection-open:{c.id}:{p.id}:{lead.id}",
                lead.id,
                m.COLLECTION_OPENING,
                lambda c=c, p=p, lead=lead: compose.collection_opening(c, p, lead),
            )
        )
        if row.returned:
            continue
        days_left = (c.closes_on - today).days
        threshold = m.due_threshold(days_left, days)
        # A reminder "14 days before" a collection open only 10 days would come with its
        # opening notice: the notice says it all.
        if threshold is None or threshold >= (c.closes_on - c.opens_on).days:
            continue
        found.append(
            Pending(
                f"collection-reminder:{c.id}:{p.id}:{lead.id}:{threshold}",
                lead.id,
                m.COLLECTION_REMINDER,
                lambda c=c, p=p, lead=lead, n=days_left: compose.collection_reminder(c, p, lead, n),
            )
        )
    return found


def run(now: datetime | None = None) -> RunResult:
    """Queue every reminder due now that is not queued already; what was queued, by kind."""
    now = now or datetime.now(UTC)
    today = _local_date(now)
    pending = _rating_reminders(now, today) + _action_reminders(today) + _collection_mail(today)
    result = RunResult()
    if not pending:
        return result
    already = q.occurrences_queued(p.occurrence for p in pending)
    off: dict[str, set[int]] = {}
    for kind in {p.kind for p in pending} & m.REMINDER_KIND_NAMES:
        off[kind] = q.turned_off((p.user_id for p in pending if p.kind == kind), kind)
    for item in pending:
        if item.occurrence in already or item.user_id in off.get(item.kind, set()):
            continue
        already.add(item.occurrence)
        try:
            with transaction():
                queue(item.build(), user_id=item.user_id, occurrence=item.occurrence)
        except IntegrityError:
            continue  # another run queued it at the same moment
        result.queued[item.kind] += 1
    return result
