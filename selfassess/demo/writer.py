"""Bulk inserts for generated data: rows buffered per table and written with one executemany per
table and chunk, parents before children, with ids given here so children can point at parents
without a round trip. On PostgreSQL the id sequences are moved past them at the end."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, insert, select, text

from selfassess.extensions import db
from selfassess.models import (
    Action,
    AgreedRating,
    Assessment,
    AssessmentFramework,
    AuditEvent,
    Collection,
    CollectionFramework,
    CollectionPartnership,
    Membership,
    Participant,
    Partnership,
    Rating,
    Return,
    ReturnAnswer,
    SurveyAnswer,
    User,
)

CHUNK = 20_000


class BulkWriter:
    """Buffers rows per table and writes them with one executemany per table and chunk."""

    ORDER = (
        Partnership,
        User,
        Membership,
        Collection,
        CollectionFramework,
        CollectionPartnership,
        Assessment,
        AssessmentFramework,
        Participant,
        Rating,
        AgreedRating,
        Action,
        Return,
        ReturnAnswer,
        SurveyAnswer,
        AuditEvent,
    )

    def __init__(self):
        self.rows = {m: [] for m in self.ORDER}
        self.next = {
            m: (db.session.execute(select(func.max(m.id))).scalar() or 0) + 1 for m in self.ORDER
        }
        self.counts: Counter = Counter()
        self.buffered = 0

    def add(self, model, **row) -> int:
        row_id = row["id"] = self.next[model]
        self.next[model] += 1
        self.rows[model].append(row)
        self.buffered += 1
        if self.buffered >= CHUNK:
            self.flush()
        return row_id

    def flush(self) -> None:
        for model in self.ORDER:  # parents before children
            rows = self.rows[model]
            if rows:
                db.session.execute(insert(model.__table__), rows)
                self.counts[model.__tablename__] += len(rows)
                self.rows[model] = []
        self.buffered = 0

    def finish(self) -> None:
        self.flush()
        if db.engine.dialect.name == "postgresql":  # ids were given: move sequences past them
            for model in self.ORDER:
                table = model.__tablename__
                sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
                highest = f'SELECT COALESCE(MAX(id), 1) FROM "{table}"'  # noqa: S608 - our tables
                db.session.execute(text(f"SELECT setval({sequence}, ({highest}))"))
