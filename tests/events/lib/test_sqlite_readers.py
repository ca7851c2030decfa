"""Kept SQLite connections: reads see every commit, connections are lent again, errors drop one."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

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
    [kept] = db._readers
    for _ in range(5):
        await Organizer.count()
    assert db._readers == [kept]


async def test_a_failed_statement_leaves_its_connection_fit_for_the_next_one() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await Organizer.count()
    [kept] = db._readers
    with pytest.raises(sqlite3.OperationalError):
        await Organizer.raw("SELECT no_such_column FROM organizer")
    assert await Organizer.count() == 0
    assert db._readers == [kept]
    assert kept.waiting == 0


async def test_a_connection_that_failed_to_open_is_dropped_and_the_next_statement_opens_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    opened = db._connect

    async def fails_once() -> Any:
        monkeypatch.setattr(db, "_connect", opened)
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(db, "_connect", fails_once)
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        await Organizer.count()
    assert db._readers == []
    assert await Organizer.count() == 0
    assert len(db._readers) == 1


async def test_concurrent_statements_share_at_most_max_connections() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await make_organizer("counted@example.jp")
    counts = await asyncio.gather(*(Organizer.count() for _ in range(4 * MAX_CONNECTIONS)))
    assert counts == [1] * (4 * MAX_CONNECTIONS)
    assert len(db._readers) == MAX_CONNECTIONS
    assert [reader.waiting for reader in db._readers] == [0] * MAX_CONNECTIONS


async def test_a_statement_cancelled_while_its_connection_opens_leaves_it_opening() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    first = asyncio.create_task(Organizer.count().run())
    await asyncio.sleep(0)  # waiting for its connection to open
    [opening] = db._readers
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await Organizer.count() == 0
    assert db._readers == [opening]  # the connection the cancelled statement opened


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


async def test_a_write_transaction_waits_for_another_process_holding_the_write_lock() -> None:
    organizer = await make_organizer("waits@example.jp")
    other = sqlite3.connect(sqlite_engine().path, isolation_level=None)  # as another process
    other.execute("BEGIN IMMEDIATE")

    async def rename() -> None:
        async with write_transaction():
            await Organizer.update({Organizer.display_name: "待った"}).where(
                Organizer.id == organizer.id
            )

    waiting = asyncio.create_task(rename())
    await asyncio.sleep(0.3)
    assert not waiting.done()  # waiting for the lock, not failed with "database is locked"
    other.execute("UPDATE organizer SET display_name = '先' WHERE id = ?", (organizer.id,))
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(waiting, timeout=10)
    assert await Organizer.select(Organizer.display_name).where(Organizer.id == organizer.id) == [
        {"display_name": "待った"}
    ]


async def test_a_begin_kept_waiting_past_the_busy_timeout_fails_as_sqlite_would(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "locked.sqlite3")
    other = sqlite3.connect(path, isolation_level=None)  # as another process
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("BEGIN IMMEDIATE")
    db = KeptConnectionsSQLiteEngine(path=path, timeout=0.2)
    try:
        writer = await db.writer_connection()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            await writer.execute("BEGIN IMMEDIATE")
        other.execute("COMMIT")
        await writer.execute("BEGIN IMMEDIATE")  # let go of: begins
        await writer.execute("ROLLBACK")
    finally:
        other.close()
        await db.close_kept_connections()
