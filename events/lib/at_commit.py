"""Rows a write transaction appends and does not read back (mails to send, the audit trail),
inserted together just before it commits.

Registrations that share a transaction (`events.sessions.turns.together`) each stored their
mails and their audit entry in statements of their own, every one a round trip while the
session's turn was held. Kept until the commit, the whole group's rows take a few INSERTs
per table. They are still written in the transaction: a change is stored with its mails and
its entry, or not at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import Context, ContextVar
from typing import Any

from piccolo.table import Table

from events.lib.bulk_insert import insert_rows

_Pending = dict[tuple[type[Table], tuple[str, ...]], list[Mapping[str, Any]]]
_pending: ContextVar[_Pending | None] = ContextVar("rows_at_commit", default=None)


async def insert_at_commit(table: type[Table], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` at the commit of the write transaction open here, or at once outside one.
    Nothing in the transaction may read them before: call `insert_pending` first if it does."""
    pending = _pending.get()
    if pending is None:
        await insert_rows(table, rows)
        return
    for row in rows:
        pending.setdefault((table, tuple(row)), []).append(row)


def share_with(context: Context) -> None:
    """Let work run in `context` (another task joining the transaction) keep its rows here."""
    context.run(_pending.set, _pending.get())


@asynccontextmanager
async def rows_kept_until_commit() -> AsyncIterator[None]:
    """Around the body of a write transaction: what it keeps is inserted when the body ends
    without an error, still inside the transaction; after an error it is forgotten."""
    token = _pending.set({})
    try:
        yield
        await insert_pending()
    finally:
        _pending.reset(token)


async def insert_pending(table: type[Table] | None = None) -> None:
    """Insert now the rows kept for the commit (only the table's, when one is named), for a
    statement of the transaction that reads them. Rows with the same columns keep their order."""
    pending = _pending.get() or {}
    for key in [key for key in pending if table is None or key[0] is table]:
        await insert_rows(key[0], pending.pop(key))
