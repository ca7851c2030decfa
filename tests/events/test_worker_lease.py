"""A worker that dies holding messages: its claim runs out and another worker sends them."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from typing import Any

from events.enums import OutboxStatus
from events.lib.clock import utcnow
from events.mail import outbox
from events.mail.outbox import claim_due, enqueue
from events.tables import OutboxMessage
from events.worker import SentMarks
from tests.events.test_worker import mail
from tests.smtp_server import SmtpServer

MESSAGES = 40


def start_worker(server: SmtpServer) -> subprocess.Popen[bytes]:
    """`tsunagu worker` in a process of its own, sending to the test's SMTP server."""
    environment = os.environ | {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port)}
    return subprocess.Popen(
        [sys.executable, "-c", "from events.cli import main; main(['worker'])"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_until(condition: Any, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_worker_killed_mid_batch_loses_nothing(smtp_server: SmtpServer) -> None:
    for n in range(MESSAGES):  # each with a key of its own, as confirmations have
        await enqueue(mail(n, supersede_key=f"confirmation:{n}"))
    smtp_server.behaviour.accept_delay_seconds = 0.05
    worker = start_worker(smtp_server)
    try:
        await wait_until(lambda: len(smtp_server.received) >= 5)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    smtp_server.behaviour.accept_delay_seconds = 0.0
    stuck = await OutboxMessage.count().where(OutboxMessage.status == OutboxStatus.SENDING)
    assert stuck > 0

    # Before the claim runs out nobody touches the dead worker's messages; after, all go out.
    assert await claim_due(MESSAGES) == []
    await smtp_server.deliver(now=utcnow() + outbox.claim_timeout())

    rows = await OutboxMessage.select(OutboxMessage.uid, OutboxMessage.status)
    assert {row["status"] for row in rows} == {OutboxStatus.SENT}
    sent_ids = Counter(str(message["Message-ID"]) for message in smtp_server.messages)
    # At least once, and a message sent twice keeps its Message-ID so clients drop the copy.
    # Sent again are only those whose delivery the dead worker had not yet recorded.
    assert set(sent_ids) == {f"<{row['uid']}@tsunagu.test>" for row in rows}
    assert sum(sent_ids.values()) - MESSAGES <= SentMarks.GROUP + 1


async def test_expired_claim_blocks_no_newer_message_of_its_key(smtp_server: SmtpServer) -> None:
    await enqueue(mail(1, supersede_key="invite:1", subject="旧"))
    [claimed] = await claim_due(10)  # the worker that took it dies here
    await enqueue(mail(1, supersede_key="invite:1", subject="新"))

    assert await claim_due(10) == []  # the old claim still holds: the newer message waits
    await smtp_server.deliver(now=utcnow() + outbox.claim_timeout())

    assert [message["Subject"] for message in smtp_server.messages] == ["新"]
    statuses = await OutboxMessage.select(OutboxMessage.subject, OutboxMessage.status).order_by(
        OutboxMessage.id
    )
    assert statuses == [
        {"subject": "旧", "status": OutboxStatus.SUPERSEDED},
        {"subject": "新", "status": OutboxStatus.SENT},
    ]
    assert claimed["subject"] == "旧"


async def test_expired_claim_alone_is_taken_over(smtp_server: SmtpServer) -> None:
    await enqueue(mail(1, supersede_key="invite:1"))
    [claimed] = await claim_due(10)

    await smtp_server.deliver(now=utcnow() + outbox.claim_timeout())

    [received] = smtp_server.messages
    assert str(received["Message-ID"]) == f"<{claimed['uid']}@tsunagu.test>"
    assert await OutboxMessage.select(OutboxMessage.status, OutboxMessage.attempts) == [
        {"status": OutboxStatus.SENT, "attempts": 2}
    ]
