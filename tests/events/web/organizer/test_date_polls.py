"""Date poll pages: the organizer's form, result table and actions; a municipality's answer page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.date_polls.answers import access_by_token, answer
from events.date_polls.checks import SlotInput
from events.date_polls.polls import close_poll
from events.date_polls.queries import PollView, get_poll, recipients_of
from events.tables import DatePoll, DatePollAnswer, ExchangeSession, OutboxMessage
from tests.events.date_polls.test_polls import HOLIDAY, TWO_HOURS
from tests.factories import make_organizer, make_poll, make_series, poll_slots
from tests.helpers import post_form, signed_in_organizer
from tests.spreadsheets import assert_same_as_csv, xlsx_sheet

INVALID_LINK = (
    "このリンクは無効です。日程調整のメールのリンクをもう一度ご確認いただくか、"
    "主催者にお問い合わせください。"
)


@pytest.fixture
async def organizer(client: Any) -> OrganizerIdentity:
    """An organizer signed in on the test client."""
    return await signed_in_organizer(client, name="中四国事務局")


def path_of(link: str) -> str:
    return link.removeprefix("http://tsunagu.test")


async def post(client: Any, path: str, **fields: str) -> Any:
    return await post_form(client, path, dict(fields))


async def link_of(poll: PollView, index: int = 0) -> str:
    return path_of((await recipients_of(poll.id))[index].link)


async def submit_form(
    client: Any, series_id: int, action: str, *rows: tuple[str, str, str], **fields: str
) -> Any:
    """Post the new-poll form: five slot rows, the given ones (date, start, end) filled first."""
    slots = {"rows": "5"}
    for index, (day, start, end) in enumerate(rows):
        slots |= {f"slot_date_{index}": day, f"slot_start_{index}": start, f"slot_end_{index}": end}
    return await post(
        client, "/organizer/polls/new", action=action, series=str(series_id), **slots, **fields
    )


async def test_poll_pages_need_sign_in(client: Any) -> None:
    response = await client.get("/organizer/polls")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Forganizer%2Fpolls"


async def test_list_links_each_poll_with_its_answer_count(
    client: Any, organizer: OrganizerIdentity
) -> None:
    poll = await make_poll(organizer)
    response = await client.get("/organizer/polls")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert f'<a href="/organizer/polls/{poll.id}">第4回 情報交換会の日程調整</a>' in response.text
    assert "<td>0 / 3団体</td>" in response.text
    assert '<a href="/organizer/polls">日程調整</a>' in response.text  # in the organizer menu


async def test_new_poll_form_has_five_labelled_slot_rows(
    client: Any, organizer: OrganizerIdentity
) -> None:
    series = await make_series(organizer)
    response = await client.get("/organizer/polls/new")
    assert response.status_code == 200
    body = response.text
    assert f'<option value="{series["id"]}">{series["title"]}</option>' in body
    assert '<input type="hidden" name="rows" value="5">' in body
    for n in range(5):
        assert f'<label for="slots-{n}" class="visually-hidden">候補{n + 1}の日付</label>' in body
        assert f'<input id="slots-{n}-end" name="slot_end_{n}" type="time" value="">' in body
    assert 'id="slots-5"' not in body
    assert (
        '<button type="submit" name="action" value="add_row" class="secondary">行を追加</button>'
        in body
    )
    assert 'role="alert"' not in body


async def test_add_row_shows_one_more_row_keeping_entries_and_flags_a_holiday(
    client: Any, organizer: OrganizerIdentity
) -> None:
    series = await make_series(organizer)
    response = await submit_form(
        client,
        series["id"],
        "add_row",
        ("", "", ""),
        ("2030-11-04", "14:00", "16:00"),
        title="第4回",
        recipients="330001",
    )
    assert response.status_code == 200
    body = response.text
    assert '<input type="hidden" name="rows" value="6">' in body
    assert '<input id="slots-0" name="slot_date_0" type="date" value="2030-11-04">' in body
    assert '<span class="day-note">祝日: 振替休日</span>' in body
    assert 'id="slots-5"' in body and 'id="slots-6"' not in body
    assert 'value="第4回"' in body and ">330001</textarea>" in body
    assert await DatePoll.count() == 0


async def test_creating_a_poll_from_the_form_redirects_to_its_result(
    client: Any, organizer: OrganizerIdentity
) -> None:
    series = await make_series(organizer)
    response = await submit_form(
        client,
        series["id"],
        "create",
        ("2030-11-05", "14:00", "16:00"),
        ("2030/11/04", "１０:００", "12:00"),
        title="第4回 情報交換会の日程調整",
        session="",
        recipients="330001, kikaku@pref.okayama.example.jp\n３３１００７\n",
    )
    assert response.status_code == 303
    stored = await DatePoll.select(DatePoll.id).first()
    assert stored is not None
    poll_id = stored["id"]
    assert response.headers["location"] == f"/organizer/polls/{poll_id}?notice=created"
    poll = await get_poll(poll_id)
    assert [(s.starts_at.isoformat(), s.holiday) for s in poll.slots] == [
        ("2030-11-04T01:00:00+00:00", "振替休日"),
        ("2030-11-05T05:00:00+00:00", None),
    ]
    assert [(r.code, r.contact_email) for r in await recipients_of(poll_id)] == [
        ("330001", "kikaku@pref.okayama.example.jp"),
        ("331007", ""),
    ]
    assert await OutboxMessage.count() == 1
    page = await client.get(response.headers["location"])
    assert '<p class="notice" role="status">日程調整を作成しました。' in page.text


async def test_unreadable_form_entries_are_listed_and_tied_to_their_inputs(
    client: Any, organizer: OrganizerIdentity
) -> None:
    series = await make_series(organizer)
    response = await submit_form(
        client,
        series["id"],
        "create",
        ("", "", ""),
        ("2030-02-30", "14:00", "16:00"),
        ("2030-11-05", "9時", ""),
        title="第4回",
        recipients="330001 a@example.jp extra",
    )
    assert response.status_code == 422
    body = response.text
    assert '<div class="error-summary" role="alert">' in body
    assert (
        '<li><a href="#slots-0">候補1の日付を「2030-11-05」の形で入力してください。</a></li>'
        in body
    )
    assert (
        '<li><a href="#slots-1">候補2の開始・終了時刻を「14:00」の形で入力してください。</a></li>'
    ) in body
    assert (
        '<li><a href="#recipients">'
        "1行目は「団体コード メールアドレス」の形で入力してください。</a></li>"
    )
    assert (
        '<input id="slots-0" name="slot_date_0" type="date" value="2030-02-30"'
        ' aria-invalid="true" aria-describedby="slots-0-error">'
    ) in body
    assert '<p class="field-error" id="slots-1-error">' in body
    assert 'aria-describedby="recipients-hint recipients-error" aria-invalid="true"' in body
    assert await DatePoll.count() == 0


async def test_poll_without_title_or_slots_is_refused_on_the_form(
    client: Any, organizer: OrganizerIdentity
) -> None:
    series = await make_series(organizer)
    response = await submit_form(client, series["id"], "create")
    assert response.status_code == 422
    assert '<li><a href="#title">タイトルを入力してください。</a></li>' in response.text
    assert '<li><a href="#slots">候補日時を1つ以上入力してください。</a></li>' in response.text
    assert (
        'name="title" type="text" maxlength="200" required value=""'
        ' aria-invalid="true" aria-describedby="title-error"'
    ) in response.text
    assert await DatePoll.count() == 0
    assert await OutboxMessage.count() == 0


async def answered_poll(organizer: OrganizerIdentity) -> PollView:
    """Slots: a holiday and two weekdays; 岡山県 and 岡山市 answered, 広島市 did not."""
    slots = (SlotInput(HOLIDAY, HOLIDAY + TWO_HOURS), *poll_slots(2))
    poll = await make_poll(organizer, slots=slots)
    first, second, holiday = (str(slot.id) for slot in poll.slots)  # the holiday is in 2030
    for index, values, comment in (
        (0, {holiday: "×", first: "○", second: "△"}, '<script>alert("x")</script>'),
        (1, {holiday: "○", first: "○", second: "×"}, "午後なら可"),
    ):
        access = await access_by_token((await link_of(poll, index)).rsplit("/", 1)[1])
        await answer(access, values, comment)
    return poll


async def test_result_page_ranks_slots_marks_holidays_and_escapes_comments(
    client: Any, organizer: OrganizerIdentity
) -> None:
    poll = await answered_poll(organizer)
    response = await client.get(f"/organizer/polls/{poll.id}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<div class="poll-results">' in body
    first, second, holiday = (slot.id for slot in poll.slots)
    assert re.findall(r'name="slot" value="(\d+)"', body) == [str(first), str(holiday), str(second)]
    assert '2030年11月4日(月) 14:00〜16:00 <span class="day-note">祝日: 振替休日</span>' in body
    assert (
        '<span class="poll-symbol" aria-hidden="true">○</span>'
        '<span class="visually-hidden">参加可能</span>'
    ) in body
    assert '<span class="visually-hidden">参加不可</span>' in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert "<script>alert" not in body
    assert "未回答の自治体（1団体）" in body
    assert (
        '<th scope="row">広島県広島市</th>\n'
        '        <td data-label="連絡先">kikaku.341002@example.lg.jp</td>'
    ) in body
    assert "未回答の1団体にリマインドを送る" in body


async def test_csv_download_is_utf8_with_bom_for_excel(
    client: Any, organizer: OrganizerIdentity
) -> None:
    poll = await answered_poll(organizer)
    response = await client.get(f"/organizer/polls/{poll.id}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        f"attachment; filename=\"date-poll-{poll.id}.csv\"; filename*=UTF-8''%E6%97%A5"
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf\xe5\x9b\xa3\xe4\xbd\x93")  # BOM, 団体
    assert '"<script>alert(""x"")</script>"' in response.content.decode("utf-8-sig")


async def test_remind_close_and_decide_buttons(client: Any, organizer: OrganizerIdentity) -> None:
    poll = await answered_poll(organizer)
    base = f"/organizer/polls/{poll.id}"
    reminded = await post(client, f"{base}/remind")
    assert (reminded.status_code, reminded.headers["location"]) == (303, f"{base}?notice=reminded")
    assert await OutboxMessage.count().where(OutboxMessage.kind == "date_poll_reminder") == 1
    closed = await post(client, f"{base}/close")
    assert (closed.status_code, closed.headers["location"]) == (303, f"{base}?notice=closed")
    page = (await client.get(f"{base}?notice=closed")).text
    assert "回答を締め切りました。" in page
    assert "回答を締め切る</button>" not in page and "リマインドを送る</button>" not in page
    decided = await post(client, f"{base}/decide", slot=str(poll.slots[1].id))
    assert (decided.status_code, decided.headers["location"]) == (303, f"{base}?notice=decided")
    page = (await client.get(f"{base}?notice=decided")).text
    assert '<strong class="badge badge--chosen">決定</strong>' in page
    assert "この日時に決定</button>" not in page
    assert "第4回 情報交換会の日程調整（下書き、" in page
    assert await ExchangeSession.count() == 1
    assert await OutboxMessage.count().where(OutboxMessage.kind == "date_poll_decision") == 2


async def test_decide_without_a_slot_is_refused(client: Any, organizer: OrganizerIdentity) -> None:
    poll = await make_poll(organizer)
    response = await post(client, f"/organizer/polls/{poll.id}/decide", slot="")
    assert response.status_code == 422
    assert "決定する候補日時を選んでください。" in response.text
    assert await ExchangeSession.count() == 0


async def test_another_organizers_poll_is_forbidden(
    client: Any, organizer: OrganizerIdentity
) -> None:
    poll = await make_poll()
    for response in (
        await client.get(f"/organizer/polls/{poll.id}"),
        await client.get(f"/organizer/polls/{poll.id}/results.csv"),
        await post(client, f"/organizer/polls/{poll.id}/close"),
    ):
        assert response.status_code == 403
    assert (await get_poll(poll.id)).status == "open"


async def test_organizer_form_without_csrf_token_is_refused(
    client: Any, organizer: OrganizerIdentity
) -> None:
    poll = await make_poll(organizer)
    response = await client.post(f"/organizer/polls/{poll.id}/close")
    assert response.status_code == 403
    assert (await get_poll(poll.id)).status == "open"


async def test_answer_page_reads_each_mark_as_a_word(client: Any) -> None:
    poll = await make_poll(slots=(SlotInput(HOLIDAY, HOLIDAY + TWO_HOURS),))
    response = await client.get(await link_of(poll))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    slot = poll.slots[0].id
    assert "<p>岡山県の回答ページです。" in body
    assert (
        "<legend>2030年11月4日(月) 14:00〜16:00 "
        '<span class="day-note">祝日: 振替休日</span></legend>'
    ) in body
    for value, symbol, word in (
        ("yes", "○", "参加可能"),
        ("maybe", "△", "未定"),
        ("no", "×", "参加不可"),
    ):
        assert (
            f'<input type="radio" id="slot-{slot}-{value}" name="slot-{slot}" '
            f'value="{value}" required>'
        ) in body
        assert (
            f'<label for="slot-{slot}-{value}"><span class="poll-symbol" aria-hidden="true">'
            f"{symbol}</span> {word}</label>"
        ) in body
    assert '<label for="comment">コメント（任意）</label>' in body
    assert poll.organizer_email not in body and "広島" not in body


async def test_answering_from_the_page_then_editing(client: Any) -> None:
    poll = await make_poll(slots=poll_slots(2))
    path = await link_of(poll)
    first, second = (slot.id for slot in poll.slots)
    response = await post(
        client, path, **{f"slot-{first}": "yes", f"slot-{second}": "no", "comment": "<b>午後</b>"}
    )
    assert (response.status_code, response.headers["location"]) == (303, f"{path}?saved=1")
    page = (await client.get(f"{path}?saved=1")).text
    assert "回答を保存しました。" in page
    assert f'id="slot-{first}-yes" name="slot-{first}" value="yes" required checked>' in page
    assert f'id="slot-{second}-no" name="slot-{second}" value="no" required checked>' in page
    assert ">&lt;b&gt;午後&lt;/b&gt;</textarea>" in page
    assert "回答を変更する</button>" in page
    await post(client, path, **{f"slot-{first}": "maybe", f"slot-{second}": "maybe"})
    recipient = (await recipients_of(poll.id))[0]
    assert [mark.value for mark in recipient.answers.values()] == ["maybe", "maybe"]
    assert recipient.comment == ""


async def test_answer_page_with_a_slot_left_out_shows_where(client: Any) -> None:
    poll = await make_poll(slots=poll_slots(2))
    path = await link_of(poll)
    first, second = (slot.id for slot in poll.slots)
    response = await post(client, path, **{f"slot-{first}": "yes", "comment": "途中"})
    assert response.status_code == 422
    body = response.text
    assert '<div class="error-summary" role="alert">' in body
    assert f'<li><a href="#slot-{second}">' in body
    assert (
        f'id="slot-{second}-no" name="slot-{second}" value="no" required'
        f' aria-invalid="true" aria-describedby="slot-{second}-error">'
    ) in body
    assert f'id="slot-{first}-yes" name="slot-{first}" value="yes" required checked>' in body
    assert ">途中</textarea>" in body
    assert await DatePollAnswer.count() == 0


async def test_closed_poll_page_shows_the_answers_without_a_form(client: Any) -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(1))
    path = await link_of(poll)
    await answer(await access_by_token(path.rsplit("/", 1)[1]), {str(poll.slots[0].id): "△"})
    await close_poll(organizer, poll.id)
    page = (await client.get(path)).text
    assert "この日程調整は締め切られました。回答の送信・変更はできません。" in page
    assert '<span class="visually-hidden">未定</span>' in page
    assert '<form class="poll-answer"' not in page
    late = await post(client, path, **{f"slot-{poll.slots[0].id}": "yes"})
    assert late.status_code == 409
    assert "この日程調整は締め切られました。" in late.text
    assert [m.value for m in (await recipients_of(poll.id))[0].answers.values()] == ["maybe"]


@pytest.mark.parametrize("token", ["x" * 32, "not-a-token"])
async def test_unknown_answer_link_is_a_404_with_one_message(client: Any, token: str) -> None:
    await make_poll()
    response = await client.get(f"/p/{token}")
    assert response.status_code == 404
    assert INVALID_LINK in response.text


async def test_xlsx_download_is_the_csv(client: Any, organizer: OrganizerIdentity) -> None:
    poll = await answered_poll(organizer)
    base = f"/organizer/polls/{poll.id}/results"
    sheet = xlsx_sheet(await client.get(f"{base}.xlsx"))
    assert_same_as_csv(sheet, await client.get(f"{base}.csv"))
    assert sheet["A1"].value == "団体コード"
    assert f'href="{base}.xlsx"' in (await client.get(f"/organizer/polls/{poll.id}")).text
