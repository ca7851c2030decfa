"""When a worker last went through its loop without an error, so that /healthz can tell."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass

from events.lib.clock import utcnow
from events.lib.database import sqlite_path, write_transaction
from events.tables import WorkerPoll

# A worker records its poll at most this often: a write every two seconds would only load
# the database, and /healthz needs minutes, not seconds.
RECORD_EVERY = dt.timedelta(seconds=30)
# Silent for longer, the worker counts as stopped: past the longest back-off after database
# errors (a minute) and a slow batch (half the default claim timeout).
SILENCE = dt.timedelta(minutes=10)


async def record(now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    async with write_transaction(public=False):
        updated = await WorkerPoll.update({WorkerPoll.polled_at: now}, force=True).returning(
            WorkerPoll.id
        )
        if not updated:
            await WorkerPoll.insert(WorkerPoll(polled_at=now))


async def last_poll() -> dt.datetime | None:
    row = (
        await WorkerPoll.select(WorkerPoll.polled_at)
        .order_by(WorkerPoll.polled_at, ascending=False)
        .first()
    )
    return None if row is None else row["polled_at"]


class _RolledBack(Exception):
    """Ends the write check's transaction without committing."""


class FileNotWritableError(OSError):
    """The SQLite file may no longer be written (its mode, attributes or file system)."""


async def check_writable() -> None:
    """Write a row and roll it back; raises the driver's error when the database takes no
    writes (a read-only file, a full disk, a standby server)."""
    # SQLite reuses the descriptors it opened while the file was writable, so a file made
    # read-only since then still takes writes through them until the next restart: ask the
    # operating system about the file itself as well.
    path = sqlite_path()
    if path is not None and not os.access(path, os.W_OK):
        raise FileNotWritableError(path)
    try:
        async with write_transaction(public=False):
            await WorkerPoll.insert(WorkerPoll(polled_at=utcnow()))
            raise _RolledBack
    except _RolledBack:
        pass


# /healthz is polled by load balancers, several times a second per instance; a write check on
# every poll would queue behind each registration for SQLite's one write lock and make the
# endpoint as slow as the writes it stands beside. One check per interval is reused by every
# poll in it, so a database that stops taking writes is reported within this many seconds.
WRITE_CHECK_EVERY = 1.0


@dataclass
class _WriteCheck:
    """The latest write check of this process: when it started, and why it failed (or None)."""

    started: float = -WRITE_CHECK_EVERY
    refusal: str | None = None


_latest_write_check = _WriteCheck()


async def write_refusal() -> str | None:
    """Why the database refused the latest write check, as the error's type name (never its
    text: it may name hosts or users); None when it took the write. Checks again once the
    latest check is WRITE_CHECK_EVERY seconds old."""
    latest = _latest_write_check
    now = time.monotonic()
    if now - latest.started < WRITE_CHECK_EVERY:
        return latest.refusal
    # Marked before the check is awaited: polls arriving meanwhile reuse the previous result
    # instead of starting checks of their own.
    latest.started = now
    try:
        await check_writable()
    except Exception as error:  # any driver error means "takes no writes"; the type names it
        latest.refusal = type(error).__name__
    else:
        latest.refusal = None
    return latest.refusal


def is_silent(polled_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    return polled_at is None or (now or utcnow()) - polled_at > SILENCE
