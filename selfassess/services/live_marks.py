"""Whether a phone's live workshop state can have changed, answered without the database.

Thirty phones a workshop ask for their state every second, and almost every time nothing has
changed. With Redis configured (several app servers), each state a guest's phone is given is
kept there with its ETag and two counters: one for the workshop (moved on, revealed, a new
round, a countdown, someone joined or was removed, ended) and one for the participant (their
vote, their details). Every commit that writes those rows moves the counters, whichever app
server made it, so a phone sending back its ETag while both counters stand still gets
"304 Not Modified" from Redis alone.

The counters move after the commit, never before: a state read in between is kept against the
counters read before it was worked out, so at worst it is worked out again. What is kept lasts
KEPT_SECONDS, so a change made past the ORM (a cascade in the database, say) is seen within
that. Without Redis nothing is kept: counters in one process's memory would not see a lead's
move handled by another process, so every poll is worked out from the database, as before.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from selfassess.documents import shared_cache
from selfassess.models import Participant, WorkshopAttendee, WorkshopVote
from selfassess.models.assessments import WorkshopSession

log = logging.getLogger(__name__)

KEPT_SECONDS = 30
_CHANGES = "live_marks_changed"  # in Session.info: the counters this transaction moves


def _workshop_key(workshop_id: int) -> str:
    return f"{shared_cache.key_prefix()}live:workshop:{workshop_id}"


def _participant_key(participant_id: int) -> str:
    return f"{shared_cache.key_prefix()}live:participant:{participant_id}"


def _state_key(workshop_id: int, participant_id: int) -> str:
    return f"{shared_cache.key_prefix()}live:state:{workshop_id}:{participant_id}"


def counters(workshop_id: int, participant_id: int) -> tuple[int, int] | None:
    """The two counters now; read before the state is worked out. None without Redis."""
    client = shared_cache.client()
    if client is None:
        return None
    try:
        found = client.mget(_workshop_key(workshop_id), _participant_key(participant_id))
    except Exception:  # noqa: BLE001 - no answer from Redis: the poll reads the database
        return None
    return tuple(int(v or 0) for v in found)


def keep(
    workshop_id: int,
    participant_id: int,
    assessment_id: int,
    language: str,
    etag: str,
    read_at: tuple[int, int] | None,
) -> None:
    """Keep the ETag of a guest's state, worked out after the counters stood at read_at."""
    client = shared_cache.client()
    if client is None or read_at is None:
        return
    kept = json.dumps(
        {"etag": etag, "assessment": assessment_id, "language": language, "at": list(read_at)}
    )
    try:
        client.set(_state_key(workshop_id, participant_id), kept, ex=KEPT_SECONDS)
    except Exception:  # noqa: BLE001
        log.warning("Redis did not keep a workshop state")


def unchanged(workshop_id: int, joined: dict, etags, language: str) -> str | None:
    """The ETag to answer 304 with, when a state kept for one of the participants this browser
    joined as (``joined``: assessment id -> participant id), in the language it asks in, still
    stands and is among ``etags`` (the request's If-None-Match); otherwise None."""
    client = shared_cache.client()
    if client is None:
        return None
    for assessment, participant_id in joined.items():
        if not isinstance(participant_id, int):
            continue
        try:
            kept, *now = client.mget(
                _state_key(workshop_id, participant_id),
                _workshop_key(workshop_id),
                _participant_key(participant_id),
            )
        except Exception:  # noqa: BLE001
            return None
        if kept is None:
            continue
        kept = json.loads(kept)
        if (
            str(kept["assessment"]) == str(assessment)
            and kept["language"] == language
            and kept["at"] == [int(v or 0) for v in now]
            and etags.contains(kept["etag"])
        ):
            return kept["etag"]
    return None


# --- moving the counters ------------------------------------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    if shared_cache.client() is None:
        return
    changes = session.info.setdefault(_CHANGES, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, WorkshopSession):
            changes.add(_workshop_key(row.id))
        elif isinstance(row, WorkshopAttendee):
            changes.add(_workshop_key(row.workshop_session_id))
        elif isinstance(row, WorkshopVote):
            changes.add(_participant_key(row.participant_id))
        elif isinstance(row, Participant):
            changes.add(_participant_key(row.id))


@event.listens_for(Session, "after_commit")
def _move_counters(session: Session) -> None:
    # A rolled-back change still moves them at the next commit: one state worked out again for
    # nothing, never a stale one kept.
    changes = session.info.pop(_CHANGES, None)
    client = shared_cache.client()
    if not changes or client is None:
        return
    try:
        with client.pipeline(transaction=False) as pipe:
            for key in changes:
                pipe.incr(key)
                pipe.expire(key, 24 * 60 * 60)
            pipe.execute()
    except Exception:  # noqa: BLE001 - states kept then expire within KEPT_SECONDS
        log.warning("Redis did not note a workshop change")
