"""Delegations: capacity and per-municipality limits, waitlist, promotion, deadline, mail rows."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

import pytest
from piccolo.engine.postgres import PostgresEngine

from events.enums import RegistrationStatus as R
from events.lib.database import engine
from events.lib.errors import ConflictError, NotFoundError, ValidationError
from events.organizing.session_actions import update_session
from events.registrations import first_registrations
from events.registrations.actors import Actor
from events.registrations.delegations import AttendeeInput
from events.registrations.queries import stored_delegation
from events.registrations.registrations import cancel, register, update
from events.sessions.exchange_sessions import get_session, locked_session
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.sessions.turns import one_at_a_time
from events.tables import Attendee, OutboxMessage, Registration, SharingAnswer, TopicPreference
from networking.municipalities import read_data_file
from tests.events.calendars.test_ics import parse_both
from tests.factories import delegation, discussion_ids, make_organizer, open_session, person
from tests.smtp_server import SmtpServer


async def statuses(session_id: int) -> list[tuple[str, str]]:
    rows = (
        await Attendee.select(Attendee.email, Attendee.status)
        .where(Attendee.exchange_session == session_id)
        .order_by(Attendee.id)
    )
    return [(row["email"], row["status"]) for row in rows]


async def mail_kinds() -> list[tuple[str, str]]:
    rows = (
        await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.recipient)
        .where(OutboxMessage.kind != "reminder")
        .order_by(OutboxMessage.id)
    )
    return [(row["kind"], row["recipient"]) for row in rows]


async def test_registration_confirms_attendees_and_writes_their_mail() -> None:
    _, accesses = await open_session()
    access = accesses["330001"]
    topics = list(discussion_ids(access.session))
    item_id, _ = access.session.sharing_items[0]
    await register(
        access,
        delegation(
            person(1, topic_preferences=(topics[1], topics[0]), share_contact=True),
            person(2),
            answers={item_id: "令和5年3月に策定"},
        ),
    )
    assert await statuses(access.session.id) == [
        ("p1.x@example.lg.jp", "confirmed"),
        ("p2.x@example.lg.jp", "confirmed"),
    ]
    assert await mail_kinds() == [
        ("confirmation", "p1.x@example.lg.jp"),
        ("confirmation", "p2.x@example.lg.jp"),
    ]
    assert await OutboxMessage.count().where(OutboxMessage.kind == "reminder") == 2
    preferences = await TopicPreference.select(
        TopicPreference.segment, TopicPreference.rank
    ).order_by(TopicPreference.rank)
    assert [(row["segment"], row["rank"]) for row in preferences] == [
        (topics[1], 1),
        (topics[0], 2),
    ]
    assert [row["text"] for row in await SharingAnswer.select(SharingAnswer.text)] == [
        "令和5年3月に策定"
    ]


async def test_confirmation_carries_join_data_and_a_calendar_invite() -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1)))
    mail = await OutboxMessage.select().where(OutboxMessage.kind == "confirmation").first()
    assert mail is not None
    assert "https://zoom.example.jp/j/123456789" in mail["text_body"]
    assert "パスコード: tsunagu" in mail["text_body"]
    assert "http://tsunagu.test/a/" in mail["text_body"]
    assert mail["calendar_method"] == "REQUEST"
    assert "METHOD:REQUEST" in mail["calendar"]
    assert mail["reply_to"] is not None


async def test_mails_show_the_session_as_read_when_the_place_is_given() -> None:
    """The mails are rendered before the change waits for its turn, from the session as read
    with the link; one changed meanwhile is mailed as it now is."""
    _, accesses = await open_session()
    access = accesses["330001"]
    stale = dataclasses.replace(
        access.session, title="古い題名", meeting_url="https://old.example.jp/j/1"
    )
    await register(dataclasses.replace(access, session=stale), delegation(person(1)))
    mail = await OutboxMessage.select().where(OutboxMessage.kind == "confirmation").first()
    assert mail is not None
    everything = mail["subject"] + mail["text_body"] + mail["html_body"] + mail["calendar"]
    assert "古い題名" not in everything
    assert "old.example.jp" not in everything
    assert access.session.title in mail["text_body"]
    assert "https://zoom.example.jp/j/123456789" in mail["calendar"]


async def test_names_with_any_script_survive_unchanged() -> None:
    _, accesses = await open_session()
    names = ["山田 太郎", "ﾔﾏﾀﾞ ﾊﾅｺ", "佐藤＆鈴木 <共同>"]
    await register(
        accesses["330001"], delegation(*(person(i, name=name) for i, name in enumerate(names)))
    )
    stored = [row["name"] for row in await Attendee.select(Attendee.name).order_by(Attendee.id)]
    assert stored == names


async def test_full_session_puts_newcomers_on_the_waitlist() -> None:
    _, accesses = await open_session(capacity=3)
    await register(accesses["330001"], delegation(person(1, "a"), person(2, "a")))
    await register(accesses["331007"], delegation(person(1, "b"), person(2, "b")))
    assert await statuses(accesses["330001"].session.id) == [
        ("p1.a@example.lg.jp", "confirmed"),
        ("p2.a@example.lg.jp", "confirmed"),
        ("p1.b@example.lg.jp", "confirmed"),
        ("p2.b@example.lg.jp", "waitlisted"),
    ]
    waitlisted = await OutboxMessage.select().where(OutboxMessage.kind == "waitlisted").first()
    assert waitlisted is not None and "1 番目" in waitlisted["text_body"]
    assert "zoom.example.jp" not in waitlisted["text_body"]


async def test_cancellation_promotes_the_next_in_line_and_tells_them() -> None:
    _, accesses = await open_session(capacity=2)
    await register(accesses["330001"], delegation(person(1, "a"), person(2, "a")))
    await register(accesses["331007"], delegation(person(1, "b")))
    await register(accesses["341002"], delegation(person(1, "c")))
    await cancel(accesses["330001"])
    assert await statuses(accesses["330001"].session.id) == [
        ("p1.a@example.lg.jp", "cancelled"),
        ("p2.a@example.lg.jp", "cancelled"),
        ("p1.b@example.lg.jp", "confirmed"),
        ("p1.c@example.lg.jp", "confirmed"),
    ]
    kinds = await mail_kinds()
    assert kinds[-4:] == [
        ("attendee_cancelled", "p1.a@example.lg.jp"),
        ("attendee_cancelled", "p2.a@example.lg.jp"),
        ("promoted", "p1.b@example.lg.jp"),
        ("promoted", "p1.c@example.lg.jp"),
    ]
    registration = (
        await Registration.select(Registration.status)
        .where(Registration.municipality == "331007")
        .first()
    )
    assert registration == {"status": "confirmed"}


async def test_removed_attendee_gets_a_calendar_cancellation_and_no_reminder() -> None:
    _, accesses = await open_session()
    access = accesses["330001"]
    await register(access, delegation(person(1), person(2)))
    first = await Attendee.select(Attendee.id).order_by(Attendee.id).first()
    assert first is not None
    await update(access, delegation(person(1, id=first["id"])))
    cancelled = (
        await OutboxMessage.select().where(OutboxMessage.kind == "attendee_cancelled").first()
    )
    assert cancelled is not None and cancelled["calendar_method"] == "CANCEL"
    # RFC 5546 §3.2.5: one attendee off an event that still takes place is a CANCEL with a
    # raised SEQUENCE and no STATUS; the session keeps the raised SEQUENCE for later messages.
    ours, theirs = parse_both(cancelled["calendar"].encode())
    (event,), (other,) = ours.events, theirs.events
    assert "STATUS" not in event and other.status is None
    assert event.sequence == other.sequence == access.session.sequence + 1
    assert (await get_session(access.session.id)).sequence == access.session.sequence + 1
    pending_reminders = await OutboxMessage.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "reminder", OutboxMessage.status == "pending"
    )
    assert pending_reminders == [{"recipient": "p1.x@example.lg.jp"}]


async def test_swapping_a_person_keeps_the_place_and_issues_a_new_link() -> None:
    _, accesses = await open_session(capacity=1)
    access = accesses["330001"]
    await register(access, delegation(person(1)))
    before = await Attendee.select().first()
    assert before is not None
    await update(access, delegation(person(9, id=before["id"])))
    after = await Attendee.select().where(Attendee.id == before["id"]).first()
    assert after is not None
    assert (after["email"], after["status"]) == ("p9.x@example.lg.jp", "confirmed")
    assert after["token_hash"] != before["token_hash"]
    assert (await mail_kinds())[-2:] == [
        ("attendee_cancelled", "p1.x@example.lg.jp"),
        ("confirmation", "p9.x@example.lg.jp"),
    ]


async def test_second_registration_for_the_same_municipality_is_refused() -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1)))
    with pytest.raises(ConflictError):
        await register(accesses["330001"], delegation(person(2)))
    assert await Attendee.count() == 1


async def test_same_email_twice_in_a_session_is_refused() -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1, "same")))
    with pytest.raises(ValidationError) as raised:
        await register(accesses["331007"], delegation(person(1, "same")))
    assert raised.value.problems[0].field == "attendees"
    assert await Attendee.count() == 1
    assert await Registration.count() == 1


async def test_registrations_sent_together_fail_only_where_they_are_wrong() -> None:
    """Registrations waiting for the session share a transaction; the one repeating an
    address and the one of a municipality already registered are refused as if alone, and
    the others are registered."""
    codes = ("330001", "331007", "350001", "341002")
    _, accesses = await open_session(codes=codes)
    await register(accesses["341002"], delegation(person(1, "341002")))
    session_id = accesses[codes[0]].session.id
    async with one_at_a_time(session_id):  # as a registration in progress would
        tasks = [
            asyncio.create_task(register(accesses[code], delegation(person(1, email_of))))
            for code, email_of in (
                ("330001", "330001"),
                ("331007", "330001"),  # the address 330001 registers just before
                ("341002", "341002b"),  # already registered
                ("350001", "350001"),
            )
        ]
        await asyncio.sleep(0.05)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert isinstance(results[1], ValidationError)
    assert results[1].problems[0].field == "attendees"
    assert isinstance(results[2], ConflictError)
    assert not isinstance(results[0], BaseException)
    assert not isinstance(results[3], BaseException)
    registered = await Registration.select(Registration.municipality).order_by(
        Registration.municipality
    )
    assert [row["municipality"] for row in registered] == ["330001", "341002", "350001"]
    assert await mail_kinds() == [
        ("confirmation", "p1.341002@example.lg.jp"),
        ("confirmation", "p1.330001@example.lg.jp"),
        ("confirmation", "p1.350001@example.lg.jp"),
    ]


async def test_registrations_waiting_for_the_turn_are_decided_together_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The session is locked and read once for those waiting, and again for the next; each
    registration still counts the places the ones before it took."""
    codes = ("330001", "331007", "350001", "341002")
    _, accesses = await open_session(capacity=2, codes=codes)
    session_id = accesses[codes[0]].session.id
    reads: list[int] = []
    lock = locked_session

    async def counted(*args: Any) -> Any:
        reads.append(args[0])
        return await lock(*args)

    monkeypatch.setattr(first_registrations, "locked_session", counted)
    async with one_at_a_time(session_id):  # as a registration in progress would
        tasks = [
            asyncio.create_task(register(accesses[code], delegation(person(1, code))))
            for code in codes[:3]
        ]
        await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)
    assert reads == [session_id]
    await register(accesses["341002"], delegation(person(1, "341002")))
    assert reads == [session_id, session_id]
    statuses = await Registration.select(Registration.municipality, Registration.status)
    assert sorted((row["municipality"], row["status"]) for row in statuses) == [
        ("330001", R.CONFIRMED),
        ("331007", R.CONFIRMED),
        ("341002", R.WAITLISTED),
        ("350001", R.WAITLISTED),
    ]


