"""Services: every change to the data, and the only code that commits.

Each service checks what it is asked against the state it finds, appends an audit event for every
change, and commits the change and its events together through ``transaction()``, so views stay
thin and every way in (pages, autosave, the workshop, the command line) behaves alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from selfassess.extensions import db


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit everything the block changed, or (on any exception) roll all of it back."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def abandon() -> None:
    """Drop whatever this request changed but did not commit (after a database error), so the
    error page can still read."""
    db.session.rollback()
