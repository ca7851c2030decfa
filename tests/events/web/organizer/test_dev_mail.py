"""The development mailbox pages: a signed-in organizer reads what the worker delivered."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from events.tables import MailboxMessage
from tests.helpers import asgi_transport, deliver_to_mailbox, signed_in_organizer

LINK = "http://tsunagu.test/a/personal-link"
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20261207T000000Z\r\nDTSTART:20270118T050000Z\r\n"
    "DTEND:20270118T070000Z\r\nSUMMARY:第3回\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


async def deliver(html: str | None) -> int:
    return await deliver_to_mailbox(
        subject="【参加登録完了】第3回",
        text=f"個人用ページ:\n{LINK}\nよろしくお願いします。",
        html=html,
        calendar=CALENDAR,
        recipient="taro@city.example.lg.jp",
    )


async def test_mailbox_lists_and_shows_a_message_with_working_links(client: Any) -> None:
    await signed_in_organizer(client, admin=True)
    message_id = await deliver(
        html='<html><head><title>t</title></head><body><a href="'
        + LINK
        + '">開く</a></body></html>'
    )

    listing = await client.get("/dev/mail")
    assert listing.status_code == 200
    assert "taro@city.example.lg.jp" in listing.text
    assert f'href="/dev/mail/{message_id}"' in listing.text

    page = await client.get(f"/dev/mail/{message_id}")
    assert page.status_code == 200
    assert f'<a href="{LINK}">{LINK}</a>' in page.text
    assert f'href="/dev/mail/{message_id}/attachments/0"' in page.text

    html = await client.get(f"/dev/mail/{message_id}/html")
    assert html.status_code == 200
    assert '<head><base target="_top"><title>t</title>' in html.text
    assert "default-src 'none'" in html.headers["content-security-policy"]

    attachment = await client.get(f"/dev/mail/{message_id}/attachments/0")
    assert attachment.status_code == 200
    assert attachment.headers["content-disposition"] == 'attachment; filename="invite.ics"'
    assert attachment.content.decode("utf-8") == CALENDAR


async def test_mailbox_answers_404_for_what_is_not_there(client: Any) -> None:
    await signed_in_organizer(client, admin=True)
    message_id = await deliver(html=None)
    assert (await client.get("/dev/mail/999999")).status_code == 404
    assert (await client.get(f"/dev/mail/{message_id}/html")).status_code == 404
    assert (await client.get(f"/dev/mail/{message_id}/attachments/1")).status_code == 404


async def test_mailbox_needs_a_signed_in_organizer(client: Any) -> None:
    message_id = await deliver(html=None)
    for path in ("/dev/mail", f"/dev/mail/{message_id}", f"/dev/mail/{message_id}/attachments/0"):
        response = await client.get(path)
        assert response.status_code in {302, 303}, path
        assert re.match(r"/login", response.headers["location"]), path


async def test_mailbox_is_for_administrators_only(client: Any) -> None:
    await signed_in_organizer(client)
    message_id = await deliver(html=None)
    assert (await client.get("/dev/mail")).status_code == 403
    assert (await client.get(f"/dev/mail/{message_id}")).status_code == 403


async def test_mailbox_does_not_exist_in_production(environment: Callable[..., None]) -> None:
    environment(TSUNAGU_ENV="production", SECRET_KEY="p" * 40)
    from events.app import create_app

    app = create_app()
    async with httpx.AsyncClient(
        transport=asgi_transport(app), base_url="http://tsunagu.test"
    ) as production:
        assert (await production.get("/dev/mail")).status_code == 404
        assert (await production.get("/dev/mail/1")).status_code == 404


async def test_mailbox_names_each_kind_of_message_in_words(client: Any) -> None:
    await signed_in_organizer(client, admin=True)
    message_id = await deliver(html=None)
    await MailboxMessage.update({MailboxMessage.kind: "date_poll_invitation"}).where(
        MailboxMessage.id == message_id
    )
    for path in ("/dev/mail", f"/dev/mail/{message_id}"):
        page = (await client.get(path)).text
        assert "日程調整のお願い" in page, path
        assert "date_poll_invitation" not in page, path
