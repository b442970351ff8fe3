"""People's choice of reminders, from their account page."""

from __future__ import annotations

from selfassess.domain.mail import REMINDER_KIND_NAMES
from selfassess.models import MailPreference, User
from selfassess.queries.mail import preference_rows
from selfassess.services import transaction
from selfassess.services.audit import record


def set_reminders(user: User, wanted: set[str]) -> None:
    """Turn on exactly the reminder kinds in wanted; invitations and receipts always go."""
    unknown = wanted - REMINDER_KIND_NAMES
    if unknown:
        raise ValueError(f"not a kind of reminder: {', '.join(sorted(unknown))}")
    with transaction() as session:
        rows = {p.kind: p for p in preference_rows(user.id)}
        before = {k: rows[k].enabled if k in rows else True for k in sorted(REMINDER_KIND_NAMES)}
        for kind in REMINDER_KIND_NAMES:
            on = kind in wanted
            if kind in rows:
                rows[kind].enabled = on
            else:
                session.add(MailPreference(user_id=user.id, kind=kind, enabled=on))
        after = {k: k in wanted for k in sorted(REMINDER_KIND_NAMES)}
        if before != after:
            record("user", "reminders_changed", before, after, actor_user=user, entity_id=user.id)
