"""Rows a write transaction appends are inserted at its commit, with it or not at all."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from events.enums import OutboxStatus
from events.lib.at_commit import insert_at_commit, insert_pending
from events.lib.clock import utcnow
from events.lib.database import engine, run_joined, write_transaction
from events.mail import outbox
from events.mail.outbox import OutgoingMail
from events.tables import AuditEntry, OutboxMessage


def entry(action: str) -> dict[str, Any]:
    return {
        "actor": "test",
        "action": action,
        "exchange_session": None,
        "details": json.dumps({}),
        "created_at": utcnow(),
    }


async def actions() -> list[str]:
    rows = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    return [row["action"] for row in rows]


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """The statements the engine runs meanwhile, their text as Piccolo hands it over."""
    engine_class = type(engine())
    original = engine_class.run_querystring
    statements: list[str] = []

    async def counting(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(querystring.compile_string(self.engine_type)[0])
        return await original(self, querystring, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine_class, "run_querystring", counting)
        yield statements


async def test_kept_rows_are_inserted_when_the_transaction_commits() -> None:
    async with write_transaction(public=False):
        await insert_at_commit(AuditEntry, [entry("first"), entry("second")])
        assert await actions() == []  # not yet: they wait for the commit
    assert await actions() == ["first", "second"]


async def test_kept_rows_are_forgotten_when_the_transaction_fails() -> None:
    with pytest.raises(RuntimeError):
        async with write_transaction(public=False):
            await insert_at_commit(AuditEntry, [entry("undone")])
            raise RuntimeError("the change failed")
    async with write_transaction(public=False):
        await insert_at_commit(AuditEntry, [entry("next")])
    assert await actions() == ["next"]


async def test_a_statement_that_fails_at_the_commit_undoes_the_whole_transaction() -> None:
    with pytest.raises(Exception, match=r"(?i)null|not-null"):
        async with write_transaction(public=False):
            await AuditEntry.insert(AuditEntry(actor="test", action="the change", details="{}"))
            await insert_at_commit(AuditEntry, [{**entry("broken"), "actor": None}])
    assert await actions() == []


async def test_outside_a_transaction_rows_are_inserted_at_once() -> None:
    await insert_at_commit(AuditEntry, [entry("alone")])
    assert await actions() == ["alone"]


async def test_pending_rows_are_inserted_now_for_a_statement_that_reads_them() -> None:
    async with write_transaction(public=False):
        await insert_at_commit(AuditEntry, [entry("kept")])
        await insert_pending(AuditEntry)
        assert await actions() == ["kept"]
    assert await actions() == ["kept"]  # inserted once


async def test_the_rows_kept_take_one_statement_and_keep_their_order() -> None:
    with counted_statements() as statements:
        async with write_transaction(public=False):
            for number in range(100):
                await insert_at_commit(AuditEntry, [entry(f"{number:03}")])
    assert await actions() == [f"{number:03}" for number in range(100)]
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "audit_entry"')]
    assert len(inserts) == 1


async def test_work_joined_to_the_transaction_keeps_its_rows_in_it() -> None:
    async def joined() -> None:
        await insert_at_commit(AuditEntry, [entry("joined")])

    with pytest.raises(RuntimeError):
        async with write_transaction(public=False):
            await run_joined(joined, contextvars.copy_context())
            raise RuntimeError("the transaction failed")
    assert await actions() == []
    async with write_transaction(public=False):
        await run_joined(joined, contextvars.copy_context())
    assert await actions() == ["joined"]


async def test_a_mail_queued_again_in_the_transaction_replaces_the_kept_one() -> None:
    def mail(subject: str) -> OutgoingMail:
        return OutgoingMail(
            kind="confirmation",
            recipient="hanako@city.kurashiki.example.lg.jp",
            subject=subject,
            text_body="本文",
            supersede_key="attendee:1",
        )

    async with write_transaction(public=False):
        await outbox.enqueue_new(mail("最初"))
        await outbox.enqueue(mail("更新"))
    rows = await OutboxMessage.select(OutboxMessage.subject, OutboxMessage.status).order_by(
        OutboxMessage.id
    )
    assert rows == [
        {"subject": "最初", "status": OutboxStatus.SUPERSEDED},
        {"subject": "更新", "status": OutboxStatus.PENDING},
    ]
