"""Workers that die or lose their database: nothing they held is lost, and they carry on."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from events.enums import OutboxStatus
from events.lib.clock import utcnow
from events.mail import outbox
from events.mail.outbox import claim_due, enqueue
from events.tables import OutboxMessage
from events.worker import SentMarks
from tests.conftest import POSTGRES_SERVER, TEST_DATABASE_URL
from tests.events.test_worker import mail
from tests.smtp_server import SmtpServer

MESSAGES = 40


def start_worker(server: SmtpServer, **variables: str) -> subprocess.Popen[bytes]:
    """`tsunagu worker` in a process of its own, sending to the test's SMTP server."""
    environment = os.environ | {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port)}
    environment |= variables
    return subprocess.Popen(
        [sys.executable, "-c", "from events.cli import main; main(['worker'])"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def children_of(pid: int) -> list[int]:
    """The processes `pid` started (Linux: read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The parent is the 2nd field after the command name, which is in parentheses.
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


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
        # A bound, not a timing: a process starting on a busy machine can take its time.
        await wait_until(lambda: len(smtp_server.received) >= 5, seconds=120)
        children = children_of(worker.pid)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    smtp_server.behaviour.accept_delay_seconds = 0.0
    # The process that built its messages does not outlive it.
    assert children
    await wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in children), 10)
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


# Makes each COMMIT that records a sent message take a moment, so that the test can cut the
# connection in the middle of it.
SLOW_COMMIT = (
    """CREATE FUNCTION test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(0.02); RETURN NULL; END $$""",
    """CREATE CONSTRAINT TRIGGER test_slow_commit AFTER UPDATE ON outbox_message
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION test_slow_commit()""",
)


@pytest.fixture
async def slow_commits() -> AsyncIterator[None]:
    for statement in SLOW_COMMIT:
        await OutboxMessage.raw(statement)
    try:
        yield
    finally:
        await OutboxMessage.raw("DROP TRIGGER test_slow_commit ON outbox_message")
        await OutboxMessage.raw("DROP FUNCTION test_slow_commit()")


async def all_sent() -> bool:
    waiting: int = await OutboxMessage.count().where(OutboxMessage.status != OutboxStatus.SENT)
    return waiting == 0


@pytest.mark.skipif(not POSTGRES_SERVER, reason="a PostgreSQL backend to terminate")
async def test_worker_carries_on_after_its_commit_is_cut(
    smtp_server: SmtpServer, slow_commits: None
) -> None:
    for n in range(MESSAGES):
        await enqueue(mail(n, supersede_key=f"confirmation:{n}"))
    smtp_server.behaviour.accept_delay_seconds = 0.02
    name = "tsunagu-test-worker"
    worker = start_worker(
        smtp_server,
        DATABASE_URL=f"{TEST_DATABASE_URL}?application_name={name}",
        OUTBOX_CLAIM_TIMEOUT="3",
    )
    try:
        terminated: list[dict[str, Any]] = []
        deadline = time.monotonic() + 30
        while not terminated:  # the moment a COMMIT of the worker is under way
            assert time.monotonic() < deadline, "the worker never committed"
            terminated = await OutboxMessage.raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = {} AND query = 'COMMIT;' AND state = 'active'",
                name,
            )
        deadline = time.monotonic() + 60
        while not await all_sent():
            assert time.monotonic() < deadline, "the worker stopped sending"
            assert worker.poll() is None
            await asyncio.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    rows = await OutboxMessage.select(OutboxMessage.uid)
    received = {str(message["Message-ID"]) for message in smtp_server.messages}
    assert received == {f"<{row['uid']}@tsunagu.test>" for row in rows}
