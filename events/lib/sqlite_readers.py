"""SQLite with a few kept connections for statements outside a transaction.

Piccolo's SQLite engine opens a new connection, and with it a new aiosqlite thread, for every
statement that runs outside a transaction: about 1.8 ms of CPU per query here, against 0.2 ms
on a connection that is kept. Pages read through several queries each, so this engine keeps at
most MAX_CONNECTIONS and sends each statement to the one with the fewest waiting: each runs the
statements sent to it one after another in its thread. A connection is not lent to one
statement until its caller resumes: under 64 clients the event loop took 7 ms on average to
resume a caller, all the connections were lent out waiting for that, and statements queued
94 ms for one. Autocommit (Piccolo opens connections with isolation_level None) leaves nothing
of one statement on its connection for the next; in WAL mode every kept connection reads the
latest committed data. Statements in a transaction run on the transaction's connection.

Write transactions, which the process runs one at a time (events.lib.database holds the lock),
take one more kept connection: opening it cost the same 1.8 ms, spent while holding the lock.
Their statements also go without the PRAGMA Piccolo repeats before each one, since that connection
has foreign keys on from its opening: each write holds the lock that much less.

A write transaction runs on the event loop itself (_InlineWriter). Through a thread, each
statement was a trip through the loop, and under load every trip waited behind other requests'
work: with 64 clients a registration's transaction held the lock 14 ms on average against 2 ms
alone, and registrations queued for it. Once BEGIN IMMEDIATE holds the database's write lock no
other connection can make a statement wait, so each takes only its own fraction of a
millisecond; COMMIT adds the sync of the log to disk (0.3-0.6 ms here). Only BEGIN can wait,
when another process (the mail worker) holds the lock: then it waits in the writer's thread.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.table import Table

# Connections for statements outside a transaction. Each runs its statements in its own thread,
# outside the GIL while SQLite works: a few keep both cores busy, more only add threads and memory.
MAX_CONNECTIONS = 6


@dataclass(eq=False)
class _Reader:
    connection: asyncio.Future[aiosqlite.Connection]  # done once it is open
    waiting: int = 0  # statements sent to it and not yet answered


class KeptConnectionsSQLiteEngine(SQLiteEngine):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._forget_connections()

    def _forget_connections(self) -> None:
        # A forked child (a server's worker process) has the list but not the threads behind
        # the connections: they would never answer.
        self._readers: list[_Reader] = []
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
            self._forget_connections()
        reader = self._least_waited_on()
        reader.waiting += 1
        try:
            # Shielded: a cancelled statement must not cancel the opening others wait for.
            connection = await asyncio.shield(reader.connection)
            return await connection.execute_fetchall(query, args or [])
        except BaseException:
            if _failed(reader.connection) and reader in self._readers:
                self._readers.remove(reader)  # it never opened: the next statement tries anew
            raise
        finally:
            reader.waiting -= 1

    def _least_waited_on(self) -> _Reader:
        """An idle connection, else a new one while fewer than MAX_CONNECTIONS are kept, else
        the one with the fewest statements waiting."""
        least = min(self._readers, key=lambda reader: reader.waiting, default=None)
        if least is not None and (least.waiting == 0 or len(self._readers) >= MAX_CONNECTIONS):
            return least
        reader = _Reader(asyncio.ensure_future(self._connect()))
        self._readers.append(reader)
        return reader

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

    async def _connect(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # An idle kept connection must not keep the process alive at exit: it holds no work.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def close_kept_connections(self) -> None:
        readers, self._readers = self._readers, []
        for reader in readers:
            if reader.connection.done() and not _failed(reader.connection):
                await reader.connection.result().close()
            else:
                reader.connection.cancel()
        await self.drop_writer_connection()


def _failed(opening: asyncio.Future[aiosqlite.Connection]) -> bool:
    return opening.done() and (opening.cancelled() or opening.exception() is not None)


class _InlineWriter:
    """The connection of write transactions: run on the event loop, waits in a thread."""

    def __init__(self, connection: sqlite3.Connection, thread: ThreadPoolExecutor) -> None:
        self._connection = connection
        self._thread = thread
        self._busy_timeout_ms = int(connection.execute("PRAGMA busy_timeout").fetchone()["timeout"])

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
        if not sql.startswith("BEGIN"):
            self._connection.execute(sql, parameters)
        elif not self._began_at_once(sql):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._thread, self._connection.execute, sql, parameters)

    def _began_at_once(self, begin: str) -> bool:
        """BEGIN here when no other process holds the write lock; False, having waited for
        nothing, when one does (the caller then waits in the thread)."""
        self._connection.execute("PRAGMA busy_timeout = 0")
        try:
            self._connection.execute(begin)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                raise
            return False
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
        return True

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
