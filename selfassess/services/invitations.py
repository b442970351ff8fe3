"""Invitation links: signed, expiring, single use. Only the link's random nonce is stored.

The link carries the nonce signed with the app's SECRET_KEY (salt "invitation") and a timestamp;
the Invitation row carries the expiry and, once used, who used it and when. A link is good only
if its signature checks, it is younger than INVITATION_DAYS, its row exists, has not expired and
has not been used. Using it marks the row used in the same transaction that adds the membership.

An invitation made for an email address (every lead invitation is) is used only by the account
with that address. National analysts never join a partnership, whatever the invitation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from selfassess.extensions import db
from selfassess.models import Invitation, Membership, Partnership, User
from selfassess.models.base import as_utc
from selfassess.queries.invitations import invitation_by_nonce
from selfassess.queries.people import email_taken
from selfassess.services import transaction
from selfassess.services.audit import record
from selfassess.services.mail import compose
from selfassess.services.mail.outbox import queue

SALT = "invitation"
# The languages an invitation's email may be written in alone; None means both, Welsh first.
EMAIL_LANGUAGES = ("en", "cy")

# Why a link cannot be used; the page says so in words and never names the partnership.
INVALID = "invalid"  # tampered, malformed or unknown: 404
EXPIRED = "expired"  # 410
USED = "used"  # 410
SOMEONE_ELSE = "someone_else"  # 403: made for another email address
ANALYST = "analyst"  # 403: analysts never hold a membership


class InvitationError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def status(self) -> int:
        if self.reason in (SOMEONE_ELSE, ANALYST):
            return 403
        return 404 if self.reason == INVALID else 410


class WrongEmailError(Exception):
    """A new account's email address is not the one the invitation was made for."""


class EmailTakenError(Exception):
    """A new account's email address already has an account (its owner signs in to join)."""


@dataclass
class NewInvitation:
    invitation: Invitation
    token: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age_seconds() -> int:
    return int(current_app.config.get("INVITATION_DAYS", 14)) * 24 * 60 * 60


def token_for(invitation: Invitation) -> str:
    """The link's token for an invitation (a fresh signature over the same nonce)."""
    return _serializer().dumps(invitation.nonce)


def create_invitation(
    partnership: Partnership,
    role: str,
    invited_by: User,
    note: str | None = None,
    for_name: str | None = None,
    for_email: str | None = None,
    language: str | None = "en",
) -> NewInvitation:
    """Invite someone to the partnership in role, noting who it is for; the audit event says so.

    ``language``: the email's language, "en" or "cy"; None for both, Welsh first.
    """
    with transaction():
        return add_invitation(
            partnership, role, invited_by, note, for_name, for_email, language=language
        )


def add_invitation(
    partnership: Partnership,
    role: str,
    invited_by: User,
    note: str | None = None,
    for_name: str | None = None,
    for_email: str | None = None,
    language: str | None = "en",
) -> NewInvitation:
    """Add an invitation within the caller's transaction (see create_invitation)."""
    now = datetime.now(UTC)
    invitation = Invitation(
        partnership_id=partnership.id,
        role=role,
        nonce=secrets.token_urlsafe(32),
        invited_by_id=invited_by.id,
        created_at=now,
        expires_at=now + timedelta(seconds=_max_age_seconds()),
        note=note or None,
        for_name=for_name or None,
        for_email=for_email or None,
        language=language if language in EMAIL_LANGUAGES else None,
    )
    db.session.add(invitation)
    db.session.flush()
    after = {"role": role, "expires_at": invitation.expires_at.isoformat()}
    if note:
        after["note"] = note
    if for_name:
        after["for_name"] = for_name
    if for_email:
        after["for_email"] = for_email
    if invitation.language:
        after["language"] = invitation.language
    record(
        "invitation",
        "invited",
        None,
        after,
        actor_user=invited_by,
        partnership_id=partnership.id,
        entity_id=invitation.id,
    )
    made = NewInvitation(invitation, token_for(invitation))
    if invitation.for_email:
        # Emailed to the address it is for, and only there; written with the invitation.
        queue(compose.invitation(invitation, made.token, partnership, invited_by))
    return made


