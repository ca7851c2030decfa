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


def adding_series(owner: int) -> Callable[[list[str]], Coroutine[Any, Any, list[Any]]]:
    """Decides titles: one starting with 拒否 is refused (it writes nothing), one starting
    with 失敗 fails the whole decision after writing."""

    async def decide(titles: list[str]) -> list[Any]:
        outcomes: list[Any] = []
        for title in titles:
            if title.startswith("拒否"):
                outcomes.append(LookupError(title))
                continue
            await Series.insert(Series(owner=owner, title=title))
            if title.startswith("失敗"):
                raise ValueError(title)
            outcomes.append(title)
        return outcomes

    return decide


async def titles() -> list[str]:
    return sorted(row["title"] for row in await Series.select(Series.title))


async def queued_while_the_turn_is_held(
    owner: int, titles: list[str], transaction: Callable[[], AbstractAsyncContextManager[None]]
) -> list[Any]:
    """Ask for each title while another change holds the session's turn, then let go."""
    decide = adding_series(owner)
    async with one_at_a_time(1):
        tasks = [asyncio.create_task(together(1, title, decide, transaction)) for title in titles]
        await asyncio.sleep(0.05)
        assert not any(task.done() for task in tasks)
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_changes_waiting_for_the_turn_commit_in_one_transaction() -> None:
    organizer = await make_organizer()
    transactions = CountedTransactions()
    names = ["一", "二", "三"]
    answers = await queued_while_the_turn_is_held(organizer.id, names, transactions)
    assert answers == names  # each gets its own answer
    assert (transactions.opened, transactions.committed) == (1, 1)
    assert await titles() == sorted(names)


@pytest.mark.parametrize(
    ("middle", "error", "transactions_made"),
    [
        # Refused: answered with its refusal; the others commit in the same transaction.
        ("拒否", LookupError, (1, 1)),
        # Failed: together first (rolled back), then each alone; the failed one wrote nothing.
        ("失敗する", ValueError, (4, 2)),
    ],
)
async def test_a_refused_or_failed_request_takes_none_of_the_others_with_it(
    middle: str, error: type[Exception], transactions_made: tuple[int, int]
) -> None:
    organizer = await make_organizer()
    transactions = CountedTransactions()
    answers = await queued_while_the_turn_is_held(organizer.id, ["一", middle, "三"], transactions)
    assert answers[0] == "一" and answers[2] == "三"
    assert isinstance(answers[1], error)
    assert (transactions.opened, transactions.committed) == transactions_made
    assert await titles() == sorted(["一", "三"])


async def test_a_request_refused_alone_writes_nothing() -> None:
    organizer = await make_organizer()

    async def written_then_refused(titles: list[str]) -> list[Any]:
        await Series.insert(Series(owner=organizer.id, title=titles[0]))
        return [LookupError(titles[0])]

    with pytest.raises(LookupError):
        await together(1, "拒否", written_then_refused, write_transaction)
    assert await titles() == []


async def test_each_request_decided_alone_runs_in_the_context_of_its_own_request() -> None:
    language: contextvars.ContextVar[str] = contextvars.ContextVar("language")

    async def seen_language(requests: list[str]) -> list[Any]:
        if len(requests) > 1:
            raise ValueError("decided alone, each in its own context")
        return [language.get()]

    async def requested_in(value: str) -> str:
        language.set(value)
        return await together(1, value, seen_language, write_transaction)

    async with one_at_a_time(1):
        tasks = [asyncio.create_task(requested_in(value)) for value in ("ja", "en", "ja")]
        await asyncio.sleep(0.05)
    assert await asyncio.gather(*tasks) == ["ja", "en", "ja"]


async def test_a_change_whose_request_left_while_waiting_does_not_run() -> None:
    organizer = await make_organizer()
    async with one_at_a_time(1):
        decide = adding_series(organizer.id)
        leaving = asyncio.create_task(together(1, "去", decide, write_transaction))
        staying = asyncio.create_task(together(1, "残", decide, write_transaction))
        await asyncio.sleep(0.05)
        leaving.cancel()
    assert await asyncio.wait_for(staying, timeout=10) == "残"
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert await titles() == ["残"]


async def test_the_others_changes_still_run_when_the_one_running_them_is_cancelled() -> None:
    organizer = await make_organizer()
    started = asyncio.Event()

    async def slow_then_adding(titles: list[str]) -> list[Any]:
        if titles[0] == "遅":
            started.set()
            await asyncio.sleep(10)
        return await adding_series(organizer.id)(titles)

    async with one_at_a_time(1):
        leader = asyncio.create_task(together(1, "遅", slow_then_adding, write_transaction))
        other = asyncio.create_task(together(1, "他", slow_then_adding, write_transaction))
        await asyncio.sleep(0.05)
    await asyncio.wait_for(started.wait(), timeout=10)
    leader.cancel()
    assert await asyncio.wait_for(other, timeout=10) == "他"
    assert await titles() == ["他"]
