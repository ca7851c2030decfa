"""Public changes announced to every instance on one PostgreSQL database (LISTEN/NOTIFY).

Each process keeps its public pages in memory until the next public change it commits. When
several instances serve one database, a change committed through one would reach the others'
kept pages only after their `max_age`. So a write transaction that changes public data also
sends a NOTIFY carrying this process's id (PostgreSQL delivers it only if the transaction
commits), and each serving process listens on one connection of its own and treats a notice
from another process as a public change of its own. A listening connection that breaks is
opened again; the process then counts one change, since notices sent meanwhile are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg

CHANNEL = "tsunagu_public_change"
# Tells this process's own notices (already acted upon at commit) from the others'.
PROCESS_ID = secrets.token_hex(8)
# Seconds between attempts to open the listening connection again.
RECONNECT_INTERVAL = 2.0

logger = logging.getLogger(__name__)


# What a committed transaction may have changed of what public pages show: the pages of some
# sessions only (their ids), or anything (EVERYTHING); an empty set is no public change.
PublicChange = frozenset[int] | None
EVERYTHING: PublicChange = None
NOTHING: PublicChange = frozenset()


async def announce(connection: asyncpg.Connection, change: PublicChange) -> None:
    """Inside the transaction that changes public data: sent to the listeners at its commit,
    as this process's id followed by the ids of the sessions changed, if only those."""
    payload = " ".join([PROCESS_ID, *(str(id_) for id_ in sorted(change or ()))])
    await connection.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)


def _change_of(words: list[str]) -> PublicChange:
    return frozenset(int(word) for word in words) if words else EVERYTHING


@asynccontextmanager
async def listening(dsn: str, on_change: Callable[[PublicChange], None]) -> AsyncIterator[None]:
    """While the block runs, call `on_change` for every public change another process commits."""
    connected = asyncio.Event()
    task = asyncio.create_task(_listen(dsn, on_change, connected), name="change-notices")
    try:
        # Start serving once listening: a change committed before then is in the database already.
        waiting = asyncio.create_task(connected.wait())
        await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if task.done():
            task.result()  # the first connection failed: say why
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _listen(
    dsn: str, on_change: Callable[[PublicChange], None], connected: asyncio.Event
) -> None:
    def notice(_connection: object, _pid: int, _channel: str, payload: str) -> None:
        sender, *sessions = payload.split()
        if sender != PROCESS_ID:
            on_change(_change_of(sessions))

    while True:
        try:
            connection = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError):
            if not connected.is_set():
                raise
            logger.warning("change notices: cannot reconnect, retrying")
            await asyncio.sleep(RECONNECT_INTERVAL)
            continue
        try:
            await connection.add_listener(CHANNEL, notice)
            if connected.is_set():
                on_change(EVERYTHING)  # notices sent while the connection was down are lost
            connected.set()
            await _closed(connection)
            logger.warning("change notices: the listening connection closed, reconnecting")
        finally:
            await connection.close()


async def _closed(connection: asyncpg.Connection) -> None:
    closed = asyncio.Event()
    connection.add_termination_listener(lambda _connection: closed.set())
    await closed.wait()
