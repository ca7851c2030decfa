"""Answering a date poll by a municipality's link: marks, comment, editing, and every refusal."""

from __future__ import annotations

import pytest

from events.date_polls.answers import PollAccess, access_by_token, answer
from events.date_polls.polls import close_poll
from events.date_polls.queries import PollView, recipients_of
from events.enums import PollMark
from events.lib.errors import ConflictError, DomainError, NotFoundError, ValidationError
from events.lib.formatting import format_period
from events.tables import AuditEntry, DatePollAnswer, DatePollRecipient
from tests.factories import make_organizer, make_poll

INVALID = (
    "このリンクは無効です。日程調整のメールのリンクをもう一度ご確認いただくか、"
    "主催者にお問い合わせください。"
)


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


async def accesses(poll: PollView) -> dict[str, PollAccess]:
    return {
        recipient.code: await access_by_token(token_of(recipient.link))
        for recipient in await recipients_of(poll.id)
    }


def marks(poll: PollView, *values: str) -> dict[str, str]:
    return {str(slot.id): value for slot, value in zip(poll.slots, values, strict=True)}


async def stored_answers(poll: PollView) -> dict[str, tuple[tuple[str, ...], str]]:
    """Per municipality: its marks in slot order and its comment (answered ones only)."""
    return {
        r.code: (tuple(r.answers[s.id].value for s in poll.slots), r.comment)
        for r in await recipients_of(poll.id)
        if r.has_answered
    }


def messages(error: DomainError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message % dict(p.params)) for p in error.problems]


async def test_answer_stores_one_mark_per_slot_and_the_comment() -> None:
    poll = await make_poll()
    access = (await accesses(poll))["330001"]
    after = await answer(access, marks(poll, "○", "△", "×"), "  午後なら参加できます。 ")
    assert after.recipient.answers == {
        poll.slots[0].id: PollMark.YES,
        poll.slots[1].id: PollMark.MAYBE,
        poll.slots[2].id: PollMark.NO,
    }
    assert (after.recipient.comment, after.recipient.has_answered) == (
        "午後なら参加できます。",
        True,
    )
    assert await stored_answers(poll) == {
        "330001": (("yes", "maybe", "no"), "午後なら参加できます。")
    }


async def test_answer_accepts_yes_maybe_no() -> None:
    poll = await make_poll()
    await answer((await accesses(poll))["331007"], marks(poll, "no", "maybe", "yes"))
    assert await stored_answers(poll) == {"331007": (("no", "maybe", "yes"), "")}


async def test_editing_replaces_the_answer_set() -> None:
    poll = await make_poll()
    access = (await accesses(poll))["330001"]
    await answer(access, marks(poll, "○", "○", "○"), "最初の回答")
    await answer(access, marks(poll, "×", "△", "○"), "")
    assert await stored_answers(poll) == {"330001": (("no", "maybe", "yes"), "")}
    assert await DatePollAnswer.count() == 3
    assert await AuditEntry.count().where(AuditEntry.action == "date_poll_answered") == 2


async def test_token_of_one_municipality_changes_only_its_own_answers() -> None:
    poll = await make_poll()
    links = await accesses(poll)
    await answer(links["331007"], marks(poll, "○", "○", "○"), "岡山市")
    await answer(links["330001"], marks(poll, "×", "×", "×"), "岡山県")
    assert await stored_answers(poll) == {
        "330001": (("no", "no", "no"), "岡山県"),
        "331007": (("yes", "yes", "yes"), "岡山市"),
    }


async def test_answer_after_close_is_refused_and_nothing_changes() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    access = (await accesses(poll))["330001"]
    await answer(access, marks(poll, "○", "○", "○"))
    await close_poll(organizer, poll.id)
    with pytest.raises(ConflictError) as refused:
        await answer(access, marks(poll, "×", "×", "×"), "変更")
    assert str(refused.value) == "この日程調整は締め切られました。回答の送信・変更はできません。"
    assert await stored_answers(poll) == {"330001": (("yes", "yes", "yes"), "")}


async def test_unknown_slot_is_refused_and_nothing_changes() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    other = await make_poll(organizer)
    access = (await accesses(poll))["330001"]
    foreign = {**marks(poll, "○", "○", "○"), str(other.slots[0].id): "○", "abc": "○"}
    with pytest.raises(ValidationError) as refused:
        await answer(access, foreign)
    assert messages(refused.value) == [
        ("answers", f"候補日時 {other.slots[0].id} はこの日程調整にありません。"),
        ("answers", "候補日時 abc はこの日程調整にありません。"),
    ]
    assert await DatePollAnswer.count() == 0


@pytest.mark.parametrize("mark", ["◎", "OK", "1", "○△", "Yes"])
async def test_mark_other_than_the_three_is_refused(mark: str) -> None:
    poll = await make_poll()
    with pytest.raises(ValidationError) as refused:
        await answer((await accesses(poll))["330001"], marks(poll, "○", mark, "×"))
    slot = poll.slots[1]
    assert messages(refused.value) == [
        (
            f"slot-{slot.id}",
            f"{format_period(slot.starts_at, slot.ends_at)} の回答「{mark}」は使えません。"
            "○・△・×（yes・maybe・no）のいずれかにしてください。",
        )
    ]
    assert await DatePollAnswer.count() == 0
    assert await DatePollRecipient.count().where(DatePollRecipient.answered_at.is_not_null()) == 0


async def test_every_slot_needs_a_mark() -> None:
    poll = await make_poll()
    partial = {str(poll.slots[0].id): "○"}
    with pytest.raises(ValidationError) as refused:
        await answer((await accesses(poll))["330001"], partial)
    assert [field for field, _ in messages(refused.value)] == [
        f"slot-{poll.slots[1].id}",
        f"slot-{poll.slots[2].id}",
    ]
    first_missing = poll.slots[1]
    assert messages(refused.value)[0][1] == (
        f"{format_period(first_missing.starts_at, first_missing.ends_at)} の回答を選んでください。"
    )
    assert await DatePollAnswer.count() == 0


async def test_too_long_comment_is_refused() -> None:
    poll = await make_poll()
    with pytest.raises(ValidationError) as refused:
        await answer((await accesses(poll))["330001"], marks(poll, "○", "○", "○"), "あ" * 1001)
    assert messages(refused.value) == [("comment", "コメントは1000文字以内にしてください。")]
    assert await DatePollAnswer.count() == 0


async def test_comment_is_stored_as_typed() -> None:
    poll = await make_poll()
    html = '<script>alert("x")</script> & =SUM(A1)'
    after = await answer((await accesses(poll))["330001"], marks(poll, "○", "○", "○"), html)
    assert after.recipient.comment == html


async def test_token_of_another_poll_is_refused_like_any_bad_token() -> None:
    organizer = await make_organizer()
    poll_a = await make_poll(organizer)
    poll_b = await make_poll(organizer)
    token_a = token_of((await recipients_of(poll_a.id))[0].link)
    assert (await access_by_token(token_a, poll_a.id)).poll.id == poll_a.id
    with pytest.raises(NotFoundError) as refused:
        await access_by_token(token_a, poll_b.id)
    assert str(refused.value) == INVALID


@pytest.mark.parametrize(
    "token", ["", "short", "x" * 32, "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6", "../../etc/passwd"]
)
async def test_bad_tokens_all_get_the_same_answer(token: str) -> None:
    await make_poll()
    with pytest.raises(NotFoundError) as refused:
        await access_by_token(token)
    assert str(refused.value) == INVALID
