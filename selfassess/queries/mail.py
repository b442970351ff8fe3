"""Reads for email: people's reminder choices, what the reminder run finds due, the outbox, and
the development outbox folder of .eml files."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from selfassess.extensions import db
from selfassess.models import (
    Action,
    Assessment,
    Collection,
    CollectionPartnership,
    MailPreference,
    Membership,
    OutboxMessage,
    Participant,
    Partnership,
    Return,
    User,
    WorkshopSchedule,
)

RATER_ROLES = ("lead", "member")
OPEN_ACTION_STATUSES = ("not_started", "in_progress")


def preferences_of(user_id: int) -> dict[str, bool]:
    """{kind: enabled} for the kinds this person has chosen; a kind not listed is on."""
    rows = db.session.execute(
        select(MailPreference.kind, MailPreference.enabled).filter_by(user_id=user_id)
    ).all()
    return dict(rows)


def preference_rows(user_id: int) -> list[MailPreference]:
    return list(db.session.execute(select(MailPreference).filter_by(user_id=user_id)).scalars())


def turned_off(user_ids: Iterable[int], kind: str) -> set[int]:
    """Who among these has turned this kind of reminder off."""
    ids = list(set(user_ids))
    if not ids:
        return set()
    return set(
        db.session.execute(
            select(MailPreference.user_id).where(
                MailPreference.user_id.in_(ids),
                MailPreference.kind == kind,
                MailPreference.enabled.is_(False),
            )
        ).scalars()
    )


def occurrences_queued(keys: Iterable[str]) -> set[str]:
    keys = list(set(keys))
    if not keys:
        return set()
    return set(
        db.session.execute(
            select(OutboxMessage.occurrence).where(OutboxMessage.occurrence.in_(keys))
        ).scalars()
    )


def outbox_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def claimable_ids(now: datetime, limit: int) -> list[int]:
    """Messages a worker may take: queued and due, or claimed by a worker whose claim ran out."""
    return list(
        db.session.execute(
            select(OutboxMessage.id)
            .where(
                or_(
                    and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
                    and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
                )
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).scalars()
    )


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return dict(rows)


def failed_messages(limit: int = 20) -> list[OutboxMessage]:
    return list(
        db.session.execute(
            select(OutboxMessage)
            .filter_by(status="failed")
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        ).scalars()
    )


# --- people to write to ---


def members_with_roles(partnership_id: int, roles: Iterable[str]) -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.partnership_id == partnership_id,
                Membership.role.in_(tuple(roles)),
                User.active.is_(True),
            )
            .order_by(User.name, User.id)
        ).scalars()
    )


def schedule_for(assessment_id: int) -> WorkshopSchedule | None:
    return db.session.execute(
        select(WorkshopSchedule).filter_by(assessment_id=assessment_id)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class RaterDue:
    schedule: WorkshopSchedule
    assessment: Assessment
    user: User


def raters_not_finished(now: datetime) -> list[RaterDue]:
    """Members and leads of open assessments with a workshop still to come who have not marked
    their ratings complete."""
    rows = db.session.execute(
        select(WorkshopSchedule, Assessment, User)
        .join(Assessment, Assessment.id == WorkshopSchedule.assessment_id)
        .join(Membership, Membership.partnership_id == Assessment.partnership_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            Participant,
            and_(Participant.assessment_id == Assessment.id, Participant.user_id == User.id),
        )
        .where(
            WorkshopSchedule.cancelled_at.is_(None),
            WorkshopSchedule.starts_at > now,
            Assessment.status == "open",
            Membership.role.in_(RATER_ROLES),
            User.active.is_(True),
            Participant.completed_at.is_(None),
        )
        .order_by(WorkshopSchedule.id, User.id)
    ).all()
    return [RaterDue(s, a, u) for s, a, u in rows]


@dataclass(frozen=True)
class OpenAction:
    action: Action
    assessment: Assessment
    partnership: Partnership


def open_actions_due_by(day: date) -> list[OpenAction]:
    """Open actions due on or before day, in each partnership's latest cycle (an assessment a
    next cycle has carried forward from is left out: its actions live on in the next one)."""
    later = aliased(Assessment)
    rows = db.session.execute(
        select(Action, Assessment, Partnership)
        .join(Assessment, Assessment.id == Action.assessment_id)
        .join(Partnership, Partnership.id == Assessment.partnership_id)
        .outerjoin(later, later.previous_id == Assessment.id)
        .where(
            Action.due_on.is_not(None),
            Action.due_on <= day,
            Action.status.in_(OPEN_ACTION_STATUSES),
            later.id.is_(None),
        )
        .order_by(Partnership.id, Action.due_on, Action.id)
    ).all()
    return [OpenAction(a, s, p) for a, s, p in rows]


def member_named(partnership_id: int, owner: str) -> User | None:
    """The partnership's member an action's owner names (by full name or email), if exactly
    one; an owner such as "Police" or "Housing team" names no one."""
    wanted = owner.strip().lower()
    if not wanted:
        return None
    found = [
        u
        for u in members_with_roles(partnership_id, ("lead", "member", "observer"))
        if wanted in (u.name.strip().lower(), u.email.strip().lower())
    ]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class ExpectedLead:
    collection: Collection
    partnership: Partnership
    lead: User
    returned: bool


def leads_of_expected(today: date) -> list[ExpectedLead]:
    """Leads of every partnership an open collection expects, and whether it has returned."""
    rows = db.session.execute(
        select(Collection, Partnership, User, Return.id)
        .join(CollectionPartnership, CollectionPartnership.collection_id == Collection.id)
        .join(Partnership, Partnership.id == CollectionPartnership.partnership_id)
        .join(Membership, Membership.partnership_id == Partnership.id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            Return,
            and_(Return.collection_id == Collection.id, Return.partnership_id == Partnership.id),
        )
        .where(
            Collection.opens_on <= today,
            Collection.closes_on >= today,
            Membership.role == "lead",
            User.active.is_(True),
        )
        .order_by(Collection.id, Partnership.id, User.id)
    ).all()
    return [ExpectedLead(c, p, u, r is not None) for c, p, u, r in rows]


# --- the development outbox folder ---

EML_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.eml$")


@dataclass(frozen=True)
class SavedEmail:
    name: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def to(self) -> str:
        return str(self.message["To"] or "")

    @property
    def date(self) -> str:
        return str(self.message["Date"] or "")

    @property
    def sent_at(self) -> datetime | None:
        """When it was written, from its Date header (None when that cannot be read)."""
        header = self.message["Date"]
        try:
            return header.datetime if header is not None else None
        except (AttributeError, ValueError):
            return None

    def body(self, subtype: str) -> str | None:
        part = self.message.get_body(preferencelist=(subtype,))
        return part.get_content() if part is not None else None

    def attachments(self) -> list[tuple[str, str]]:
        """(filename, text) of each attachment."""
        found = []
        for part in self.message.iter_attachments():
            content = part.get_content()
            if isinstance(content, bytes):
                content = content.decode("utf-8", "replace")
            found.append((part.get_filename() or "attachment", content))
        return found


def _read(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def saved_emails(folder: Path, limit: int = 200) -> list[SavedEmail]:
    """The .eml files in the folder, newest first."""
    if not folder.is_dir():
        return []
    files = sorted(
        (p for p in folder.iterdir() if EML_NAME.match(p.name)),
        key=lambda p: p.name,
        reverse=True,
    )
    return [SavedEmail(p.name, _read(p)) for p in files[:limit]]


def saved_email(folder: Path, name: str) -> SavedEmail | None:
    """One .eml file by name; None for any name that is not a plain file in the folder."""
    if not EML_NAME.match(name):
        return None
    path = folder / name
    if not path.is_file() or path.resolve().parent != folder.resolve():
        return None
    return SavedEmail(name, _read(path))
