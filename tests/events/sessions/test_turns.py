"""Changes to one session take turns in the process; other sessions' changes do not wait;
changes that wait for a turn meanwhile share a transaction."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from events.lib.database import write_transaction
from events.sessions.turns import one_at_a_time, together
from events.tables import Series
from tests.factories import make_organizer


async def test_a_change_to_the_same_session_waits_for_the_one_before_it() -> None:
    order: list[str] = []
    first_inside = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with one_at_a_time(1):
            order.append("first in")
            first_inside.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        async with one_at_a_time(1):
            order.append("second in")

    tasks = [asyncio.create_task(first())]
    await first_inside.wait()
    tasks.append(asyncio.create_task(second()))
    await asyncio.sleep(0.05)
    assert order == ["first in"]
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["first in", "first out", "second in"]


async def test_another_session_does_not_wait() -> None:
    async with one_at_a_time(1), asyncio.timeout(1):
        await _enter(2)


async def test_a_change_within_a_change_of_the_same_session_goes_on() -> None:
    async with one_at_a_time(1), asyncio.timeout(1):
        await _enter(1)  # in the same task


async def test_a_task_started_during_a_change_waits_for_its_turn() -> None:
    async with one_at_a_time(1):
        other = asyncio.create_task(_enter(1))
        await asyncio.sleep(0.05)
        assert not other.done()
    await asyncio.wait_for(other, timeout=1)


async def _enter(session_id: int) -> None:
    async with one_at_a_time(session_id):
        pass


class CountedTransactions:
    """write_transaction, counting the transactions opened and those committed."""

    def __init__(self) -> None:
        self.opened = self.committed = 0

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[None]:
        self.opened += 1
        async with write_transaction():
            yield
        self.committed += 1


def add_series(owner: int, title: str) -> Callable[[], Coroutine[Any, Any, str]]:
    async def change() -> str:
        await Series.insert(Series(owner=owner, title=title))
        if title.startswith("失敗"):
            raise ValueError(title)
        return title

    return change


async def titles() -> list[str]:
    return sorted(row["title"] for row in await Series.select(Series.title))


async def queued_while_the_turn_is_held(
    changes: list[Callable[[], Coroutine[Any, Any, str]]],
    transaction: Callable[[], AbstractAsyncContextManager[None]],
) -> list[Any]:
    """Start each change while another change holds the session's turn, then let go."""
    async with one_at_a_time(1):
        tasks = [asyncio.create_task(together(1, change, transaction)) for change in changes]
        await asyncio.sleep(0.05)
        assert not any(task.done() for task in tasks)
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_changes_waiting_for_the_turn_commit_in_one_transaction() -> None:
    organizer = await make_organizer()
    transactions = CountedTransactions()
    names = ["一", "二", "三"]
    answers = await queued_while_the_turn_is_held(
        [add_series(organizer.id, name) for name in names], transactions
    )
    assert answers == names  # each gets its own answer
    assert (transactions.opened, transactions.committed) == (1, 1)
    assert await titles() == sorted(names)


async def test_a_failed_change_fails_alone_and_undoes_none_of_the_others() -> None:
    organizer = await make_organizer()
    transactions = CountedTransactions()
    names = ["一", "失敗する", "三"]
    answers = await queued_while_the_turn_is_held(
        [add_series(organizer.id, name) for name in names], transactions
    )
    assert answers[0] == "一" and answers[2] == "三"
    assert isinstance(answers[1], ValueError)
    # Together first (rolled back), then each alone: the failed one wrote nothing.
    assert (transactions.opened, transactions.committed) == (4, 2)
    assert await titles() == sorted(["一", "三"])


async def test_each_change_runs_in_the_context_of_its_own_request() -> None:
    language: contextvars.ContextVar[str] = contextvars.ContextVar("language")

    async def requested_in(value: str) -> str:
        language.set(value)

        async def change() -> str:
            return language.get()

        return await together(1, change, write_transaction)

    async with one_at_a_time(1):
        tasks = [asyncio.create_task(requested_in(value)) for value in ("ja", "en", "ja")]
        await asyncio.sleep(0.05)
    assert await asyncio.gather(*tasks) == ["ja", "en", "ja"]


async def test_a_change_whose_request_left_while_waiting_does_not_run() -> None:
    organizer = await make_organizer()
    async with one_at_a_time(1):
        leaving = asyncio.create_task(
            together(1, add_series(organizer.id, "去"), write_transaction)
        )
        staying = asyncio.create_task(
            together(1, add_series(organizer.id, "残"), write_transaction)
        )
        await asyncio.sleep(0.05)
        leaving.cancel()
    assert await asyncio.wait_for(staying, timeout=10) == "残"
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert await titles() == ["残"]


async def test_the_others_changes_still_run_when_the_one_running_them_is_cancelled() -> None:
    organizer = await make_organizer()
    started = asyncio.Event()

    async def slow() -> str:
        started.set()
        await asyncio.sleep(10)
        return "遅"

    async with one_at_a_time(1):
        leader = asyncio.create_task(together(1, slow, write_transaction))
        other = asyncio.create_task(together(1, add_series(organizer.id, "他"), write_transaction))
        await asyncio.sleep(0.05)
    await asyncio.wait_for(started.wait(), timeout=10)
    leader.cancel()
    assert await asyncio.wait_for(other, timeout=10) == "他"
    assert await titles() == ["他"]