async def queued_during_a_turn(session_id: int, *registering: Any) -> list[Any]:
    """Start each registration while a change holds the session's turn, then let go."""
    async with one_at_a_time(session_id):  # as a registration in progress would
        tasks = [asyncio.create_task(each) for each in registering]
        await asyncio.sleep(0.05)
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_places_in_line_run_on_across_registrations_decided_together() -> None:
    codes = ("330001", "331007", "350001")
    _, accesses = await open_session(capacity=3, codes=codes)
    session_id = accesses[codes[0]].session.id
    answers = await queued_during_a_turn(
        session_id,
        *(register(accesses[code], delegation(person(1, code), person(2, code))) for code in codes),
    )
    people = [person for answer in answers for person in answer.written.attendees]
    assert [(p.email, p.status, p.waitlist_position) for p in people] == [
        ("p1.330001@example.lg.jp", R.CONFIRMED, None),
        ("p2.330001@example.lg.jp", R.CONFIRMED, None),
        ("p1.331007@example.lg.jp", R.CONFIRMED, None),
        ("p2.331007@example.lg.jp", R.WAITLISTED, 1),
        ("p1.350001@example.lg.jp", R.WAITLISTED, 2),
        ("p2.350001@example.lg.jp", R.WAITLISTED, 3),
    ]
    # Stored in the same order, which is the order of the waiting list.
    assert await statuses(session_id) == [(p.email, p.status) for p in people]
    assert await mail_kinds() == [
        ("confirmation" if p.status == R.CONFIRMED else "waitlisted", p.email) for p in people
    ]


