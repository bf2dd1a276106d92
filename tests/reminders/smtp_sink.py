"""A local SMTP server (aiosmtpd) for the reminder tests: the only thing the tests stand in for.

It records every message it accepts, can refuse the first attempts with a temporary error, and can
hold one message without accepting it (while a test kills the worker that is sending it), and
can take its time over each message (so that a test can stop the broker mid-sending).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    def __init__(self, *, refuse_first: int = 0, hold_attempt: int | None = None, delay: float = 0):
        self.refuse_first = refuse_first
        self.hold_attempt = hold_attempt
        self.delay = delay
        self.holding = threading.Event()
        self.attempts = 0
        self.messages: list[tuple[str, str, str]] = []  # (recipient, subject, text)
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def recipients(self) -> list[str]:
        with self._lock:
            return sorted(recipient for recipient, _subject, _text in self.messages)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.attempts += 1
            attempt = self.attempts
        if attempt <= self.refuse_first:
            return "451 4.3.0 Mailbox busy, try again later"
        if attempt == self.hold_attempt:
            self.holding.set()
            # Never accepted: the sender is killed meanwhile and its connection drops.
            await asyncio.sleep(120)
            return "451 4.3.0 Timed out"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=default_policy)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body else ""
        with self._lock:
            self.messages.extend(
                (recipient, " ".join(str(message["subject"]).split()), text)
                for recipient in envelope.rcpt_tos
            )
        return "250 2.0.0 OK"
