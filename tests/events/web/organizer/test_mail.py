"""The organizer's mail page: previews, a test message, failed deliveries and resending."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import icalendar
import pytest

from events.lib.clock import utcnow
from events.mail.outbox import claim_due
from events.organizing.mail_preview import KINDS
from events.tables import OutboxMessage
from tests.factories import make_session, published_session, register_delegation
from tests.helpers import assert_organizer_only, post_form, signed_in_organizer
from tests.smtp_server import SmtpServer

CODE = "330001"


@pytest.mark.parametrize(
    ("method", "path", "data", "admin_status"),
    [
        ("GET", "/organizer/sessions/{session}/mail", {}, 200),
        ("GET", "/organizer/sessions/{session}/mail/reminder/preview.html", {}, 200),
        ("POST", "/organizer/sessions/{session}/mail/test", {"kind": "confirmation"}, 303),
        ("POST", "/organizer/sessions/{session}/mail/1/resend", {}, 404),
    ],
)
async def test_mail_page_is_for_the_series_owner_and_admins(
    client: Any, method: str, path: str, data: dict[str, str], admin_status: int
) -> None:
    session = await make_session()
    url = path.format(session=session.id)
    await assert_organizer_only(client, method, url, data, admin_status=admin_status)


@pytest.mark.parametrize("kind", KINDS)
async def test_each_kind_is_previewed_as_text_and_html(client: Any, kind: str) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)

    page = await client.get(f"/organizer/sessions/{session.id}/mail?kind={kind}")
    framed = await client.get(f"/organizer/sessions/{session.id}/mail/{kind}/preview.html")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = html.unescape(page.text.split('<pre class="mail-text">')[1].split("</pre>")[0])
    assert ("見本市 ご担当者様" if kind == "coordinator_invitation" else "見本 太郎 様") in text
    assert session.title in text
    assert f'?kind={kind}" aria-current="page"' in page.text
    assert framed.status_code == 200
    assert framed.headers["content-type"] == "text/html; charset=utf-8"
    assert framed.headers["x-frame-options"] == "SAMEORIGIN"
    assert "default-src 'none'" in framed.headers["content-security-policy"]
    assert framed.text.startswith("<!doctype html>")


async def test_unknown_kind_is_not_found(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)

    page = await client.get(f"/organizer/sessions/{session.id}/mail?kind=spam")
    sent = await post_form(client, f"/organizer/sessions/{session.id}/mail/test", {"kind": "x"})

    assert (page.status_code, sent.status_code) == (404, 404)
    assert await OutboxMessage.count() == 0


async def test_session_page_links_the_mail_page(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)

    page = await client.get(f"/organizer/sessions/{session.id}")

    assert f'href="/organizer/sessions/{session.id}/mail"' in page.text


async def test_test_message_goes_to_the_organizer_alone(
    client: Any, smtp_server: SmtpServer
) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)

    response = await post_form(
        client, f"/organizer/sessions/{session.id}/mail/test", {"kind": "confirmation"}
    )
    await smtp_server.deliver()

    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/organizer/sessions/{session.id}/mail?kind=confirmation&notice=test_sent"
    )
    [received] = smtp_server.received
    assert received.rcpt_tos == (organizer.email,)
    message = received.message
    assert str(message["Subject"]).startswith("【テスト送信】【参加登録完了】")
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    # Not the session's own UID: accepting a test must not book the real meeting.
    assert str(event["UID"]) == f"tsunagu-test-{session.id}@tsunagu.test"
    page = await client.get(response.headers["location"])
    assert f"テストメールを {organizer.email} 宛てに送信しました" in page.text


async def test_failed_message_is_listed_and_resent(client: Any, smtp_server: SmtpServer) -> None:
    organizer = await signed_in_organizer(client)
    session, accesses = await published_session(organizer, codes=(CODE,))
    [attendee] = await register_delegation(accesses[CODE])
    smtp_server.behaviour.refuse = {attendee["email"]}
    await smtp_server.deliver()
    [failed] = await OutboxMessage.select().where(OutboxMessage.status == "failed")

    page = await client.get(f"/organizer/sessions/{session.id}/mail")
    assert '<td data-label="エラー">550 5.1.1 User unknown</td>' in page.text
    assert f'<td data-label="宛先">{attendee["email"]}</td>' in page.text
    action = f"/organizer/sessions/{session.id}/mail/{failed['id']}/resend"
    assert f'action="{action}"' in page.text

    smtp_server.behaviour.refuse = set()
    response = await post_form(client, action)
    await smtp_server.deliver()

    assert response.status_code == 303
    [received] = smtp_server.received
    assert str(received.message["Message-ID"]) == f"<{failed['uid']}@tsunagu.test>"
    page = await client.get(response.headers["location"])
    assert "届かなかったメールはありません。" in page.text
    assert "メールを再送の待ち行列に戻しました。" in page.text


async def test_resend_needs_the_csrf_token(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)

    response = await client.post(f"/organizer/sessions/{session.id}/mail/test", data={"kind": "x"})

    assert response.status_code == 403


async def test_message_of_another_session_cannot_be_resent(
    client: Any, smtp_server: SmtpServer
) -> None:
    organizer = await signed_in_organizer(client)
    _, accesses = await published_session(organizer, codes=(CODE,))
    other = await make_session(organizer)
    [attendee] = await register_delegation(accesses[CODE])
    smtp_server.behaviour.refuse = {attendee["email"]}
    await smtp_server.deliver()
    [failed] = await OutboxMessage.select().where(OutboxMessage.status == "failed")

    response = await post_form(client, f"/organizer/sessions/{other.id}/mail/{failed['id']}/resend")

    assert response.status_code == 404
    assert await OutboxMessage.count().where(OutboxMessage.status == "failed") == 1


async def test_message_stuck_in_sending_is_listed_with_its_age(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    session, accesses = await published_session(organizer, codes=(CODE,))
    [attendee] = await register_delegation(accesses[CODE])
    page = await client.get(f"/organizer/sessions/{session.id}/mail")
    assert "送信中のまま止まっているメール" not in page.text

    # A worker took the confirmation up 2 hours 5 minutes ago and was never heard of again.
    [claimed] = await claim_due(10)
    await OutboxMessage.update(
        {OutboxMessage.claimed_at: utcnow() - dt.timedelta(hours=2, minutes=5, seconds=10)}
    ).where(OutboxMessage.id == claimed["id"])
    page = await client.get(f"/organizer/sessions/{session.id}/mail")

    stuck = page.text.split('id="stuck-heading"')[1].split("</section>")[0]
    assert f"<td>{attendee['email']}</td>" in stuck
    assert "<td>2時間5分</td>" in stuck


async def test_mail_page_counts_messages_by_state_and_warns_of_an_unreachable_server(
    client: Any,
) -> None:
    organizer = await signed_in_organizer(client)
    session, accesses = await published_session(organizer, codes=(CODE,))
    await register_delegation(accesses[CODE])
    [queued] = await OutboxMessage.select().where(OutboxMessage.kind == "confirmation")
    page = (await client.get(f"/organizer/sessions/{session.id}/mail")).text
    pending = await OutboxMessage.count().where(OutboxMessage.status == "pending")
    assert pending == 2  # the coordinator's invitation and the attendee's confirmation
    assert "<dt>送信待ち</dt><dd>2通</dd>" in page
    assert "<dt>送信済み</dt><dd>0通</dd>" in page
    assert "<dt>最も古い送信待ち</dt>\n    <dd>1分未満</dd>" in page
    assert "メールサーバーに5分以上つながっていません。" not in page

    await OutboxMessage.update(
        {
            OutboxMessage.attempts: 3,
            OutboxMessage.created_at: queued["created_at"] - dt.timedelta(minutes=6),
        }
    ).where(OutboxMessage.status == "pending")
    page = (await client.get(f"/organizer/sessions/{session.id}/mail")).text
    assert "<dd>6分前から</dd>" in page
    assert "メールサーバーに5分以上つながっていません。" in page