async def test_a_repeat_and_a_registration_after_a_cancellation_are_decided_with_the_others() -> (
    None
):
    codes = ("330001", "331007", "350001")
    _, accesses = await open_session(codes=codes)
    session_id = accesses[codes[0]].session.id
    sent = delegation(person(1, "330001"))
    made = await register(accesses["330001"], sent, idempotency_key="key-1")
    await register(accesses["331007"], delegation(person(1, "331007")))
    await cancel(accesses["331007"])
    again, back, new = await queued_during_a_turn(
        session_id,
        register(accesses["330001"], sent, idempotency_key="key-1"),
        register(accesses["331007"], delegation(person(2, "331007"))),
        register(accesses["350001"], delegation(person(1, "350001"))),
    )
    assert again == first_registrations.Registered(made.id, replayed=True)
    assert back.written is None  # the row made active again keeps its id
    assert new.written is not None
    registered = await Registration.select(Registration.municipality, Registration.status)
    assert sorted((row["municipality"], row["status"]) for row in registered) == [
        ("330001", R.CONFIRMED),
        ("331007", R.CONFIRMED),
        ("350001", R.CONFIRMED),
    ]
    assert (await stored_delegation(session_id, "331007")).attendees[0].email == (
        "p2.331007@example.lg.jp"
    )
    assert (await mail_kinds())[-2:] == [
        ("confirmation", "p2.331007@example.lg.jp"),
        ("confirmation", "p1.350001@example.lg.jp"),
    ]


