"""Mail about new board answers: daily digests (one per person and day), immediate mail, opt-out."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.message import Message

import pytest

from events.board.access import member_by_token
from events.board.mail import build_digests, set_mode, subscription, unsubscribe
from events.board.posts import QuestionInput, answer, ask
from events.enums import BoardMailMode
from events.lib.formatting import TOKYO
from events.lib.settings import load_settings
from events.lib.tokens import LinkKind, link_token
from events.mail.building import to_email
from events.tables import OutboxMessage
from tests.factories import BOARD_CODES, BoardWorld, board_world

OKAYAMA, OKAYAMA_CITY, HIROSHIMA_CITY = BOARD_CODES
DAY = dt.date(2030, 11, 5)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO).astimezone(dt.UTC)


@pytest.fixture
async def world() -> BoardWorld:
    return await board_world()


async def board_mails(kind: str) -> dict[str, list[dict[str, object]]]:
    rows = await OutboxMessage.select().where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    found: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        found.setdefault(row["recipient"], []).append(row)
    return found


async def thread(world: BoardWorld) -> int:
    """岡山県岡山市 asks; 岡山県 answers at 10:00, 広島県広島市 at 23:00 on DAY; 岡山県 again on
    DAY+1."""
    asker = await member_by_token(world.tokens[OKAYAMA_CITY])
    first = await member_by_token(world.tokens[OKAYAMA])
    second = await member_by_token(world.tokens[HIROSHIMA_CITY])
    question_id = await ask(
        asker,
        QuestionInput(title="受講歴の共有", body="教えてください"),
        now=at(DAY - dt.timedelta(days=1), 9),
    )
    await answer(first, question_id, "岡山県の回答です", now=at(DAY, 10))
    await answer(second, question_id, "広島県広島市の回答です", now=at(DAY, 23))
    await answer(first, question_id, "岡山県の追記です", now=at(DAY + dt.timedelta(days=1), 0))
    return question_id


def email_of(world: BoardWorld, code: str) -> str:
    return str(world.people[code]["email"])


async def test_digest_is_one_mail_per_person_per_day_listing_each_answer_once(
    world: BoardWorld,
) -> None:
    question_id = await thread(world)
    assert await board_mails("board_answer") == {}  # digest is the default
    assert await build_digests(DAY) == 2
    mails = await board_mails("board_digest")
    asker, first = email_of(world, OKAYAMA_CITY), email_of(world, OKAYAMA)
    assert sorted(mails) == sorted([asker, first])
    [to_asker] = mails[asker]
    text = str(to_asker["text_body"])
    assert to_asker["subject"] == "【相談ボード】2030年11月5日(火)の新しい回答（2件）"
    assert text.count("岡山県の回答です") == 1 and text.count("広島県広島市の回答です") == 1
    assert "岡山県の追記です" not in text  # the next day, in Japan time
    assert "回答者: 岡山県 デジタル推進課 参加者330001の1" in text
    assert "回答者: 広島県広島市 デジタル推進課\n" in text
    link = f"http://tsunagu.test/a/{world.tokens[OKAYAMA_CITY]}/board/questions/{question_id}"
    assert f"続きを読む: {link}" in text
    [to_first] = mails[first]
    assert "広島県広島市の回答です" in str(to_first["text_body"])
    assert "岡山県の回答です" not in str(to_first["text_body"])  # never one's own answer
    assert await build_digests(DAY) == 0  # idempotent
    assert await build_digests(DAY + dt.timedelta(days=1)) == 2
    assert sorted(await board_mails("board_digest")) == sorted(
        [asker, first, email_of(world, HIROSHIMA_CITY)]
    )


async def test_immediate_mail_goes_out_with_the_answer_and_skips_the_digest(
    world: BoardWorld,
) -> None:
    asker = email_of(world, OKAYAMA_CITY)
    await set_mode(asker, BoardMailMode.IMMEDIATE)
    await thread(world)
    immediate = await board_mails("board_answer")
    assert list(immediate) == [asker]
    assert len(immediate[asker]) == 3
    assert immediate[asker][0]["subject"] == "【相談ボード】「受講歴の共有」に回答がありました"
    await answer(
        await member_by_token(world.tokens[HIROSHIMA_CITY]), 1, "<b>太字</b> & https://a.jp/"
    )
    latest = (await board_mails("board_answer"))[asker][-1]
    assert "&lt;b&gt;太字&lt;/b&gt; &amp; https://a.jp/" in str(latest["html_body"])
    assert "<b>太字</b> & https://a.jp/" in str(latest["text_body"])
    await build_digests(DAY)
    assert asker not in await board_mails("board_digest")


async def test_unsubscribed_person_gets_no_board_mail_and_header_offers_one_click(
    world: BoardWorld,
) -> None:
    asker = email_of(world, OKAYAMA_CITY)
    await set_mode(asker, BoardMailMode.IMMEDIATE)
    row = await subscription(asker)
    await thread(world)
    [first, *_] = (await board_mails("board_answer"))[asker]
    token = link_token(LinkKind.BOARD_UNSUBSCRIBE, row["link_nonce"])
    unsubscribe_url = f"http://tsunagu.test/board/unsubscribe/{token}"
    assert f"通知の停止（ワンクリック・サインイン不要）: {unsubscribe_url}" in str(
        first["text_body"]
    )
    # The test base URL is http: the header is only offered for https links (RFC 8058).
    assert first["list_unsubscribe"] is None
    https_row = {**first, "list_unsubscribe": "https://tsunagu.example.jp/board/unsubscribe/t"}
    message: Message = message_from_bytes(bytes(to_email(https_row, load_settings())))
    assert message["List-Unsubscribe"] == "<https://tsunagu.example.jp/board/unsubscribe/t>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    await unsubscribe(token)
    before = await OutboxMessage.count()
    await answer(await member_by_token(world.tokens[HIROSHIMA_CITY]), 1, "さらに回答")
    assert await build_digests(DAY) == 1  # 岡山県 only
    assert asker not in await board_mails("board_digest")
    assert await OutboxMessage.count() == before + 1


async def test_hidden_answers_are_not_in_digests(world: BoardWorld) -> None:
    from events.board.moderation import ModerationTarget, moderate
    from events.tables import BoardAnswer

    await thread(world)
    rows = await BoardAnswer.select(BoardAnswer.id).order_by(BoardAnswer.id)
    await moderate(
        world.organizer, world.series_id, ModerationTarget(answer_id=rows[1]["id"]), "hide"
    )
    await build_digests(DAY)
    mails = await board_mails("board_digest")
    assert list(mails) == [email_of(world, OKAYAMA_CITY)]
    assert "広島県広島市の回答です" not in str(mails[email_of(world, OKAYAMA_CITY)][0]["text_body"])


async def test_worker_queues_yesterdays_digests_the_next_morning_in_japan(
    world: BoardWorld,
) -> None:
    from events.worker import OutboxWorker

    await thread(world)
    worker = OutboxWorker()
    next_day = DAY + dt.timedelta(days=1)
    await worker.daily_jobs(at(next_day, 6))
    assert await board_mails("board_digest") == {}
    await worker.daily_jobs(at(next_day, 7))
    assert len(await board_mails("board_digest")) == 2
    await OutboxWorker().daily_jobs(at(next_day, 9))  # another worker, same day
    assert sum(len(m) for m in (await board_mails("board_digest")).values()) == 2
    await worker.close()
