"""The organizer's session pages: access, the form and agenda editor, status buttons, escaping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from events.invitations.invitations import invite
from events.lib.formatting import TOKYO
from events.sessions.exchange_sessions import get_session
from events.tables import AgendaItem, AgendaSegment, AuditEntry, ExchangeSession, OutboxMessage
from tests.factories import (
    HR_POINTS,
    make_organizer,
    make_series,
    make_session,
)
from tests.helpers import (
    assert_organizer_only,
    form_fields,
    post_form,
    sign_in_as,
    signed_in_organizer,
)

FORBIDDEN = "このシリーズを操作する権限がありません。"


def form_data(**overrides: str) -> dict[str, str | list[str]]:
    """The create form as a browser sends it: Japan times, three agenda segments, CRLF lines."""
    data: dict[str, str | list[str]] = {
        "title": "第3回 情報交換会",
        "region": "chushikoku",
        "date": "2030-11-05",
        "start_time": "14:00",
        "end_time": "16:00",
        "deadline_date": "2030-10-29",
        "deadline_time": "17:00",
        "capacity": "30",
        "per_municipality_limit": "3",
        "meeting_url": "https://zoom.example.jp/j/123456789",
        "meeting_passcode": "tsunagu",
        "background": "各自治体の取組を共有し意見交換します。",
        "segment-0-id": "",
        "segment-0-position": "1",
        "segment-0-kind": "other",
        "segment-0-title": "開会・趣旨説明",
        "segment-0-minutes": "5",
        "segment-0-items": "",
        "segment-1-id": "",
        "segment-1-position": "2",
        "segment-1-kind": "sharing",
        "segment-1-title": "情報共有",
        "segment-1-minutes": "40",
        "segment-1-items": "DX推進計画\r\nDX人材育成計画の概要\r\n\r\n",
        "segment-2-id": "",
        "segment-2-position": "3",
        "segment-2-kind": "discussion",
        "segment-2-title": "人事部門との連携",
        "segment-2-minutes": "30",
        "segment-2-items": "\r\n".join(HR_POINTS),
        "action": "save",
    }
    return {**data, **overrides}


async def written_rows() -> tuple[int, int, int]:
    return (
        await ExchangeSession.count(),
        await AgendaSegment.count(),
        await AgendaItem.count(),
    )


CONFIRMED = {"confirm": "1"}

ROUTES = [
    ("GET", "/organizer/sessions/new?series={series}", {}, 200),
    ("POST", "/organizer/sessions/new?series={series}", {"action": "add_segment"}, 200),
    ("GET", "/organizer/sessions/{session}", {}, 200),
    ("GET", "/organizer/sessions/{session}/edit", {}, 200),
    ("POST", "/organizer/sessions/{session}/edit", {"action": "add_segment"}, 200),
    ("GET", "/organizer/sessions/{session}/status/cancel", {}, 200),
    ("GET", "/organizer/sessions/{session}/status/publish", {}, 200),
    ("POST", "/organizer/sessions/{session}/status/publish", {"confirm": "1"}, 303),
    ("POST", "/organizer/sessions/{session}/status/cancel", {"confirm": "1"}, 303),
]


@pytest.mark.parametrize(("method", "path", "data", "admin_status"), ROUTES)
async def test_session_pages_are_for_the_series_owner_and_admins(
    client: Any, method: str, path: str, data: dict[str, str], admin_status: int
) -> None:
    session = await make_session()
    url = path.format(series=session.series_id, session=session.id)
    await assert_organizer_only(client, method, url, data, admin_status=admin_status)


async def test_another_organizers_status_change_changes_nothing(client: Any) -> None:
    session = await make_session()
    await signed_in_organizer(client)
    response = await post_form(
        client, f"/organizer/sessions/{session.id}/status/publish", {"confirm": "1"}
    )
    assert response.status_code == 403
    assert (await get_session(session.id)).status == "draft"


async def test_form_posted_without_csrf_token_is_refused(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    response = await client.post(f"/organizer/sessions/new?series={series['id']}", data=form_data())
    assert response.status_code == 403
    assert await written_rows() == (0, 0, 0)


async def test_new_session_form_starts_from_the_series_region(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer, region="shikoku")
    response = await client.get(f"/organizer/sessions/new?series={series['id']}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert "<h1>情報交換会を作成</h1>" in body
    assert '<option value="shikoku" selected>四国</option>' in body
    assert '<label for="date">開催日</label>' in body
    assert 'id="date" name="date" type="date" value="" required' in body
    assert 'id="deadline_time" name="deadline_time" type="time" value="17:00" required' in body
    assert "<legend>議題 1</legend>" in body and "<legend>議題 2</legend>" not in body
    assert '<label for="segment-0-remove">削除</label>' in body
    # Enter in a field submits with the form's first button: that one saves.
    first_button = body.split('<form class="session-form"')[1].split("<button ")[1]
    assert first_button.startswith('type="submit" name="action" value="save"')
    assert (
        'name="action" value="add_segment" class="secondary" formnovalidate>議題を追加</button>'
        in body
    )


async def test_creating_a_session_through_the_form(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    response = await post_form(
        client, f"/organizer/sessions/new?series={series['id']}", form_data()
    )
    assert response.status_code == 303
    [row] = await ExchangeSession.select(ExchangeSession.id)
    assert response.headers["location"] == f"/organizer/sessions/{row['id']}?notice=created"
    session = await get_session(row["id"])
    assert (session.title, session.status, session.region) == (
        "第3回 情報交換会",
        "draft",
        "chushikoku",
    )
    assert session.starts_at == dt.datetime(2030, 11, 5, 14, 0, tzinfo=TOKYO)
    assert session.ends_at == dt.datetime(2030, 11, 5, 16, 0, tzinfo=TOKYO)
    assert session.registration_deadline == dt.datetime(2030, 10, 29, 17, 0, tzinfo=TOKYO)
    assert (session.capacity, session.per_municipality_limit) == (30, 3)
    assert (session.meeting_url, session.meeting_passcode) == (
        "https://zoom.example.jp/j/123456789",
        "tsunagu",
    )
    assert [(s.kind, s.title, s.minutes, s.items) for s in session.agenda] == [
        ("other", "開会・趣旨説明", 5, ()),
        ("sharing", "情報共有", 40, ("DX推進計画", "DX人材育成計画の概要")),
        ("discussion", "人事部門との連携", 30, HR_POINTS),
    ]
    page = await client.get(response.headers["location"])
    assert '<p class="notice" role="status">情報交換会を下書きとして作成しました。' in page.text
    assert 'role="alert"' not in page.text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "タイトルを入力してください。"),
        ({"title": "あ" * 201}, "title", "タイトルは200文字以内にしてください。"),
        ({"region": "atlantis"}, "region", "地域を選択してください。"),
        ({"end_time": "13:00"}, "end_time", "終了日時は開始日時より後にしてください。"),
        (
            {"date": "2020-01-06", "deadline_date": "2020-01-01"},
            "date",
            "開始日時が過去になっています。",
        ),
        ({"date": "2030/13/45"}, "date", "開催日は 2030-11-04 のように入力してください。"),
        ({"date": "1999-11-05"}, "date", "開催日は 2030-11-04 のように入力してください。"),
        ({"start_time": ""}, "start_time", "開始時刻を入力してください。"),
        ({"capacity": "0"}, "capacity", "定員は1〜10000人にしてください。"),
        ({"capacity": "三十"}, "capacity", "定員は数字で入力してください。"),
        (
            {"per_municipality_limit": "31"},
            "per_municipality_limit",
            "1自治体あたりの上限は1人以上、定員以下にしてください。",
        ),
        (
            {"deadline_date": "2030-11-06"},
            "deadline_date",
            "申込締切は開始日時より前にしてください。",
        ),
        (
            {"meeting_url": "http://zoom.example.jp/j/1"},
            "meeting_url",
            "会議URLは https:// で始まるURLにしてください。",
        ),
        (
            {"segment-1-title": " "},
            "segment-1-title",
            "議題 2 のタイトルを入力してください。",
        ),
        (
            {"segment-0-minutes": "五分"},
            "segment-0-minutes",
            "議題 1 の時間は数字（分）で入力してください。",
        ),
        (
            {"segment-2-minutes": "601"},
            "segment-2-minutes",
            "議題 3 の時間は0〜600分にしてください。",
        ),
    ],
)
async def test_bad_input_shows_the_form_again_and_writes_nothing(
    client: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    audit_before = await AuditEntry.count()
    data = form_data(**overrides)
    response = await post_form(client, f"/organizer/sessions/new?series={series['id']}", data)
    assert response.status_code == 400
    body = response.text
    assert '<div class="error-summary" role="alert">' in body
    assert f'<li><a href="#{field}">{message}</a></li>' in body
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in body
    assert f'aria-invalid="true" aria-describedby="{field}-error"' in body or (
        f'aria-invalid="true" aria-describedby="{field}-hint {field}-error"' in body
    )
    # What was typed stays in the form.
    assert 'value="https://zoom.example.jp/j/123456789"' in body or field == "meeting_url"
    assert "人事部門との連携" in body
    assert await written_rows() == (0, 0, 0)
    assert await AuditEntry.count() == audit_before


async def test_every_problem_of_the_form_is_listed_in_form_order(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    data = form_data(title="", date="", capacity="x", **{"segment-1-title": ""})
    response = await post_form(client, f"/organizer/sessions/new?series={series['id']}", data)
    assert response.status_code == 400
    summary = response.text.split('<div class="error-summary" role="alert">')[1].split("</div>")[0]
    assert [line.strip() for line in summary.splitlines() if "<li>" in line] == [
        '<li><a href="#title">タイトルを入力してください。</a></li>',
        '<li><a href="#date">開催日を入力してください。</a></li>',
        '<li><a href="#capacity">定員は数字で入力してください。</a></li>',
        '<li><a href="#segment-1-title">議題 2 のタイトルを入力してください。</a></li>',
    ]


async def test_add_segment_shows_one_more_empty_segment_and_saves_nothing(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    data = form_data(action="add_segment", **{"segment-2-title": "人事部門との連携（改）"})
    response = await post_form(client, f"/organizer/sessions/new?series={series['id']}", data)
    assert response.status_code == 200
    body = response.text
    assert 'role="alert"' not in body
    assert "<legend>議題 4</legend>" in body and "<legend>議題 5</legend>" not in body
    assert 'value="人事部門との連携（改）"' in body
    assert 'id="segment-3-title" name="segment-3-title" type="text" value=""' in body
    assert await written_rows() == (0, 0, 0)


async def test_agenda_round_trip_reorders_removes_and_edits_points_keeping_ids(
    client: Any,
) -> None:
    organizer = await make_organizer()
    await sign_in_as(client, organizer)
    session = await make_session(organizer)
    ids = {segment.title: segment.id for segment in session.agenda}
    hr = session.agenda[2]
    point_ids = dict(zip(hr.items, hr.item_ids, strict=True))
    action = f"/organizer/sessions/{session.id}/edit"
    fields = form_fields((await client.get(action)).text, action)
    assert [fields[f"segment-{i}-position"] for i in range(5)] == ["1", "2", "3", "4", "5"]
    fields["segment-3-position"] = "3"  # 期待する効果とKPI before 人事部門との連携
    fields["segment-4-remove"] = "1"  # 閉会
    fields["segment-2-items"] = (
        "人事異動・評価への反映\r\n研修受講歴の人事部門への共有\r\n評価制度への反映時期"
    )
    shown = await post_form(client, action, {**fields, "action": "add_segment"})
    assert shown.status_code == 200
    assert await AgendaSegment.count() == 5  # nothing saved yet
    fields = form_fields(shown.text, action)
    assert [fields[f"segment-{i}-title"] for i in range(5)] == [
        "開会・趣旨説明",
        "情報共有",
        "期待する効果とKPI",
        "人事部門との連携",
        "",
    ]
    fields.update(
        {"segment-4-kind": "other", "segment-4-title": "閉会のあいさつ", "segment-4-minutes": "5"}
    )
    saved = await post_form(client, action, {**fields, "action": "save"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/organizer/sessions/{session.id}?notice=saved"
    after = await get_session(session.id)
    assert [(s.title, s.minutes) for s in after.agenda] == [
        ("開会・趣旨説明", 5),
        ("情報共有", 40),
        ("期待する効果とKPI", 30),
        ("人事部門との連携", 30),
        ("閉会のあいさつ", 5),
    ]
    assert [s.id for s in after.agenda[:4]] == [
        ids["開会・趣旨説明"],
        ids["情報共有"],
        ids["期待する効果とKPI"],
        ids["人事部門との連携"],
    ]
    assert after.agenda[4].id not in ids.values()
    hr_after = after.agenda[3]
    assert hr_after.items == (
        "人事異動・評価への反映",
        "研修受講歴の人事部門への共有",
        "評価制度への反映時期",
    )
    assert hr_after.item_ids[:2] == (
        point_ids["人事異動・評価への反映"],
        point_ids["研修受講歴の人事部門への共有"],
    )
    assert hr_after.item_ids[2] not in point_ids.values()
    assert await AgendaSegment.count() == 5


async def test_holiday_warning_is_shown_after_saving(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    data = form_data(date="2030-11-04", deadline_date="2030-10-28")
    response = await post_form(client, f"/organizer/sessions/new?series={series['id']}", data)
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert '<div class="notice warning" role="status">' in page.text
    assert "<li>2030年11月4日(月) は祝日（振替休日）です。</li>" in page.text


async def test_edit_saves_changes_and_the_audit_trail_names_the_organizer(client: Any) -> None:
    organizer = await make_organizer(name="岡山 花子")
    await sign_in_as(client, organizer)
    session = await make_session(organizer, starts_at=dt.datetime(2030, 11, 5, 14, tzinfo=TOKYO))
    action = f"/organizer/sessions/{session.id}/edit"
    fields = form_fields((await client.get(action)).text, action)
    assert (fields["date"], fields["start_time"], fields["end_time"]) == (
        "2030-11-05",
        "14:00",
        "16:00",
    )
    fields.update({"start_time": "15:00", "end_time": "17:00", "meeting_passcode": "secret2"})
    response = await post_form(client, action, fields)
    assert response.status_code == 303
    after = await get_session(session.id)
    assert after.starts_at == dt.datetime(2030, 11, 5, 15, tzinfo=TOKYO)
    assert after.sequence == session.sequence + 1
    page = (await client.get(response.headers["location"])).text
    assert '<p class="notice" role="status">変更を保存しました。</p>' in page
    history = page.split('id="history-heading"')[1]
    assert "<td>岡山 花子</td>" in history
    assert "organizer:" not in history
    assert "<li>開始日時: 2030年11月5日(火) 14:00 → 2030年11月5日(火) 15:00</li>" in history
    assert "<li>パスコード: 変更</li>" in history
    assert "secret2" not in history and "tsunagu" not in history


async def test_session_page_shows_everything_the_organizer_needs(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    await invite(organizer, session.id, ["330001"])
    response = await client.get(f"/organizer/sessions/{session.id}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<dd><strong class="status status--draft">下書き</strong></dd>' in body
    assert ">https://zoom.example.jp/j/123456789</a></dd>" in body
    assert "<dt>パスコード</dt><dd>tsunagu</dd>" in body
    assert "参加確定 0人・キャンセル待ち 0人（定員 30人）" in body
    assert f'href="/organizer/sessions/{session.id}/edit">内容を編集</a>' in body
    assert f'href="/organizer/sessions/{session.id}/invitations">招待する自治体</a>' in body
    assert f'href="/organizer/sessions/{session.id}/status/publish">公開する</a>' in body
    assert f'href="/organizer/sessions/{session.id}/status/cancel">中止する</a>' in body
    assert "受付を締め切る" not in body and "開催済みにする" not in body
    assert "<li>自治体: 岡山県</li>" in body
    assert "<h3>人事部門との連携 <span" in body


async def test_status_buttons_publish_close_and_mark_held(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    base = f"/organizer/sessions/{session.id}"
    published = await post_form(client, f"{base}/status/publish", CONFIRMED)
    assert published.status_code == 303
    assert published.headers["location"] == f"{base}?notice=publish&mailed=0"
    page = (await client.get(published.headers["location"])).text
    nobody = (
        "公開しました。連絡先のメールアドレスがある招待先がないため、"
        "どなたにもメールは送っていません。"
    )
    assert f'<p class="notice" role="status">{nobody}</p>' in page
    assert ">受付中</strong>" in page
    assert "受付を締め切る</a>" in page and "開催済みにする</a>" in page
    assert "公開する</a>" not in page
    closed = await post_form(client, f"{base}/status/close_registration", CONFIRMED)
    assert closed.status_code == 303
    assert (await get_session(session.id)).status == "closed"
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    await ExchangeSession.update(
        {ExchangeSession.starts_at: past, ExchangeSession.ends_at: past + dt.timedelta(hours=2)}
    ).where(ExchangeSession.id == session.id)
    held = await post_form(client, f"{base}/status/mark_held", CONFIRMED)
    assert held.headers["location"] == f"{base}?notice=mark_held&mailed=0"
    page = (await client.get(held.headers["location"])).text
    assert ">開催済み</strong>" in page
    assert "この画面から変更できる状況はありません。" in page
    assert "内容を編集" not in page


async def test_publishing_asks_first_with_the_real_counts_and_then_says_who_was_mailed(
    client: Any,
) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    contacts = {
        "330001": "kikaku@pref.okayama.example.jp",
        "331007": "kikaku@city.okayama.example.jp",
    }
    await invite(organizer, session.id, ["330001", "331007", "341002"], contacts)
    base = f"/organizer/sessions/{session.id}"

    question = await client.get(f"{base}/status/publish")
    assert question.status_code == 200
    text = question.text
    assert (
        "公開すると、招待した2団体の担当者に、参加登録用のリンクをメールでお知らせします。" in text
    )
    assert "連絡先のメールアドレスがない1団体には送られません。" in text
    assert "公開は取り消せません。" in text
    assert 'name="confirm" value="1" required' in text

    unconfirmed = await post_form(client, f"{base}/status/publish", {})
    assert unconfirmed.status_code == 400
    assert "公開してよいか確認のうえ、チェックを入れてください。" in unconfirmed.text
    assert (await get_session(session.id)).status == "draft"
    assert await OutboxMessage.count() == 0

    published = await post_form(client, f"{base}/status/publish", CONFIRMED)
    assert published.headers["location"] == f"{base}?notice=publish&mailed=2"
    assert (await get_session(session.id)).status == "published"
    recipients = await OutboxMessage.select(OutboxMessage.recipient)
    assert sorted(row["recipient"] for row in recipients) == sorted(contacts.values())
    page = (await client.get(published.headers["location"])).text
    told = (
        "公開しました。招待した2団体の担当者に、"
        "参加登録用のリンクをお知らせするメールを送ります（2通）。"
    )
    assert f'<p class="notice" role="status">{told}</p>' in page


async def test_each_status_change_asks_first_and_an_unconfirmed_post_changes_nothing(
    client: Any,
) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    base = f"/organizer/sessions/{session.id}"
    await post_form(client, f"{base}/status/publish", CONFIRMED)
    steps = {
        "close_registration": ("受付を締め切ると、新しい参加登録も", "closed"),
        "mark_held": ("開催済みにすると、参加登録と内容の編集ができなくなり", "held"),
    }
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    await ExchangeSession.update(
        {ExchangeSession.starts_at: past, ExchangeSession.ends_at: past + dt.timedelta(hours=2)}
    ).where(ExchangeSession.id == session.id)
    for action, (statement, status) in steps.items():
        question = await client.get(f"{base}/status/{action}")
        assert statement in question.text and "取り消せません。" in question.text
        before = (await get_session(session.id)).status
        unconfirmed = await post_form(client, f"{base}/status/{action}", {})
        assert unconfirmed.status_code == 400
        assert (await get_session(session.id)).status == before
        done = await post_form(client, f"{base}/status/{action}", CONFIRMED)
        assert done.status_code == 303
        assert (await get_session(session.id)).status == status
        page = (await client.get(done.headers["location"])).text
        assert "メールは送っていません。</p>" in page


async def test_refused_transition_shows_the_reason_in_japanese(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    base = f"/organizer/sessions/{session.id}"
    await post_form(client, f"{base}/status/publish", CONFIRMED)
    again = await post_form(client, f"{base}/status/publish", CONFIRMED)
    assert again.status_code == 409
    refusal = (
        '<div class="notice error" role="alert">\n  <p>公開できるのは下書きの情報交換会だけです。'
    )
    assert refusal in again.text
    too_early = await post_form(client, f"{base}/status/mark_held", CONFIRMED)
    assert too_early.status_code == 409
    assert "<p>開始前の情報交換会は開催済みにできません。</p>" in too_early.text
    assert (await get_session(session.id)).status == "published"


async def test_status_change_the_page_does_not_offer_is_not_found(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    response = await post_form(
        client, f"/organizer/sessions/{session.id}/status/mark_reported", CONFIRMED
    )
    assert response.status_code == 404
    assert (await get_session(session.id)).status == "draft"


async def test_cancelling_needs_the_confirmation_and_keeps_the_reason(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    base = f"/organizer/sessions/{session.id}"
    confirm = await client.get(f"{base}/status/cancel")
    assert confirm.status_code == 200
    assert f'action="{base}/status/cancel"' in confirm.text
    assert 'type="checkbox" id="confirm" name="confirm" value="1" required' in confirm.text
    unconfirmed = await post_form(client, f"{base}/status/cancel", {"reason": "台風接近のため"})
    assert unconfirmed.status_code == 400
    message = "中止してよいか確認のうえ、チェックを入れてください。"
    assert f'<li><a href="#confirm">{message}</a></li>' in unconfirmed.text
    assert ">台風接近のため</textarea>" in unconfirmed.text
    assert (await get_session(session.id)).status == "draft"
    cancelled = await post_form(
        client, f"{base}/status/cancel", {"reason": "台風接近のため", "confirm": "1"}
    )
    assert cancelled.status_code == 303
    after = await get_session(session.id)
    assert (after.status, after.sequence) == ("cancelled", session.sequence + 1)
    page = (await client.get(cancelled.headers["location"])).text
    assert "<li>理由: 台風接近のため</li>" in page
    late = await client.get(f"{base}/status/cancel")
    assert late.status_code == 409
    assert "開催済み・中止済みの情報交換会は中止できません。" in late.text
    edit = await client.get(f"{base}/edit")
    assert edit.status_code == 409
    assert "開催済み・中止済みの情報交換会は編集できません。" in edit.text


async def test_html_typed_into_the_title_is_shown_as_text(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    title = '<script>alert("x")</script><b>第3回</b>'
    session = await make_session(organizer, title=title)
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;第3回&lt;/b&gt;"
    for path in (
        "/organizer",
        f"/organizer/sessions/{session.id}",
        f"/organizer/sessions/{session.id}/edit",
        f"/organizer/sessions/{session.id}/status/cancel",
        f"/organizer/sessions/{session.id}/invitations",
    ):
        body = (await client.get(path)).text
        assert escaped in body, path
        assert "<script>" not in body and "<b>第3回" not in body, path
