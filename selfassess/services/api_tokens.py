"""Tokens for the read-only national API: issued to an analyst, shown once, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from selfassess.models import ApiToken, User
from selfassess.queries.api_tokens import token_by_hash
from selfassess.services import audit, transaction

TOKEN_PREFIX = "sa_"  # noqa: S105 - a marker that says what the string is, not a secret


class TokenRefused(Exception):
    """The token cannot be used; the message says why, for the API's 401."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(name: str, analyst: User) -> str:
    """A new token for analyst; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction() as session:
        token = ApiToken(name=name, token_hash=token_hash(plain), created_by_id=analyst.id)
        session.add(token)
        session.flush()
        audit.record(
            "api_token", "created", None, {"name": token.name}, analyst, entity_id=token.id
        )
    return plain


def revoke_token(token: ApiToken, analyst: User) -> bool:
    """Revoke token; False when it was already revoked (nothing changes)."""
    if token.revoked_at is not None:
        return False
    with transaction():
        token.revoked_at = datetime.now(UTC)
        audit.record(
            "api_token", "revoked", {"name": token.name}, None, analyst, entity_id=token.id
        )
    return True


def use_token(plain: str) -> ApiToken:
    """The live token for plain, marked as used now; TokenRefused says why not."""
    found = token_by_hash(token_hash(plain))
    if found is None or found.revoked_at is not None:
        raise TokenRefused("The token is not valid or has been revoked")
    owner = found.created_by
    if owner is None or not owner.is_analyst or not owner.active:
        raise TokenRefused("The token's owner is no longer a national analyst")
    with transaction():
        found.last_used_at = datetime.now(UTC)
    return found
