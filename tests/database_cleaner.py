"""Empties every table between tests, except reference data loaded by migrations."""

from __future__ import annotations

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.querystring import QueryString
from piccolo.table import Table, sort_table_classes

from events.database import engine, is_sqlite
from networking.tables import Municipality

REFERENCE_TABLES: set[type[Table]] = {Municipality, Migration}


def table_classes() -> list[type[Table]]:
    """The tables tests write, referenced tables before those referring to them."""
    tables = [table for table in Finder().get_table_classes() if table not in REFERENCE_TABLES]
    return sort_table_classes(tables)


async def empty_all_tables() -> None:
    tables = table_classes()
    if not tables:
        return
    if is_sqlite():
        async with engine().transaction():
            for table in reversed(tables):
                await table.delete(force=True)
    else:
        # TRUNCATE of every table costs about half a second; a test touches a few. A table's id
        # sequence has a last_value once a row was inserted since the last RESTART IDENTITY,
        # so those (and what references them, by CASCADE) are the tables to empty.
        used = {
            row["sequencename"]
            for row in await engine().run_querystring(
                QueryString("SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL")
            )
        }
        names = ", ".join(
            f'"{table._meta.tablename}"'
            for table in tables
            if f"{table._meta.tablename}_id_seq" in used
        )
        if names:
            await engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
