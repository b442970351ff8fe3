"""Signed-in sessions that end when they should.

A session cookie is signed, not stored, so it cannot be deleted from the server. Instead each
account has a session generation: the cookie carries the generation it was issued under, and an
older one no longer signs anyone in. Signing out, a password change, and a change of role or
removal from a partnership move the generation on (``services.accounts.end_sessions``), which
ends every copy of the cookie.
"""

from __future__ import annotations

from flask import session

from selfassess.models import User

GENERATION_KEY = "_generation"


def remember_generation(user: User) -> None:
    """Mark the current session with the account's generation (at sign-in)."""
    session[GENERATION_KEY] = user.session_generation


def is_current(user: User) -> bool:
    # Sessions issued before generations were kept carry none: they count as the first.
    return session.get(GENERATION_KEY, 0) == user.session_generation
