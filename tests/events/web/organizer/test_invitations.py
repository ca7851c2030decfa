"""The invitation picker: defaults, narrowing, search, links shown once, reissue and revoke."""

from __future__ import annotations

import re
from typing import Any

import pytest

from events.invitations.invitations import access_by_token, invite, list_invitations
from events.lib.tokens import hash_token
from events.organizing.session_actions import transition
from events.sessions.lifecycle import Transition
from events.tables import Invitation
from networking.municipalities import codes_in_area
from networking.regions import CHUSHIKOKU
from tests.factories import SEED_MUNICIPALITIES, make_organizer, make_session
from tests.helpers import assert_organizer_only, post_form, sign_in_as, signed_in_organizer

CHECKED = re.compile(r'<input type="checkbox" id="code-(\d{6})" name="code" value="\d{6}" checked>')
UNCHECKED = re.compile(r'<input type="checkbox" id="code-(\d{6})" name="code" value="\d{6}">')
LINK = re.compile(r'id="link-(\d{6})" type="text" readonly value="(http://tsunagu\.test/r/[^"]+)"')

ROUTES = [
    ("GET", "/organizer/sessions/{session}/invitations?q=331007", {}, 200),
    ("POST", "/organizer/sessions/{session}/invitations", {"action": "search", "q": "岡山"}, 200),
    (
        "POST",
        "/organizer/sessions/{session}/invitations",
        {"action": "invite", "code": "331007"},
        200,
    ),
    ("POST", "/organizer/sessions/{session}/invitations/330001/reissue", {}, 200),
    ("POST", "/organizer/sessions/{session}/invitations/330001/revoke", {}, 303),
]


@pytest.mark.parametrize(("method", "path", "data", "admin_status"), ROUTES)
async def test_invitation_pages_are_for_the_series_owner_and_admins(
    client: Any, method: str, path: str, data: dict[str, str], admin_status: int
) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(organizer, session.id, ["330001"])
    before = await Invitation.select(Invitation.municipality, Invitation.token_hash)
    url = path.format(session=session.id)
    response = await assert_organizer_only(client, method, url, data, admin_status=admin_status)
    assert response.headers["cache-control"] == "no-store"
    if method == "GET" or data.get("action") == "search":
        assert await Invitation.select(Invitation.municipality, Invitation.token_hash) == before


async def test_stranger_cannot_invite_reissue_or_revoke(client: Any) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(organizer, session.id, ["330001"])
    before = await Invitation.select()
    await signed_in_organizer(client)
    base = f"/organizer/sessions/{session.id}/invitations"
    for path, data in (
        (base, {"action": "invite", "code": "331007"}),
        (f"{base}/330001/reissue", {}),
        (f"{base}/330001/revoke", {}),
    ):
        assert (await post_form(client, path, data)).status_code == 403
    assert await Invitation.select() == before


