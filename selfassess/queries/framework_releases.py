"""The framework versions the database holds answers against, with their content hashes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from selfassess.models import FrameworkRelease


def held_releases(engine: Engine) -> list[tuple[str, str, str]] | None:
    """(framework id, version, content hash) of every version in use: one small query.

    None when there is nothing to compare with: the table is not there yet (before
    `selfassess db upgrade`) or the database does not answer.
    """
    query = select(
        FrameworkRelease.framework_id, FrameworkRelease.version, FrameworkRelease.content_hash
    )
    try:
        with engine.connect() as connection:
            return [(fid, version, digest) for fid, version, digest in connection.execute(query)]
    except (OperationalError, ProgrammingError):
        return None
