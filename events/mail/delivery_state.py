"""How the outbox is doing, as the organizer's mail page reports it: counts, age, a stall."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from events.enums import OutboxStatus
from events.lib.clock import utcnow
from events.tables import OutboxMessage

# A mail server unreachable for longer than this is worth a banner; shorter outages are
# waited out by the worker's retries without anyone needing to act.
STALL = dt.timedelta(minutes=5)
SHOWN = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.FAILED)


@dataclass(frozen=True)
class DeliveryCounts:
    """Messages of one topic by state, and since when the oldest pending one waits."""

    by_status: dict[str, int]
    oldest_pending: dt.datetime | None

    def waiting_minutes(self, now: dt.datetime) -> int | None:
        if self.oldest_pending is None:
            return None
        return int((now - self.oldest_pending).total_seconds() // 60)


async def counts(topic_key: str) -> DeliveryCounts:
    by_status = {status.value: 0 for status in SHOWN}
    rows = await (
        OutboxMessage.select(OutboxMessage.status, Count(alias="n"))
        .where(OutboxMessage.topic_key == topic_key)
        .group_by(OutboxMessage.status)
    )
    for row in rows:
        if row["status"] in by_status:
            by_status[row["status"]] = int(row["n"])
    oldest = await (
        OutboxMessage.select(OutboxMessage.created_at)
        .where(
            OutboxMessage.topic_key == topic_key,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .order_by(OutboxMessage.created_at)
        .first()
    )
    return DeliveryCounts(by_status, oldest["created_at"] if oldest else None)


async def server_unreachable(now: dt.datetime | None = None) -> bool:
    """True when the mail server has been out of reach for more than STALL.

    Read from the outbox alone: a message tried and still pending, waiting longer than
    STALL, while nothing at all has been sent since it was written. One refused recipient
    does not count: others are sent meanwhile.
    """
    now = now or utcnow()
    stuck = await (
        OutboxMessage.select(OutboxMessage.created_at)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.attempts > 0,
            OutboxMessage.created_at < now - STALL,
        )
        .order_by(OutboxMessage.created_at)
        .first()
    )
    if stuck is None:
        return False
    sent_since = await OutboxMessage.exists().where(
        OutboxMessage.status == OutboxStatus.SENT,
        OutboxMessage.sent_at >= stuck["created_at"],
    )
    return not sent_since
