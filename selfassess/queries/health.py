"""Whether the database answers, for the health check."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from selfassess.extensions import db


def database_answers() -> bool:
    """A `SELECT 1` on a connection of its own, so a failure leaves no request state behind."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