async def test_one_municipality_sent_twice_among_those_waiting_is_registered_once() -> None:
    _, accesses = await open_session()
    access = accesses["330001"]
    sent = delegation(person(1, "330001"))
    first, repeated = await queued_during_a_turn(
        access.session.id, register(access, sent), register(access, sent)
    )
    assert repeated == first_registrations.Registered(first.id, replayed=True)
    assert await Registration.count() == 1
    assert await mail_kinds() == [("confirmation", "p1.330001@example.lg.jp")]


@pytest.mark.parametrize(
    ("attendees", "field"),
    [
        ((person(1), person(2), person(3), person(4)), "attendees"),
        ((person(1, email="not-an-address"),), "attendees[0].email"),
        ((person(1, email="山田@example.lg.jp"),), "attendees[0].email"),
        ((person(1, email="yamada@example..jp"),), "attendees[0].email"),
        ((person(1, name="  "),), "attendees[0].name"),
        ((person(1, name="名" * 101),), "attendees[0].name"),
        ((person(1, position="president"),), "attendees[0].position"),
        ((person(1), person(1)), "attendees[1].email"),
        ((person(1, topic_preferences=(999999,)),), "attendees[0].topic_preferences"),
        ((), "attendees"),
    ],
)
async def test_bad_delegation_is_refused_with_nothing_written(
    attendees: tuple[AttendeeInput, ...], field: str
) -> None:
    _, accesses = await open_session()
    with pytest.raises(ValidationError) as raised:
        await register(accesses["330001"], delegation(*attendees))
    assert field in [problem.field for problem in raised.value.problems]
    assert (await Registration.count(), await Attendee.count(), await OutboxMessage.count()) == (
        0,
        0,
        0,
    )


