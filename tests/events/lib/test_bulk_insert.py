"""Rows inserted in a few written-out statements, their values bound, on both engines."""

from __future__ import annotations

import pytest

from events.lib.bulk_insert import insert_rows
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.tables import AuditEntry


def entries(count: int) -> list[dict[str, object]]:
    now = utcnow()
    return [
        {
            "actor": "test",
            "action": f"{n:03}",
            "exchange_session": None,
            "details": "{}",
            "created_at": now,
        }
        for n in range(count)
    ]


async def test_many_rows_are_stored_in_order_and_all_returned() -> None:
    async with write_transaction(public=False):
        returned = await insert_rows(AuditEntry, entries(100), returning=("id", "action"))
    assert sorted(row["action"] for row in returned) == [f"{n:03}" for n in range(100)]
    stored = await AuditEntry.select(AuditEntry.id, AuditEntry.action).order_by(AuditEntry.id)
    assert [row["action"] for row in stored] == [f"{n:03}" for n in range(100)]
    assert sorted(row["id"] for row in returned) == [row["id"] for row in stored]


async def test_more_values_than_sqlite_binds_at_once_go_in_several_statements() -> None:
    # 9,000 rows of 5 columns: 45,000 values, where a SQLite statement binds 32,766 at most.
    async with write_transaction(public=False):
        returned = await insert_rows(AuditEntry, entries(3000) * 3, returning=("id",))
    assert len(returned) == await AuditEntry.count() == 9000


async def test_a_value_is_bound_never_written_into_the_statement() -> None:
    hostile = "'); DROP TABLE audit_entry; --"
    [row] = entries(1)
    async with write_transaction(public=False):
        await insert_rows(AuditEntry, [{**row, "action": hostile[:40]}])
    assert [entry["action"] for entry in await AuditEntry.select(AuditEntry.action)] == [
        hostile[:40]
    ]


async def test_rows_with_other_columns_are_refused_before_anything_is_written() -> None:
    first, second = entries(2)
    del second["details"]
    with pytest.raises(ValueError, match="every row needs the columns"):
        await insert_rows(AuditEntry, [first, second])
    assert await AuditEntry.count() == 0
