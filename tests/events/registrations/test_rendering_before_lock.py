"""A registration renders its mails before it locks the session; under the lock it decides.

Rendering is recorded by wrapping the composer the participants' mails use, and the lock by
wrapping `locked_session`, which every registration takes its lock through.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from events.enums import RegistrationStatus as R
from events.lib.errors import ValidationError
from events.mail.compose import compose
from events.registrations import registrations
from events.registrations.mail import mail_context, waitlist_mail
from events.registrations.registrations import register
from events.sessions.exchange_sessions import locked_session
from events.tables import Attendee, ExchangeSession, OutboxMessage
from tests.events.registrations.test_registrations import registered_at_once
from tests.factories import delegation, open_session, person


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happened in order: "render <kind>" for each mail composed, "lock" for each lock."""
    happened: list[str] = []
    lock = locked_session

    def recorded_compose(kind: str, locale: str, **context: Any) -> Any:
        happened.append(f"render {kind}")
        return compose(kind, locale, **context)

    async def recorded_lock(*args: Any) -> Any:
        happened.append("lock")
        return await lock(*args)

    monkeypatch.setattr("events.registrations.mail.compose", recorded_compose)
    monkeypatch.setattr(registrations, "locked_session", recorded_lock)
    return happened


async def test_the_mails_of_places_are_rendered_before_the_lock(events: list[str]) -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1), person(2)))
    assert events == [
        "render confirmation",
        "render reminder",
        "render confirmation",
        "render reminder",
        "lock",
    ]
    queued = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.supersede_key).order_by(
        OutboxMessage.id
    )
    ids = [row["id"] for row in await Attendee.select(Attendee.id).order_by(Attendee.id)]
    session_id = accesses["330001"].session.id
    # The keys that let a later invitation or reminder replace these name the attendee rows.
    assert queued == [
        {"kind": "confirmation", "supersede_key": f"calendar:{session_id}:{ids[0]}"},
        {"kind": "reminder", "supersede_key": f"reminder:{session_id}:{ids[0]}"},
        {"kind": "confirmation", "supersede_key": f"calendar:{session_id}:{ids[1]}"},
        {"kind": "reminder", "supersede_key": f"reminder:{session_id}:{ids[1]}"},
    ]


async def test_who_will_wait_gets_the_waitlist_mail_rendered_before_the_lock(
    events: list[str],
) -> None:
    _, accesses = await open_session(capacity=2)
    await register(accesses["330001"], delegation(person(1, "a"), person(2, "a")))
    events.clear()
    await register(accesses["331007"], delegation(person(1, "b"), person(2, "b")))
    assert events == ["render waitlisted", "render waitlisted", "lock"]
    # Their places in line, known only under the lock, are in the mails all the same.
    mails = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.text_body).where(
        OutboxMessage.kind == "waitlisted"
    )
    positions = {
        mail["recipient"]: re.findall(r"現在の順番は (\S+) 番目", mail["text_body"])
        for mail in mails
    }
    assert positions == {person(1, "b").email: ["1"], person(2, "b").email: ["2"]}
    # The line itself (ids) is in the same order as the mails say.
    waiting = (
        await Attendee.select(Attendee.email)
        .where(Attendee.status == R.WAITLISTED)
        .order_by(Attendee.id)
    )
    assert [row["email"] for row in waiting] == [
        person(1, "b").email,
        person(2, "b").email,
    ]


async def test_a_waitlist_mail_rendered_ahead_is_the_mail_rendered_with_its_position() -> None:
    _, accesses = await open_session(capacity=1)
    session = accesses["330001"].session
    attendee = {**dataclasses.asdict(person(1)), "locale": "ja", "status": "waitlisted"}
    attendee["link_nonce"] = "nonce"
    direct = compose("waitlisted", "ja", **mail_context(session, attendee, None, position=12))
    ahead = waitlist_mail(session, attendee).at(12)
    assert (ahead.subject, ahead.text_body, ahead.html_body) == (
        direct.subject,
        direct.text,
        direct.html,
    )
    assert "現在の順番は 12 番目です" in ahead.text_body


