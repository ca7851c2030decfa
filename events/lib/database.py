"""Database engines and write transactions that behave alike on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, TypeVar

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType
from piccolo.table import Table

from events.lib import at_commit, change_notices
from events.lib.at_commit import rows_kept_until_commit
from events.lib.change_notices import EVERYTHING, NOTHING, PublicChange
from events.lib.sqlite_readers import KeptConnectionsSQLiteEngine

T = TypeVar("T")


@cache
def engine() -> Engine:  # type: ignore[type-arg]
    """The engine every table uses: the one PICCOLO_CONF names (events/piccolo_conf.py)."""
    db = engine_finder()
    if db is None:
        raise RuntimeError("PICCOLO_CONF names no module with a DB engine")
    return db


def is_sqlite() -> bool:
    return isinstance(engine(), SQLiteEngine)


def sqlite_path() -> str | None:
    """The SQLite database file, or None on PostgreSQL."""
    db = engine()
    return db.path if isinstance(db, SQLiteEngine) else None


async def start_pool(db: PostgresEngine, *, min_size: int, max_size: int) -> None:
    """Open the engine's connection pool, whose connections go back without a round trip."""
    await db.start_connection_pool(min_size=min_size, max_size=max_size, reset=_keep_as_is)


async def _keep_as_is(_connection: asyncpg.Connection) -> None:
    """What a connection goes back to the pool with, instead of asyncpg's reset query
    (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`): one more round trip
    after every pooled query, which cost a fifth of the throughput of mixed load. Nothing here
    leaves session state on a pooled connection: LISTEN and the migrations' advisory lock use
    connections of their own, and nothing SETs. A transaction left open is still rolled back
    by asyncpg before this is called."""


class _WriteLock:
    """One writer at a time per process on SQLite; made lazily inside the running loop."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None

    def get(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock


_sqlite_writes = _WriteLock()


# Called after a committed transaction that may have changed what public pages show.
_after_public_commit: list[Callable[[PublicChange], None]] = []
_public_change: ContextVar[PublicChange] = ContextVar("tsunagu_public_change", default=NOTHING)


@contextmanager
def public_commit_listener(listener: Callable[[PublicChange], None]) -> Iterator[None]:
    """While the block runs, call `listener` after each commit that changes public data."""
    _after_public_commit.append(listener)
    try:
        yield
    finally:
        _after_public_commit.remove(listener)


@asynccontextmanager
async def write_transaction(
    *, public: bool = True, sessions: frozenset[int] | None = None
) -> AsyncIterator[None]:
    """A transaction for changes: all of it is written, or none of it.

    On SQLite, BEGIN IMMEDIATE takes the write lock up front and the in-process lock queues
    writers, so concurrent requests wait their turn instead of failing with "database is
    locked". On PostgreSQL it is a plain transaction; callers lock the rows they check.
    Nested calls join the outer transaction. `public=False` marks bookkeeping (mail status,
    sign-ins) that no public page shows, so cached public pages stay valid. `sessions` says
    the change shows only on those sessions' own pages (and on pages that list many), so the
    other sessions' kept pages stay valid.
    """
    change = (sessions if sessions else EVERYTHING) if public else NOTHING
    db = engine()
    if db.current_transaction.get() is not None:
        _public_change.set(_joined(_public_change.get(), change))
        yield
        return
    token = _public_change.set(change)
    try:
        if isinstance(db, SQLiteEngine):
            async with _sqlite_writes.get(), _sqlite_transaction(db), rows_kept_until_commit():
                yield
        elif isinstance(db, PostgresEngine):
            async with _postgres_transaction(db) as transaction:
                async with rows_kept_until_commit():
                    yield
                if _public_change.get() != NOTHING:
                    await change_notices.announce(transaction.connection, _public_change.get())
        else:
            raise RuntimeError(f"unsupported database engine {type(db).__name__}")
        changed = _public_change.get()
    finally:
        _public_change.reset(token)
    if changed != NOTHING:
        public_data_changed(changed)


async def run_joined(work: Callable[[], Coroutine[Any, Any, T]], context: contextvars.Context) -> T:
    """Run `work` in a task of its own, with `context` (another request's: its language and
    the like), inside the write transaction open here: its queries join that transaction, and
    what it changes joins the change the transaction announces at its commit."""
    db = engine()
    joined = context.copy()
    joined.run(db.current_transaction.set, db.current_transaction.get())
    joined.run(_public_change.set, _public_change.get())
    at_commit.share_with(joined)
    try:
        return await asyncio.create_task(work(), context=joined)
    finally:
        _public_change.set(_joined(_public_change.get(), joined[_public_change]))


def _joined(first: PublicChange, second: PublicChange) -> PublicChange:
    if first is None or second is None:  # EVERYTHING
        return EVERYTHING
    return first | second


def _sqlite_transaction(db: SQLiteEngine) -> SQLiteTransaction:
    if isinstance(db, KeptConnectionsSQLiteEngine):
        return db.kept_writer_transaction()
    return db.transaction(transaction_type=TransactionType.immediate)


def public_data_changed(change: PublicChange = EVERYTHING) -> None:
    """Tell this process's listeners that public data changed (here or in another process)."""
    for listener in _after_public_commit:
        listener(change)


@asynccontextmanager
async def _postgres_transaction(db: PostgresEngine) -> AsyncIterator[PostgresTransaction]:
    """Piccolo's transaction, made safe against a COMMIT or ROLLBACK that fails.

    When the connection drops during COMMIT, Piccolo's exit raises before it forgets the
    transaction: every later query of the task would then join that dead transaction
    ("connection has been released back to the pool") until the process restarts. Here the
    task forgets it and the broken connection is closed, so the next transaction starts on a
    fresh one.
    """
    transaction = db.transaction()
    try:
        async with transaction:
            yield transaction
    except BaseException:
        if db.current_transaction.get() is transaction:
            db.current_transaction.reset(transaction.context)
            transaction.connection.terminate()
            if db.pool is not None:
                await db.pool.release(transaction.connection)
        raise


def is_unique_violation(error: BaseException) -> bool:
    """True for a unique-constraint failure on either engine (they raise different types)."""
    if isinstance(error, asyncpg.exceptions.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE constraint failed" in str(error)


async def enable_sqlite_wal() -> None:
    """WAL lets readers proceed while one connection writes; the mode persists in the file."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")


async def check_connection() -> None:
    """Run a trivial query; raises the driver's error when the database cannot be reached."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        # Opened synchronously first: a file that cannot be opened fails here with a clear
        # error instead of inside aiosqlite's thread.
        sqlite3.connect(db.path).close()
    await db.run_ddl("SELECT 1")


async def lock_row(table: type[Table], row_id: int) -> bool:
    """Inside a write transaction, lock one row by its id (PostgreSQL); False when it is gone.

    SQLite needs no row lock: BEGIN IMMEDIATE already gives the transaction the only write lock.
    """
    query = table.select(table._meta.primary_key).where(table._meta.primary_key == row_id)
    if not is_sqlite():
        query = query.lock_rows()
    return await query.first() is not None
