"""Sending the outbox: claim a message, send it, mark it sent, each in its own commit.

What is promised: every message is sent at least once, and never twice by two workers.

- Claiming is one conditional UPDATE (queued and due, or claimed by a worker whose claim ran out)
  that only one worker can win; the winner's claim is a random token and an expiry
  (MAIL_CLAIM_SECONDS, longer than any SMTP timeout). Another worker leaves a claimed message
  alone until the claim runs out.
- After sending, the row is marked sent only where it still carries this worker's token.
- A failure puts the message back with its error and the time of the next attempt (a minute,
  then doubling, at most six hours); after MAIL_MAX_ATTEMPTS, or at once when the server refuses
  the address, it stays "failed" with the error.
- A worker killed before the server accepted the message leaves its claim to run out; the
  message is then sent by another worker, once.
- The one window: the server has accepted the message but the worker dies before marking it
  sent. No SMTP client can close it (the server's "250 OK" and our commit cannot be one step),
  so the message is sent again when the claim runs out: at-least-once, not exactly-once. The
  copy carries the same Message-ID, so mail systems and people can tell it is the same message.
"""

from __future__ import annotations

import secrets
import signal
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update

from selfassess.domain.mail import Attachment, Email, retry_delay_seconds
from selfassess.extensions import db
from selfassess.models import OutboxMessage
from selfassess.queries.mail import claimable_ids, outbox_message
from selfassess.services import abandon, transaction
from selfassess.services.mail.senders import OutgoingEmail, PermanentFailure, Sender


@dataclass
class PassResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(message_id: int, now: datetime) -> str | None:
    token = secrets.token_hex(16)
    lease = timedelta(seconds=int(current_app.config.get("MAIL_CLAIM_SECONDS", 300)))
    with transaction() as session:
        result = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                or_(
                    and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
                    and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
                ),
            )
            .values(
                status="sending",
                claim=token,
                claimed_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
    return token if result.rowcount == 1 else None


def _outgoing(row: OutboxMessage) -> OutgoingEmail:
    email = Email(
        kind=row.kind,
        to_address=row.to_address,
        to_name=row.to_name,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        attachments=tuple(
            Attachment(a["filename"], a["content_type"], a["content"])
            for a in row.attachments or []
        ),
    )
    return OutgoingEmail(email, row.message_id)


def _finish(message_id: int, token: str, **values) -> None:
    with transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claim == token)
            .values(claim=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )


def send_one(message_id: int, sender: Sender, now: datetime | None = None) -> str | None:
    """Claim, send and record one message: "sent", "retrying", "failed", or None when another
    worker has it (or it is not due)."""
    now = now or datetime.now(UTC)
    token = _claim(message_id, now)
    if token is None:
        return None
    db.session.expire_all()
    row = outbox_message(message_id)
    outgoing = _outgoing(row)
    attempts = row.attempts
    # The session holds no transaction open while the (slow) server is talked to.
    abandon()
    try:
        sender.send(outgoing)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        limit = int(current_app.config.get("MAIL_MAX_ATTEMPTS", 8))
        if isinstance(exc, PermanentFailure) or attempts >= limit:
            _finish(message_id, token, status="failed", last_error=error)
            return "failed"
        retry_at = now + timedelta(seconds=retry_delay_seconds(attempts))
        _finish(message_id, token, status="queued", last_error=error, next_attempt_at=retry_at)
        return "retrying"
    _finish(message_id, token, status="sent", sent_at=datetime.now(UTC))
    return "sent"


def send_due(sender: Sender, now: datetime | None = None, limit: int = 200) -> PassResult:
    """One pass over the outbox: every message due now, each claimed before it is sent."""
    now = now or datetime.now(UTC)
    result = PassResult()
    for message_id in claimable_ids(now, limit):
        outcome = send_one(message_id, sender, now)
        if outcome == "sent":
            result.sent += 1
        elif outcome == "retrying":
            result.retrying += 1
        elif outcome == "failed":
            result.failed += 1
    abandon()  # no read transaction held open between passes
    return result


def run_worker(
    sender: Sender, interval: float = 10.0, stop: threading.Event | None = None, on_pass=None
) -> None:
    """Send what is due, wait, and again, until stopped (SIGTERM or SIGINT end it after the
    message in hand)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        result = send_due(sender)
        if on_pass is not None:
            on_pass(result)
        stop.wait(interval)
