"""Deciding a date poll: the session gets the date, municipalities hear it, bad choices refused."""

from __future__ import annotations

import datetime as dt

import pytest

from events.date_polls.answers import access_by_token, answer
from events.date_polls.polls import remind
from events.date_polls.queries import PollView, get_poll, recipients_of
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError
from events.organizing.date_poll_decision import decide
from events.organizing.session_actions import transition
from events.registrations.registrations import register
from events.sessions.exchange_sessions import get_session
from events.sessions.lifecycle import Transition
from events.tables import DatePoll, DatePollSlot, ExchangeSession, OutboxMessage
from tests.factories import (
    contact_of,
    delegation,
    make_organizer,
    make_poll,
    make_session,
    open_session,
    person,
    poll_slots,
)

NOTE = "代わりの方にご参加いただけます"


async def answered(poll: PollView, **by_code: tuple[str, ...]) -> None:
    """Answer for each municipality given as code_<code>=(mark per slot)."""
    for recipient in await recipients_of(poll.id):
        values = by_code.get(f"code_{recipient.code}")
        if values is not None:
            access = await access_by_token(recipient.link.rsplit("/", 1)[1])
            await answer(access, {str(s.id): v for s, v in zip(poll.slots, values, strict=True)})


async def decision_mails() -> list[tuple[str, str, bool]]:
    rows = await (
        OutboxMessage.select(
            OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.text_body
        )
        .where(OutboxMessage.kind == "date_poll_decision")
        .order_by(OutboxMessage.id)
    )
    return [(row["recipient"], row["subject"], NOTE in row["text_body"]) for row in rows]


async def poll_state(poll_id: int) -> tuple[str, int | None, list[bool]]:
    poll = await get_poll(poll_id)
    return poll.status, poll.session_id, [slot.chosen for slot in poll.slots]


async def test_decision_without_a_session_creates_a_draft_in_the_series() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    chosen = poll.slots[1]
    session, _ = await decide(organizer, poll.id, chosen.id)
    assert (session.title, session.series_id, session.region, session.status) == (
        "第4回 情報交換会の日程調整",
        poll.series_id,
        "chushikoku",
        "draft",
    )
    assert (session.starts_at, session.ends_at, session.sequence) == (
        chosen.starts_at,
        chosen.ends_at,
        0,
    )
    assert session.registration_deadline == chosen.starts_at - dt.timedelta(days=7)
    assert (session.capacity, session.per_municipality_limit) == (30, 3)
    assert await poll_state(poll.id) == ("decided", session.id, [False, True, False])


async def test_decision_moves_the_linked_session_and_bumps_its_sequence() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    poll = await make_poll(
        organizer, series_id=session.series_id, session_id=session.id, slots=poll_slots(2, 60)
    )
    chosen = poll.slots[0]
    moved, _ = await decide(organizer, poll.id, chosen.id)
    assert moved.id == session.id
    assert (moved.starts_at, moved.ends_at) == (chosen.starts_at, chosen.ends_at)
    assert moved.sequence == session.sequence + 1
    assert moved.registration_deadline == session.registration_deadline + (
        chosen.starts_at - session.starts_at
    )
    assert await ExchangeSession.count() == 1
    assert await poll_state(poll.id) == ("decided", session.id, [True, False])


async def test_moving_a_session_sends_its_participants_a_calendar_update() -> None:
    organizer, accesses = await open_session(codes=("330001",))
    await register(accesses["330001"], delegation(person(1, "330001")))
    session_id = accesses["330001"].session.id
    series_id = accesses["330001"].session.series_id
    poll = await make_poll(
        organizer, series_id=series_id, session_id=session_id, slots=poll_slots(2, 60)
    )
    await decide(organizer, poll.id, poll.slots[1].id)
    rows = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.calendar_method).where(
        OutboxMessage.kind == "update"
    )
    assert rows == [{"recipient": "p1.330001@example.lg.jp", "calendar_method": "REQUEST"}]
    assert (await get_session(session_id)).sequence == 1


