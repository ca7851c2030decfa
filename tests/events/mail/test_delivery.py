"""From registration to the message a real SMTP server receives, parsed as a mail client would."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email.message import EmailMessage
from typing import Any

import icalendar
from ical.calendar_stream import IcsCalendarStream

from events.organizing.session_actions import transition, update_session
from events.registrations.registrations import update
from events.sessions.lifecycle import Transition
from events.tables import OutboxMessage
from tests.factories import (
    attendee_input,
    delegation,
    make_organizer,
    published_session,
    register_delegation,
)
from tests.smtp_server import SmtpServer

CODE = "330001"


def calendar_part(message: EmailMessage) -> tuple[str, bytes]:
    """The method parameter and bytes of the text/calendar alternative."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(part.get_param("method")), payload


def event_of(data: bytes) -> dict[str, Any]:
    """UID, SEQUENCE, METHOD and UTC times, as read by icalendar and checked against `ical`."""
    [event] = icalendar.Calendar.from_ical(data).events
    calendar = icalendar.Calendar.from_ical(data)
    sequence = event["SEQUENCE"]
    assert isinstance(sequence, icalendar.vInt)
    facts = {
        "method": str(calendar["METHOD"]),
        "uid": str(event["UID"]),
        "sequence": int(sequence),
        "start": event.DTSTART.astimezone(dt.UTC),
        "end": event.DTEND.astimezone(dt.UTC),
    }
    other = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    [other_event] = other.events
    # ical types DTSTART and DTEND as date or datetime; a session's are always datetimes.
    assert isinstance(other_event.dtstart, dt.datetime)
    assert isinstance(other_event.dtend, dt.datetime)
    assert {
        "method": other.method,
        "uid": other_event.uid,
        "sequence": other_event.sequence,
        "start": other_event.dtstart.astimezone(dt.UTC),
        "end": other_event.dtend.astimezone(dt.UTC),
    } == facts
    return facts


def structure(message: EmailMessage) -> list[str]:
    return [
        part.get_content_type()
        + (f";method={part.get_param('method')}" if part.get_param("method") else "")
        for part in message.walk()
    ]


async def session_with_attendee(**overrides: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
    organizer = await make_organizer(name="山田 太郎")
    session, accesses = await published_session(organizer, codes=(CODE, "331007"), **overrides)
    [attendee] = await register_delegation(accesses[CODE])
    return organizer, session, accesses[CODE], attendee


async def rows(kind: str | None = None) -> list[dict[str, Any]]:
    query = OutboxMessage.select().order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(await query)


async def test_confirmation_arrives_as_a_meeting_invitation(smtp_server: SmtpServer) -> None:
    _, session, _, attendee = await session_with_attendee()

    assert await smtp_server.deliver() == 1

    [received] = smtp_server.received
    message = received.message
    assert received.rcpt_tos == (attendee["email"],)
    assert structure(message) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar;method=REQUEST",
        "application/ics",
    ]
    assert str(message["From"]) == "Tsunagu <noreply@tsunagu.test>"
    assert str(message["To"]) == attendee["email"]
    assert str(message["Reply-To"]) == session.organizer_email
    [row] = await rows("confirmation")
    assert str(message["Subject"]) == row["subject"]
    assert "第3回 情報交換会" in str(message["Subject"])
    [row] = await rows("confirmation")
    assert str(message["Message-ID"]) == f"<{row['uid']}@tsunagu.test>"
    text = message.get_body(("plain",))
    assert text is not None
    body = text.get_content()
    assert body.replace("\r\n", "\n") == row["text_body"]
    assert f"{attendee['name']} 様" in body
    assert session.meeting_url in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    method, data = calendar_part(message)
    assert attachment.get_payload(decode=True) == data
    assert method == "REQUEST"
    assert event_of(data) == {
        "method": "REQUEST",
        "uid": f"tsunagu-session-{session.id}@tsunagu.test",
        "sequence": session.sequence,
        "start": session.starts_at.astimezone(dt.UTC),
        "end": session.ends_at.astimezone(dt.UTC),
    }


