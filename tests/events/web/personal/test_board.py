"""Board pages: the attendee's list, question, ask, answer and edit forms; the organizer's pages."""

from __future__ import annotations

from typing import TypedDict, Unpack

import httpx
import pytest

from events.board.access import member_by_token
from events.board.mail import subscription, unsubscribe_link
from events.board.posts import QuestionInput, answer, ask
from events.reports.drafts import generate_report
from events.reports.notes import record_note
from events.reports.publishing import publish
from events.sessions.exchange_sessions import get_session
from events.tables import BoardAnswer, BoardModeration, BoardQuestion, BoardSubscription
from tests.factories import (
    BOARD_CODES,
    BoardWorld,
    board_world,
    held_seed_session,
    make_organizer,
)
from tests.helpers import post_form, sign_in_as

OKAYAMA, OKAYAMA_CITY, HIROSHIMA_CITY = BOARD_CODES
TITLE = "研修受講歴を人事部門とどう共有していますか"
INVALID_LINK = (
    "このリンクは無効です。メールに記載のリンクをもう一度ご確認いただくか、"
    "主催者にお問い合わせください。"
)


@pytest.fixture
async def world() -> BoardWorld:
    return await board_world()


class QuestionFields(TypedDict, total=False):
    """Fields of QuestionInput that a test replaces."""

    title: str
    body: str
    themes: tuple[str, ...]
    segment_id: int | None
    item_id: int | None
    series_id: int | None


async def asked(
    world: BoardWorld, code: str = OKAYAMA_CITY, **overrides: Unpack[QuestionFields]
) -> int:
    data: QuestionFields = {
        "title": TITLE,
        "body": "受講歴の管理方法を教えてください。",
        **overrides,
    }
    return await ask(await member_by_token(world.tokens[code]), QuestionInput(**data))


def board(world: BoardWorld, code: str, suffix: str = "") -> str:
    return f"/a/{world.tokens[code]}/board{suffix}"