async def test_japanese_domain_is_stored_in_its_ascii_form(smtp_server: SmtpServer) -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1, email="Yamada@例え.jp")))

    assert await Attendee.select(Attendee.email) == [{"email": "yamada@xn--r8jz45g.jp"}]
    await smtp_server.deliver()
    assert [received.rcpt_tos for received in smtp_server.received] == [("yamada@xn--r8jz45g.jp",)]


async def test_unknown_plan_status_is_refused() -> None:
    _, accesses = await open_session()
    with pytest.raises(ValidationError):
        await register(accesses["330001"], delegation(person(1), plan_status="done"))


async def test_changes_after_the_deadline_are_refused_but_organizer_may_edit() -> None:
    _, accesses = await open_session()
    access = accesses["330001"]
    await register(access, delegation(person(1)))
    after_deadline = access.session.registration_deadline + dt.timedelta(minutes=1)
    with pytest.raises(ConflictError):
        await update(access, delegation(person(2)), now=after_deadline)
    with pytest.raises(ConflictError):
        await register(accesses["331007"], delegation(person(3)), now=after_deadline)
    await update(
        access,
        delegation(person(2)),
        actor=Actor("organizer:1", is_organizer=True),
        now=after_deadline,
    )
    assert [
        email for email, status in await statuses(access.session.id) if status != "cancelled"
    ] == ["p2.x@example.lg.jp"]


async def test_closed_registration_refuses_coordinators() -> None:
    organizer, accesses = await open_session()
    await apply(organizer, accesses["330001"].session.id, Transition.CLOSE_REGISTRATION)
    with pytest.raises(ConflictError):
        await register(accesses["330001"], delegation(person(1)))


async def test_updating_without_a_registration_is_not_found() -> None:
    _, accesses = await open_session()
    with pytest.raises(NotFoundError):
        await update(accesses["330001"], delegation(person(1)))


async def test_registering_again_after_cancelling_reuses_the_registration() -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1)))
    await cancel(accesses["330001"])
    await register(accesses["330001"], delegation(person(2)))
    assert await Registration.count() == 1
    assert (await Registration.select(Registration.status).first()) == {"status": "confirmed"}


async def registered_at_once(capacity: int, count: int) -> int:
    """`count` municipalities register one person each at once; the session's id."""
    codes = tuple(
        record.code for record in read_data_file() if record.code.startswith(("31", "32", "33"))
    )[:count]
    _, accesses = await open_session(capacity=capacity, limit=1, codes=codes)
    results = await asyncio.gather(
        *(register(accesses[code], delegation(person(1, code))) for code in codes),
        return_exceptions=True,
    )
    assert [r for r in results if isinstance(r, BaseException)] == []
    return accesses[codes[0]].session.id


