"""A real SMTP server (aiosmtpd) in the test process that counts mails per recipient."""

import socket
import threading
from collections import Counter
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self, *, temporary_failures: dict[str, int] | None = None):
        self.received: Counter = Counter()
        self.messages: list[bytes] = []
        # recipient -> how many times to answer 451 before accepting
        self.temporary_failures = dict(temporary_failures or {})
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            if self.temporary_failures.get(address.lower(), 0) > 0:
                self.temporary_failures[address.lower()] -= 1
                return "451 4.3.0 Bitte später erneut versuchen"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt.lower()] += 1
            self.messages.append(envelope.content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_sink(**kwargs):
    handler = CountingHandler(**kwargs)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
