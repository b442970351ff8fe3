"""How a message leaves the service: one small interface, ``Sender.send(message)``.

A sender gets the message as plain data (``OutgoingEmail``: addresses, subject, text, HTML,
attachments, Message-ID) and raises on failure: ``PermanentFailure`` when trying again cannot
help (the server refused the address), anything else to be retried. Delivery never asks which
sender it has. GOV.UK Notify, what a government deployment would use, would be one more class:
its ``send`` posts the subject and bodies to a Notify template through ``notifications-python-
client`` and maps Notify's 400 answers to PermanentFailure; no caller changes.

SMTP goes through the standard library's ``email`` and ``smtplib``: they do everything this
service asks (MIME alternatives, attachments, STARTTLS, sign-in) and are maintained with Python
itself, so delivery adds no dependency to keep up to date.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from flask import Flask

from selfassess.domain.mail import Email, SmtpSettings, parse_mail_url, to_mime


@dataclass(frozen=True)
class OutgoingEmail:
    email: Email
    message_id: str


class PermanentFailure(Exception):
    """Sending this message again would fail the same way: it is kept as failed at once."""


class Sender(Protocol):
    def send(self, message: OutgoingEmail) -> None: ...


class SmtpSender:
    def __init__(self, settings: SmtpSettings, sender: str, sender_name: str | None):
        self.settings = settings
        self.sender = sender
        self.sender_name = sender_name

    def send(self, message: OutgoingEmail) -> None:
        mime = to_mime(message.email, self.sender, self.sender_name, message.message_id)
        s = self.settings
        context = ssl.create_default_context()
        if s.tls == "ssl":
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.tls == "starttls":
                client.starttls(context=context)
            if s.username:
                client.login(s.username, s.password or "")
            client.send_message(mime, from_addr=self.sender, to_addrs=[message.email.to_address])
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"the mail server refused the address: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600 and exc.smtp_code != 530:
                raise PermanentFailure(f"the mail server refused the message: {exc}") from exc
            raise
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


class FileSender:
    """Writes each message as an .eml file: the default with no mail server, for `make run`."""

    def __init__(self, folder: Path, sender: str, sender_name: str | None):
        self.folder = folder
        self.sender = sender
        self.sender_name = sender_name

    def send(self, message: OutgoingEmail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        mime = to_mime(message.email, self.sender, self.sender_name, message.message_id)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        # The Message-ID's own part names the file: sending the same message again overwrites
        # its file rather than adding a second.
        local = message.message_id.strip("<>").split("@")[0].replace(".", "-")
        path = self.folder / f"{stamp}-{local}.eml"
        for old in self.folder.glob(f"*-{local}.eml"):
            old.unlink()
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(bytes(mime))
        temporary.replace(path)


def outbox_folder(app: Flask) -> Path:
    return Path(app.config.get("MAIL_OUTBOX_DIR") or Path(app.instance_path) / "outbox")


def sender_for(app: Flask) -> Sender:
    """SMTP when MAIL_URL is set; otherwise .eml files in the outbox folder."""
    sender = app.config["MAIL_SENDER"]
    name = app.config.get("MAIL_SENDER_NAME")
    if app.config.get("MAIL_URL"):
        return SmtpSender(parse_mail_url(app.config["MAIL_URL"]), sender, name)
    return FileSender(outbox_folder(app), sender, name)
