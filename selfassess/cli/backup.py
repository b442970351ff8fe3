"""Backup and restore: every table of the database as one JSON file, and back.

``selfassess dump FILE`` writes every table in ``db.metadata.sorted_tables`` (so a new table is
included without touching this module), each row by column name, with a format version. Users'
password hashes are left out unless ``--with-password-hashes`` is given; API tokens and
invitations are only ever stored as hashes and nonces, and are dumped as they are.

``selfassess restore FILE`` loads such a file into an EMPTY database whose schema is in place
(``selfassess db upgrade`` first), SQLite or PostgreSQL, keeping every id, then moves
PostgreSQL's id sequences past the restored ids. Anything already in the database and it refuses.

Values are written so they come back exactly: datetimes as ISO 8601 in UTC (SQLite hands them
back without a zone; they were stored as UTC), dates as ISO dates, JSON columns as JSON.
"""

from __future__ import annotations

import base64
import json
import sys
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.types import Date, DateTime, LargeBinary, Numeric, Time

from selfassess.cli import cli
from selfassess.extensions import db

FORMAT = "selfassess-dump"
FORMAT_VERSION = 1
PASSWORD_COLUMNS = {("user_account", "password_hash")}


class RestoreError(Exception):
    """The file cannot be restored here; the message says why."""


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


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def _order(table: Table):
    return list(table.primary_key.columns) or list(table.columns)


def dump_data(with_password_hashes: bool = False) -> dict[str, Any]:
    """Every row of every table, as plain JSON-ready data."""
    tables: dict[str, Any] = {}
    for table in _tables():
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
        for t in _tables()
        if db.session.execute(select(func.count()).select_from(t)).scalar()
    ]


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
    known = {t.name: t for t in _tables()}
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
    try:
        for table in _tables():
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
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences: move each past the highest restored id."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
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


@cli.command("dump")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with-password-hashes",
    is_flag=True,
    help="Keep users' password hashes (without them, everyone sets a password again).",
)
def dump_command(file: Path, with_password_hashes: bool) -> None:
    """Write every table to FILE as JSON ('-' for standard output)."""
    data = dump_data(with_password_hashes)
    body = json.dumps(data, ensure_ascii=False, indent=1)
    if str(file) == "-":
        click.echo(body)
        return
    file.write_text(body, encoding="utf-8")
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in data["tables"].items() if rows)
    click.echo(f"Dumped to {file}: {counts}", err=True)


@cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load a dump made by 'selfassess dump' into an empty database."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        click.echo(f"Cannot restore {file}: it is not JSON ({exc})", err=True)
        sys.exit(1)
    try:
        counts = restore_data(data)
    except RestoreError as exc:
        click.echo(f"Cannot restore {file}: {exc}", err=True)
        sys.exit(1)
    total = sum(counts.values())
    click.echo(f"Restored {total} rows from {file} into {len(counts)} tables.")