async def test_picker_ticks_every_local_government_of_the_region(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    response = await client.get(f"/organizer/sessions/{session.id}/invitations")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    region = await codes_in_area(CHUSHIKOKU)
    assert CHECKED.findall(body) == region
    assert UNCHECKED.findall(body) == []
    assert ">211団体を選んでいます。</p>" in body
    legends = re.findall(r"<legend>(.+)</legend>", body)
    assert legends == [
        "鳥取県",
        "島根県",
        "岡山県",
        "広島県",
        "山口県",
        "徳島県",
        "香川県",
        "愛媛県",
        "高知県",
    ]
    assert '<label for="code-331007">岡山県岡山市</label>' in body
    label = '<label class="visually-hidden" for="email-331007">'
    assert f"{label}岡山県岡山市の連絡先メールアドレス（任意）</label>" in body
    assert "まだ招待した自治体はありません。" in body


async def test_clear_all_unticks_everything_and_keeps_what_was_typed(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    region = await codes_in_area(CHUSHIKOKU)
    response = await post_form(
        client,
        f"/organizer/sessions/{session.id}/invitations",
        {"action": "clear_all", "code": region, "email-331007": "kikaku@city.okayama.example.jp"},
    )
    assert response.status_code == 200
    assert CHECKED.findall(response.text) == []
    assert UNCHECKED.findall(response.text) == region
    assert 'name="email-331007" value="kikaku@city.okayama.example.jp"' in response.text
    assert ">0団体を選んでいます。</p>" in response.text
    assert await Invitation.count() == 0


async def test_narrowing_to_the_seven_of_the_seed_session_shows_their_links(
    client: Any,
) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    response = await post_form(
        client,
        f"/organizer/sessions/{session.id}/invitations",
        {
            "action": "invite",
            "code": list(SEED_MUNICIPALITIES),
            "email-331007": "Kikaku@City.Okayama.example.jp",
            "email-312011": "ignored@example.jp",  # not ticked: not used
        },
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    links = LINK.findall(response.text)
    assert [code for code, _ in links] == list(SEED_MUNICIPALITIES)
    for code, link in links:
        access = await access_by_token(link.rsplit("/", 1)[1])
        assert (access.municipality_code, access.session.id) == (code, session.id)
    names = ["岡山県", "岡山県岡山市", "広島県広島市", "島根県", "山口県", "香川県", "高知県"]
    copy_text = response.text.split('<textarea id="all-links" readonly rows="7">')[1].split(
        "</textarea>"
    )[0]
    assert copy_text == "".join(
        f"{name}\t{link}\n" for name, (_, link) in zip(names, links, strict=True)
    )
    assert response.text.count('<td data-label="状況">新しく発行</td>') == 7
    stored = await list_invitations(session.id)
    assert sorted(row["municipality"] for row in stored) == sorted(SEED_MUNICIPALITIES)
    assert {
        row["municipality"]: row["contact_email"] for row in stored if row["contact_email"]
    } == {"331007": "kikaku@city.okayama.example.jp"}
    assert sorted(row["token_hash"] for row in stored) == sorted(
        hash_token(link.rsplit("/", 1)[1]) for _, link in links
    )
    picker = (await client.get(f"/organizer/sessions/{session.id}/invitations")).text
    assert "招待済みの自治体（7団体）" in picker
    assert set(CHECKED.findall(picker)).isdisjoint(SEED_MUNICIPALITIES)
    assert len(CHECKED.findall(picker)) == 211 - 7
    assert LINK.findall(picker) == links  # in the order invited


async def test_search_adds_a_municipality_from_outside_the_region(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    base = f"/organizer/sessions/{session.id}/invitations"
    found = await client.get(base, params={"q": "さっぽろ"})
    assert '<p role="status">「さっぽろ」の検索結果: 1件</p>' in found.text
    assert '<input type="checkbox" id="found-011002" name="code" value="011002">' in found.text
    ticked = await post_form(
        client, base, {"action": "search", "q": "岡山", "code": ["011002", "331007"]}
    )
    assert CHECKED.findall(ticked.text) == ["011002", "331007"]
    assert "<legend>北海道</legend>" in ticked.text
    assert "岡山県岡山市 — 下の一覧にあります" in ticked.text
    invited = await post_form(client, base, {"action": "invite", "code": ["011002"]})
    assert [code for code, _ in LINK.findall(invited.text)] == ["011002"]


async def test_nothing_ticked_or_a_bad_address_writes_nothing(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    base = f"/organizer/sessions/{session.id}/invitations"
    nothing = await post_form(client, base, {"action": "invite"})
    assert nothing.status_code == 400
    assert '<li><a href="#codes">招待する自治体を選んでください。</a></li>' in nothing.text
    bad = await post_form(
        client, base, {"action": "invite", "code": ["330001"], "email-330001": "not-an-address"}
    )
    assert bad.status_code == 400
    message = "330001 の連絡先メールアドレスの形式が正しくありません。"
    assert f'<li><a href="#email-330001">{message}</a></li>' in bad.text
    invalid = 'aria-invalid="true" aria-describedby="email-330001-error"'
    assert f'value="not-an-address" maxlength="254" {invalid}' in bad.text
    assert CHECKED.findall(bad.text) == ["330001"]
    assert await Invitation.count() == 0


async def test_reissue_shows_a_new_link_and_the_old_one_stops_working(client: Any) -> None:
    organizer = await make_organizer()
    await sign_in_as(client, organizer)
    session = await make_session(organizer)
    [first] = await invite(organizer, session.id, ["330001"])
    response = await post_form(
        client, f"/organizer/sessions/{session.id}/invitations/330001/reissue", {}
    )
    assert response.status_code == 200
    assert "新しいリンクを発行しました。以前のリンクはもう使えません。" in response.text
    [(code, link)] = LINK.findall(response.text)
    assert code == "330001" and link != first.link
    assert (await access_by_token(link.rsplit("/", 1)[1])).municipality_code == "330001"
    assert (
        await Invitation.count().where(
            Invitation.token_hash == hash_token(first.link.rsplit("/", 1)[1])
        )
        == 0
    )


async def test_revoke_disables_the_link_and_lists_the_municipality_as_revoked(
    client: Any,
) -> None:
    organizer = await make_organizer()
    await sign_in_as(client, organizer)
    session = await make_session(organizer)
    await invite(organizer, session.id, ["330001"])
    base = f"/organizer/sessions/{session.id}/invitations"
    response = await post_form(client, f"{base}/330001/revoke", {})
    assert response.status_code == 303
    assert response.headers["location"] == f"{base}?notice=revoked"
    page = (await client.get(response.headers["location"])).text
    assert "招待を無効にしました。" in page
    revoked_row = (
        '<th scope="row" data-label="自治体">岡山県</th>\n        <td data-label="状況">無効</td>'
    )
    assert revoked_row in page
    assert LINK.findall(page) == []
    assert f'action="{base}/330001/revoke"' not in page
    assert f'action="{base}/330001/reissue"' in page


async def test_cancelled_session_takes_no_new_invitations(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    await transition(organizer, session.id, Transition.CANCEL)
    page = (await client.get(f"/organizer/sessions/{session.id}/invitations")).text
    assert "この状態の情報交換会には招待を追加できません。" in page
    assert 'value="invite"' not in page


async def test_links_page_warns_of_municipalities_that_no_mail_will_reach(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    response = await post_form(
        client,
        f"/organizer/sessions/{session.id}/invitations",
        {
            "action": "invite",
            "code": ["330001", "331007"],
            "email-330001": "kikaku@pref.okayama.example.lg.jp",
        },
    )
    assert response.status_code == 200
    assert (
        "連絡先メールアドレスのない1団体には、招待もレポートの内容確認の依頼もメールでは届きません。"
        in response.text
    )
    assert '<td data-label="連絡先">kikaku@pref.okayama.example.lg.jp</td>' in response.text
    assert '<td data-label="連絡先">なし（メールは届きません）</td>' in response.text


async def test_order_numbers_typed_in_the_picker_decide_the_order_invited(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    path = f"/organizer/sessions/{session.id}/invitations"
    picked: dict[str, str | list[str]] = {
        "action": "invite",
        "code": ["320005", "330001", "341002"],
    }
    refused = await post_form(client, path, {**picked, "order-330001": "一"})
    assert refused.status_code == 400
    assert "順番は1から9999までの半角数字で入力してください。" in refused.text
    assert 'id="order-330001" name="order-330001" value="一"' in refused.text
    assert await list_invitations(session.id) == []

    invited = await post_form(client, path, {**picked, "order-341002": "1", "order-330001": "2"})
    assert invited.status_code == 200
    order = [row["municipality"] for row in await list_invitations(session.id)]
    assert order == ["341002", "330001", "320005"]  # numbered first, then as listed


async def test_move_buttons_reorder_the_invited_without_javascript(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    await invite(organizer, session.id, ["320005", "330001", "341002"])
    path = f"/organizer/sessions/{session.id}/invitations"
    page = (await client.get(path)).text
    move_form = f'<form class="inline-form" method="post" action="{path}/330001/move">'
    assert move_form in page
    assert page.count('name="direction" value="up"') == 2  # not on the first row
    assert page.count('name="direction" value="down"') == 2  # not on the last row

    moved = await post_form(client, f"{path}/330001/move", {"direction": "up"})
    assert moved.status_code == 303
    assert moved.headers["location"] == f"{path}?notice=moved#invited-330001"
    order = [row["municipality"] for row in await list_invitations(session.id)]
    assert order == ["330001", "320005", "341002"]
    after = (await client.get(f"{path}?notice=moved")).text
    assert "順番を変えました。" in after
    assert after.index('id="invited-330001"') < after.index('id="invited-320005"')

    at_top = await post_form(client, f"{path}/330001/move", {"direction": "up"})
    assert at_top.status_code == 409
    assert "いちばん上の自治体はそれ以上上に移動できません。" in at_top.text
    sideways = await post_form(client, f"{path}/330001/move", {"direction": "left"})
    assert sideways.status_code == 422
    assert "移動する向きを選んでください。" in sideways.text
    assert [row["municipality"] for row in await list_invitations(session.id)] == order
