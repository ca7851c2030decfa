"""Rows inserted by one written-out INSERT, for the statements a registration holds its lock for.

Piccolo's insert builds a Table object per row and its query column by column: for the rows a
registration writes under the session lock (attendees, mails) that took several times longer
than the database took to store them. Values are bound as parameters, and go through the same
driver adapters as Piccolo's own statements (datetimes, UUIDs, booleans); only the table and
column names, which come from the code, are written into the statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from piccolo.table import Table

from events.lib.raw_sql import placeholders


async def insert_rows(
    table: type[Table], rows: Sequence[Mapping[str, Any]], returning: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Insert `rows` (each with the same columns) in one statement; the `returning` columns
    of the rows stored, in no promised order. Call inside the caller's transaction."""
    if not rows:
        return []
    columns = tuple(rows[0])
    for row in rows:
        if tuple(row) != columns:
            raise ValueError(f"every row needs the columns {columns}, in that order")
    one_row = f"({placeholders(len(columns))})"
    names = ", ".join(f'"{column}"' for column in columns)
    query = (
        f'INSERT INTO "{table._meta.tablename}" ({names})'  # noqa: S608 (names from code)
        f" VALUES {', '.join(one_row for _ in rows)}"
    )
    if returning:
        query += " RETURNING " + ", ".join(f'"{column}"' for column in returning)
    result: list[dict[str, Any]] = await table.raw(
        query, *(row[column] for row in rows for column in columns)
    )
    return result
