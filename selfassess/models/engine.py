"""Engine settings per database, so several workers can share one database safely."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

SQLITE_BUSY_TIMEOUT_MS = 15_000


# PostgreSQL's words for "another transaction holds what this one waits for": lock_timeout
# (lock not available), statement_timeout (query cancelled), a deadlock, a serialisation failure.
BUSY_SQLSTATES = frozenset({"55P03", "57014", "40P01", "40001"})


def engine_options(url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> dict:
    """Options for create_engine: a busy timeout for SQLite, a checked pool for PostgreSQL."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": busy_timeout_ms / 1000}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10, "pool_recycle": 1800}


def is_busy(error: OperationalError) -> bool:
    """Whether a database error means "busy, try again" (a write waited on a lock past its
    timeout) rather than a fault."""
    original = error.orig
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(original) or "database table is locked" in str(original)


def configure_sqlite(engine: Engine, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    """WAL lets readers and one writer work at once; the busy timeout makes writers queue
    instead of failing with "database is locked" when a workshop votes all at once."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
