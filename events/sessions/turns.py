"""Changes to one session's registrations take turns in this process before they touch the
database.

On PostgreSQL a change locks the session's row (FOR UPDATE) and the next one waits for that
lock inside its own transaction, holding a pooled connection the whole time: in a burst the
registrations waiting for one session held every connection of the pool, and pages that only
read waited for a connection behind them. Waiting here first costs no connection; across
processes the row lock still decides. On SQLite they would otherwise queue for the process's
one write lock, ahead of writes to other sessions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class _Turn:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # holding or waiting: the turn is forgotten when none are left
    holder: asyncio.Task[Any] | None = None


_turns: dict[int, _Turn] = {}


@asynccontextmanager
async def one_at_a_time(session_id: int) -> AsyncIterator[None]:
    """Wait for the session's turn in this process; a change made within one its task already
    has (one change calling another) goes on."""
    turn = _turns.get(session_id)
    if turn is not None and turn.holder is not None and turn.holder is asyncio.current_task():
        yield
        return
    if turn is None:
        turn = _turns[session_id] = _Turn()
    turn.users += 1
    try:
        async with turn.lock:
            turn.holder = asyncio.current_task()
            try:
                yield
            finally:
                turn.holder = None
    finally:
        turn.users -= 1
        if turn.users == 0:
            del _turns[session_id]
