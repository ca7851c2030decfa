"""The result of a date poll: ranking of slots, totals, and the CSV for Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from events.date_polls.answers import access_by_token, answer
from events.date_polls.queries import PollRecipient, PollSlot, PollView, recipients_of
from events.date_polls.results import poll_results, results_table, tally
from events.enums import PollMark
from events.lib.errors import ForbiddenError
from events.lib.formatting import TOKYO, format_moment, format_period
from tests.factories import make_organizer, make_poll, poll_slots

Y, M, N = PollMark.YES, PollMark.MAYBE, PollMark.NO
START = dt.datetime(2030, 12, 9, 14, 0, tzinfo=TOKYO)


def slot(slot_id: int, days: int, hour: int = 14) -> PollSlot:
    starts_at = START + dt.timedelta(days=days, hours=hour - 14)
    return PollSlot(slot_id, starts_at, starts_at + dt.timedelta(hours=2), chosen=False)


def view(*slots: PollSlot) -> PollView:
    now = dt.datetime(2030, 11, 1, tzinfo=dt.UTC)
    return PollView(
        1, 1, "シリーズ", "chushikoku", 1, "事務局", "o@example.jp", "", "日程調整", "open",
        None, now, None, slots,
    )  # fmt: skip


def recipient(code: str, answers: dict[int, PollMark] | None) -> PollRecipient:
    answered = dt.datetime(2030, 11, 2, tzinfo=dt.UTC) if answers is not None else None
    return PollRecipient(1, 1, code, code, "", "nonce", "", answered, answers or {})


def order(poll: PollView, *recipients: PollRecipient) -> list[tuple[int, int, int, int, int]]:
    """(slot id, rank, ○, ×, not answered) best first."""
    return [
        (t.slot.id, t.rank, t.yes, t.no, t.unanswered)
        for t in tally(poll, list(recipients)).tallies
    ]


def test_most_yes_wins() -> None:
    poll = view(slot(1, 0), slot(2, 1))
    assert order(poll, recipient("a", {1: M, 2: Y}), recipient("b", {1: Y, 2: Y})) == [
        (2, 1, 2, 0, 0),
        (1, 2, 1, 0, 0),
    ]


def test_equal_yes_then_fewest_no_wins() -> None:
    poll = view(slot(1, 0), slot(2, 1))
    assert order(poll, recipient("a", {1: Y, 2: Y}), recipient("b", {1: N, 2: M})) == [
        (2, 1, 1, 0, 0),
        (1, 2, 1, 1, 0),
    ]


def test_equal_yes_and_no_then_earliest_wins() -> None:
    poll = view(slot(3, 2), slot(1, 0, hour=16), slot(2, 0))
    a = recipient("a", {1: Y, 2: Y, 3: Y})
    assert order(poll, a) == [(2, 1, 1, 0, 0), (1, 2, 1, 0, 0), (3, 3, 1, 0, 0)]


def test_municipalities_that_did_not_answer_are_counted_apart() -> None:
    poll = view(slot(1, 0))
    assert order(poll, recipient("a", {1: N}), recipient("b", None), recipient("c", None)) == [
        (1, 1, 0, 1, 2)
    ]


async def test_ranking_from_stored_answers_and_who_has_not_answered() -> None:
    organizer = await make_organizer()
    poll = await make_poll(
        organizer, slots=poll_slots(4), codes=("330001", "331007", "341002", "320005")
    )
    links = {r.code: r.link.rsplit("/", 1)[1] for r in await recipients_of(poll.id)}
    s1, s2, s3, s4 = (str(s.id) for s in poll.slots)
    for code, values in (
        ("330001", {s1: "○", s2: "○", s3: "○", s4: "○"}),
        ("331007", {s1: "×", s2: "○", s3: "○", s4: "○"}),
        ("341002", {s1: "×", s2: "×", s3: "△", s4: "△"}),
    ):
        await answer(await access_by_token(links[code]), values)
    results = await poll_results(organizer, poll.id)
    assert [(t.slot.id, t.rank, t.yes, t.maybe, t.no, t.unanswered) for t in results.tallies] == [
        (poll.slots[2].id, 1, 2, 1, 0, 1),
        (poll.slots[3].id, 2, 2, 1, 0, 1),
        (poll.slots[1].id, 3, 2, 0, 1, 1),
        (poll.slots[0].id, 4, 1, 0, 2, 1),
    ]
    assert [r.code for r in results.unanswered] == ["320005"]
    assert [r.code for r in results.remindable] == ["320005"]


async def test_other_organizer_cannot_read_the_result() -> None:
    poll = await make_poll()
    with pytest.raises(ForbiddenError):
        await poll_results(await make_organizer(), poll.id)


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def test_csv_has_a_bom_and_round_trips_the_table() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(2))
    links = [r.link.rsplit("/", 1)[1] for r in await recipients_of(poll.id)]
    first, second = poll.slots
    after = await answer(
        await access_by_token(links[0]),
        {str(first.id): "△", str(second.id): "○"},
        "午後なら可, 担当者は\n別の者です",
    )
    await answer(await access_by_token(links[1]), {str(first.id): "×", str(second.id): "○"})
    content = results_table(await poll_results(organizer, poll.id)).csv().content
    assert b"\r\n" in content
    assert after.recipient.answered_at is not None
    answered_at = format_moment(after.recipient.answered_at)
    rows = read_csv(content)
    label = [format_period(s.starts_at, s.ends_at) for s in (second, first)]
    assert rows[0] == ["団体コード", "自治体", *label, "コメント", "回答日時"]
    assert rows[1] == [
        "330001",
        "岡山県",
        "○",
        "△",
        "午後なら可, 担当者は\n別の者です",
        answered_at,
    ]
    assert rows[2][:5] == ["331007", "岡山県岡山市", "○", "×", ""]
    assert rows[3] == ["341002", "広島県広島市", "", "", "", "未回答"]
    assert rows[4:] == [
        ["", "計 ○", "2", "0"],
        ["", "計 △", "0", "1"],
        ["", "計 ×", "0", "1"],
        ["", "計 未回答", "1", "1"],
    ]


async def test_csv_defuses_a_comment_that_excel_would_run_as_a_formula() -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(1))
    link = (await recipients_of(poll.id))[0].link.rsplit("/", 1)[1]
    formula = '=HYPERLINK("http://evil.example/","x")'
    await answer(await access_by_token(link), {str(poll.slots[0].id): "○"}, formula)
    download = results_table(await poll_results(organizer, poll.id)).csv()
    assert read_csv(download.content)[1][3] == f"'{formula}"
    assert (download.ascii_name, download.name) == (
        f"date-poll-{poll.id}.csv",
        "日程調整_第4回 情報交換会の日程調整.csv",
    )


def test_csv_marks_holidays_and_weekends_in_the_header() -> None:
    holiday = PollSlot(
        1,
        dt.datetime(2030, 11, 4, 14, tzinfo=TOKYO),
        dt.datetime(2030, 11, 4, 16, tzinfo=TOKYO),
        False,
    )
    saturday = PollSlot(
        2,
        dt.datetime(2030, 11, 9, 14, tzinfo=TOKYO),
        dt.datetime(2030, 11, 9, 16, tzinfo=TOKYO),
        False,
    )
    rows = read_csv(results_table(tally(view(holiday, saturday), [])).csv().content)
    assert rows[0][2:4] == [
        "2030年11月4日(月) 14:00〜16:00（祝日: 振替休日）",
        "2030年11月9日(土) 14:00〜16:00（土日）",
    ]
