"""Join requests: a municipality that was not invited asks; the organizer approves or declines."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from events.enums import InvitationStatus
from events.invitations.invitations import access_by_token
from events.invitations.join_requests import (
    JoinRequestInput,
    approve,
    decline,
    pending_requests,
    request_to_join,
)
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import AuditEntry, ExchangeSession, Invitation, OutboxMessage
from tests.factories import make_organizer, make_session, open_session_with_links
from tests.helpers import csrf_token, post_form, sign_in

SHIMANE, KOCHI_CITY, CHIYODA = "320005", "392014", "131016"
INVITED = ("330001", "331007")
CONTACT = "jinji@pref.shimane.example.lg.jp"


def asking(code: str = SHIMANE, email: str = CONTACT, message: str = "") -> JoinRequestInput:
    return JoinRequestInput(code=code, contact_email=email, message=message)


async def invitation_rows() -> list[dict[str, Any]]:
    return await Invitation.select(
        Invitation.municipality, Invitation.status, Invitation.token_hash
    ).order_by(Invitation.municipality)


async def status_of(code: str) -> str:
    row = await Invitation.select(Invitation.status).where(Invitation.municipality == code).first()
    assert row is not None
    return str(row["status"])


async def test_request_is_an_invitation_without_a_link_waiting_for_the_organizer() -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking(message="人事課も参加したいです。<よろしく>"))
    row = await Invitation.select().where(Invitation.municipality == SHIMANE).first()
    assert row is not None
    assert (row["status"], row["token_hash"], row["link_nonce"]) == ("requested", None, None)
    [request] = await pending_requests(organizer, session.id)
    assert (request.code, request.municipality_name, request.prefecture) == (
        SHIMANE,
        "島根県",
        "島根県",
    )
    assert request.contact_email == CONTACT
    assert request.message == "人事課も参加したいです。<よろしく>"
    assert await OutboxMessage.count() == 0
    assert await AuditEntry.count().where(AuditEntry.action == "join_requested") == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (asking(CHIYODA), "code", "この情報交換会の対象地域（中四国）の自治体ではありません。"),
        (asking("999999"), "code", "自治体を選んでください。"),
        (asking(""), "code", "自治体を選んでください。"),
        (
            asking(email="jinji@@example"),
            "contact_email",
            "連絡先メールアドレスの形式が正しくありません。",
        ),
        (asking(email=""), "contact_email", "連絡先メールアドレスの形式が正しくありません。"),
        (asking(message="あ" * 1001), "message", "メッセージは1000文字以内にしてください。"),
    ],
)
async def test_bad_requests_are_refused_with_nothing_written(
    data: JoinRequestInput, field: str, message: str
) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    before = await invitation_rows()
    with pytest.raises(ValidationError) as raised:
        await request_to_join(session.id, data)
    assert [(p.field, str(p.message) % dict(p.params)) for p in raised.value.problems] == [
        (field, message)
    ]
    assert await invitation_rows() == before


async def test_an_invited_municipality_is_sent_to_its_link() -> None:
    _, session, _ = await open_session_with_links(INVITED)
    before = await invitation_rows()
    with pytest.raises(ConflictError) as raised:
        await request_to_join(session.id, asking("331007"))
    assert str(raised.value) == (
        "岡山県岡山市はすでに招待されています。招待メールに記載されたリンクから参加登録してください。"
    )
    assert await invitation_rows() == before


async def test_asking_twice_gets_a_friendly_answer() -> None:
    _, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    before = await invitation_rows()
    with pytest.raises(ConflictError) as raised:
        await request_to_join(session.id, asking(email="other@pref.shimane.example.lg.jp"))
    assert str(raised.value) == (
        "島根県からの参加希望はすでに受け付けています。主催者からの連絡をお待ちください。"
    )
    assert await invitation_rows() == before


@pytest.mark.parametrize("state", ["draft", "closed", "past deadline", "cancelled"])
async def test_only_a_session_taking_registrations_takes_requests(state: str) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    if state != "draft":
        await apply(organizer, session.id, Transition.PUBLISH)
    if state == "closed":
        await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    if state == "cancelled":
        await apply(organizer, session.id, Transition.CANCEL)
    if state == "past deadline":
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        await ExchangeSession.update({ExchangeSession.registration_deadline: past}).where(
            ExchangeSession.id == session.id
        )
    with pytest.raises(ConflictError) as raised:
        await request_to_join(session.id, asking())
    assert str(raised.value) == "この情報交換会は現在、参加希望を受け付けていません。"
    assert await Invitation.count() == 0


async def test_approval_mails_a_working_coordinator_link_to_the_contact(client: Any) -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    link = await approve(organizer, session.id, SHIMANE)
    assert (link.code, link.status) == (SHIMANE, "invited")
    [mail] = await OutboxMessage.select().where(OutboxMessage.kind == "join_approved")
    assert mail["recipient"] == CONTACT
    assert mail["subject"].startswith("【参加承認】第3回 情報交換会（")
    assert mail["reply_to"] == organizer.email
    assert link.link in mail["text_body"] and link.link in mail["html_body"]
    assert "島根県 ご担当者様" in mail["text_body"]
    found = re.search(r"http://tsunagu\.test/r/([A-Za-z0-9_-]{32})", mail["text_body"])
    assert found is not None
    access = await access_by_token(found.group(1))
    assert (access.municipality_code, access.contact_email) == (SHIMANE, CONTACT)
    page = await client.get(f"/r/{found.group(1)}")
    assert page.status_code == 200
    assert "島根県 取りまとめご担当者様の専用ページ" in page.text
    assert await pending_requests(organizer, session.id) == []


async def test_decline_tells_the_contact_why() -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    await decline(organizer, session.id, SHIMANE, "今回は県内の市町村に限ります。")
    row = await Invitation.select().where(Invitation.municipality == SHIMANE).first()
    assert row is not None and (row["status"], row["token_hash"]) == ("declined", None)
    [mail] = await OutboxMessage.select().where(OutboxMessage.kind == "join_declined")
    assert mail["recipient"] == CONTACT
    assert "今回は県内の市町村に限ります。" in mail["text_body"]
    assert "/r/" not in mail["text_body"]
    with pytest.raises(NotFoundError):
        await decline(organizer, session.id, SHIMANE, "")
    with pytest.raises(NotFoundError):
        await approve(organizer, session.id, SHIMANE)
    assert await OutboxMessage.count() == 1


async def test_a_declined_municipality_may_ask_again() -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    await decline(organizer, session.id, SHIMANE, "")
    await request_to_join(session.id, asking(message="再度お願いします"))
    [request] = await pending_requests(organizer, session.id)
    assert (request.code, request.message) == (SHIMANE, "再度お願いします")


async def test_over_long_decline_reason_is_refused() -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    with pytest.raises(ValidationError):
        await decline(organizer, session.id, SHIMANE, "理" * 1001)
    assert await status_of(SHIMANE) == InvitationStatus.REQUESTED
    assert await OutboxMessage.count() == 0


async def test_only_the_sessions_organizer_answers_requests() -> None:
    _, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    stranger = await make_organizer()
    with pytest.raises(ForbiddenError):
        await approve(stranger, session.id, SHIMANE)
    with pytest.raises(ForbiddenError):
        await decline(stranger, session.id, SHIMANE, "")
    with pytest.raises(ForbiddenError):
        await pending_requests(stranger, session.id)
    assert await status_of(SHIMANE) == InvitationStatus.REQUESTED
    assert await OutboxMessage.count() == 0


# Pages


async def test_public_session_page_links_to_the_request_only_while_open(client: Any) -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    link = f'<a href="/sessions/{session.id}/join">参加を希望する</a>'
    assert link in (await client.get(f"/sessions/{session.id}")).text
    await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    assert link not in (await client.get(f"/sessions/{session.id}")).text


async def test_request_form_lists_the_regions_municipalities(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    response = await client.get(f"/sessions/{session.id}/join")
    assert response.status_code == 200
    body = response.text
    assert '<optgroup label="島根県">' in body
    assert f'<option value="{KOCHI_CITY}">高知県高知市</option>' in body
    assert CHIYODA not in body
    assert '<label for="contact_email">ご担当者のメールアドレス</label>' in body
    assert f'name="_csrf_token" value="{client.cookies["tsunagu_csrf"]}"' in body


async def test_request_form_says_when_the_session_takes_no_requests(client: Any) -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    body = (await client.get(f"/sessions/{session.id}/join")).text
    assert "この情報交換会は現在、参加希望を受け付けていません。" in body
    assert 'name="contact_email"' not in body


async def test_draft_sessions_have_no_request_form(client: Any) -> None:
    session = await make_session()
    assert (await client.get(f"/sessions/{session.id}/join")).status_code == 404
    response = await post_form(client, f"/sessions/{session.id}/join", {"code": SHIMANE})
    assert response.status_code == 404
    assert await Invitation.count() == 0


async def test_posting_the_form_records_the_request(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    form = {"code": SHIMANE, "contact_email": CONTACT, "message": "よろしくお願いします"}
    response = await post_form(client, f"/sessions/{session.id}/join", form)
    assert response.status_code == 200
    assert "<h1>参加希望を受け付けました</h1>" in response.text
    assert CONTACT not in response.text
    assert (await invitation_rows())[0] == {
        "municipality": SHIMANE,
        "status": "requested",
        "token_hash": None,
    }


async def test_form_errors_are_shown_on_the_fields_with_nothing_written(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    before = await invitation_rows()
    form = {"code": CHIYODA, "contact_email": "bad", "message": "<b>太字</b>"}
    response = await post_form(client, f"/sessions/{session.id}/join", form)
    assert response.status_code == 422
    body = response.text
    assert '<a href="#code">この情報交換会の対象地域（中四国）の自治体ではありません。</a>' in body
    assert '<a href="#contact_email">連絡先メールアドレスの形式が正しくありません。</a>' in body
    assert 'aria-invalid="true" aria-describedby="contact_email-error"' in body
    assert 'value="bad"' in body and "&lt;b&gt;太字&lt;/b&gt;</textarea>" in body
    assert await invitation_rows() == before


async def test_asking_twice_through_the_form_says_so(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    form = {"code": SHIMANE, "contact_email": CONTACT}
    await post_form(client, f"/sessions/{session.id}/join", form)
    again = await post_form(client, f"/sessions/{session.id}/join", form)
    assert again.status_code == 409
    assert "島根県からの参加希望はすでに受け付けています。" in again.text


async def test_request_form_needs_the_csrf_token(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    await csrf_token(client)
    response = await client.post(
        f"/sessions/{session.id}/join", data={"code": SHIMANE, "contact_email": CONTACT}
    )
    assert response.status_code == 403
    assert await Invitation.count().where(Invitation.municipality == SHIMANE) == 0


async def test_sixth_request_within_a_minute_is_refused(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    for _ in range(5):
        response = await post_form(client, f"/sessions/{session.id}/join", {"code": CHIYODA})
        assert response.status_code == 422
    response = await post_form(
        client, f"/sessions/{session.id}/join", {"code": SHIMANE, "contact_email": CONTACT}
    )
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert await Invitation.count().where(Invitation.municipality == SHIMANE) == 0


async def test_organizer_page_needs_sign_in(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    path = f"/organizer/sessions/{session.id}/join-requests"
    response = await client.get(path)
    assert response.status_code == 303
    assert (
        response.headers["location"]
        == f"/login?next=%2Forganizer%2Fsessions%2F{session.id}%2Fjoin-requests"
    )


async def test_organizer_approves_from_the_page_and_the_contact_gets_a_link(client: Any) -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking(message="人事課＆DX課 <2名>"))
    assert (await sign_in(client, organizer.email)).status_code == 303
    path = f"/organizer/sessions/{session.id}/join-requests"
    page = await client.get(path)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "島根県（320005）" in page.text
    assert f"<dd>{CONTACT}</dd>" in page.text
    assert "人事課＆DX課 &lt;2名&gt;" in page.text
    assert f'action="{path}/{SHIMANE}/approve"' in page.text
    response = await post_form(client, f"{path}/{SHIMANE}/approve")
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?done=approved"
    done = (await client.get(response.headers["location"])).text
    assert "参加希望を承認し、参加登録用のリンクを担当者にメールで送りました。" in done
    assert "対応待ちの参加希望はありません。" in done
    [mail] = await OutboxMessage.select().where(OutboxMessage.kind == "join_approved")
    found = re.search(r"http://tsunagu\.test(/r/[A-Za-z0-9_-]{32})", mail["text_body"])
    assert found is not None and mail["recipient"] == CONTACT
    assert (await client.get(found.group(1))).status_code == 200


async def test_organizer_declines_from_the_page_with_a_reason(client: Any) -> None:
    organizer, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    assert (await sign_in(client, organizer.email)).status_code == 303
    path = f"/organizer/sessions/{session.id}/join-requests"
    response = await post_form(client, f"{path}/{SHIMANE}/decline", {"reason": "定員のため"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?done=declined"
    [mail] = await OutboxMessage.select().where(OutboxMessage.kind == "join_declined")
    assert "定員のため" in mail["text_body"]
    again = await post_form(client, f"{path}/{SHIMANE}/decline", {"reason": ""})
    assert again.status_code == 404
    assert "この自治体からの参加希望はありません" in again.text
    assert await OutboxMessage.count() == 1


async def test_another_organizer_cannot_see_or_answer_the_requests(client: Any) -> None:
    _, session, _ = await open_session_with_links(INVITED)
    await request_to_join(session.id, asking())
    stranger = await make_organizer()
    assert (await sign_in(client, stranger.email)).status_code == 303
    path = f"/organizer/sessions/{session.id}/join-requests"
    assert (await client.get(path)).status_code == 403
    assert (await post_form(client, f"{path}/{SHIMANE}/approve")).status_code == 403
    assert await status_of(SHIMANE) == "requested"
    assert await OutboxMessage.count() == 0
