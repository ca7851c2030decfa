"""The worker: sends the outbox over one SMTP connection, renders report PDFs, runs daily jobs."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from typing import Any

from events.accounts import login_sessions
from events.board import mail as board_mail
from events.lib.clock import utcnow
from events.lib.formatting import TOKYO
from events.lib.settings import SmtpSettings, load_settings
from events.mail import outbox, worker_poll
from events.mail.building import Envelope, MessageBuilder
from events.mail.mailbox import delivery_for
from events.mail.mailer import (
    PermanentDeliveryError,
    ServerUnavailableError,
    TemporaryDeliveryError,
)
from events.reports import pdf as report_pdf
from events.reports import pdf_fonts as report_pdf_fonts

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# The longest wait between attempts while the database keeps failing.
MAX_BACKOFF_SECONDS = 60.0


class SentMarks:
    """Records sent messages in the background, several in one transaction.

    A commit per message makes the database, not SMTP, set the pace; waiting for the whole
    batch widens the window in which a crash re-sends messages. Here every GROUP messages are
    written while the next ones are on the wire, and the rest when the batch ends.
    """

    GROUP = 10

    def __init__(self) -> None:
        self._waiting: list[int] = []
        self._writer: asyncio.Task[None] | None = None

    def add(self, message_id: int) -> None:
        self._waiting.append(message_id)
        idle = self._writer is None or self._writer.done()
        if idle and len(self._waiting) >= self.GROUP:
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        while self._waiting:
            ids, self._waiting = self._waiting, []
            await outbox.mark_sent_many(ids)

    async def flush(self) -> None:
        """Wait until everything added is recorded; a failed write is raised here."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            await writer
        await self._write()


class OutboxWorker:
    def __init__(
        self,
        *,
        smtp: SmtpSettings | None = None,
        batch_size: int = BATCH_SIZE,
        claim_budget: dt.timedelta | None = None,
    ) -> None:
        """Sends to the configured mail server or the development mailbox, or to `smtp`
        (tests and benchmarks)."""
        settings = load_settings()
        self._settings = settings
        self._batch_size = batch_size
        # Past this, the rest of a slow batch goes back, before other workers may take it up.
        budget = outbox.claim_timeout() / 2 if claim_budget is None else claim_budget
        self._claim_budget = budget.total_seconds()
        self._connection = delivery_for(settings, smtp)
        self._builder = MessageBuilder(settings)
        self._digests_built: dt.date | None = None
        self._sign_ins_purged: dt.date | None = None
        self._poll_recorded: dt.datetime | None = None

    async def daily_jobs(self, now: dt.datetime | None = None) -> None:
        """Once a day: queue the board's digests and delete expired sign-ins (both are safe to
        repeat, across workers and restarts)."""
        now = now or utcnow()
        day = board_mail.digest_day_due(now)
        if day is not None and day != self._digests_built:
            await board_mail.build_digests(day)
            self._digests_built = day
        today = now.astimezone(TOKYO).date()
        if today != self._sign_ins_purged:
            purged = await login_sessions.purge_expired(now)
            log.info("worker: %s expired sign-ins deleted", purged)
            self._sign_ins_purged = today

    async def send_due(self, now: dt.datetime | None = None) -> int:
        """Send one batch of messages due by `now`; returns how many were claimed."""
        rows = await outbox.claim_due(self._batch_size, now)
        sent = SentMarks()
        claimed_at = time.monotonic()
        built = self._builder.envelopes(rows)
        try:
            index = 0
            async for message in built:
                row = rows[index]
                if index and time.monotonic() - claimed_at > self._claim_budget:
                    # Rows left "sending" past the claim timeout count as abandoned and may be
                    # claimed by another worker: give them back before that can happen.
                    await outbox.release([waiting["id"] for waiting in rows[index:]])
                    break
                try:
                    await self._deliver(row, message, sent)
                except ServerUnavailableError as error:
                    # Trying each waiting message against a server that is down would only
                    # wait out one connection timeout after another; the batch waits instead.
                    log.warning("outbox: SMTP server unavailable, batch deferred: %s", error)
                    for waiting in rows[index:]:
                        await outbox.mark_temporary_failure(
                            waiting["id"], waiting["attempts"], str(error)
                        )
                    break
                index += 1
        finally:
            await built.aclose()
            await sent.flush()
        return len(rows)

    async def _deliver(
        self, row: dict[str, Any], message: Envelope | ValueError, sent: SentMarks
    ) -> None:
        if isinstance(message, ValueError):
            log.error("outbox %s: cannot build the message: %s", row["id"], message)
            await outbox.mark_permanent_failure(row["id"], f"unusable message: {message}")
            return
        try:
            await self._connection.send(message)
        except ServerUnavailableError:
            raise
        except TemporaryDeliveryError as error:
            log.warning(
                "outbox %s: temporary failure (attempt %s): %s", row["id"], row["attempts"], error
            )
            await outbox.mark_temporary_failure(row["id"], row["attempts"], str(error))
        except PermanentDeliveryError as error:
            log.warning("outbox %s: permanent failure: %s", row["id"], error)
            await outbox.mark_permanent_failure(row["id"], str(error))
        else:
            sent.add(row["id"])

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, polling when idle; SMTP or database outages are waited out."""
        poll = self._settings.worker_poll_seconds
        failures = 0
        # Said once at start: without a Japanese font every PDF would be refused.
        await asyncio.to_thread(report_pdf_fonts.log_font_check)
        try:
            while not stop.is_set():
                wait = poll
                try:
                    await self.daily_jobs()
                    claimed = await self.send_due()
                    # Report PDFs are rendered here, never in a request (WeasyPrint blocks).
                    await report_pdf.render_pending()
                    await self._record_poll()
                    failures = 0
                except Exception:  # the loop must outlive a database outage; it is logged
                    # Each transaction takes a fresh connection, so retrying is enough; waiting
                    # longer after each failure spares a database that is struggling.
                    failures += 1
                    wait = min(poll * 2 ** (failures - 1), MAX_BACKOFF_SECONDS)
                    log.exception("outbox worker: batch failed, retrying after %ss", wait)
                    claimed = 0
                if claimed < self._batch_size:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=wait)
        finally:
            await self.close()

    async def _record_poll(self) -> None:
        now = utcnow()
        if self._poll_recorded is None or now - self._poll_recorded >= worker_poll.RECORD_EVERY:
            await worker_poll.record(now)
            self._poll_recorded = now

    async def close(self) -> None:
        self._builder.close()
        await self._connection.close()
