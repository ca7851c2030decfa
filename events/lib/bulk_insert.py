"""Rows inserted by one written-out INSERT, for the statements a registration holds its lock for.

Piccolo's insert builds a Table object per row and its query column by column: for the rows a
registration writes under the session lock (attendees, mails) that took several times longer
than the database took to store them. Values are bound as parameters, and go through the same
driver adapters as Piccolo's own statements (datetimes, UUIDs, booleans); only the table and
column names, which come from the code, are written into the statement. The statement is
written with the engine's own placeholders: Piccolo parsing it for `{}` once per value took
longer than the driver took to send the values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from piccolo.query.methods.raw import Raw
from piccolo.querystring import QueryString
from piccolo.table import Table

_MOST_ROWS = 64


async def insert_rows(
    table: type[Table], rows: Sequence[Mapping[str, Any]], returning: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Insert `rows` (each with the same columns) in as few statements as it takes; the
    `returning` columns of the rows stored, in no promised order. Call inside the caller's
    transaction."""
    if not rows:
        return []
    columns = tuple(rows[0])
    for row in rows:
        if tuple(row) != columns:
            raise ValueError(f"every row needs the columns {columns}, in that order")
    sqlite = table._meta.db.engine_type == "sqlite"
    stored: list[dict[str, Any]] = []
    while rows:
        # Statements of 64, 32, 16... rows: few texts for PostgreSQL to prepare and keep,
        # whatever the number of rows, and far fewer values than either engine allows.
        size = min(_MOST_ROWS, 1 << (len(rows).bit_length() - 1))
        chunk, rows = rows[:size], rows[size:]
        sql = _statement(table._meta.tablename, columns, size, tuple(returning), sqlite)
        values = [row[column] for row in chunk for column in columns]
        stored += await Raw(table, querystring=_Written(sql, values))
    return stored


@lru_cache(maxsize=256)
def _statement(
    table: str, columns: tuple[str, ...], rows: int, returning: tuple[str, ...], sqlite: bool
) -> str:
    width = len(columns)
    marks = (
        ["?"] * (rows * width)
        if sqlite
        else [f"${number}" for number in range(1, rows * width + 1)]
    )
    values = ", ".join(
        f"({', '.join(marks[row * width : (row + 1) * width])})" for row in range(rows)
    )
    names = ", ".join(f'"{column}"' for column in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES {values}'  # noqa: S608 (names from code)
    if returning:
        sql += " RETURNING " + ", ".join(f'"{column}"' for column in returning)
    return sql


class _Written(QueryString):
    """A statement already in the engine's placeholders ($1 or ?), with its values."""

    __slots__ = ("_written",)

    def __init__(self, sql: str, values: list[Any]) -> None:
        super().__init__("")
        self._written = (sql, values)

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        return self._written
