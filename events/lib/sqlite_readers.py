"""SQLite with a few kept connections for statements outside a transaction.

Piccolo's SQLite engine opens a new connection, and with it a new aiosqlite thread, for every
statement that runs outside a transaction: about 1.8 ms of CPU per query here, against 0.2 ms
on a connection that is kept. Pages read through several queries each, so this engine keeps at
most MAX_CONNECTIONS and lends one per statement; a statement that finds them all lent waits for
the next one returned rather than opening another (under 64 concurrent requests, opening one
per statement beyond the kept ones doubled the CPU of each read). Statements in a transaction
are unchanged (the transaction has its connection). In WAL mode every kept connection reads the
latest committed data: Python's sqlite3 opens no transaction for a SELECT, and a write outside a
transaction is committed before its connection is lent again.

Write transactions, which the process runs one at a time (events.lib.database holds the lock),
take one more kept connection: opening it cost the same 1.8 ms, spent while holding the lock.
Their statements also go without the PRAGMA Piccolo repeats before each one, since that connection
has foreign keys on from its opening: each write holds the lock that much less.

A statement inside a write transaction runs on the event loop itself (_InlineWriter). Through a
thread, each one was a trip through the loop, and under load every trip waited behind other
requests' work: with 64 clients a registration's transaction held the lock 14 ms on average
against 2 ms alone, and registrations queued for it. Once BEGIN IMMEDIATE holds the database's
write lock, no other connection can make a statement wait, so each takes only its own fraction
of a millisecond. BEGIN (which may wait for another process), COMMIT and ROLLBACK (which sync to
disk) still run in the writer's own thread.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.table import Table

# Statements outside a transaction at once. Each one runs in its connection's thread, outside
# the GIL while SQLite works: a few keep both cores busy, more only add threads and memory.
MAX_CONNECTIONS = 6


class KeptConnectionsSQLiteEngine(SQLiteEngine):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._forget_connections()

    def _forget_connections(self) -> None:
        # Plain lists, not an asyncio queue: nothing is bound to one event loop (aiosqlite
        # answers each call on the loop that made the call, and a waiter's future is made on
        # the loop that waits).
        self._idle: list[aiosqlite.Connection] = []
        self._waiters: list[asyncio.Future[aiosqlite.Connection | None]] = []
        self._open = 0
        self._writer: _InlineWriter | None = None
        self._pid = os.getpid()

    def kept_writer_transaction(self) -> SQLiteTransaction:
        """BEGIN IMMEDIATE on the kept writer connection; only one may run at a time."""
        return _KeptWriterTransaction(self, TransactionType.immediate)

    async def writer_connection(self) -> _InlineWriter:
        if self._pid != os.getpid():
            self._forget_connections()
        if self._writer is None:
            self._writer = await _InlineWriter.open(self.connection_kwargs)
        return self._writer

    async def drop_writer_connection(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await writer.close()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if self._pid != os.getpid():
            # A forked child (a server's worker process) has the lists but not the threads
            # behind the connections: they would never answer.
            self._forget_connections()
        connection = await self._borrow()
        try:
            rows = await connection.execute_fetchall(query, args or [])
            if connection.in_transaction:  # a write: Python's sqlite3 opened one for it
                await connection.commit()
        except BaseException:
            await self._discard(connection)  # its state is unknown: the next one gets a new one
            raise
        self._give_back(connection)
        return rows

    async def _run_in_existing_connection(
        self,
        connection: aiosqlite.Connection | _InlineWriter,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if not isinstance(connection, _InlineWriter):
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        # Piccolo sends `PRAGMA foreign_keys = 1` before every statement of a transaction (a
        # no-op inside one); the writer connection has it on since it was opened.
        return connection.fetchall(query, args or [])

    async def _borrow(self) -> aiosqlite.Connection:
        if self._idle:
            return self._idle.pop()
        if self._open < MAX_CONNECTIONS:
            self._open += 1
            try:
                return await self._connect()
            except BaseException:
                self._open -= 1
                self._wake_one(None)
                raise
        waiter: asyncio.Future[aiosqlite.Connection | None] = (
            asyncio.get_running_loop().create_future()
        )
        self._waiters.append(waiter)
        try:
            connection = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                handed = waiter.result()  # handed over as the waiter was cancelled: pass it on
                if handed is not None:
                    self._give_back(handed)
                else:
                    self._wake_one(None)
            else:
                self._waiters.remove(waiter)
            raise
        # None: a connection was closed, and its place is free for a new one.
        return connection if connection is not None else await self._borrow()

    def _give_back(self, connection: aiosqlite.Connection) -> None:
        if not self._wake_one(connection):
            self._idle.append(connection)

    async def _discard(self, connection: aiosqlite.Connection) -> None:
        self._open -= 1
        self._wake_one(None)
        await connection.close()

    def _wake_one(self, connection: aiosqlite.Connection | None) -> bool:
        """Hand a connection (or, with None, a free place) to the longest waiter; False if none."""
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(connection)
                return True
        return False

    async def _connect(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # An idle kept connection must not keep the process alive at exit: it holds no work.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def close_kept_connections(self) -> None:
        while self._idle:
            self._open -= 1
            await self._idle.pop().close()
        await self.drop_writer_connection()


class _InlineWriter:
    """The connection of write transactions: statements on the event loop, waits in a thread."""

    def __init__(self, connection: sqlite3.Connection, thread: ThreadPoolExecutor) -> None:
        self._connection = connection
        self._thread = thread

    @classmethod
    async def open(cls, connection_kwargs: dict[str, Any]) -> _InlineWriter:
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")

        def connect() -> sqlite3.Connection:
            # Used from the loop's thread and from its own, never from both at once: the
            # process runs one write transaction at a time.
            connection: sqlite3.Connection = sqlite3.connect(
                **connection_kwargs, check_same_thread=False
            )
            connection.row_factory = dict_factory
            connection.execute("PRAGMA foreign_keys = 1")
            return connection

        loop = asyncio.get_running_loop()
        return cls(await loop.run_in_executor(thread, connect), thread)

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        """What Piccolo's transaction sends: BEGIN, COMMIT, ROLLBACK and savepoints."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, self._connection.execute, sql, parameters)

    def fetchall(self, sql: str, parameters: Sequence[Any]) -> list[dict[str, Any]]:
        """A statement of the open transaction, run here: it cannot wait on another connection."""
        return self._connection.execute(sql, parameters).fetchall()

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, self._connection.close)
        self._thread.shutdown(wait=False)


class _KeptWriterTransaction(SQLiteTransaction):
    """Piccolo's transaction, on the kept writer connection instead of a new one each time."""

    __slots__ = ()
    engine: KeptConnectionsSQLiteEngine

    async def get_connection(self) -> _InlineWriter:
        return await self.engine.writer_connection()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None and not self._rolled_back:
                await self.rollback()  # type: ignore[no-untyped-call]  # Piccolo is untyped here
            elif exception is None and not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]  # Piccolo is untyped here
        except BaseException:
            # A COMMIT or ROLLBACK that failed leaves the connection's state unknown.
            await self.engine.drop_writer_connection()
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        return exception is None
