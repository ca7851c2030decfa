"""The outbox worker: claims due messages, sends them over one SMTP connection, records outcomes."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from events import board_mail, outbox
from events.mailer import PermanentDeliveryError, SmtpConnection, TemporaryDeliveryError
from events.mime import build_message
from events.settings import Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 100


def message_id(row: dict[str, Any], mail_from: str) -> str:
    """Stable per outbox row, so a retried message keeps its identity."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<{row['uid']}@{domain}>"


def to_email(row: dict[str, Any], settings: Settings) -> EmailMessage:
    calendar = row["calendar"]
    return build_message(
        sender=settings.mail_from,
        recipient=row["recipient"],
        reply_to=row["reply_to"] or settings.mail_reply_to,
        subject=row["subject"],
        text=row["text_body"],
        html=row["html_body"],
        calendar=calendar.encode("utf-8") if calendar else None,
        calendar_method=row["calendar_method"],
        message_id=message_id(row, settings.mail_from),
        list_unsubscribe=row.get("list_unsubscribe"),
    )


class OutboxWorker:
    def __init__(self, settings: Settings, batch_size: int = BATCH_SIZE) -> None:
        self._settings = settings
        self._batch_size = batch_size
        self._connection = SmtpConnection(settings.smtp)
        self._digests_built: dt.date | None = None

    async def daily_jobs(self, now: dt.datetime | None = None) -> None:
        """Queue the board's digests once per day (idempotent across workers and restarts)."""
        day = board_mail.digest_day_due(now or outbox.utcnow())
        if day is not None and day != self._digests_built:
            await board_mail.build_digests(day)
            self._digests_built = day

    async def send_due(self) -> int:
        """Send one batch of due messages; returns how many were claimed."""
        rows = await outbox.claim_due(self._batch_size)
        for row in rows:
            await self._deliver(row)
        return len(rows)

    async def _deliver(self, row: dict[str, Any]) -> None:
        try:
            await self._connection.send(to_email(row, self._settings))
        except TemporaryDeliveryError as error:
            log.warning(
                "outbox %s: temporary failure (attempt %s): %s", row["id"], row["attempts"], error
            )
            await outbox.mark_temporary_failure(row["id"], row["attempts"], str(error))
        except PermanentDeliveryError as error:
            log.warning("outbox %s: permanent failure: %s", row["id"], error)
            await outbox.mark_permanent_failure(row["id"], str(error))
        else:
            await outbox.mark_sent(row["id"])

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, polling when idle; SMTP or database outages are waited out."""
        poll = self._settings.worker_poll_seconds
        try:
            while not stop.is_set():
                try:
                    await self.daily_jobs()
                    claimed = await self.send_due()
                except Exception:  # the loop must outlive a database hiccup; it is logged
                    log.exception("outbox worker: batch failed, retrying after %ss", poll)
                    claimed = 0
                if claimed < self._batch_size:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=poll)
        finally:
            await self._connection.close()

    async def close(self) -> None:
        await self._connection.close()