async def test_concurrent_registrations_never_exceed_capacity() -> None:
    """60 municipalities register at once for 20 places: 20 confirmed, 40 waiting in order."""
    capacity, count = 20, 60
    session_id = await registered_at_once(capacity, count)
    rows = await Attendee.select(Attendee.status, Attendee.id).where(
        Attendee.exchange_session == session_id
    )
    confirmed = [row["id"] for row in rows if row["status"] == R.CONFIRMED]
    waiting = [row["id"] for row in rows if row["status"] == R.WAITLISTED]
    assert len(confirmed) == capacity
    assert len(waiting) == count - capacity
    # Everyone waiting registered after everyone who got a place: nobody jumped the queue.
    assert max(confirmed) < min(waiting)


async def test_registrations_waiting_for_their_session_hold_up_no_other_write() -> None:
    """They wait before their transaction: no connection of the pool and no write lock is
    taken while they wait, so a change elsewhere goes through at once."""
    codes = ("330001", "331007", "341002")
    _, accesses = await open_session(codes=codes)
    session_id = accesses[codes[0]].session.id
    async with one_at_a_time(session_id):  # as a registration in progress would
        waiting = [
            asyncio.create_task(register(accesses[code], delegation(person(1, code))))
            for code in codes
        ]
        await asyncio.sleep(0.2)
        assert not any(task.done() for task in waiting)
        db = engine()
        if isinstance(db, PostgresEngine) and db.pool is not None:
            assert db.pool.get_idle_size() == db.pool.get_size()
        await asyncio.wait_for(make_organizer("elsewhere@example.jp"), timeout=2)
    await asyncio.gather(*waiting)
    assert await Registration.count().where(Registration.exchange_session == session_id) == 3


async def test_raising_capacity_promotes_the_waitlist() -> None:
    organizer, accesses = await open_session(capacity=1)
    await register(accesses["330001"], delegation(person(1, "a")))
    await register(accesses["331007"], delegation(person(1, "b")))
    session_id = accesses["330001"].session.id
    await update_session(organizer, session_id, {"capacity": 5})
    assert (await get_session(session_id)).capacity == 5
    assert await statuses(session_id) == [
        ("p1.a@example.lg.jp", "confirmed"),
        ("p1.b@example.lg.jp", "confirmed"),
    ]
    assert (await mail_kinds())[-1] == ("promoted", "p1.b@example.lg.jp")


async def test_a_new_registration_answers_with_the_delegation_as_stored() -> None:
    """What register hands back for the answer is what reading the delegation gives."""
    _, accesses = await open_session(capacity=3)
    await register(accesses["331007"], delegation(person(1, "b")))
    access = accesses["330001"]
    hr, kpi = discussion_ids(access.session)
    item, _ = access.session.sharing_items[0]
    people = (
        person(1, topic_preferences=(kpi, hr), share_contact=True),
        person(2, is_digital_department=True),
        person(3, topic_preferences=(hr,)),
    )
    wanted = dataclasses.replace(
        delegation(*people, answers={item: "令和5年に策定"}), report_consent=True
    )
    registered = await register(access, wanted)
    assert registered.written is not None
    assert [person.waitlist_position for person in registered.written.attendees] == [None, None, 1]
    assert registered.written == await stored_delegation(access.session.id, "330001")


async def test_registering_again_after_a_cancellation_is_answered_by_reading_it_back() -> None:
    """The row registered before is reused, with the people taken off then: those are read."""
    _, accesses = await open_session()
    access = accesses["330001"]
    await register(access, delegation(person(1)))
    await cancel(access)
    registered = await register(access, delegation(person(2)))
    assert registered.written is None
    assert [p.email for p in (await stored_delegation(access.session.id, "330001")).removed] == [
        person(1).email
    ]
