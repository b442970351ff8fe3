"""A backup of the database: every table as plain JSON-ready data (``selfassess dump``).

Every table in ``db.metadata.sorted_tables`` (so a new table is included without touching this
module), each row by column name, with a format version. Users' password hashes are left out
unless asked for; API tokens and invitations are only ever stored as hashes and nonces, and are
dumped as they are. ``selfassess.services.backup`` loads such data back.

Values are written so they come back exactly: datetimes as ISO 8601 in UTC (SQLite hands them
back without a zone; they were stored as UTC), dates as ISO dates, JSON columns as JSON.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.types import Date, DateTime, LargeBinary, Time

from selfassess.extensions import db

FORMAT = "selfassess-dump"
FORMAT_VERSION = 1
PASSWORD_COLUMNS = {("user_account", "password_hash")}


def _encode(column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime) and isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(kind, Date) and isinstance(value, date):
        return value.isoformat()
    if isinstance(kind, Time) and isinstance(value, time):
        return value.isoformat()
    if isinstance(kind, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def database_tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def _order(table: Table):
    return list(table.primary_key.columns) or list(table.columns)


def dump_data(with_password_hashes: bool = False) -> dict[str, Any]:
    """Every row of every table, as plain JSON-ready data."""
    tables: dict[str, Any] = {}
    for table in database_tables():
        columns = list(table.columns)
        rows = []
        for row in db.session.execute(select(table).order_by(*_order(table))).mappings():
            rows.append(
                {
                    c.name: (
                        None
                        if (table.name, c.name) in PASSWORD_COLUMNS and not with_password_hashes
                        else _encode(c, row[c])
                    )
                    for c in columns
                }
            )
        tables[table.name] = rows
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "with_password_hashes": with_password_hashes,
        "tables": tables,
    }


def non_empty_tables() -> list[str]:
    return [
        t.name
        for t in database_tables()
        if db.session.execute(select(func.count()).select_from(t)).scalar()
    ]
