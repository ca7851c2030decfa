"""SQLite with kept connections, lent to single statements and to transactions.

Piccolo's SQLite engine opens a new connection, and with it a new aiosqlite thread, for every
statement that runs outside a transaction: about 1.8 ms of CPU per query here, against 0.2 ms
on a connection that is kept. Pages read through several queries each, so this engine keeps a
few idle connections and lends one per statement. In WAL mode every kept connection reads the
latest committed data: Python's sqlite3 opens no transaction for a SELECT, and a write outside
a transaction is committed before its connection is lent again.

A transaction borrows a kept connection too, and gives it back once it has committed or rolled
back. On SQLite every write in the process waits for the transaction before it (one write
lock), so what a transaction spends opening its connection and thread is spent by all of them.
Piccolo also sends `PRAGMA foreign_keys = 1` before each statement of a transaction (a no-op
inside a transaction, SQLite's documentation says); every lent connection has it set once when
it is opened, so the statements of a transaction go without it.
"""

from __future__ import annotations

import os
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.table import Table

# Connections kept idle; when all are lent, a statement gets a connection of its own, as before.
KEPT_CONNECTIONS = 4


class KeptConnectionsSQLiteEngine(SQLiteEngine):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plain list, not an asyncio queue: no waiting, so nothing is bound to one event loop
        # (aiosqlite answers each call on the loop that made it).
        self._idle: list[aiosqlite.Connection] = []
        self._pid = os.getpid()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self.lend_connection()
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
            await connection.commit()
        except BaseException:
            await connection.close()  # its state is unknown: the next statement gets a new one
            raise
        await self.take_back(connection)
        return rows

    async def _run_in_existing_connection(
        self,
        connection: aiosqlite.Connection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return _KeptConnectionTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def lend_connection(self) -> aiosqlite.Connection:
        """An idle kept connection, or a new one when all are lent."""
        if self._pid != os.getpid():
            # A forked child (a server's worker process) has the list but not the threads
            # behind the connections: they would never answer.
            self._idle, self._pid = [], os.getpid()
        return self._idle.pop() if self._idle else await self._connect()

    async def take_back(self, connection: aiosqlite.Connection) -> None:
        """Keep a connection that has no transaction open, up to KEPT_CONNECTIONS."""
        if len(self._idle) < KEPT_CONNECTIONS and not connection.in_transaction:
            self._idle.append(connection)
        else:
            await connection.close()

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
            await self._idle.pop().close()


class _KeptConnectionTransaction(SQLiteTransaction):
    """Piccolo's transaction on a lent connection, given back instead of closed at the end."""

    engine: KeptConnectionsSQLiteEngine

    async def get_connection(self) -> aiosqlite.Connection:
        return await self.engine.lend_connection()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None and not self._rolled_back:
                await self.rollback()  # type: ignore[no-untyped-call]  # Piccolo's, untyped
            elif exception is None and not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]  # Piccolo's, untyped
        except BaseException:
            await self.connection.close()  # its state is unknown: never lent again
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        await self.engine.take_back(self.connection)
        return exception is None
