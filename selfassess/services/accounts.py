"""Accounts: signing in (with its lockout), ending sessions, and national analysts.

The sign-in policy: five wrong passwords lock an account for fifteen minutes. A wrong password,
an unknown email and a locked account do the same work (one password check, one counting
UPDATE, one commit), so neither the answer nor its timing says whether an account exists.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import case, or_, update
from werkzeug.security import check_password_hash, generate_password_hash

from selfassess.extensions import db
from selfassess.models import User
from selfassess.models.base import as_utc
from selfassess.queries.people import holds_a_membership, user_by_email
from selfassess.services import transaction

MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10

# Checked against when there is no password to check, so an unknown email, a locked account and
# a wrong password all take as long to answer: the time taken does not reveal an account either.
_NO_PASSWORD_HASH = generate_password_hash("no account has this password")


class AccountError(Exception):
    """An account change that cannot be made; the message says why, for the person asking.

    Only the command line (``selfassess users``) makes these changes, so its operator reads the
    message in English; no page shows it."""


def check_sign_in(email: str, password: str, now: datetime | None = None) -> User | None:
    """The account if email and password sign in now; otherwise None, with the failure counted."""
    now = now or datetime.now(UTC)
    email = email.strip().lower()
    user = user_by_email(email)
    locked = user is not None and user.locked_until and as_utc(user.locked_until) > now
    can_sign_in = user is not None and not locked and user.active and user.password_hash
    stored = user.password_hash if can_sign_in else _NO_PASSWORD_HASH
    if check_password_hash(stored, password) and can_sign_in:
        with transaction():
            user.failed_sign_ins = 0
            user.locked_until = None
        return user
    with transaction():
        _count_failure(email, now)
    return None


def _count_failure(email: str, now: datetime) -> None:
    """Count a failed sign-in against email, locking the account at the limit.

    One UPDATE both counts and locks, so simultaneous attempts each add one and the lock is
    decided from the stored count, not from a value read earlier. It runs whether or not the
    email has an account (matching no row when it has none, or while it is locked).
    """
    reaches_limit = User.failed_sign_ins + 1 >= MAX_FAILED_SIGN_INS
    db.session.execute(
        update(User)
        .where(User.email == email, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(
            failed_sign_ins=case((reaches_limit, 0), else_=User.failed_sign_ins + 1),
            locked_until=case(
                (reaches_limit, now + timedelta(minutes=LOCK_MINUTES)),
                else_=User.locked_until,
            ),
        )
        .execution_options(synchronize_session=False)
    )


def end_sessions(user_id: int) -> None:
    """Every session issued to the account so far stops working (within the caller's change).

    A session cookie is signed, not stored, so it cannot be deleted: each account has a session
    generation, the cookie carries the one it was issued under, and moving it on ends them all.
    """
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session="fetch")
    )


def sign_out(user: User) -> None:
    """End this session and every copy of its cookie."""
    with transaction():
        end_sessions(user.id)


def make_analyst(email: str, name: str, password: str) -> User:
    """Create a national analyst account, or make an existing account one with a new password."""
    email = email.strip().lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"use at least {MIN_PASSWORD_LENGTH} characters")
    with transaction() as session:
        user = user_by_email(email)
        if user is None:
            user = User(email=email, name=name.strip())
            session.add(user)
        elif holds_a_membership(user.id):
            # Analysts see partnerships only through submitted returns, never as members.
            raise AccountError(
                f"{email} is a member of a partnership; a lead must remove them first."
            )
        else:
            # A new password ends the sessions signed in with the old one.
            end_sessions(user.id)
        user.is_analyst = True
        user.password_hash = generate_password_hash(password)
    return user


def choose_language(user_id: int, language: str) -> None:
    """Keep the language a person chose, so every page, document and email follows it."""
    with transaction():
        db.session.execute(update(User).where(User.id == user_id).values(language=language))
