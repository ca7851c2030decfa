"""Reminders: queued in the outbox for a set time before the start, re-timed and withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.organizing.session_actions import transition, update_session
from events.sessions.lifecycle import Transition
from events.tables import OutboxMessage
from tests.factories import future_weekday, make_organizer, published_session, register_delegation
from tests.smtp_server import SmtpServer

CODE = "330001"
SECOND = dt.timedelta(seconds=1)


async def registered(**overrides: Any) -> tuple[Any, Any, dict[str, Any]]:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, codes=(CODE,), **overrides)
    [attendee] = await register_delegation(accesses[CODE])
    return organizer, session, attendee


async def reminders_received(server: SmtpServer) -> list[str]:
    ids = {
        f"<{row['uid']}@tsunagu.test>"
        for row in await OutboxMessage.select(OutboxMessage.uid).where(
            OutboxMessage.kind == "reminder"
        )
    }
    return [str(m["Subject"]) for m in server.messages if str(m["Message-ID"]) in ids]


async def test_reminder_goes_out_a_day_before_the_start(smtp_server: SmtpServer) -> None:
    _, session, attendee = await registered()
    due = session.starts_at - dt.timedelta(hours=24)

    await smtp_server.deliver(now=due - SECOND)
    assert await reminders_received(smtp_server) == []
    await smtp_server.deliver(now=due)

    [subject] = await reminders_received(smtp_server)
    assert subject.startswith("【リマインド】")
    [message] = [m for m in smtp_server.messages if str(m["Subject"]) == subject]
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    assert str(message["To"]) == attendee["email"]
    text = message.get_body(("plain",))
    assert text is not None and session.meeting_url in text.get_content()


async def test_reminder_time_comes_from_the_setting(
    smtp_server: SmtpServer, environment: Any
) -> None:
    environment(REMINDER_HOURS_BEFORE="3")
    _, session, _ = await registered()
    due = session.starts_at - dt.timedelta(hours=3)

    await smtp_server.deliver(now=due - SECOND)
    assert await reminders_received(smtp_server) == []
    await smtp_server.deliver(now=due)
    assert len(await reminders_received(smtp_server)) == 1


async def test_reminder_is_retimed_when_the_session_moves(smtp_server: SmtpServer) -> None:
    organizer, session, _ = await registered()
    moved = session.starts_at + dt.timedelta(days=2)
    await update_session(
        organizer, session.id, {"starts_at": moved, "ends_at": moved + dt.timedelta(hours=2)}
    )

    await smtp_server.deliver(now=session.starts_at)
    assert await reminders_received(smtp_server) == []
    await smtp_server.deliver(now=moved - dt.timedelta(hours=24))

    [subject] = await reminders_received(smtp_server)
    assert f"{moved.day}日" in subject
    rows = await OutboxMessage.select(OutboxMessage.status).where(OutboxMessage.kind == "reminder")
    assert sorted(row["status"] for row in rows) == ["sent", "superseded"]


async def test_cancelled_session_sends_no_reminder(smtp_server: SmtpServer) -> None:
    organizer, session, _ = await registered()
    await transition(organizer, session.id, Transition.CANCEL, reason="台風接近のため")

    await smtp_server.deliver(now=session.starts_at)

    assert await reminders_received(smtp_server) == []
    # The confirmation still waiting was replaced by the cancellation.
    [message] = smtp_server.messages
    assert str(message["Subject"]).startswith("【中止のお知らせ】")


async def test_registration_inside_the_reminder_window_gets_no_reminder(
    smtp_server: SmtpServer, environment: Any
) -> None:
    environment(REMINDER_HOURS_BEFORE=str(24 * 14))
    starts_at = future_weekday(days_ahead=10)
    await registered(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))

    await smtp_server.deliver(now=starts_at)

    assert await reminders_received(smtp_server) == []
    assert await OutboxMessage.count().where(OutboxMessage.kind == "reminder") == 0
    assert len(smtp_server.messages) == 1
