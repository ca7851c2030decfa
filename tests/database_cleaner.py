"""Empties every table between tests, except reference data loaded by migrations."""

from __future__ import annotations

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.table import Table, sort_table_classes

from events.database import engine, is_sqlite
from networking.tables import Municipality

REFERENCE_TABLES: set[type[Table]] = {Municipality, Migration}


def _tables() -> list[type[Table]]:
    tables = [table for table in Finder().get_table_classes() if table not in REFERENCE_TABLES]
    return sort_table_classes(tables)


async def empty_all_tables() -> None:
    tables = _tables()
    if not tables:
        return
    if is_sqlite():
        async with engine().transaction():
            for table in reversed(tables):
                await table.delete(force=True)
    else:
        names = ", ".join(f'"{table._meta.tablename}"' for table in tables)
        await engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