async def test_every_municipality_that_answered_hears_the_date_and_no_gets_a_gentle_note() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(2))
    await answered(poll, code_330001=("○", "×"), code_331007=("×", "○"))
    await decide(organizer, poll.id, poll.slots[0].id)
    day = poll.slots[0].starts_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    subject = f"【日程決定】第4回 情報交換会の日程調整（{day.year}年{day.month}月{day.day}日"
    found = await decision_mails()
    assert [(to, note) for to, _, note in found] == [
        (contact_of("330001"), False),
        (contact_of("331007"), True),
    ]
    assert all(title.startswith(subject) for _, title, _ in found)


async def test_decision_closes_answers_and_drops_waiting_reminders() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    await remind(organizer, poll.id)
    await decide(organizer, poll.id, poll.slots[0].id)
    statuses = await OutboxMessage.select(OutboxMessage.status).where(
        OutboxMessage.kind == "date_poll_reminder"
    )
    assert {row["status"] for row in statuses} == {"cancelled"}
    recipient = (await recipients_of(poll.id))[0]
    with pytest.raises(ConflictError):
        await answer(
            await access_by_token(recipient.link.rsplit("/", 1)[1]),
            {str(s.id): "○" for s in poll.slots},
        )


async def nothing_decided(poll_id: int) -> None:
    assert await poll_state(poll_id) == ("open", None, [False, False, False])
    assert await ExchangeSession.count() == 0
    assert await decision_mails() == []


async def test_deciding_a_slot_never_proposed_is_refused_and_nothing_changes() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    other = await make_poll(organizer)
    for slot_id in (other.slots[0].id, 999_999):
        with pytest.raises(NotFoundError) as refused:
            await decide(organizer, poll.id, slot_id)
        assert str(refused.value) == f"候補日時 {slot_id} はこの日程調整にありません。"
    await nothing_decided(poll.id)


async def test_deciding_twice_is_refused() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    await decide(organizer, poll.id, poll.slots[0].id)
    with pytest.raises(ConflictError) as refused:
        await decide(organizer, poll.id, poll.slots[1].id)
    assert str(refused.value) == "この日程調整はすでに日程が決まっています。"
    assert await ExchangeSession.count() == 1
    assert [
        row["chosen"] for row in await DatePollSlot.select().order_by(DatePollSlot.starts_at)
    ] == [
        True,
        False,
        False,
    ]


async def test_deciding_a_slot_that_has_passed_is_refused() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    later = poll.slots[0].starts_at + dt.timedelta(minutes=1)
    with pytest.raises(ConflictError) as refused:
        await decide(organizer, poll.id, poll.slots[0].id, now=later)
    assert str(refused.value) == "この候補日時はすでに過ぎています。"
    await nothing_decided(poll.id)


async def test_other_organizer_cannot_decide() -> None:
    poll = await make_poll()
    with pytest.raises(ForbiddenError):
        await decide(await make_organizer(), poll.id, poll.slots[0].id)
    await nothing_decided(poll.id)


async def test_unknown_poll_is_not_found() -> None:
    with pytest.raises(NotFoundError) as refused:
        await decide(await make_organizer(), 404, 1)
    assert str(refused.value) == "日程調整が見つかりません。"


async def test_cancelled_linked_session_cannot_be_moved_and_nothing_changes() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    poll = await make_poll(organizer, series_id=session.series_id, session_id=session.id)
    await answered(poll, code_330001=("○", "○", "○"))
    await transition(organizer, session.id, Transition.CANCEL, reason="中止")
    with pytest.raises(ConflictError) as refused:
        await decide(organizer, poll.id, poll.slots[0].id)
    assert str(refused.value) == "開催済み・中止済みの情報交換会は編集できません。"
    assert await poll_state(poll.id) == ("open", session.id, [False, False, False])
    assert (await get_session(session.id)).starts_at == session.starts_at
    assert await decision_mails() == []
    stored = await DatePoll.select(DatePoll.closed_at).first()
    assert stored is not None and stored["closed_at"] is None


async def test_draft_deadline_is_never_before_the_decision() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(1, days_ahead=3))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    session, _ = await decide(organizer, poll.id, poll.slots[0].id, now=now)
    assert session.registration_deadline == now
