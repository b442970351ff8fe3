"""Restoring a backup made by ``selfassess dump`` (``selfassess.queries.backup``).

It loads into an EMPTY database whose schema is in place (``selfassess db upgrade`` first),
SQLite or PostgreSQL, keeping every id, then moves PostgreSQL's id sequences past the restored
ids; all of it in one transaction. Anything already in the database and it refuses.
"""

from __future__ import annotations

import base64
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.types import Date, DateTime, LargeBinary, Numeric, Time

from selfassess.extensions import db
from selfassess.queries.backup import FORMAT, FORMAT_VERSION, database_tables, non_empty_tables
from selfassess.services import transaction


class RestoreError(Exception):
    """The file cannot be restored here; the message says why."""


def _decode(column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, Numeric) and isinstance(value, str):
        return Decimal(value)
    return value


def _check(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RestoreError("this is not a selfassess dump (made by 'selfassess dump')")
    if data.get("format_version") != FORMAT_VERSION:
        raise RestoreError(
            f"the dump is format version {data.get('format_version')!r}; "
            f"this version of selfassess restores version {FORMAT_VERSION}"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise RestoreError("the dump holds no tables")
    known = {t.name: t for t in database_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise RestoreError("the dump has tables this database does not: " + ", ".join(unknown))
    for name, rows in tables.items():
        columns = set(known[name].columns.keys())
        for row in rows:
            extra = set(row) - columns
            if extra:
                raise RestoreError(
                    f"table {name} in the dump has columns this database does not: "
                    + ", ".join(sorted(extra))
                )
    return tables


def restore_data(data: Any) -> dict[str, int]:
    """Load a dump into the empty database, in one transaction. Returns rows per table."""
    tables = _check(data)
    filled = non_empty_tables()
    if filled:
        raise RestoreError(
            "the database is not empty (rows in " + ", ".join(filled) + "): "
            "restore only into a new, empty database"
        )
    counts: dict[str, int] = {}
    with transaction():
        for table in database_tables():
            rows = tables.get(table.name) or []
            decoded = [
                {name: _decode(table.columns[name], value) for name, value in row.items()}
                for row in rows
            ]
            # One row at a time, in id order, so a row may point at an earlier row of its own
            # table (an assessment's previous cycle, an action carried over).
            for row in decoded:
                db.session.execute(insert(table).values(**row))
            counts[table.name] = len(decoded)
        _reset_sequences()
    return counts


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences: move each past the highest restored id."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in database_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        quoted = f'"{table.name}"'
        sequence = db.session.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quoted, "c": pk[0].name}
        ).scalar()
        if sequence:
            column = pk[0].name
            # Table and column names come from our own metadata, never from the dump.
            statement = "SELECT setval(:s, COALESCE(MAX({c}), 1), MAX({c}) IS NOT NULL) FROM {t}"
            db.session.execute(text(statement.format(c=column, t=quoted)), {"s": sequence})