async def test_visibility_matrix_on_every_page(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(world)
    page = f"/questions/{question_id}"
    member = await client.get(board(world, OKAYAMA, page))
    assert member.status_code == 200
    assert member.headers["cache-control"] == "no-store"
    assert f"<h1>{TITLE}</h1>" in member.text
    index = await client.get(board(world, HIROSHIMA_CITY))
    assert TITLE in index.text
    outsider = await client.get(f"/a/{world.outsider_token}/board{page}")
    assert outsider.status_code == 404
    assert TITLE not in (await client.get(f"/a/{world.outsider_token}/board")).text
    coordinator = await client.get(f"/a/{world.coordinator_tokens[OKAYAMA]}/board")
    assert coordinator.status_code == 404
    assert INVALID_LINK in coordinator.text
    organizer_page = f"/organizer/series/{world.series_id}/board"
    anonymous = await client.get(organizer_page)
    assert anonymous.status_code == 303
    for public in ("/", "/sessions", f"/sessions/{world.session.id}", "/municipalities/341002"):
        assert TITLE not in (await client.get(public)).text
    await sign_in_as(client, await make_organizer())
    assert (await client.get(organizer_page)).status_code == 403
    await sign_in_as(client, world.organizer)
    moderator = await client.get(organizer_page)
    assert moderator.status_code == 200
    assert TITLE in moderator.text


async def test_ask_form_posts_a_question_and_shows_it_escaped(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    form = await client.get(board(world, OKAYAMA, "/ask"))
    assert form.status_code == 200
    assert '<option value="segment:' in form.text
    response = await post_form(
        client,
        board(world, OKAYAMA, "/ask"),
        {
            "title": "<script>alert(1)</script>の件",
            "body": "詳細は https://example.jp/?a=1&b=2 を参照\n・<b>太字</b>",
            "themes": "#人事、KPI",
        },
    )
    assert response.status_code == 303
    [row] = await BoardQuestion.select()
    assert response.headers["location"] == board(
        world, OKAYAMA, f"/questions/{row['id']}?done=asked"
    )
    page = await client.get(response.headers["location"])
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;の件</h1>" in page.text
    assert "<script>alert(1)" not in page.text
    assert (
        '<a href="https://example.jp/?a=1&amp;b=2" rel="nofollow noopener noreferrer ugc">'
        in page.text
    )
    assert "<ul><li>&lt;b&gt;太字&lt;/b&gt;</li></ul>" in page.text
    assert "#人事</a>" in page.text and "#KPI</a>" in page.text


async def test_empty_and_oversized_posts_come_back_with_errors_on_their_fields(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    empty = await post_form(client, board(world, OKAYAMA, "/ask"), {"title": "", "body": ""})
    assert empty.status_code == 422
    assert '<a href="#title">件名を入力してください。</a>' in empty.text
    assert 'aria-invalid="true" aria-describedby="title-error"' in empty.text
    assert '<p class="field-error" id="body-error">本文を入力してください。</p>' in empty.text
    question_id = await asked(world)
    too_long = await post_form(
        client, board(world, OKAYAMA, f"/questions/{question_id}/answers"), {"body": "あ" * 4001}
    )
    assert too_long.status_code == 422
    assert "本文は4000文字以内にしてください（現在4001文字）。" in too_long.text
    assert await BoardAnswer.count() == 0


async def test_posting_without_csrf_token_is_refused(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    response = await client.post(board(world, OKAYAMA, "/ask"), data={"title": "a", "body": "b"})
    assert response.status_code == 403
    assert await BoardQuestion.count() == 0


async def test_answer_mark_helpful_and_edit_from_the_pages(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(world)
    answered = await post_form(
        client,
        board(world, HIROSHIMA_CITY, f"/questions/{question_id}/answers"),
        {"body": "人事システムに登録しています"},
    )
    assert answered.status_code == 303
    [row] = await BoardAnswer.select()
    page = (await client.get(board(world, OKAYAMA_CITY, f"/questions/{question_id}"))).text
    assert "広島市 デジタル推進課" in page and "参加者341002の1" not in page
    assert f'action="/a/{world.tokens[OKAYAMA_CITY]}/board/answers/{row["id"]}/helpful"' in page
    helper_page = (await client.get(board(world, HIROSHIMA_CITY, f"/questions/{question_id}"))).text
    assert "/helpful" not in helper_page
    assert f"/answers/{row['id']}/edit" in helper_page
    marked = await post_form(
        client,
        board(world, OKAYAMA_CITY, f"/answers/{row['id']}/helpful"),
        {"resolved": "yes"},
    )
    assert marked.status_code == 303
    assert (await BoardQuestion.select(BoardQuestion.status).first()) == {"status": "resolved"}
    refused = await post_form(client, board(world, HIROSHIMA_CITY, f"/answers/{row['id']}/helpful"))
    assert refused.status_code == 403
    edited = await post_form(
        client, board(world, HIROSHIMA_CITY, f"/answers/{row['id']}/edit"), {"body": "訂正版"}
    )
    assert edited.status_code == 303
    assert (await BoardAnswer.select(BoardAnswer.body).first()) == {"body": "訂正版"}
    stranger = await post_form(
        client, board(world, OKAYAMA, f"/answers/{row['id']}/edit"), {"body": "乗っ取り"}
    )
    assert stranger.status_code == 403
    assert (await BoardAnswer.select(BoardAnswer.body).first()) == {"body": "訂正版"}


async def test_search_theme_and_status_filters_on_the_list(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    await asked(world, themes=())
    member = await member_by_token(world.tokens[OKAYAMA])
    await ask(member, QuestionInput(title="KPIの測り方", body="100%の基準", themes=("KPI",)))
    listing = await client.get(board(world, HIROSHIMA_CITY), params={"q": "人事"})
    assert TITLE in listing.text and "KPIの測り方" not in listing.text
    by_theme = await client.get(board(world, HIROSHIMA_CITY), params={"theme": "KPI"})
    assert TITLE not in by_theme.text and "KPIの測り方" in by_theme.text
    wildcard = await client.get(board(world, HIROSHIMA_CITY), params={"q": "_"})
    assert "条件に合う相談はありません。" in wildcard.text
    resolved = await client.get(board(world, HIROSHIMA_CITY), params={"status": "resolved"})
    assert TITLE not in resolved.text


async def test_question_page_links_practices_and_suggests_municipalities(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    member = await member_by_token(world.tokens[OKAYAMA])
    question_id = await ask(
        member, QuestionInput(title="受講歴の扱い", body="教えてください", themes=("研修受講歴",))
    )
    page = (await client.get(board(world, OKAYAMA, f"/questions/{question_id}"))).text
    assert "<strong>広島県広島市</strong>" in page
    assert "研修受講歴を人事システムに登録し" in page
    assert "<li>広島県広島市（取組を共有: 1件）</li>" in page
    assert "<li>岡山県岡山市（計画策定済）</li>" in page


async def test_question_page_links_published_reports_on_its_themes(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    other = await make_organizer()
    held, _ = await held_seed_session(other, title="第9回 情報交換会")
    await record_note(other, held.id, None, "研修受講歴の共有について意見交換しました。")
    draft = await generate_report(other, held.id)
    await publish(other, draft.id)
    member = await member_by_token(world.tokens[OKAYAMA])
    on_theme = await ask(
        member, QuestionInput(title="受講歴", body="教えて", themes=("研修受講歴",))
    )
    off_theme = await ask(member, QuestionInput(title="別件", body="教えて", themes=("防災",)))

    page = (await client.get(board(world, OKAYAMA, f"/questions/{on_theme}"))).text
    unrelated = (await client.get(board(world, OKAYAMA, f"/questions/{off_theme}"))).text

    assert "同じテーマの開催レポート" in page
    assert f'href="/reports/{draft.id}/v1"' in page
    assert "同じテーマの開催レポート" not in unrelated


async def test_mail_setting_and_one_click_unsubscribe_without_sign_in(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    saved = await post_form(client, board(world, OKAYAMA, "/mail"), {"mode": "immediate"})
    assert saved.status_code == 303
    email = world.people[OKAYAMA]["email"]
    row = await subscription(email)
    assert row["mode"] == "immediate"
    path = unsubscribe_link(row).removeprefix("http://tsunagu.test")
    page = await client.get(path)
    assert page.status_code == 200 and "メール通知を停止する" in page.text
    fresh = httpx.AsyncClient(transport=client._transport, base_url="http://tsunagu.test")
    one_click = await fresh.post(path, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert (await BoardSubscription.select(BoardSubscription.mode).first()) == {"mode": "off"}
    assert (await client.get("/board/unsubscribe/" + "x" * 32)).status_code == 404


async def test_organizer_hides_and_locks_with_an_audit_trail(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(world)
    await answer(await member_by_token(world.tokens[OKAYAMA]), question_id, "不適切な回答")
    [row] = await BoardAnswer.select()
    moderate_path = f"/organizer/series/{world.series_id}/board/moderate"
    await sign_in_as(client, await make_organizer())
    refused = await post_form(client, moderate_path, {"answer": str(row["id"]), "action": "hide"})
    assert refused.status_code == 403
    assert await BoardModeration.count() == 0
    await sign_in_as(client, world.organizer)
    hidden = await post_form(
        client, moderate_path, {"answer": str(row["id"]), "action": "hide", "reason": "誤投稿"}
    )
    assert hidden.status_code == 303
    member_page = (await client.get(board(world, OKAYAMA_CITY, f"/questions/{question_id}"))).text
    assert "不適切な回答" not in member_page
    organizer_page = await client.get(hidden.headers["location"])
    assert "不適切な回答" in organizer_page.text and "非表示" in organizer_page.text
    locked = await post_form(
        client, moderate_path, {"question": str(question_id), "action": "lock"}
    )
    assert locked.status_code == 303
    refused_answer = await post_form(
        client, board(world, HIROSHIMA_CITY, f"/questions/{question_id}/answers"), {"body": "a"}
    )
    assert refused_answer.status_code == 409
    log = (await client.get(f"/organizer/series/{world.series_id}/board")).text
    assert "回答を締め切り" in log and "誤投稿" in log


async def test_organizer_promotes_a_question_into_the_next_sessions_agenda(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(world)
    await sign_in_as(client, world.organizer)
    page = await client.get(f"/organizer/series/{world.series_id}/board/questions/{question_id}")
    assert "次回のテーマにする" in page.text
    response = await post_form(
        client, f"/organizer/series/{world.series_id}/board/questions/{question_id}/promote"
    )
    assert response.status_code == 303
    agenda = (await get_session(world.next_session_id)).agenda
    assert (agenda[-1].kind, agenda[-1].title) == ("discussion", TITLE)
    again = await client.get(response.headers["location"])
    assert "この相談はすでに意見交換テーマになっています。" in again.text


async def test_organizer_board_pages_are_for_the_series_organizer_and_admins(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    from tests.helpers import assert_organizer_only

    question_id = await asked(world)
    base = f"/organizer/series/{world.series_id}/board"
    admin = await assert_organizer_only(client, "GET", base)
    assert TITLE in admin.text
    client.cookies.clear()
    await assert_organizer_only(client, "GET", f"{base}/questions/{question_id}")
    client.cookies.clear()
    await assert_organizer_only(
        client,
        "POST",
        f"{base}/moderate",
        {"question": str(question_id), "action": "lock"},
        admin_status=303,
    )
    assert [r["action"] for r in await BoardModeration.select()] == ["lock"]


async def test_attendee_page_links_the_board(client: httpx.AsyncClient, world: BoardWorld) -> None:
    page = await client.get(f"/a/{world.tokens[OKAYAMA]}")
    assert (
        f'<a href="/a/{world.tokens[OKAYAMA]}/board">相談ボード（参加自治体への相談）</a>'
        in page.text
    )
