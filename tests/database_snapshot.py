"""A copy of everything stored, to put back later: every test starts from the migrated
database, and data built once serves many tests.

SQLite copies the database file's pages with the backup API; PostgreSQL keeps the rows of the
tables tests write (reference data loaded by migrations stays) as asyncpg records and puts them
back with COPY, so every value returns exactly as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from typing import Any

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString
from piccolo.table import Table, sort_table_classes

from events.lib.database import engine
from networking.tables import Municipality

REFERENCE_TABLES: set[type[Table]] = {Municipality, Migration}


@dataclass
class Snapshot:
    sqlite_copy: sqlite3.Connection | None = None
    postgres_rows: dict[str, list[Any]] | None = None


async def take_snapshot() -> Snapshot:
    db = engine()
    if isinstance(db, SQLiteEngine):
        copy = sqlite3.connect(":memory:")
        with contextlib.closing(sqlite3.connect(db.path)) as live:
            live.backup(copy)
        return Snapshot(sqlite_copy=copy)
    assert isinstance(db, PostgresEngine) and db.pool is not None  # started by the test session
    async with db.pool.acquire() as connection:
        return Snapshot(
            postgres_rows={
                name: await connection.fetch(f'SELECT * FROM "{name}"')  # noqa: S608
                for name in _table_names()
            }
        )


async def restore(snapshot: Snapshot) -> None:
    db = engine()
    if snapshot.sqlite_copy is not None:
        assert isinstance(db, SQLiteEngine)
        with contextlib.closing(sqlite3.connect(db.path)) as live:
            snapshot.sqlite_copy.backup(live)
        return
    assert isinstance(db, PostgresEngine) and db.pool is not None
    assert snapshot.postgres_rows is not None
    await _empty_postgres_tables()
    async with db.pool.acquire() as connection, connection.transaction():
        for name in _table_names():  # referenced tables first
            rows = snapshot.postgres_rows[name]
            if not rows:
                continue
            await connection.copy_records_to_table(name, records=rows, columns=list(rows[0].keys()))
            # Rows came back with their ids: the sequence must continue after them.
            sequence = f"pg_get_serial_sequence('\"{name}\"', 'id')"
            await connection.execute(f'SELECT setval({sequence}, max(id)) FROM "{name}"')  # noqa: S608


def _table_classes() -> list[type[Table]]:
    """The tables tests write, referenced tables before those referring to them."""
    tables = [table for table in Finder().get_table_classes() if table not in REFERENCE_TABLES]
    return sort_table_classes(tables)


def _table_names() -> list[str]:
    # Names of our own table classes, never input: safe to put into the SQL text.
    return [table._meta.tablename for table in _table_classes()]


async def _empty_postgres_tables() -> None:
    # TRUNCATE of every table costs about half a second; a test touches a few. A table's id
    # sequence has a last_value once a row was inserted since the last RESTART IDENTITY,
    # so those (and what references them, by CASCADE) are the tables to empty.
    used = {
        row["sequencename"]
        for row in await engine().run_querystring(
            QueryString("SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL")
        )
    }
    names = ", ".join(f'"{name}"' for name in _table_names() if f"{name}_id_seq" in used)
    if names:
        await engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