async def test_a_wrong_guess_is_rendered_under_the_lock_with_the_place_decided_there(
    events: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session looked full, but a place freed up before the lock: the newcomer gets the
    confirmation, rendered under the lock, and the waitlist mail rendered before is dropped."""
    _, accesses = await open_session(capacity=1)
    await register(accesses["330001"], delegation(person(1, "a")))
    events.clear()
    recorded_lock = vars(registrations)["locked_session"]  # as the fixture wrapped it

    async def freed_first(*args: Any) -> Any:
        await Attendee.update({Attendee.status: R.CANCELLED}).where(
            Attendee.email == person(1, "a").email
        )
        return await recorded_lock(*args)

    monkeypatch.setattr(registrations, "locked_session", freed_first)
    await register(accesses["331007"], delegation(person(1, "b")))
    assert events == ["render waitlisted", "lock", "render confirmation", "render reminder"]
    kinds = await OutboxMessage.select(OutboxMessage.kind).where(
        OutboxMessage.recipient == person(1, "b").email
    )
    assert sorted(row["kind"] for row in kinds) == ["confirmation", "reminder"]


async def test_a_session_changed_meanwhile_is_rendered_again_under_the_lock(
    events: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The organizer renames the session between the rendering and the lock: the mail says
    the new title, rendered under the lock; the one rendered before is never queued."""
    _, accesses = await open_session()
    access = accesses["330001"]
    recorded_lock = vars(registrations)["locked_session"]  # as the fixture wrapped it

    async def renamed_first(*args: Any) -> Any:
        await ExchangeSession.update({ExchangeSession.title: "第3回 情報交換会（改称）"}).where(
            ExchangeSession.id == access.session.id
        )
        return await recorded_lock(*args)

    monkeypatch.setattr(registrations, "locked_session", renamed_first)
    await register(access, delegation(person(1)))
    assert events == [
        "render confirmation",
        "render reminder",
        "lock",
        "render confirmation",
        "render reminder",
    ]
    mails = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.calendar)
    assert [mail["kind"] for mail in mails] == ["confirmation", "reminder"]
    calendar = next(mail["calendar"] for mail in mails if mail["kind"] == "confirmation")
    assert "SUMMARY:第3回 情報交換会（改称）" in calendar


async def test_at_once_every_attendee_gets_one_mail_saying_what_was_decided() -> None:
    """Many registrations at once, each rendering for the places it saw free: whoever the
    lock decided would wait gets exactly the waitlist mail, whoever got a place exactly one
    confirmation, and nobody anything more."""
    capacity = 6
    await registered_at_once(capacity, count=18)
    attendees = await Attendee.select(Attendee.email, Attendee.status)
    mails = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.recipient)
    expected = sorted(
        (kind, row["email"])
        for row in attendees
        for kind in (
            ("confirmation", "reminder") if row["status"] == R.CONFIRMED else ("waitlisted",)
        )
    )
    assert sorted((mail["kind"], mail["recipient"]) for mail in mails) == expected
    assert sum(row["status"] == R.CONFIRMED for row in attendees) == capacity


async def test_a_limit_lowered_before_the_lock_is_checked_again_under_it(
    events: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delegation passed the checks against the session as read first; the organizer
    lowers the limit per municipality before the lock: the registration is refused there."""
    _, accesses = await open_session()
    access = accesses["330001"]
    recorded_lock = vars(registrations)["locked_session"]  # as the fixture wrapped it

    async def lowered_first(*args: Any) -> Any:
        await ExchangeSession.update({ExchangeSession.per_municipality_limit: 1}).where(
            ExchangeSession.id == access.session.id
        )
        return await recorded_lock(*args)

    monkeypatch.setattr(registrations, "locked_session", lowered_first)
    with pytest.raises(ValidationError):
        await register(access, delegation(person(1), person(2)))
    assert await Attendee.count() == 0
    assert await OutboxMessage.count() == 0
