"""Kept SQLite connections: reads see every commit, connections are lent again, errors drop one."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from events.lib.database import engine, write_transaction
from events.lib.sqlite_readers import MAX_CONNECTIONS, KeptConnectionsSQLiteEngine
from events.tables import Organizer, Series
from tests.factories import make_organizer

pytestmark = pytest.mark.skipif(
    not isinstance(engine(), KeptConnectionsSQLiteEngine), reason="SQLite only"
)


def sqlite_engine() -> KeptConnectionsSQLiteEngine:
    db = engine()
    assert isinstance(db, KeptConnectionsSQLiteEngine)
    return db


async def test_a_kept_connection_reads_what_another_connection_committed_since() -> None:
    organizer = await make_organizer("before@example.jp")
    assert await Organizer.select(Organizer.email).where(Organizer.id == organizer.id) == [
        {"email": "before@example.jp"}
    ]
    async with write_transaction():  # a connection of its own, as every transaction has
        await Organizer.update({Organizer.email: "after@example.jp"}).where(
            Organizer.id == organizer.id
        )
    assert await Organizer.select(Organizer.email).where(Organizer.id == organizer.id) == [
        {"email": "after@example.jp"}
    ]


async def test_sequential_statements_are_served_by_the_same_kept_connection() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await Organizer.count()
    [kept] = db._idle
    for _ in range(5):
        await Organizer.count()
    assert db._idle == [kept]
    assert len(db._idle) <= MAX_CONNECTIONS


async def test_a_failed_statement_closes_its_connection_and_the_next_one_works() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await Organizer.count()
    [kept] = db._idle
    with pytest.raises(sqlite3.OperationalError):
        await Organizer.raw("SELECT no_such_column FROM organizer")
    assert kept not in db._idle
    assert await Organizer.count() == 0


async def test_concurrent_statements_beyond_the_limit_wait_for_a_kept_connection() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await make_organizer("counted@example.jp")
    counts = await asyncio.gather(*(Organizer.count() for _ in range(4 * MAX_CONNECTIONS)))
    assert counts == [1] * (4 * MAX_CONNECTIONS)
    assert len(db._idle) == db._open <= MAX_CONNECTIONS
    assert db._waiters == []


async def test_write_transactions_share_the_kept_writer_and_a_failed_one_leaves_nothing() -> None:
    db = sqlite_engine()
    organizer = await make_organizer("writer@example.jp")
    async with write_transaction():
        writer = db.current_transaction.get().connection  # type: ignore[union-attr]
        await Organizer.update({Organizer.display_name: "一回目"}).where(
            Organizer.id == organizer.id
        )
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await Organizer.update({Organizer.display_name: "失敗"}).where(
                Organizer.id == organizer.id
            )
            raise RuntimeError("the change is refused")
    async with write_transaction():
        assert db.current_transaction.get().connection is writer  # type: ignore[union-attr]
    assert await Organizer.select(Organizer.display_name).where(Organizer.id == organizer.id) == [
        {"display_name": "一回目"}
    ]


async def test_foreign_keys_are_enforced_in_a_write_transaction_on_the_kept_writer() -> None:
    db = sqlite_engine()
    async with write_transaction():
        await make_organizer("first@example.jp")  # the writer connection is opened and kept
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with write_transaction():
            await Series.insert(Series(title="孤立", owner=999_999))
    assert db._writer is not None


async def test_statements_of_a_write_transaction_run_without_letting_other_requests_in() -> None:
    # Under load, a statement that went through a thread waited behind other requests' work
    # each time, and the write lock was held that much longer.
    organizer = await make_organizer("inline@example.jp")
    turns = 0

    async def another_request() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(another_request())
    await asyncio.sleep(0)
    async with write_transaction():
        before = turns
        for name in ("一", "二", "三"):
            await Organizer.update({Organizer.display_name: name}).where(
                Organizer.id == organizer.id
            )
        await Organizer.select(Organizer.display_name).where(Organizer.id == organizer.id)
        during = turns - before
    other.cancel()
    assert during == 0
    assert await Organizer.select(Organizer.display_name).where(Organizer.id == organizer.id) == [
        {"display_name": "三"}
    ]
