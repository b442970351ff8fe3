"""A real SMTP server in the test process (aiosmtpd), and helpers to read what it received."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from icalendar import Calendar


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()

    def calendar(self) -> Calendar | None:
        for part in self.message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                content = part.get_content()
                if isinstance(content, str):
                    content = content.encode()
                return Calendar.from_ical(content)
        return None

    def everything(self) -> str:
        """Every header and decoded part, for searching."""
        parts = [f"{k}: {v}" for k, v in self.message.items()]
        for part in self.message.walk():
            if part.is_multipart():
                continue
            content = part.get_content()
            parts.append(
                content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            )
        return "\n".join(parts)


class Recorder:
    """Records every message accepted. ``hold()`` makes the next DATA wait, then refuse the
    message (the client is expected to be gone by then): the server never accepted it."""

    def __init__(self):
        self.messages: list[Received] = []
        self.refuse = 0  # refuse this many messages with a temporary failure
        self.refuse_permanently = False
        self._hold: threading.Event | None = None
        self.holding = threading.Event()

    def hold(self) -> threading.Event:
        self._hold = threading.Event()
        return self._hold

    async def handle_DATA(self, server, session, envelope):
        if self._hold is not None:
            held, self._hold = self._hold, None
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, held.wait, 60)
            return "451 4.3.0 Not accepted: the connection went away"
        if self.refuse_permanently:
            return "550 5.1.1 No such mailbox"
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?tls=none&timeout=10"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
