"""Proposing a date poll: slots, municipalities and links, invitation mail, closing, reminders."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import TypedDict, Unpack

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.date_polls.answers import access_by_token, answer
from events.date_polls.checks import PollInput, SlotInput
from events.date_polls.polls import close_poll, create_poll, list_polls, remind
from events.date_polls.queries import recipients_of
from events.invitations.invitations import invite
from events.lib.errors import ConflictError, DomainError, ForbiddenError, ValidationError
from events.lib.formatting import TOKYO, format_period
from events.lib.tokens import hash_token
from events.tables import (
    AuditEntry,
    DatePoll,
    DatePollAnswer,
    DatePollRecipient,
    DatePollSlot,
    OutboxMessage,
)
from tests.factories import (
    POLL_CODES,
    contact_of,
    make_organizer,
    make_poll,
    make_series,
    make_session,
    poll_slots,
)

HOLIDAY = dt.datetime(2030, 11, 4, 14, 0, tzinfo=TOKYO)  # 振替休日 (文化の日 falls on a Sunday)
SATURDAY = dt.datetime(2030, 11, 9, 14, 0, tzinfo=TOKYO)
TWO_HOURS = dt.timedelta(hours=2)


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


async def mails(kind: str | None = None) -> list[tuple[str, str, str]]:
    """(kind, recipient, status) of every outbox row, oldest first."""
    query = OutboxMessage.select(
        OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.status
    ).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return [(row["kind"], row["recipient"], row["status"]) for row in await query]


async def stored_counts() -> tuple[int, int, int, int, int]:
    return (
        await DatePoll.count(),
        await DatePollSlot.count(),
        await DatePollRecipient.count(),
        await DatePollAnswer.count(),
        await OutboxMessage.count(),
    )


class PollFields(TypedDict, total=False):
    """Fields of PollInput that a test replaces."""

    series_id: int
    title: str
    slots: tuple[SlotInput, ...]
    codes: tuple[str, ...]
    contact_emails: Mapping[str, str]
    session_id: int | None


async def poll_input(**overrides: Unpack[PollFields]) -> tuple[OrganizerIdentity, PollInput]:
    organizer = await make_organizer()
    series = await make_series(organizer)
    data = PollInput(
        series_id=series["id"],
        title="第4回 情報交換会の日程調整",
        slots=poll_slots(),
        codes=POLL_CODES,
        contact_emails={code: contact_of(code) for code in POLL_CODES},
    )
    return organizer, dataclasses.replace(data, **overrides)


def fields_and_messages(error: DomainError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message % dict(p.params)) for p in error.problems]


async def test_poll_is_open_with_slots_in_time_order_and_a_link_per_municipality() -> None:
    slots = poll_slots(3)
    organizer, data = await poll_input(slots=tuple(reversed(slots)))
    poll, warnings = await create_poll(organizer, data)
    assert (poll.title, poll.status, poll.session_id) == (
        "第4回 情報交換会の日程調整",
        "open",
        None,
    )
    assert [(s.starts_at, s.ends_at) for s in poll.slots] == [
        (s.starts_at, s.ends_at) for s in slots
    ]
    assert warnings == []
    recipients = await recipients_of(poll.id)
    assert [(r.code, r.name, r.contact_email, r.has_answered) for r in recipients] == [
        ("330001", "岡山県", "kikaku.330001@example.lg.jp", False),
        ("331007", "岡山県岡山市", "kikaku.331007@example.lg.jp", False),
        ("341002", "広島県広島市", "kikaku.341002@example.lg.jp", False),
    ]
    assert all(r.link.startswith("http://tsunagu.test/p/") for r in recipients)
    stored = {row["token_hash"] for row in await DatePollRecipient.select()}
    assert stored == {hash_token(token_of(r.link)) for r in recipients}
    access = await access_by_token(token_of(recipients[1].link))
    assert (access.poll.id, access.recipient.code) == (poll.id, "331007")


async def test_invitation_mail_lists_every_slot_and_the_own_link_in_plain_text() -> None:
    poll = await make_poll()
    assert await mails() == [
        ("date_poll_invitation", contact_of(code), "pending") for code in POLL_CODES
    ]
    okayama = (await recipients_of(poll.id))[0]
    row = await OutboxMessage.select().order_by(OutboxMessage.id).first()
    assert row is not None
    assert row["subject"] == "【日程調整のお願い】第4回 情報交換会の日程調整"
    assert row["reply_to"] == poll.organizer_email
    assert row["topic_key"] == f"date_poll:{poll.id}"
    text = row["text_body"]
    assert text.startswith("岡山県 ご担当者様\n")
    for number, slot in enumerate(poll.slots, start=1):
        assert f"{number}. {format_period(slot.starts_at, slot.ends_at)}\n" in text
    assert f"\n{okayama.link}\n" in text
    assert okayama.link in row["html_body"]


async def test_default_recipients_are_every_municipality_of_the_series_region() -> None:
    organizer, data = await poll_input(codes=(), contact_emails={})
    poll, _ = await create_poll(organizer, data)
    recipients = await recipients_of(poll.id)
    assert len(recipients) == 9 + 107 + 95  # 中四国: 中国 5 + 107, 四国 4 + 95
    assert recipients[0].code == "310000"
    assert await mails() == []  # nobody has an address yet: the organizer hands out the links


async def test_municipality_without_address_gets_a_link_but_no_mail() -> None:
    poll = await make_poll(contact_emails={"330001": contact_of("330001")})
    assert await mails() == [("date_poll_invitation", contact_of("330001"), "pending")]
    assert [r.contact_email for r in await recipients_of(poll.id)] == [contact_of("330001"), "", ""]


async def test_contact_given_in_an_invitation_of_the_series_is_used() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(organizer, session.id, ["331007"], {"331007": "dx@city.okayama.example.jp"})
    poll = await make_poll(organizer, series_id=session.series_id, contact_emails={})
    assert [r.contact_email for r in await recipients_of(poll.id)] == [
        "",
        "dx@city.okayama.example.jp",
        "",
    ]
    assert await mails() == [("date_poll_invitation", "dx@city.okayama.example.jp", "pending")]


async def test_holiday_and_weekend_slots_are_flagged_when_proposed() -> None:
    organizer, data = await poll_input(
        slots=(SlotInput(HOLIDAY, HOLIDAY + TWO_HOURS), SlotInput(SATURDAY, SATURDAY + TWO_HOURS))
    )
    poll, warnings = await create_poll(organizer, data)
    assert [(w.message, dict(w.params)) for w in warnings] == [
        ("%(day)s は祝日（%(name)s）です。", {"day": "2030年11月4日(月)", "name": "振替休日"}),
        ("%(day)s は土日です。", {"day": "2030年11月9日(土)"}),
    ]
    assert [(s.holiday, s.is_weekend, s.day_note) for s in poll.slots] == [
        ("振替休日", False, "祝日: 振替休日"),
        (None, True, "土日"),
    ]
    row = await OutboxMessage.select().first()
    assert row is not None
    text = row["text_body"]
    assert "1. 2030年11月4日(月) 14:00〜16:00（祝日: 振替休日）\n" in text
    assert "2. 2030年11月9日(土) 14:00〜16:00（土日）\n" in text


async def test_poll_without_slots_is_refused_and_nothing_stored() -> None:
    organizer, data = await poll_input(slots=())
    with pytest.raises(ValidationError) as refused:
        await create_poll(organizer, data)
    assert fields_and_messages(refused.value) == [("slots", "候補日時を1つ以上入力してください。")]
    assert await stored_counts() == (0, 0, 0, 0, 0)


def _at(days: int, hour: int = 14) -> dt.datetime:
    return dt.datetime.now(TOKYO).replace(hour=hour, minute=0, second=0, microsecond=0) + (
        dt.timedelta(days=days)
    )


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        (
            (SlotInput(_at(-1), _at(-1) + TWO_HOURS),),
            [("slots.0", "候補1（{period}）は過去の日時です。")],
        ),
        (
            (SlotInput(_at(30), _at(30)),),
            [("slots.0", "候補1の終了時刻は開始時刻より後にしてください。")],
        ),
        (
            (SlotInput(_at(30), _at(30) + TWO_HOURS), SlotInput(_at(30), _at(30) + TWO_HOURS)),
            [("slots.1", "候補2は候補1と同じ日時です。")],
        ),
        (
            (SlotInput(_at(30).replace(tzinfo=None), _at(30).replace(tzinfo=None)),),
            [("slots.0", "候補1の日時にはタイムゾーン（例: +09:00）を付けてください。")],
        ),
    ],
    ids=["past", "empty", "duplicate", "naive"],
)
async def test_bad_slot_is_refused_and_nothing_stored(
    slots: tuple[SlotInput, ...], expected: list[tuple[str, str]]
) -> None:
    organizer, data = await poll_input(slots=slots)
    with pytest.raises(ValidationError) as refused:
        await create_poll(organizer, data)
    period = (
        format_period(slots[0].starts_at, slots[0].ends_at) if slots[0].starts_at.tzinfo else ""
    )
    assert fields_and_messages(refused.value) == [
        (field, message.format(period=period)) for field, message in expected
    ]
    assert await stored_counts() == (0, 0, 0, 0, 0)


async def test_too_many_slots_are_refused() -> None:
    organizer, data = await poll_input(slots=poll_slots(31))
    with pytest.raises(ValidationError) as refused:
        await create_poll(organizer, data)
    assert fields_and_messages(refused.value) == [("slots", "候補日時は30件までにしてください。")]


async def test_unknown_code_bad_address_and_empty_title_are_refused_together() -> None:
    organizer, data = await poll_input(
        title=" ",
        codes=("330001", "330002", "999999"),
        contact_emails={"330001": "not an address"},
    )
    with pytest.raises(ValidationError) as refused:
        await create_poll(organizer, data)
    assert fields_and_messages(refused.value) == [
        ("title", "タイトルを入力してください。"),
        ("contact_emails", "330001 の連絡先メールアドレスの形式が正しくありません。"),
        ("codes", "団体コード 330002 の自治体はありません。"),
        ("codes", "団体コード 999999 の自治体はありません。"),
    ]
    assert await stored_counts() == (0, 0, 0, 0, 0)


async def test_poll_in_another_organizers_series_is_forbidden() -> None:
    _, data = await poll_input()
    with pytest.raises(ForbiddenError):
        await create_poll(await make_organizer(), data)
    assert await stored_counts() == (0, 0, 0, 0, 0)


async def test_admin_may_create_a_poll_in_any_series() -> None:
    _, data = await poll_input()
    poll, _ = await create_poll(await make_organizer(admin=True), data)
    assert poll.series_id == data.series_id


async def test_session_of_another_series_is_refused() -> None:
    organizer, data = await poll_input()
    other = await make_session(organizer)
    with pytest.raises(ValidationError) as refused:
        await create_poll(organizer, dataclasses.replace(data, session_id=other.id))
    assert fields_and_messages(refused.value) == [
        ("session", "日程を決める情報交換会は同じシリーズから選んでください。")
    ]
    assert await stored_counts() == (0, 0, 0, 0, 0)


async def test_creation_is_audited() -> None:
    poll = await make_poll()
    row = await AuditEntry.select().where(AuditEntry.action == "date_poll_created").first()
    assert row is not None
    assert json.loads(row["details"]) == {"codes": 3, "poll": poll.id, "slots": 3}


async def test_closing_stops_the_poll_once() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    closed = await close_poll(organizer, poll.id)
    assert (closed.status, closed.is_open, closed.closed_at is not None) == ("closed", False, True)
    with pytest.raises(ConflictError) as refused:
        await close_poll(organizer, poll.id)
    assert str(refused.value) == "締め切れるのは回答受付中の日程調整だけです。"


async def test_other_organizer_cannot_close_or_remind() -> None:
    poll = await make_poll()
    stranger = await make_organizer()
    with pytest.raises(ForbiddenError):
        await close_poll(stranger, poll.id)
    with pytest.raises(ForbiddenError):
        await remind(stranger, poll.id)
    stored = await DatePoll.select(DatePoll.status).first()
    assert stored is not None and stored["status"] == "open"
    assert len(await mails("date_poll_reminder")) == 0


async def test_reminder_goes_only_to_municipalities_that_have_not_answered() -> None:
    organizer = await make_organizer()
    poll = await make_poll(
        organizer, contact_emails={"330001": "a@example.lg.jp", "331007": "b@example.lg.jp"}
    )
    okayama = (await recipients_of(poll.id))[0]
    await answer(
        await access_by_token(token_of(okayama.link)), {str(s.id): "○" for s in poll.slots}
    )
    reminded = await remind(organizer, poll.id)
    assert [r.code for r in reminded] == ["331007"]  # 341002 has no address
    assert await mails("date_poll_reminder") == [
        ("date_poll_reminder", "b@example.lg.jp", "pending")
    ]
    reminder = (
        await OutboxMessage.select(OutboxMessage.text_body)
        .where(OutboxMessage.kind == "date_poll_reminder")
        .first()
    )
    assert reminder is not None
    text = reminder["text_body"]
    assert "まだご回答をいただいていないようです" in text
    assert (await recipients_of(poll.id))[1].link in text


async def test_second_reminder_replaces_the_one_still_waiting() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, codes=("330001",))
    await remind(organizer, poll.id)
    await remind(organizer, poll.id)
    assert await mails("date_poll_reminder") == [
        ("date_poll_reminder", contact_of("330001"), "superseded"),
        ("date_poll_reminder", contact_of("330001"), "pending"),
    ]


async def test_answering_cancels_the_reminder_still_waiting() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, codes=("330001",))
    await remind(organizer, poll.id)
    link = (await recipients_of(poll.id))[0].link
    await answer(await access_by_token(token_of(link)), {str(s.id): "yes" for s in poll.slots})
    assert await mails("date_poll_reminder") == [
        ("date_poll_reminder", contact_of("330001"), "cancelled")
    ]


async def test_closing_cancels_reminders_and_refuses_new_ones() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, codes=("330001",))
    await remind(organizer, poll.id)
    await close_poll(organizer, poll.id)
    assert await mails("date_poll_reminder") == [
        ("date_poll_reminder", contact_of("330001"), "cancelled")
    ]
    with pytest.raises(ConflictError) as refused:
        await remind(organizer, poll.id)
    assert str(refused.value) == "リマインドを送れるのは回答受付中の日程調整だけです。"


async def test_reminder_with_nobody_to_remind_is_refused() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, contact_emails={})
    with pytest.raises(ConflictError) as refused:
        await remind(organizer, poll.id)
    assert str(refused.value) == (
        "リマインドを送る自治体がありません（未回答でメールアドレスのある自治体がありません）。"
    )
    assert await mails() == []


async def test_list_shows_own_polls_newest_first_with_answer_counts() -> None:
    organizer = await make_organizer()
    first = await make_poll(organizer, title="第1回の日程調整")
    second = await make_poll(organizer, title="第2回の日程調整")
    await make_poll(title="他の主催者の日程調整")
    link = (await recipients_of(first.id))[0].link
    await answer(await access_by_token(token_of(link)), {str(s.id): "×" for s in first.slots})
    summaries = await list_polls(organizer)
    assert [(s.poll.id, s.poll.title, s.answered, s.recipients) for s in summaries] == [
        (second.id, "第2回の日程調整", 0, 3),
        (first.id, "第1回の日程調整", 1, 3),
    ]
    assert len(await list_polls(await make_organizer(admin=True))) == 3
