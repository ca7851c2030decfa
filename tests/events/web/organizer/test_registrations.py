"""The organizer's registrations page and CSV download: who may see them, and what they show."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from events.registrations.registrations import register
from tests.factories import delegation, make_organizer, make_session, open_session, person
from tests.helpers import sign_in
from tests.spreadsheets import assert_same_as_csv, xlsx_sheet

CODES = ("330001", "331007", "341002")


async def registered_session() -> tuple[Any, int]:
    """Capacity 2: 岡山県 takes both places (one name is hostile HTML), 岡山県岡山市 waits."""
    organizer, accesses = await open_session(capacity=2, codes=CODES)
    session = accesses["330001"].session
    first_item = session.sharing_items[0][0]
    await register(
        accesses["330001"],
        delegation(
            person(1, "a", name="佐藤＆鈴木 <共同>"),
            person(2, "a", name='=HYPERLINK("http://evil.example/")', department="@x"),
            plan_status="adopted",
            answers={item_id: "回答" for item_id, _ in session.sharing_items},
        ),
    )
    await register(
        accesses["331007"], delegation(person(1, "b", name="ﾊﾝｶｸ"), answers={first_item: "a"})
    )
    return organizer, session.id


@pytest.mark.parametrize(
    ("path", "next_path"),
    [
        ("/registrations", "%2Forganizer%2Fsessions%2F{id}%2Fregistrations"),
        (
            "/registrations.csv?include_cancelled=1",
            "%2Forganizer%2Fsessions%2F{id}%2Fregistrations.csv%3Finclude_cancelled%3D1",
        ),
    ],
)
async def test_anonymous_visitor_is_sent_to_sign_in(client: Any, path: str, next_path: str) -> None:
    _, session_id = await registered_session()
    response = await client.get(f"/organizer/sessions/{session_id}{path}")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + next_path.format(id=session_id)


@pytest.mark.parametrize("path", ["/registrations", "/registrations.csv"])
async def test_another_organizer_is_forbidden(client: Any, path: str) -> None:
    _, session_id = await registered_session()
    stranger = await make_organizer()
    await sign_in(client, stranger.email)
    response = await client.get(f"/organizer/sessions/{session_id}{path}")
    assert response.status_code == 403
    assert "このシリーズを操作する権限がありません。" in response.text
    assert "佐藤" not in response.text


@pytest.mark.parametrize("path", ["/registrations", "/registrations.csv"])
async def test_admin_may_see_any_session(client: Any, path: str) -> None:
    _, session_id = await registered_session()
    admin = await make_organizer(admin=True)
    await sign_in(client, admin.email)
    response = await client.get(f"/organizer/sessions/{session_id}{path}")
    assert response.status_code == 200
    assert "ﾊﾝｶｸ" in response.content.decode("utf-8-sig")


async def test_unknown_session_is_a_404_page(client: Any) -> None:
    admin = await make_organizer(admin=True)
    await sign_in(client, admin.email)
    response = await client.get("/organizer/sessions/999999/registrations")
    assert response.status_code == 404
    assert "情報交換会が見つかりません。" in response.text


async def test_page_shows_totals_delegations_waitlist_and_missing_answers(client: Any) -> None:
    organizer, session_id = await registered_session()
    await sign_in(client, organizer.email)
    response = await client.get(f"/organizer/sessions/{session_id}/registrations")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    # Each cell's label for the cards of a narrow screen aside, the table as a table.
    body = re.sub(r' data-label="[^"]*"', "", response.text)
    assert "<dt>参加確定</dt><dd>2 / 定員 2 人</dd>" in body
    assert "<dt>キャンセル待ち</dt><dd>1 人</dd>" in body
    assert "<dt>登録自治体</dt><dd>2 / 招待 3 団体</dd>" in body
    assert "<td>佐藤＆鈴木 &lt;共同&gt;</td>" in body
    assert "<共同>" not in body
    assert "<td>=HYPERLINK(&#34;http://evil.example/&#34;)</td>" in body
    assert "<td>キャンセル待ち（1番目）</td>" in body
    assert '<tr><th scope="row">岡山県</th><td>2</td><td>2</td><td>1</td></tr>' in body
    assert (
        '<tr><th scope="row">1</th><td>岡山県岡山市</td><td>ﾊﾝｶｸ</td><td>デジタル推進課</td>'
        "<td>p1.b@example.lg.jp</td></tr>"
    ) in body
    assert (
        '<tr><th scope="row">岡山県岡山市</th><td><ul class="plain-list">'
        "<li>DX人材育成計画の概要</li>"
        "<li>研修対象者の設定の仕方</li><li>具体的な研修内容</li></ul></td></tr>"
    ) in body
    assert '<tr><th scope="row">広島県広島市</th><td>広島県</td><td>—</td></tr>' in body
    assert 'href="/organizer/municipalities/330001/participation"' in body


async def test_session_without_invitations_says_so(client: Any) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await sign_in(client, organizer.email)
    body = (await client.get(f"/organizer/sessions/{session.id}/registrations")).text
    assert "<dt>登録自治体</dt><dd>0 / 招待 0 団体</dd>" in body
    assert body.count("まだ参加登録はありません。") == 3
    assert "キャンセル待ちの人はいません。" in body
    assert "まだどの自治体も招待していません。" in body


async def test_csv_download_is_excel_ready(client: Any) -> None:
    organizer, session_id = await registered_session()
    await sign_in(client, organizer.email)
    response = await client.get(f"/organizer/sessions/{session_id}/registrations.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="registrations-session-{session_id}-')
    assert "filename*=UTF-8''%E5%8F%82%E5%8A%A0%E8%80%85%E4%B8%80%E8%A6%A7_" in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.count(b"\r\n") == 4
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [(row[3], row[4], row[8], row[9]) for row in rows[1:]] == [
        ("佐藤＆鈴木 <共同>", "デジタル推進課", "参加確定", ""),
        ('\'=HYPERLINK("http://evil.example/")', "'@x", "参加確定", ""),
        ("ﾊﾝｶｸ", "デジタル推進課", "キャンセル待ち", "1"),
    ]


async def test_everyone_registered_and_answered_says_so(client: Any) -> None:
    organizer, accesses = await open_session(codes=("330001",))
    session = accesses["330001"].session
    answers = {item_id: "回答" for item_id, _ in session.sharing_items}
    await register(accesses["330001"], delegation(person(1), answers=answers))
    await sign_in(client, organizer.email)
    body = (await client.get(f"/organizer/sessions/{session.id}/registrations")).text
    assert "登録済みの自治体はすべての共有項目に回答しています。" in body
    assert "招待したすべての自治体が登録しています。" in body


async def test_xlsx_download_is_the_csv_with_codes_as_text(client: Any) -> None:
    organizer, session_id = await registered_session()
    await sign_in(client, organizer.email)
    base = f"/organizer/sessions/{session_id}/registrations"
    sheet = xlsx_sheet(await client.get(f"{base}.xlsx"))
    assert_same_as_csv(sheet, await client.get(f"{base}.csv"))
    assert sheet["A1"].value == "団体コード"
    assert sheet["A2"].data_type == "s"
    assert sheet["D3"].value == '=HYPERLINK("http://evil.example/")'
    page = (await client.get(base)).text
    assert f'href="{base}.xlsx"' in page
    assert f'href="{base}.xlsx?include_cancelled=1"' in page
