"""A real SMTP server for tests (aiosmtpd on a free 127.0.0.1 port) and a guard against others.

`smtp_server` starts a server that keeps every message it accepts; it can refuse recipients,
drop the connection or stall, as LGWAN gateways and busy relays do. `guard_smtp_connections`
(autouse) fails a test that opens an SMTP connection to anything but a server it started.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller

from events.lib.settings import SmtpSettings, SmtpTls
from events.worker import OutboxWorker

_allowed_ports: set[int] = set()


def free_port() -> int:
    # aiosmtpd 1.4.6 cannot listen on port 0, so a port is picked first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Behaviour:
    """What the server does besides accepting: set by the test, read by the server thread."""

    refuse: set[str] = field(default_factory=set)
    refuse_code: str = "550 5.1.1 User unknown"
    drop_after: int | None = None  # close the connection instead of accepting message n+1
    stall_seconds: float = 0.0
    accept_delay_seconds: float = 0.0  # a slow relay: each message waits this long, then is taken


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self._server.behaviour.refuse:
            return self._server.behaviour.refuse_code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        behaviour = self._server.behaviour
        if behaviour.stall_seconds:
            # A server that never answers: the client gives up, the message is not taken.
            await asyncio.sleep(behaviour.stall_seconds)
            server.transport.close()
            return "421 4.4.2 timeout"
        if behaviour.accept_delay_seconds:
            await asyncio.sleep(behaviour.accept_delay_seconds)
        if behaviour.drop_after is not None and len(self._server.received) >= behaviour.drop_after:
            behaviour.drop_after = None  # one drop; the client's reconnection is then served
            server.transport.close()
            return "421 4.3.0 closing"
        self._server.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[Received] = []
        self.behaviour = Behaviour()
        self.connections = 0
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return [received.message for received in self.received]

    def smtp_settings(self, **smtp: Any) -> SmtpSettings:
        """The mail server settings of a worker sending to this server."""
        server = SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            user=None,
            password=None,
            tls=SmtpTls.NONE,
            timeout_seconds=5.0,
        )
        return dataclasses.replace(server, **smtp)

    async def deliver(self, now: dt.datetime | None = None, **smtp: Any) -> int:
        """Run one worker until nothing is due; returns how many rows it claimed."""
        worker = OutboxWorker(smtp=self.smtp_settings(**smtp))
        claimed = 0
        try:
            while batch := await worker.send_due(now=now):
                claimed += batch
        finally:
            await worker.close()
        return claimed


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpServer]:
    server = SmtpServer(free_port())
    _allowed_ports.add(server.port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        _allowed_ports.discard(server.port)


@pytest.fixture(autouse=True)
def guard_smtp_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any SMTP connection but to a server the test started fails the test."""
    original = aiosmtplib.SMTP.connect

    async def checked_connect(self: aiosmtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
        port = kwargs.get("port") or self.port
        hostname = kwargs.get("hostname") or self.hostname
        if hostname != "127.0.0.1" or port not in _allowed_ports:
            pytest.fail(f"unexpected SMTP connection to {hostname}:{port}")
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(aiosmtplib.SMTP, "connect", checked_connect)
    yield
