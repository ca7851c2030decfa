"""Changes to one session's registrations take turns in this process before they touch the
database.

On PostgreSQL a change locks the session's row (FOR UPDATE) and the next one waits for that
lock inside its own transaction, holding a pooled connection the whole time: in a burst the
registrations waiting for one session held every connection of the pool, and pages that only
read waited for a connection behind them. Waiting here first costs no connection; across
processes the row lock still decides. On SQLite they would otherwise queue for the process's
one write lock, ahead of writes to other sessions.

Registrations, the changes that come in bursts, share their turns (`together`): whoever gets
the session's turn decides every registration waiting for it at once, in one transaction. Each
one waiting cost its own BEGIN, COMMIT (with its sync to disk) and NOTIFY, and its own
statements, each a pass of the busy event loop before the next could start: under a burst that
made most of a registration's time.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from events.lib.database import run_joined

Q = TypeVar("Q")
T = TypeVar("T")


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


@dataclass(eq=False)
class _Waiting:
    request: Any
    context: contextvars.Context
    answer: asyncio.Future[Any]
    # Set when the one whose turn ended leaves this one to run what waits.
    lead: asyncio.Future[None]


@dataclass(eq=False)
class _Queue:
    waiting: list[_Waiting] = field(default_factory=list)
    running: bool = False


_queues: dict[int, _Queue] = {}

# Decides requests in order, answering each with its result or the error it is refused with.
Decide = Callable[[list[Q]], Coroutine[Any, Any, list[T | Exception]]]


async def together(
    session_id: int,
    request: Q,
    decide: Decide[Q, T],
    transaction: Callable[[], AbstractAsyncContextManager[None]],
) -> T:
    """Decide `request` in the session's turn inside `transaction()`, with the other requests
    that wait for the turn meanwhile: `decide` gets them all, in the order they came, and
    answers each (a request it refuses must have written nothing). When it raises instead,
    that transaction is rolled back and each request is decided alone, in its own request's
    context: a request never takes another's failure, nor undoes its writes. So a request may
    be decided twice: what it carries must not be used up by a first decision. Together,
    `decide` runs in the context of whoever got the turn, so what it does must not depend on
    a request's context; it must not take the session's turn itself."""
    loop = asyncio.get_running_loop()
    me = _Waiting(request, contextvars.copy_context(), loop.create_future(), loop.create_future())
    queue = _queues.setdefault(session_id, _Queue())
    queue.waiting.append(me)
    try:
        while not me.answer.done():
            if queue.running:
                # Woken before but beaten to it by a newcomer: wait to be woken again.
                me.lead = loop.create_future()
                await asyncio.wait((me.answer, me.lead), return_when=asyncio.FIRST_COMPLETED)
                continue
            queue.running = True
            try:
                async with one_at_a_time(session_id):
                    # Everyone who came while this one waited for the turn, this one included.
                    batch, queue.waiting = queue.waiting, []
                    try:
                        await _run(batch, decide, transaction)
                    finally:
                        # Stopped short (this task was cancelled): the others wait again.
                        queue.waiting[:0] = [each for each in batch if not each.answer.done()]
            finally:
                queue.running = False
                _hand_on(session_id, queue)
    finally:
        if not me.answer.done():  # this task was cancelled: nobody takes the answer
            me.answer.cancel()
        if me in queue.waiting:
            queue.waiting.remove(me)
            _hand_on(session_id, queue)
    return me.answer.result()  # type: ignore[no-any-return]


def _hand_on(session_id: int, queue: _Queue) -> None:
    """Wake the first one waiting to run the queue, or forget the queue once it is empty."""
    if queue.running:
        return
    if not queue.waiting:
        if _queues.get(session_id) is queue:
            del _queues[session_id]
        return
    first = queue.waiting[0].lead
    if not first.done():
        first.set_result(None)


async def _run(
    batch: list[_Waiting],
    decide: Decide[Any, Any],
    transaction: Callable[[], AbstractAsyncContextManager[None]],
) -> None:
    """Answer every request of the batch: all decided together, or each on its own."""
    if len(batch) > 1 and await _decided_together(batch, decide, transaction):
        return
    for each in batch:
        try:
            async with transaction():
                [outcome] = await run_joined(partial(decide, [each.request]), each.context)
                if isinstance(outcome, Exception):
                    raise outcome  # refused: whatever it wrote is rolled back
        except Exception as error:
            outcome = error
        _answer(each.answer, outcome)


async def _decided_together(
    batch: list[_Waiting],
    decide: Decide[Any, Any],
    transaction: Callable[[], AbstractAsyncContextManager[None]],
) -> bool:
    """Decide the batch in one transaction; False, with nothing written, when that failed."""
    try:
        async with transaction():
            outcomes = await decide([each.request for each in batch])
    except Exception:
        return False
    for each, outcome in zip(batch, outcomes, strict=True):
        _answer(each.answer, outcome)
    return True


def _answer(answer: asyncio.Future[Any], outcome: Any) -> None:
    if answer.done():  # the one who asked has left
        return
    if isinstance(outcome, Exception):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)
