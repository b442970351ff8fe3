"""Remembering each framework version as it was when answers were first given against it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite

from selfassess.domain.frameworks import Framework
from selfassess.extensions import db
from selfassess.models import FrameworkRelease
from selfassess.models.base import utcnow


def record_first_use(frameworks: Iterable[Framework]) -> None:
    """Store the content hash of each version not yet in use, in the caller's transaction.

    The first use wins: a version already held keeps its hash (two leads creating assessments
    at once both succeed), so a later edit of the file shows as a changed hash.
    """
    rows = [
        {
            "framework_id": fw.id,
            "version": fw.version,
            "content_hash": fw.content_hash,
            "first_used_at": utcnow(),
        }
        for fw in frameworks
    ]
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(FrameworkRelease).values(rows).on_conflict_do_nothing())
