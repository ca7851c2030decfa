"""The mail outbox: messages are rows written with the change that caused them, sent later."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from events.enums import OutboxStatus
from events.lib.at_commit import insert_at_commit, insert_pending
from events.lib.bulk_insert import insert_rows
from events.lib.clock import utcnow
from events.lib.database import is_sqlite, write_transaction
from events.lib.settings import load_settings
from events.tables import OutboxMessage

# Retry temporary failures after 1, 2, 4 ... minutes, capped at an hour; give up after a day.
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=1)
MAX_ATTEMPTS = 30


def claim_timeout() -> dt.timedelta:
    """How long a claim lasts: a row left in "sending" longer belongs to a worker that died,
    and any worker takes it over (so delivery is at least once, never at most once)."""
    return dt.timedelta(seconds=load_settings().outbox_claim_timeout_seconds)


@dataclass(frozen=True)
class OutgoingMail:
    kind: str
    recipient: str
    subject: str
    text_body: str
    html_body: str | None = None
    calendar: str | None = None
    calendar_method: str | None = None
    reply_to: str | None = None
    supersede_key: str | None = None
    topic_key: str | None = None
    due_at: dt.datetime | None = None
    list_unsubscribe: str | None = None


async def enqueue(mail: OutgoingMail) -> None:
    """Store a message; call inside the write transaction of the change it reports.

    A message still waiting with the same supersede key is replaced, so that a recipient
    never gets an outdated update after a newer one.
    """
    async with write_transaction(public=False):
        if mail.supersede_key is not None:
            await insert_pending(OutboxMessage)  # those kept for the commit may bear the key
            await OutboxMessage.update({OutboxMessage.status: OutboxStatus.SUPERSEDED}).where(
                OutboxMessage.supersede_key == mail.supersede_key,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
        await insert_rows(OutboxMessage, [_row(mail, utcnow())])


async def enqueue_new(*mails: OutgoingMail) -> None:
    """Store messages when no message can have their supersede keys yet (the keys name rows
    created in the same transaction): there is nothing waiting to replace. They are inserted
    at the commit, with the mails of the registrations sharing the transaction."""
    now = utcnow()
    async with write_transaction(public=False):
        await insert_at_commit(OutboxMessage, [_row(mail, now) for mail in mails])


def _row(mail: OutgoingMail, now: dt.datetime) -> dict[str, Any]:
    """The columns of a waiting message, its Message-ID (uid) made once here."""
    return {
        **vars(mail),
        "due_at": mail.due_at or now,
        "uid": uuid.uuid4(),
        "created_at": now,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
    }


async def cancel_pending(supersede_key: str) -> None:
    """Drop a message that has not gone out yet (e.g. the reminder of a removed attendee)."""
    async with write_transaction(public=False):
        await insert_pending(OutboxMessage)
        await OutboxMessage.update({OutboxMessage.status: OutboxStatus.CANCELLED}).where(
            OutboxMessage.supersede_key == supersede_key,
            OutboxMessage.status == OutboxStatus.PENDING,
        )


async def claim_due(limit: int, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Mark up to `limit` due messages as being sent by this worker and return them.

    A claim is a lease: rows whose claim is older than `claim_timeout()` are taken over.
    One UPDATE ... WHERE id IN (SELECT ...) RETURNING works on both engines; on PostgreSQL
    the inner SELECT skips rows another worker has locked, so no row is claimed twice.
    A message whose older namesake (same supersede key) is still being sent under a live
    lease waits for it, so that a stale invitation can never arrive after the newer one.
    (A namesake being sent is always the older: enqueue supersedes every waiting one.)
    An expired lease blocks nothing: its row is superseded when a newer namesake waits,
    and otherwise taken over itself. The subqueries are uncorrelated, so each is evaluated
    once, not once per candidate.
    """
    now = now or utcnow()
    expired = now - claim_timeout()
    skip_locked = "" if is_sqlite() else "FOR UPDATE SKIP LOCKED"
    async with write_transaction(public=False):
        await _supersede_abandoned(expired)
        rows = await OutboxMessage.raw(
            f"""
            UPDATE outbox_message SET status = {{}}, claimed_at = {{}},
                attempts = attempts + 1
            WHERE id IN (
                SELECT candidate.id FROM outbox_message AS candidate
                WHERE (
                    (candidate.status = {{}} AND candidate.due_at <= {{}})
                    OR (candidate.status = {{}} AND candidate.claimed_at < {{}})
                )
                AND (candidate.supersede_key IS NULL OR candidate.supersede_key NOT IN (
                    SELECT busy.supersede_key FROM outbox_message AS busy
                    WHERE busy.status = {{}} AND busy.claimed_at >= {{}}
                    AND busy.supersede_key IS NOT NULL
                ))
                ORDER BY candidate.due_at, candidate.id LIMIT {{}} {skip_locked}
            )
            RETURNING *
            """,  # noqa: S608 (only the constant locking clause is interpolated)
            OutboxStatus.SENDING,
            now,
            OutboxStatus.PENDING,
            now,
            OutboxStatus.SENDING,
            expired,
            OutboxStatus.SENDING,
            expired,
            limit,
        )
    return sorted(rows, key=lambda row: (row["due_at"], row["id"]))


