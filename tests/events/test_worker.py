"""The outbox worker against a real SMTP server that goes down, refuses, drops and stalls."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

import pytest

from events.enums import OutboxStatus
from events.lib.clock import utcnow
from events.lib.settings import load_settings
from events.mail import outbox
from events.mail.building import CHUNK, PARALLEL_FROM, Envelope, MessageBuilder, envelope
from events.mail.outbox import OutgoingMail, claim_due, enqueue, mark_sent_many
from events.organizing.session_actions import update_session
from events.tables import OutboxMessage
from events.worker import OutboxWorker
from tests.factories import make_organizer, published_session, register_delegation
from tests.smtp_server import SmtpServer

LATER = dt.timedelta(hours=2)  # past any backoff of the first few attempts


def mail(n: int, **overrides: Any) -> OutgoingMail:
    values: dict[str, Any] = {
        "kind": "confirmation",
        "recipient": f"p{n}@example.lg.jp",
        "subject": f"参加登録のお知らせ {n}",
        "text_body": f"参加者{n} 様\n登録が完了しました。\n",
        "html_body": f"<p>参加者{n} 様</p>",
    }
    return OutgoingMail(**(values | overrides))


async def statuses() -> list[tuple[str, str, int]]:
    rows = await OutboxMessage.select(
        OutboxMessage.recipient, OutboxMessage.status, OutboxMessage.attempts
    ).order_by(OutboxMessage.id)
    return [(row["recipient"], row["status"], row["attempts"]) for row in rows]


def recipients(server: SmtpServer) -> list[str]:
    return [rcpt for received in server.received for rcpt in received.rcpt_tos]


async def test_smtp_outage_loses_nothing_and_sends_once_back_up(smtp_server: SmtpServer) -> None:
    for n in (1, 2, 3):
        await enqueue(mail(n))
    smtp_server.stop()

    await smtp_server.deliver()

    assert await statuses() == [(f"p{n}@example.lg.jp", OutboxStatus.PENDING, 1) for n in (1, 2, 3)]
    [error] = {row["last_error"] for row in await OutboxMessage.select(OutboxMessage.last_error)}
    assert error.startswith("SMTPConnectError")

    smtp_server.start()
    await smtp_server.deliver(now=utcnow() + LATER)
    await smtp_server.deliver(now=utcnow() + 2 * LATER)

    assert recipients(smtp_server) == [f"p{n}@example.lg.jp" for n in (1, 2, 3)]
    assert await statuses() == [(f"p{n}@example.lg.jp", OutboxStatus.SENT, 2) for n in (1, 2, 3)]


async def test_outage_waits_for_the_backoff_before_trying_again(smtp_server: SmtpServer) -> None:
    await enqueue(mail(1))
    smtp_server.stop()
    await smtp_server.deliver()
    smtp_server.start()

    assert await smtp_server.deliver() == 0
    assert await smtp_server.deliver(now=utcnow() + outbox.BACKOFF_BASE) == 1
    assert recipients(smtp_server) == ["p1@example.lg.jp"]


async def test_refused_recipient_is_a_permanent_failure(smtp_server: SmtpServer) -> None:
    await enqueue(mail(1))
    await enqueue(mail(2))
    smtp_server.behaviour.refuse = {"p1@example.lg.jp"}

    await smtp_server.deliver()
    await smtp_server.deliver(now=utcnow() + LATER)

    assert recipients(smtp_server) == ["p2@example.lg.jp"]
    assert await statuses() == [
        ("p1@example.lg.jp", OutboxStatus.FAILED, 1),
        ("p2@example.lg.jp", OutboxStatus.SENT, 1),
    ]
    failed = await OutboxMessage.select().where(OutboxMessage.status == OutboxStatus.FAILED).first()
    assert failed is not None
    assert failed["last_error"] == "550 5.1.1 User unknown"


async def test_address_no_server_can_take_affects_no_other_message(
    smtp_server: SmtpServer,
) -> None:
    # Stored before addresses were checked at input: a domain the client cannot encode.
    await enqueue(mail(1, recipient="yamada@例え.jp"))
    await enqueue(mail(2))

    await smtp_server.deliver()

    assert recipients(smtp_server) == ["p2@example.lg.jp"]
    assert await statuses() == [
        ("yamada@例え.jp", OutboxStatus.FAILED, 1),
        ("p2@example.lg.jp", OutboxStatus.SENT, 1),
    ]


async def test_resent_failure_keeps_its_message_id(smtp_server: SmtpServer) -> None:
    await enqueue(mail(1))
    smtp_server.behaviour.refuse = {"p1@example.lg.jp"}
    await smtp_server.deliver()
    smtp_server.behaviour.refuse = set()
    row = await OutboxMessage.select().first()
    assert row is not None

    await outbox.resend(row["id"])
    await smtp_server.deliver()

    [message] = smtp_server.messages
    assert str(message["Message-ID"]) == f"<{row['uid']}@tsunagu.test>"
    assert await statuses() == [("p1@example.lg.jp", OutboxStatus.SENT, 1)]


async def test_temporary_refusal_is_retried_with_the_same_message_id(
    smtp_server: SmtpServer,
) -> None:
    await enqueue(mail(1))
    smtp_server.behaviour.refuse = {"p1@example.lg.jp"}
    smtp_server.behaviour.refuse_code = "451 4.3.0 Mailbox busy"

    await smtp_server.deliver()
    assert await statuses() == [("p1@example.lg.jp", OutboxStatus.PENDING, 1)]
    smtp_server.behaviour.refuse = set()
    await smtp_server.deliver(now=utcnow() + LATER)

    row = await OutboxMessage.select().first()
    assert row is not None
    [message] = smtp_server.messages
    assert str(message["Message-ID"]) == f"<{row['uid']}@tsunagu.test>"
    assert (row["status"], row["attempts"]) == (OutboxStatus.SENT, 2)


async def test_connection_dropped_mid_batch_sends_everything_once(
    smtp_server: SmtpServer,
) -> None:
    for n in (1, 2, 3, 4):
        await enqueue(mail(n))
    smtp_server.behaviour.drop_after = 1

    await smtp_server.deliver()

    # The message in flight waits for its retry; the rest went over a new connection.
    assert recipients(smtp_server) == ["p1@example.lg.jp", "p3@example.lg.jp", "p4@example.lg.jp"]
    await smtp_server.deliver(now=utcnow() + LATER)
    assert sorted(recipients(smtp_server)) == [f"p{n}@example.lg.jp" for n in (1, 2, 3, 4)]
    assert [status for _, status, _ in await statuses()] == [OutboxStatus.SENT] * 4


async def test_server_that_stalls_times_out_and_is_retried(smtp_server: SmtpServer) -> None:
    await enqueue(mail(1))
    smtp_server.behaviour.stall_seconds = 3.0

    await smtp_server.deliver(timeout_seconds=0.5)

    row = await OutboxMessage.select().first()
    assert row is not None
    assert (row["status"], row["attempts"]) == (OutboxStatus.PENDING, 1)
    assert row["last_error"] == "SMTPReadTimeoutError: Timed out waiting for server response"
    smtp_server.behaviour.stall_seconds = 0.0
    await smtp_server.deliver(now=utcnow() + LATER)
    assert recipients(smtp_server) == ["p1@example.lg.jp"]


async def test_two_workers_never_send_one_message_twice(smtp_server: SmtpServer) -> None:
    for n in range(60):
        await enqueue(mail(n))
    workers = [OutboxWorker(smtp=smtp_server.smtp_settings(), batch_size=5) for _ in range(2)]

    async def drain(worker: OutboxWorker) -> int:
        claimed = 0
        while batch := await worker.send_due():
            claimed += batch
            await asyncio.sleep(0)
        await worker.close()
        return claimed

    claimed = await asyncio.gather(*(drain(worker) for worker in workers))

    assert sum(claimed) == 60
    assert sorted(recipients(smtp_server)) == sorted(f"p{n}@example.lg.jp" for n in range(60))
    assert len({str(m["Message-ID"]) for m in smtp_server.messages}) == 60


async def test_newer_invitation_waits_while_the_older_is_being_sent() -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, codes=("330001",))
    await register_delegation(accesses["330001"])
    [being_sent] = await claim_due(10)
    assert being_sent["kind"] == "confirmation"

    moved = session.starts_at + dt.timedelta(hours=1)
    await update_session(
        organizer, session.id, {"starts_at": moved, "ends_at": moved + dt.timedelta(hours=2)}
    )

    assert await claim_due(10) == []
    await mark_sent_many([being_sent["id"]])
    assert [row["kind"] for row in await claim_due(10)] == ["update"]


async def test_unexpected_smtp_connection_fails_the_test() -> None:
    await enqueue(mail(1))
    worker = OutboxWorker()

    with pytest.raises(pytest.fail.Exception, match="unexpected SMTP connection"):
        await worker.send_due()
    await worker.close()


async def test_slow_batch_gives_back_what_it_has_not_tried(smtp_server: SmtpServer) -> None:
    for n in (1, 2, 3):
        await enqueue(mail(n))
    worker = OutboxWorker(smtp=smtp_server.smtp_settings(), claim_budget=dt.timedelta(0))

    assert await worker.send_due() == 3
    await worker.close()

    assert recipients(smtp_server) == ["p1@example.lg.jp"]
    assert await statuses() == [
        ("p1@example.lg.jp", OutboxStatus.SENT, 1),
        ("p2@example.lg.jp", OutboxStatus.PENDING, 0),
        ("p3@example.lg.jp", OutboxStatus.PENDING, 0),
    ]
    await smtp_server.deliver()
    assert recipients(smtp_server) == [f"p{n}@example.lg.jp" for n in (1, 2, 3)]


async def test_large_batch_is_built_in_a_second_process_and_arrives_whole(
    smtp_server: SmtpServer,
) -> None:
    count = PARALLEL_FROM + CHUNK + 3  # several hand-overs, the last one short
    for n in range(count):
        if n == CHUNK + 1:  # in the second hand-over: a row no message can be made of
            await enqueue(mail(n, calendar="BEGIN:VCALENDAR\r\n", calendar_method="CANCEL"))
        else:
            await enqueue(mail(n))
    worker = OutboxWorker(smtp=smtp_server.smtp_settings())
    assert await worker.send_due() == count
    await worker.close()

    expected = [n for n in range(count) if n != CHUNK + 1]
    assert recipients(smtp_server) == [f"p{n}@example.lg.jp" for n in expected]
    for n, message in zip(expected, smtp_server.messages, strict=True):
        assert message["Subject"] == f"参加登録のお知らせ {n}"
        text = message.get_body(preferencelist=("plain",))
        assert text is not None
        assert text.get_content().splitlines() == [f"参加者{n} 様", "登録が完了しました。"]
    failed = await OutboxMessage.select().where(OutboxMessage.status == OutboxStatus.FAILED).first()
    assert failed is not None and failed["recipient"] == f"p{CHUNK + 1}@example.lg.jp"
    assert failed["last_error"].startswith("unusable message: calendar_method")


async def test_the_second_process_builds_what_this_one_would() -> None:
    for n in range(PARALLEL_FROM):
        await enqueue(mail(n))
    rows = await OutboxMessage.select().order_by(OutboxMessage.id)
    settings = load_settings()
    builder = MessageBuilder(settings)
    try:
        parallel = [built async for built in builder.envelopes(rows)]
    finally:
        builder.close()

    def comparable(built: Envelope | ValueError) -> tuple[str, tuple[str, ...], bytes]:
        """The envelope without what differs on every build: the date and the boundaries."""
        assert isinstance(built, Envelope)
        data = re.sub(rb"^Date: .*$", b"", built.data, flags=re.M)
        return built.sender, built.recipients, re.sub(rb"={15}\d+==", b"BOUNDARY", data)

    assert [comparable(built) for built in parallel] == [
        comparable(envelope(row, settings)) for row in rows
    ]
