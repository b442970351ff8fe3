"""Adding messages to the outbox, in the caller's transaction."""

from __future__ import annotations

from flask import current_app

from selfassess.domain.mail import Email, new_message_id
from selfassess.extensions import db
from selfassess.models import OutboxMessage


def _message_id() -> str:
    sender = current_app.config.get("MAIL_SENDER") or "selfassess@localhost"
    return new_message_id(sender.rpartition("@")[2])


def queue(email: Email, user_id: int | None = None, occurrence: str | None = None) -> OutboxMessage:
    """Add one message within the caller's transaction; nothing is sent until it commits and a
    worker picks it up. ``occurrence`` names a reminder, unique across the outbox."""
    message = OutboxMessage(
        kind=email.kind,
        occurrence=occurrence,
        message_id=_message_id(),
        user_id=user_id,
        to_address=email.to_address,
        to_name=email.to_name,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        attachments=[
            {"filename": a.filename, "content_type": a.content_type, "content": a.content}
            for a in email.attachments
        ],
        status="queued",
        attempts=0,
    )
    db.session.add(message)
    return message
