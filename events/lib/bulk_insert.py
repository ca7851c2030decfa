"""Rows inserted by written-out INSERTs, for the statements registrations hold their lock for.

Piccolo's insert builds a Table object per row and its query column by column: for the rows
registrations write under the session lock (attendees, mails) that took several times longer
than the database took to store them. Values are bound as parameters, and go through the same
driver adapters as Piccolo's own statements (datetimes, UUIDs, booleans); only the table and
column names and types, which come from the code, are written into the statement. It is
written in the engine's own placeholders: Piccolo parsing it for `{}` once per value took
longer than the driver took to send the values.

On PostgreSQL the rows go as one array per column (`unnest`): one statement, whose text is the
same whatever the number of rows, so it is prepared once and kept. On SQLite, which prepares a
statement without a round trip, they go as VALUES rows, as many per statement as it allows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from piccolo.query.methods.raw import Raw
from piccolo.querystring import QueryString
from piccolo.table import Table

# Values one SQLite statement may bind (SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32).
_SQLITE_MOST_VALUES = 32766


async def insert_rows(
    table: type[Table], rows: Sequence[Mapping[str, Any]], returning: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Insert `rows` (each with the same columns), in their order; the `returning` columns of
    the rows stored, in no promised order. Call inside the caller's transaction."""
    if not rows:
        return []
    columns = tuple(rows[0])
    for row in rows:
        if tuple(row) != columns:
            raise ValueError(f"every row needs the columns {columns}, in that order")
    if table._meta.db.engine_type != "sqlite":
        sql = _unnest_statement(table, columns, tuple(returning))
        arrays = [[row[column] for row in rows] for column in columns]
        return list(await Raw(table, querystring=_Written(sql, arrays)))
    stored: list[dict[str, Any]] = []
    per_statement = _SQLITE_MOST_VALUES // len(columns)
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = _values_statement(table._meta.tablename, columns, len(chunk), tuple(returning))
        values = [row[column] for row in chunk for column in columns]
        stored += await Raw(table, querystring=_Written(sql, values))
    return stored


@lru_cache(maxsize=64)
def _unnest_statement(
    table: type[Table], columns: tuple[str, ...], returning: tuple[str, ...]
) -> str:
    arrays = ", ".join(
        f"${number}::{table._meta.get_column_by_name(column).column_type}[]"
        for number, column in enumerate(columns, start=1)
    )
    insert = _insert_into(table._meta.tablename, columns)
    return _with_returning(f"{insert} SELECT * FROM unnest({arrays})", returning)  # noqa: S608


@lru_cache(maxsize=256)
def _values_statement(
    table: str, columns: tuple[str, ...], rows: int, returning: tuple[str, ...]
) -> str:
    one_row = f"({', '.join('?' for _ in columns)})"
    values = ", ".join(one_row for _ in range(rows))
    return _with_returning(f"{_insert_into(table, columns)} VALUES {values}", returning)


def _insert_into(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{column}"' for column in columns)
    return f'INSERT INTO "{table}" ({names})'


def _with_returning(sql: str, returning: tuple[str, ...]) -> str:
    if not returning:
        return sql
    return sql + " RETURNING " + ", ".join(f'"{column}"' for column in returning)


class _Written(QueryString):
    """A statement already in the engine's placeholders ($1 or ?), with its values."""

    __slots__ = ("_written",)

    def __init__(self, sql: str, values: list[Any]) -> None:
        super().__init__("")
        self._written = (sql, values)

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        return self._written
