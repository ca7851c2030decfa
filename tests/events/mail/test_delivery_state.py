"""The outbox as the organizer's mail page reports it: counts by state, age, a stalled server."""

from __future__ import annotations

import datetime as dt

from events.lib.clock import utcnow
from events.mail import delivery_state
from events.tables import OutboxMessage

TOPIC = "session:1"


async def message(status: str, *, minutes_ago: int = 0, attempts: int = 0, **more: object) -> None:
    created = utcnow() - dt.timedelta(minutes=minutes_ago)
    await OutboxMessage.insert(
        OutboxMessage(
            kind="confirmation",
            recipient="p@example.lg.jp",
            subject="s",
            text_body="t",
            status=status,
            attempts=attempts,
            created_at=created,
            topic_key=more.get("topic", TOPIC),
            sent_at=more.get("sent_at"),
        )
    )


async def test_counts_by_state_and_the_oldest_pending_message() -> None:
    for status, minutes in [
        ("pending", 3),
        ("pending", 42),
        ("sending", 0),
        ("sent", 90),
        ("sent", 80),
        ("sent", 70),
        ("failed", 60),
        ("superseded", 50),
    ]:
        await message(status, minutes_ago=minutes)
    await message("pending", minutes_ago=500, topic="session:2")

    counts = await delivery_state.counts(TOPIC)

    assert counts.by_status == {"pending": 2, "sending": 1, "sent": 3, "failed": 1}
    assert counts.waiting_minutes(utcnow()) == 42


async def test_nothing_waiting_has_no_age() -> None:
    await message("sent")
    counts = await delivery_state.counts(TOPIC)
    assert counts.by_status == {"pending": 0, "sending": 0, "sent": 1, "failed": 0}
    assert counts.waiting_minutes(utcnow()) is None


async def test_server_unreachable_after_five_minutes_of_tries_with_nothing_sent() -> None:
    await message("pending", minutes_ago=6, attempts=2)
    assert await delivery_state.server_unreachable() is True


async def test_a_shorter_outage_is_no_banner() -> None:
    await message("pending", minutes_ago=4, attempts=2)
    await message("pending", minutes_ago=30, attempts=0)  # never tried: the worker is off
    assert await delivery_state.server_unreachable() is False


async def test_mail_sent_meanwhile_means_the_server_is_reachable() -> None:
    await message("pending", minutes_ago=20, attempts=3)
    await message("sent", minutes_ago=10, sent_at=utcnow() - dt.timedelta(minutes=1))
    assert await delivery_state.server_unreachable() is False
