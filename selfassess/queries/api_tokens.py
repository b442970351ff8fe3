"""API tokens, as the tokens page lists them and the API looks them up."""

from __future__ import annotations

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import ApiToken


def all_tokens() -> list[ApiToken]:
    return list(db.session.execute(select(ApiToken).order_by(ApiToken.created_at.desc())).scalars())


def token_or_none(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)


def token_by_hash(digest: str) -> ApiToken | None:
    return db.session.execute(select(ApiToken).filter_by(token_hash=digest)).scalar_one_or_none()
