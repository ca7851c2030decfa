"""The coordinator's page /r/{token}: registering, editing, waitlist, deadline, cancelling."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import pytest

from events.invitations.invitations import access_by_token, reissue_link, revoke
from events.lib.tokens import INVALID_LINK
from events.registrations.registrations import register
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import (
    Attendee,
    AuditEntry,
    ExchangeSession,
    OutboxMessage,
    Registration,
    SharingAnswer,
    TopicPreference,
)
from tests.factories import (
    HR_POINTS,
    SHARING_ITEMS,
    attendee_token,
    delegation,
    discussion_ids,
    open_session_with_links,
    person,
)
from tests.helpers import csrf_token, post_form, registration_counts

OKAYAMA_PREF, OKAYAMA_CITY, HIROSHIMA_CITY = "330001", "331007", "341002"
HTML = "text/html; charset=utf-8"
NAMES = ("山田 太郎", "ﾔﾏﾀﾞ ﾊﾅｺ", "佐藤＆鈴木 <共同>")


def row(index: int, **values: str) -> dict[str, str]:
    """One attendee row of the form, as a browser posts it."""
    defaults = {
        "name": f"参加者{index + 1}",
        "department": "デジタル推進課",
        "position": "staff",
        "email": f"p{index + 1}@example.lg.jp",
    }
    return {f"attendees-{index}-{key}": value for key, value in (defaults | values).items()}


async def registered(token: str, *attendees: Any, **kwargs: Any) -> None:
    await register(await access_by_token(token), delegation(*attendees, **kwargs))


async def test_page_shows_the_session_and_an_empty_form_with_a_row_per_place(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    response = await client.get(f"/r/{tokens[OKAYAMA_PREF]}")
    assert response.status_code == 200
    assert response.headers["content-type"] == HTML
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "岡山県 取りまとめご担当者様の専用ページ" in body
    assert "<h1>第3回 情報交換会</h1>" in body
    assert session.starts_at.astimezone(dt.UTC).tzinfo is not None
    assert all(f"<li>{item}</li>" in body for item in (*SHARING_ITEMS, *HR_POINTS))
    assert "<h3>人事部門との連携" in body and "<h3>期待する効果とKPI" in body
    assert [f'name="attendees-{i}-name"' in body for i in range(4)] == [True, True, True, False]
    assert body.count('<option value="">希望なし</option>') == 6
    assert body.count('<option value="1">第1希望</option>') == 6
    assert body.count('<option value="2">第2希望</option>') == 6
    assert '<label for="plan_status">計画策定済</label>' in body
    assert '<label for="plan_status-drafting">策定中</label>' in body
    assert '<label for="plan_status-not_started">未着手</label>' in body
    assert body.count('<textarea id="sharing_answers-') == len(SHARING_ITEMS)
    assert '<label for="attendees-0-share_contact">' in body
    assert f'name="_csrf_token" value="{client.cookies["tsunagu_csrf"]}"' in body
    assert "参加登録を取り消す" not in body
    assert "zoom.example.jp" not in body and "tsunagu</dd>" not in body


async def test_registering_confirms_everyone_and_tells_them_by_mail(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    hr, kpi = discussion_ids(session)
    first_item, _ = session.sharing_items[0]
    form = {
        **row(0, share_contact="on", is_digital_department="on"),
        f"attendees-0-rank-{kpi}": "1",
        f"attendees-0-rank-{hr}": "2",
        **row(1),
        f"attendees-1-rank-{hr}": "1",
        "plan_status": "drafting",
        f"sharing_answers-{first_item}": "令和5年3月に策定",
    }
    response = await post_form(client, f"/r/{token}", form)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{token}?done=registered&links=2&cancellations=0"
    page = (await client.get(response.headers["location"])).text
    assert "<p>参加登録を受け付けました。</p>" in page
    assert "<p>2人に、個人用ページへのリンクをメールでお送りします。</p>" in page
    assert "参加取消のお知らせ" not in page
    assert page.count('<td data-label="状況">参加確定</td>') == 2
    assert (
        '<td data-label="氏名">参加者1</td>' in page
        and '<td data-label="氏名">参加者2</td>' in page
    )
    assert "<dd>策定中</dd>" in page and "<dd>令和5年3月に策定</dd>" in page
    attendees = await Attendee.select().order_by(Attendee.id)
    assert [(a["name"], a["status"], a["share_contact"]) for a in attendees] == [
        ("参加者1", "confirmed", True),
        ("参加者2", "confirmed", False),
    ]
    assert attendees[0]["is_digital_department"] is True
    preferences = await TopicPreference.select(
        TopicPreference.attendee, TopicPreference.segment, TopicPreference.rank
    ).order_by(TopicPreference.id)
    assert [(p["attendee"], p["segment"], p["rank"]) for p in preferences] == [
        (attendees[0]["id"], kpi, 1),
        (attendees[0]["id"], hr, 2),
        (attendees[1]["id"], hr, 1),
    ]
    assert await SharingAnswer.select(SharingAnswer.item, SharingAnswer.text) == [
        {"item": first_item, "text": "令和5年3月に策定"}
    ]
    mails = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.recipient).where(
        OutboxMessage.kind == "confirmation"
    )
    assert sorted(mail["recipient"] for mail in mails) == [
        "p1@example.lg.jp",
        "p2@example.lg.jp",
    ]


async def test_form_is_prefilled_with_the_registration(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    hr, kpi = discussion_ids(session)
    item, _ = session.sharing_items[1]
    await registered(
        tokens[OKAYAMA_PREF],
        person(1, topic_preferences=(kpi, hr), share_contact=True),
        plan_status="adopted",
        answers={item: "研修体系を整理"},
    )
    attendee = await Attendee.select().first()
    assert attendee is not None
    body = (await client.get(f"/r/{tokens[OKAYAMA_PREF]}")).text
    assert f'name="attendees-0-id" value="{attendee["id"]}"' in body
    assert 'name="attendees-0-name" value="参加者1"' in body
    assert 'name="attendees-1-id" value=""' in body
    assert 'value="adopted" checked' in body
    assert '<option value="staff" selected>一般職員</option>' in body
    assert 'name="attendees-0-share_contact" value="on" checked' in body
    assert f'name="sharing_answers-{item}" maxlength="2000">研修体系を整理</textarea>' in body
    rank_kpi = body.split(f'name="attendees-0-rank-{kpi}"', 1)[1].split("</select>", 1)[0]
    rank_hr = body.split(f'name="attendees-0-rank-{hr}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="1" selected>' in rank_kpi
    assert '<option value="2" selected>' in rank_hr
    assert "変更を保存する" in body
    assert f'href="/r/{tokens[OKAYAMA_PREF]}/cancel"' in body


async def test_editing_keeps_places_and_an_emptied_row_removes_the_person(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=2, per_municipality_limit=2)
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1), person(2))
    first, second = await Attendee.select().order_by(Attendee.id)
    form = {
        **row(
            0, id=str(first["id"]), name="参加者1", department="人事課", email="p1.x@example.lg.jp"
        ),
        "attendees-1-id": str(second["id"]),
        "plan_status": "drafting",
    }
    response = await post_form(client, f"/r/{token}", form)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{token}?done=changed&links=0&cancellations=1"
    page = (await client.get(response.headers["location"])).text
    assert "<p>登録内容を変更しました。</p>" in page
    assert "<p>1人に、参加取消のお知らせをメールでお送りします。</p>" in page
    assert "個人用ページへのリンクをメールでお送りします" not in page
    rows = await Attendee.select(
        Attendee.id, Attendee.department, Attendee.status, Attendee.token_hash
    ).order_by(Attendee.id)
    assert rows == [
        {
            "id": first["id"],
            "department": "人事課",
            "status": "confirmed",
            "token_hash": first["token_hash"],
        },
        {
            "id": second["id"],
            "department": "デジタル推進課",
            "status": "cancelled",
            "token_hash": second["token_hash"],
        },
    ]
    cancelled = await OutboxMessage.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "attendee_cancelled"
    )
    assert cancelled == [{"recipient": "p2.x@example.lg.jp"}]


async def test_a_change_that_mails_nobody_says_so(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1))
    [first] = await Attendee.select()
    queued = await OutboxMessage.count()
    form = {**row(0, id=str(first["id"]), department="人事課", email=first["email"])}
    response = await post_form(client, f"/r/{token}", {**form, "plan_status": "adopted"})
    assert response.headers["location"] == f"/r/{token}?done=changed&links=0&cancellations=0"
    assert await OutboxMessage.count() == queued
    page = (await client.get(response.headers["location"])).text
    assert "<p>登録内容を変更しました。</p>" in page
    assert "<p>この変更で参加者に送られるメールはありません。</p>" in page
    assert "お送りします" not in page


async def test_the_registration_form_sent_twice_registers_once_and_says_so(client: Any) -> None:
    """A double click or a browser's retry of the same POST: the second is no error and no
    second registration; the page says the delegation is registered with that content."""
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    form = {**row(0), **row(1), "plan_status": "drafting"}
    first = await post_form(client, f"/r/{token}", form)
    assert first.headers["location"] == f"/r/{token}?done=registered&links=2&cancellations=0"
    written = (*await registration_counts(), await AuditEntry.count())
    again = await post_form(client, f"/r/{token}", form)
    assert again.status_code == 303
    assert again.headers["location"] == f"/r/{token}?done=repeated&links=0&cancellations=0"
    assert (*await registration_counts(), await AuditEntry.count()) == written
    page = (await client.get(again.headers["location"])).text
    assert (
        "<p>この内容で参加登録済みです。同じ内容が再度送信されたため、登録は変えていません。</p>"
        in page
    )
    assert "<p>参加者へのメールは改めて送っていません。</p>" in page
    assert "お送りします" not in page and "この変更で" not in page
    assert page.count('<td data-label="状況">参加確定</td>') == 2


async def test_two_submits_at_once_register_once(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    form = {**row(0), "plan_status": "drafting"}
    answers = await asyncio.gather(
        post_form(client, f"/r/{token}", form), post_form(client, f"/r/{token}", form)
    )
    assert sorted(answer.headers["location"] for answer in answers) == [
        f"/r/{token}?done=registered&links=1&cancellations=0",
        f"/r/{token}?done=repeated&links=0&cancellations=0",
    ]
    assert (await Registration.count(), await Attendee.count()) == (1, 1)
    assert await OutboxMessage.count().where(OutboxMessage.kind == "confirmation") == 1


async def test_the_registration_form_sent_again_with_other_people_is_still_a_change(
    client: Any,
) -> None:
    """Only an identical form is a repeat: another one replaces the delegation, as before."""
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    await post_form(client, f"/r/{token}", {**row(0), "plan_status": "drafting"})
    other = await post_form(
        client, f"/r/{token}", {**row(0, email="p9@example.lg.jp"), "plan_status": "drafting"}
    )
    assert other.headers["location"] == f"/r/{token}?done=changed&links=1&cancellations=1"
    assert [a["email"] for a in await Attendee.select().where(Attendee.status == "confirmed")] == [
        "p9@example.lg.jp"
    ]


async def test_status_shows_who_waits_and_at_which_position(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=2)
    await registered(tokens[OKAYAMA_CITY], person(1, "b"), person(2, "b"))
    form = {**row(0), **row(1), "plan_status": "not_started"}
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    page = (await client.get(response.headers["location"])).text
    assert '<td data-label="状況">キャンセル待ち（1番目）</td>' in page
    assert '<td data-label="状況">キャンセル待ち（2番目）</td>' in page
    assert "参加者1(b)" not in page and "p1.b@example.lg.jp" not in page
    kinds = await OutboxMessage.select(OutboxMessage.kind).where(
        OutboxMessage.recipient.is_in(["p1@example.lg.jp", "p2@example.lg.jp"])
    )
    assert kinds == [{"kind": "waitlisted"}, {"kind": "waitlisted"}]


async def test_duplicate_ranks_are_refused_with_a_clear_message(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    hr, kpi = discussion_ids(session)
    form = {
        **row(0),
        f"attendees-0-rank-{hr}": "1",
        f"attendees-0-rank-{kpi}": "1",
        "plan_status": "drafting",
    }
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    assert response.status_code == 422
    body = response.text
    message = "参加者 1 の希望順位が重複しています。各順位は1テーマだけにしてください。"
    assert '<div class="error-summary" role="alert">' in body
    assert f'<a href="#attendees-0-topic_preferences">{message}</a>' in body
    assert f'<p class="field-error" id="attendees-0-topic_preferences-error">{message}</p>' in body
    assert (
        body.count('aria-invalid="true" aria-describedby="attendees-0-topic_preferences-error"')
        == 2
    )
    assert 'name="attendees-0-name" value="参加者1"' in body
    assert await registration_counts() == (0, 0, 0)


async def test_rank_problems_come_with_every_other_problem(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    hr, _ = discussion_ids(session)
    form = {**row(0, email="not-an-address"), f"attendees-0-rank-{hr}": "7"}
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    assert response.status_code == 422
    assert "参加者 1 の希望順位を選び直してください。" in response.text
    assert "参加者 1 のメールアドレスの形式が正しくありません。" in response.text
    assert "計画の策定状況を選んでください。" in response.text
    assert await registration_counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("form", "anchor", "message"),
    [
        (
            {**row(0), **row(1), **row(2), **row(3)},
            "attendees",
            "1自治体あたりの参加者は3人までです。",
        ),
        (
            row(0, email="yamada@@example"),
            "attendees-0-email",
            "参加者 1 のメールアドレスの形式が正しくありません。",
        ),
        (row(0, name=""), "attendees-0-name", "参加者 1 の氏名を入力してください。"),
        (
            row(0, email=""),
            "attendees-0-email",
            "参加者 1 のメールアドレスを入力してください。",
        ),
        (
            row(0, name="名" * 101),
            "attendees-0-name",
            "参加者 1 の氏名は100文字以内にしてください。",
        ),
        (
            row(0, department="課" * 201),
            "attendees-0-department",
            "参加者 1 の所属は200文字以内にしてください。",
        ),
        (row(0, position=""), "attendees-0-position", "参加者 1 の職位を選んでください。"),
        (
            {**row(0), **row(1, email="P1@example.lg.jp")},
            "attendees-1-email",
            "同じメールアドレス（p1@example.lg.jp）が2回入力されています。",
        ),
        ({}, "attendees", "参加者を1人以上入力してください。"),
    ],
)
async def test_bad_delegation_is_refused_with_nothing_written(
    client: Any, form: dict[str, str], anchor: str, message: str
) -> None:
    _, _, tokens = await open_session_with_links()
    response = await post_form(
        client, f"/r/{tokens[OKAYAMA_PREF]}", {**form, "plan_status": "drafting"}
    )
    assert response.status_code == 422
    assert f'<a href="#{anchor}">{message}</a>' in response.text
    assert "Traceback" not in response.text
    assert await registration_counts() == (0, 0, 0)


async def test_over_long_sharing_answer_is_refused(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    item, _ = session.sharing_items[0]
    form = {**row(0), "plan_status": "adopted", f"sharing_answers-{item}": "あ" * 2001}
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    assert response.status_code == 422
    assert f'<a href="#sharing_answers-{item}">共有内容は各2000文字以内にしてください。</a>' in (
        response.text
    )
    assert f'aria-describedby="sharing_answers-{item}-error"' in response.text
    assert await registration_counts() == (0, 0, 0)


async def test_an_email_registered_by_another_municipality_is_refused(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    await registered(tokens[OKAYAMA_CITY], person(1, email="shared@example.lg.jp"))
    before = await registration_counts()
    form = {**row(0, email="Shared@example.lg.jp"), "plan_status": "drafting"}
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    assert response.status_code == 422
    assert "このメールアドレスはすでにこの情報交換会に登録されています。" in response.text
    assert await registration_counts() == before


async def test_a_token_only_ever_reaches_its_own_registration(client: Any) -> None:
    """Okayama's link posting Okayama City's attendee id adds a person; the other stays intact."""
    _, _, tokens = await open_session_with_links()
    await registered(tokens[OKAYAMA_CITY], person(1, "city"))
    victim = await Attendee.select().first()
    assert victim is not None
    form = {
        **row(0, id=str(victim["id"]), name="乗っ取り", email="attacker@example.lg.jp"),
        "plan_status": "drafting",
    }
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    assert response.status_code == 303
    assert await Attendee.select().where(Attendee.id == victim["id"]).first() == victim
    registrations = await Registration.select(Registration.id, Registration.municipality)
    by_code = {r["municipality"]: r["id"] for r in registrations}
    assert await Attendee.count().where(Attendee.registration == by_code[OKAYAMA_CITY]) == 1
    added = await Attendee.select().where(Attendee.registration == by_code[OKAYAMA_PREF]).first()
    assert added is not None and added["name"] == "乗っ取り" and added["id"] != victim["id"]
    page = (await client.get(f"/r/{tokens[OKAYAMA_PREF]}")).text
    assert "参加者1" not in page and "p1.city@example.lg.jp" not in page


async def test_names_in_any_script_survive_and_are_escaped_on_every_page(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    form = {f"{k}": v for i, name in enumerate(NAMES) for k, v in row(i, name=name).items()}
    response = await post_form(client, f"/r/{token}", {**form, "plan_status": "adopted"})
    assert response.status_code == 303
    stored = [r["name"] for r in await Attendee.select(Attendee.name).order_by(Attendee.id)]
    assert stored == list(NAMES)
    page = (await client.get(f"/r/{token}")).text
    confirm = (await client.get(f"/r/{token}/cancel")).text
    assert '<td data-label="氏名">佐藤＆鈴木 &lt;共同&gt;</td>' in page
    assert 'value="佐藤＆鈴木 &lt;共同&gt;"' in page
    assert (
        '<td data-label="氏名">ﾔﾏﾀﾞ ﾊﾅｺ</td>' in page
        and '<td data-label="氏名">山田 太郎</td>' in page
    )
    assert "<li>佐藤＆鈴木 &lt;共同&gt;（デジタル推進課）</li>" in confirm
    assert "<共同>" not in page and "<共同>" not in confirm


async def test_after_the_deadline_the_registration_is_read_only(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await ExchangeSession.update({ExchangeSession.registration_deadline: past}).where(
        ExchangeSession.id == session.id
    )
    closed = "参加登録の受付は終了しています。変更が必要な場合は主催者にご連絡ください。"
    page = await client.get(f"/r/{token}")
    assert page.status_code == 200
    assert f'<p class="notice warning" role="status">{closed}</p>' in page.text
    assert '<td data-label="氏名">参加者1</td>' in page.text
    assert 'class="delegation-form"' not in page.text
    assert "参加登録を取り消す" not in page.text
    before = await registration_counts()
    refused = await post_form(
        client, f"/r/{token}", {**row(0, name="変更"), "plan_status": "adopted"}
    )
    assert refused.status_code == 409
    assert closed in refused.text
    cancel = await post_form(client, f"/r/{token}/cancel")
    assert cancel.status_code == 409
    assert closed in cancel.text
    assert await registration_counts() == before
    assert await Attendee.select(Attendee.name, Attendee.status) == [
        {"name": "参加者1", "status": "confirmed"}
    ]


async def test_closed_and_draft_sessions_say_why_nothing_can_be_changed(client: Any) -> None:
    organizer, session, tokens = await open_session_with_links()
    await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    closed = (await client.get(f"/r/{tokens[OKAYAMA_PREF]}")).text
    assert "参加登録の受付は終了しています。" in closed
    assert 'class="delegation-form"' not in closed


async def test_cancelling_asks_for_confirmation_then_frees_the_places(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=1)
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1, "a"))
    await registered(tokens[OKAYAMA_CITY], person(1, "b"))
    confirm = await client.get(f"/r/{token}/cancel")
    assert confirm.status_code == 200
    assert confirm.headers["cache-control"] == "no-store"
    assert "<li>参加者1（デジタル推進課）</li>" in confirm.text
    assert f'<form method="post" action="/r/{token}/cancel">' in confirm.text
    assert await Registration.count().where(Registration.status == "cancelled") == 0
    response = await post_form(client, f"/r/{token}/cancel")
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{token}?done=cancelled&links=0&cancellations=1"
    page = (await client.get(response.headers["location"])).text
    assert "<p>参加登録を取り消しました。</p>" in page
    assert "<p>1人に、参加取消のお知らせをメールでお送りします。</p>" in page
    assert '<h2 id="form-heading">参加登録</h2>' in page
    assert await Attendee.select(Attendee.email, Attendee.status).order_by(Attendee.id) == [
        {"email": "p1.a@example.lg.jp", "status": "cancelled"},
        {"email": "p1.b@example.lg.jp", "status": "confirmed"},
    ]
    kinds = [r["kind"] for r in await OutboxMessage.select(OutboxMessage.kind)]
    assert "attendee_cancelled" in kinds and "promoted" in kinds


async def test_cancel_needs_the_csrf_token(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    await registered(tokens[OKAYAMA_PREF], person(1))
    await csrf_token(client)
    response = await client.post(f"/r/{tokens[OKAYAMA_PREF]}/cancel")
    assert response.status_code == 403
    assert await Registration.select(Registration.status) == [{"status": "confirmed"}]


async def test_cancel_without_a_registration_says_so(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    confirm = await client.get(f"/r/{token}/cancel")
    assert "取り消す参加登録はありません。" in confirm.text
    assert f'action="/r/{token}/cancel"' not in confirm.text
    response = await post_form(client, f"/r/{token}/cancel")
    assert response.status_code == 404
    assert "この自治体の参加登録はまだありません。" in response.text
    assert await registration_counts() == (0, 0, 0)


async def _bad_tokens() -> dict[str, str]:
    organizer, session, tokens = await open_session_with_links()
    await revoke(organizer, session.id, OKAYAMA_CITY)
    await reissue_link(organizer, session.id, HIROSHIMA_CITY)
    return {
        "unknown": "A" * 32,
        "malformed": "not-a-token",
        "revoked": tokens[OKAYAMA_CITY],
        "replaced": tokens[HIROSHIMA_CITY],
    }


async def test_invalid_links_all_get_the_same_plain_404_page(client: Any) -> None:
    pages = {}
    for case, token in (await _bad_tokens()).items():
        response = await client.get(f"/r/{token}")
        assert response.status_code == 404, case
        assert response.headers["content-type"] == HTML
        assert f'<p role="alert">{INVALID_LINK}</p>' in response.text
        assert "Traceback" not in response.text
        pages[case] = response.text.replace(token, "TOKEN")
    assert len(set(pages.values())) == 1


@pytest.mark.parametrize("path", ["", "/cancel"])
async def test_posting_to_an_invalid_link_changes_nothing(client: Any, path: str) -> None:
    for token in (await _bad_tokens()).values():
        response = await post_form(
            client, f"/r/{token}{path}", {**row(0), "plan_status": "drafting"}
        )
        assert response.status_code == 404
        assert INVALID_LINK in response.text
    assert await registration_counts() == (0, 0, 0)


async def test_link_tokens_never_reach_the_logs(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _, _, tokens = await open_session_with_links()
    caplog.set_level(logging.DEBUG)
    for token in (*tokens.values(), "B" * 32):
        await client.get(f"/r/{token}")
        await post_form(client, f"/r/{token}", {**row(0, email="bad"), "plan_status": "x"})
    # httpx is the test's own client logging what it requested; everything else is the server.
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert [
        line for line in server_lines if any(t in line for t in (*tokens.values(), "B" * 32))
    ] == []


async def test_removing_one_attendee_asks_first_lists_them_as_removed_and_restores_them(
    client: Any,
) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1), person(2))
    first, second = await Attendee.select().order_by(Attendee.id)
    page = (await client.get(f"/r/{token}")).text
    remove = f"/r/{token}/attendees/{second['id']}/remove"
    assert f'<a href="{remove}">取り消す' in page

    confirm = await client.get(remove)
    assert confirm.status_code == 200
    assert "参加者2様（デジタル推進課）の参加登録を取り消します。" in confirm.text
    assert f'<form method="post" action="{remove}">' in confirm.text
    assert (await Attendee.select(Attendee.status).order_by(Attendee.id))[1] == {
        "status": "confirmed"
    }

    response = await post_form(client, remove)
    assert response.headers["location"] == f"/r/{token}?done=removed&links=0&cancellations=1"
    page = (await client.get(response.headers["location"])).text
    assert "<p>参加者1人の登録を取り消しました。締切までは「元に戻す」で戻せます。</p>" in page
    assert '<td data-label="状況"><strong>取消済</strong></td>' in page
    assert f'<a href="/r/{token}/attendees/{first["id"]}/remove">' not in page  # the last one
    [cancelled] = await OutboxMessage.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "attendee_cancelled"
    )
    assert cancelled == {"recipient": second["email"]}
    link = await client.get(f"/a/{attendee_token(second)}")
    assert link.status_code == 404
    assert "参加登録は取り消されました。" in link.text

    restored = await post_form(client, f"/r/{token}/attendees/{second['id']}/restore")
    assert restored.headers["location"] == f"/r/{token}?done=restored&links=1&cancellations=0"
    assert (await Attendee.select(Attendee.status).order_by(Attendee.id))[1] == {
        "status": "confirmed"
    }
    assert (await client.get(f"/a/{attendee_token(second)}")).status_code == 200


async def test_the_last_attendee_cannot_be_removed_alone(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1))
    [only] = await Attendee.select()
    response = await post_form(client, f"/r/{token}/attendees/{only['id']}/remove")
    assert response.status_code == 409
    assert "最後の1人は取り消せません。" in response.text
    assert (await Attendee.select(Attendee.status).first()) == {"status": "confirmed"}


async def test_an_attendee_of_another_municipality_cannot_be_removed(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    await registered(tokens[OKAYAMA_CITY], person(1, "b"), person(2, "b"))
    await registered(tokens[OKAYAMA_PREF], person(1), person(2))
    other = await Attendee.select().order_by(Attendee.id).first()
    assert other is not None
    response = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}/attendees/{other['id']}/remove")
    assert response.status_code == 404
    assert await Attendee.count().where(Attendee.status == "cancelled") == 0
