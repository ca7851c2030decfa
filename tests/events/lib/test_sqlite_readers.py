"""Kept SQLite connections: reads see every commit, connections are lent again, errors drop one."""

from __future__ import annotations

import sqlite3

import pytest

from events.lib.database import engine, write_transaction
from events.lib.sqlite_readers import KEPT_CONNECTIONS, KeptConnectionsSQLiteEngine
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
    assert len(db._idle) <= KEPT_CONNECTIONS


async def test_a_failed_statement_closes_its_connection_and_the_next_one_works() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await Organizer.count()
    [kept] = db._idle
    with pytest.raises(sqlite3.OperationalError):
        await Organizer.raw("SELECT no_such_column FROM organizer")
    assert kept not in db._idle
    assert await Organizer.count() == 0


async def test_a_transaction_borrows_a_kept_connection_and_gives_it_back() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await Organizer.count()
    [kept] = db._idle
    async with write_transaction():
        assert db._idle == []
        await make_organizer("inside@example.jp")
    assert db._idle == [kept]
    assert not kept.in_transaction
    assert await Organizer.count() == 1


async def test_a_rolled_back_transaction_leaves_nothing_and_its_connection_is_kept() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await make_organizer("rolled-back@example.jp")
            raise RuntimeError
    [kept] = db._idle
    assert not kept.in_transaction
    assert await Organizer.count() == 0


async def test_foreign_keys_are_enforced_inside_a_transaction_on_a_kept_connection() -> None:
    db = sqlite_engine()
    await db.close_kept_connections()
    await Organizer.count()  # the transaction below gets this kept connection
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with write_transaction():
            await Series.insert(Series(title="孤立", owner=999_999))