def load_invitation(token: str) -> Invitation:
    """The invitation a link stands for, or InvitationError saying why it cannot be used."""
    try:
        nonce = _serializer().loads(token, max_age=_max_age_seconds())
    except SignatureExpired:
        # The signature is ours but too old; say "expired" only if the row is real.
        if invitation_by_nonce(_serializer().loads(token)) is None:
            raise InvitationError(INVALID) from None
        raise InvitationError(EXPIRED) from None
    except BadSignature:
        raise InvitationError(INVALID) from None
    invitation = invitation_by_nonce(nonce)
    if invitation is None:
        raise InvitationError(INVALID)
    if invitation.used_at is not None:
        raise InvitationError(USED)
    if as_utc(invitation.expires_at) <= datetime.now(UTC):
        raise InvitationError(EXPIRED)
    return invitation


def is_for(invitation: Invitation, email: str) -> bool:
    """Whether the invitation may be used by the account with this email address."""
    named = (invitation.for_email or "").strip().lower()
    return not named or named == email.strip().lower()


def check_who_accepts(invitation: Invitation, user: User) -> None:
    """InvitationError unless user may use this invitation."""
    if user.is_analyst:
        raise InvitationError(ANALYST)
    if not is_for(invitation, user.email):
        raise InvitationError(SOMEONE_ELSE)


def accept(invitation: Invitation, user: User) -> Membership:
    """Use the invitation for a signed-in user: mark it used and add the membership, together.

    Raises InvitationError: USED when someone else used it first, SOMEONE_ELSE or ANALYST
    (changing nothing) when user may not use it.
    """
    check_who_accepts(invitation, user)
    with transaction():
        return _use(invitation, user)


def create_account_from_invitation(
    invitation: Invitation, name: str, email: str, agency: str, password: str
) -> User:
    """A new account that joins through the invitation, made with its membership or not at all.

    Raises WrongEmailError when the invitation names another address, EmailTakenError when the
    address already has an account, and InvitationError(USED) when someone used the link first.
    """
    if not is_for(invitation, email):
        raise WrongEmailError
    if email_taken(email):
        raise EmailTakenError
    user = User(
        name=name, email=email, agency=agency, password_hash=generate_password_hash(password)
    )
    try:
        with transaction() as session:
            session.add(user)
            _use(invitation, user)
    except IntegrityError:
        # The same address signed up at the same moment through another invitation.
        raise EmailTakenError from None
    return user


def _use(invitation: Invitation, user: User) -> Membership:
    """Mark the invitation used by user and add the membership, in the caller's transaction.

    The row is marked used with a conditional update, so two people racing with the same link
    cannot both join: the loser gets InvitationError(USED) and the transaction rolls back.
    """
    now = datetime.now(UTC)
    db.session.flush()
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise InvitationError(USED)
    membership = Membership(
        user=user, partnership_id=invitation.partnership_id, role=invitation.role
    )
    db.session.add(membership)
    db.session.flush()
    record(
        "invitation",
        "used",
        None,
        {"used_by": user.email, "role": invitation.role},
        actor_user=user,
        partnership_id=invitation.partnership_id,
        entity_id=invitation.id,
    )
    record(
        "membership",
        "joined",
        None,
        {"user": user.email, "name": user.name, "role": invitation.role},
        actor_user=user,
        partnership_id=invitation.partnership_id,
        entity_id=membership.id,
    )
    return membership


def withdraw(invitation: Invitation, by: User) -> None:
    """A lead takes back a link not used yet: it expires now."""
    with transaction():
        record(
            "invitation",
            "withdrawn",
            {"expires_at": as_utc(invitation.expires_at).isoformat()},
            None,
            actor_user=by,
            partnership_id=invitation.partnership_id,
            entity_id=invitation.id,
        )
        invitation.expires_at = datetime.now(UTC)
