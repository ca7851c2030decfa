"""Changes to one session take turns in the process; other sessions' changes do not wait."""

from __future__ import annotations

import asyncio

from events.sessions.turns import one_at_a_time


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