async def test_each_attendee_gets_a_message_of_their_own(smtp_server: SmtpServer) -> None:
    organizer = await make_organizer()
    _, accesses = await published_session(organizer, codes=(CODE,))
    people = [attendee_input(CODE, n) for n in (1, 2, 3)]
    await register_delegation(accesses[CODE], *people)

    await smtp_server.deliver()

    assert sorted(r.rcpt_tos for r in smtp_server.received) == [(p.email,) for p in people]
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [p.email for p in people]
    assert len({str(m["Message-ID"]) for m in smtp_server.messages}) == 3


async def test_update_replaces_the_same_calendar_entry(smtp_server: SmtpServer) -> None:
    organizer, session, _, _ = await session_with_attendee()
    await smtp_server.deliver()
    moved = session.starts_at + dt.timedelta(days=1)

    after, _ = await update_session(
        organizer, session.id, {"starts_at": moved, "ends_at": moved + dt.timedelta(hours=2)}
    )
    await smtp_server.deliver()

    first, second = (event_of(calendar_part(m)[1]) for m in smtp_server.messages)
    assert second == {
        "method": "REQUEST",
        "uid": first["uid"],
        "sequence": first["sequence"] + 1,
        "start": moved.astimezone(dt.UTC),
        "end": (moved + dt.timedelta(hours=2)).astimezone(dt.UTC),
    }
    assert after.sequence == second["sequence"]
    text = smtp_server.messages[1].get_body(("plain",))
    assert text is not None
    assert "日時" in text.get_content()


async def test_cancellation_cancels_the_same_calendar_entry(smtp_server: SmtpServer) -> None:
    organizer, session, _, _ = await session_with_attendee()
    await smtp_server.deliver()

    await transition(organizer, session.id, Transition.CANCEL, reason="講師の都合により")
    await smtp_server.deliver(now=session.starts_at)

    invite, cancel = smtp_server.messages
    method, data = calendar_part(cancel)
    assert method == "CANCEL"
    first, cancelled = event_of(calendar_part(invite)[1]), event_of(data)
    assert (cancelled["method"], cancelled["uid"]) == ("CANCEL", first["uid"])
    assert cancelled["sequence"] > first["sequence"]
    assert [row["kind"] for row in await rows() if row["status"] == "sent"] == [
        "confirmation",
        "session_cancelled",
    ]
    assert [row["status"] for row in await rows("reminder")] == ["cancelled"]


async def test_japanese_subject_and_body_survive_the_wire(smtp_server: SmtpServer) -> None:
    _, _, _, attendee = await session_with_attendee()
    await smtp_server.deliver()

    [received] = smtp_server.received
    raw_headers = received.data.split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # RFC 2047 encoded words, not 8-bit headers
    message = received.message
    [row] = await rows("confirmation")
    assert str(message["Subject"]) == row["subject"]
    html = message.get_body(("html",))
    assert html is not None and attendee["name"] in html.get_content()


async def test_session_changed_while_invitation_waits_sends_only_the_newest(
    smtp_server: SmtpServer,
) -> None:
    organizer, session, _, _ = await session_with_attendee()
    moved = session.starts_at + dt.timedelta(hours=1)

    await update_session(
        organizer, session.id, {"starts_at": moved, "ends_at": moved + dt.timedelta(hours=2)}
    )
    await smtp_server.deliver()

    [message] = smtp_server.messages
    assert event_of(calendar_part(message)[1])["start"] == moved.astimezone(dt.UTC)
    assert [(row["kind"], row["status"]) for row in await rows() if row["kind"] != "reminder"] == [
        ("confirmation", "superseded"),
        ("update", "sent"),
    ]


async def test_removed_attendee_gets_no_reminder(smtp_server: SmtpServer) -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, codes=(CODE,))
    first, second = attendee_input(CODE, 1), attendee_input(CODE, 2)
    kept, _ = await register_delegation(accesses[CODE], first, second)

    await update(accesses[CODE], delegation(dataclasses.replace(first, id=kept["id"])))
    await smtp_server.deliver(now=session.starts_at)

    assert sorted(await delivered(smtp_server)) == sorted(
        [
            (first.email, "confirmation"),
            (first.email, "reminder"),
            (second.email, "attendee_cancelled"),
        ]
    )


async def delivered(server: SmtpServer) -> list[tuple[str, str]]:
    """(recipient, kind) of each received message, the kind found by its Message-ID."""
    kinds = {f"<{row['uid']}@tsunagu.test>": row["kind"] for row in await rows()}
    return [(str(m["To"]), kinds[str(m["Message-ID"])]) for m in server.messages]
