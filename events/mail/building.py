"""Turning outbox rows into the bytes sent over SMTP, in a process of its own for large batches.

Building a MIME message with the `email` package costs about 2 ms of CPU, more than sending it.
A worker sending a large batch hands the building to a second process, which builds the next
messages while this one sends: the two cores both work, and the sender's loop stays free.
Small batches (the everyday case) are built in this process: starting a process costs more.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncGenerator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from aiosmtplib.email import extract_recipients, extract_sender, flatten_message

from events.lib.settings import Settings
from events.mail.mime import build_message

# Batches at least this large are built in the building process.
PARALLEL_FROM = 20
# Messages per hand-over: small enough that sending starts soon, large enough to amortise it.
CHUNK = 10


@dataclass(frozen=True)
class Envelope:
    """A message ready for SMTP: the envelope's addresses and the flattened message."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes


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


def envelope(row: dict[str, Any], settings: Settings) -> Envelope | ValueError:
    """The row as sent, as aiosmtplib's send_message would flatten it; or why it cannot be."""
    try:
        message = to_email(row, settings)
    except ValueError as error:  # a row no message can be made of
        return error
    sender = extract_sender(message)
    if not sender:
        return ValueError("the message has no sender address")
    return Envelope(sender, tuple(extract_recipients(message)), flatten_message(message))


def _envelopes(rows: Sequence[dict[str, Any]], settings: Settings) -> list[Envelope | ValueError]:
    return [envelope(row, settings) for row in rows]


def _exit_with_parent(parent: int) -> None:
    """In the building process: end as soon as the worker that started it is gone. A worker
    killed outright (SIGKILL, the OOM killer) cannot shut its pool down, and the building
    process would otherwise live on, idle, for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class MessageBuilder:
    """Yields each row's envelope in order, built here or in the building process."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pool: ProcessPoolExecutor | None = None

    async def envelopes(
        self, rows: Sequence[dict[str, Any]]
    ) -> AsyncGenerator[Envelope | ValueError, None]:
        if len(rows) < PARALLEL_FROM:
            for row in rows:
                yield envelope(row, self._settings)
            return
        loop = asyncio.get_running_loop()
        pool = self._building_process()
        chunks = [
            loop.run_in_executor(pool, _envelopes, rows[start : start + CHUNK], self._settings)
            for start in range(0, len(rows), CHUNK)
        ]
        try:
            for chunk in chunks:
                for built in await chunk:
                    yield built
        finally:
            for chunk in chunks:
                chunk.cancel()

    def _building_process(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: a fork would copy this process's event loop and database connections.
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