async def _supersede_abandoned(expired: dt.datetime) -> None:
    """A message whose sender died is replaced by a newer namesake waiting behind it, as
    enqueue would have replaced it had it still been waiting."""
    await OutboxMessage.raw(
        """
        UPDATE outbox_message SET status = {}
        WHERE status = {} AND claimed_at < {} AND supersede_key IN (
            SELECT newer.supersede_key FROM outbox_message AS newer
            WHERE newer.status = {} AND newer.supersede_key IS NOT NULL
        )
        """,
        OutboxStatus.SUPERSEDED,
        OutboxStatus.SENDING,
        expired,
        OutboxStatus.PENDING,
    )


async def mark_sent_many(message_ids: list[int]) -> None:
    """Several messages at once: the worker records what it sent while it sends the next."""
    async with write_transaction(public=False):
        await OutboxMessage.update(
            {
                OutboxMessage.status: OutboxStatus.SENT,
                OutboxMessage.sent_at: utcnow(),
                OutboxMessage.last_error: None,
            }
        ).where(OutboxMessage.id.is_in(message_ids))


async def release(message_ids: list[int]) -> None:
    """Give claimed messages back untried: waiting again, the claim's attempt not counted."""
    async with write_transaction(public=False):
        await OutboxMessage.update(
            {
                OutboxMessage.status: OutboxStatus.PENDING,
                OutboxMessage.attempts: OutboxMessage.attempts - 1,
                OutboxMessage.claimed_at: None,
            }
        ).where(OutboxMessage.id.is_in(message_ids), OutboxMessage.status == OutboxStatus.SENDING)


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime:
    delay: dt.timedelta = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)
    return now + delay


async def mark_temporary_failure(message_id: int, attempts: int, error: str) -> None:
    """Try again later, or give up for good after MAX_ATTEMPTS."""
    now = utcnow()
    values: dict[Any, Any] = {OutboxMessage.last_error: error[:2000]}
    if attempts >= MAX_ATTEMPTS:
        values[OutboxMessage.status] = OutboxStatus.FAILED
    else:
        values[OutboxMessage.status] = OutboxStatus.PENDING
        values[OutboxMessage.due_at] = next_attempt(attempts, now)
    async with write_transaction(public=False):
        await OutboxMessage.update(values).where(OutboxMessage.id == message_id)


async def mark_permanent_failure(message_id: int, error: str) -> None:
    async with write_transaction(public=False):
        await OutboxMessage.update(
            {OutboxMessage.status: OutboxStatus.FAILED, OutboxMessage.last_error: error[:2000]}
        ).where(OutboxMessage.id == message_id)


async def resend(message_id: int) -> None:
    """Queue a failed message again (the organizer's resend button)."""
    async with write_transaction(public=False):
        await OutboxMessage.update(
            {
                OutboxMessage.status: OutboxStatus.PENDING,
                OutboxMessage.due_at: utcnow(),
                OutboxMessage.attempts: 0,
            }
        ).where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED)
