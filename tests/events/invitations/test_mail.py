"""The invitation a municipality's coordinator receives, with their own registration link."""

from __future__ import annotations

import re
from typing import Any

import pytest

from events.invitations.invitations import access_by_token, invite, reissue_link, revoke
from events.lib.errors import NotFoundError
from events.lib.formatting import format_day
from events.organizing.session_actions import transition
from events.sessions.lifecycle import Transition
from events.tables import OutboxMessage
from tests.factories import make_organizer, make_session
from tests.helpers import post_form, signed_in_organizer
from tests.smtp_server import SmtpServer

CODE = "331007"
CONTACT = "kikaku@city.okayama.example.jp"
LINK = re.compile(r"http://tsunagu\.test/r/[A-Za-z0-9_-]+")


async def published(organizer: Any = None) -> Any:
    organizer = organizer or await make_organizer(name="山田 太郎")
    session = await make_session(organizer)
    return organizer, (await transition(organizer, session.id, Transition.PUBLISH)).session


def link_in(server: SmtpServer, index: int = 0) -> str:
    text = server.messages[index].get_body(("plain",))
    assert text is not None
    link: str
    [link] = LINK.findall(text.get_content())
    return link


async def invitation_rows() -> list[tuple[str, str]]:
    rows = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.status).where(
        OutboxMessage.kind == "coordinator_invitation"
    )
    return [(row["recipient"], row["status"]) for row in rows]


async def test_coordinator_receives_their_personal_link(smtp_server: SmtpServer) -> None:
    organizer, session = await published()

    [result] = await invite(organizer, session.id, [CODE], {CODE: CONTACT})
    await smtp_server.deliver()

    [received] = smtp_server.received
    message = received.message
    assert received.rcpt_tos == (CONTACT,)
    day = format_day(session.starts_at)
    assert str(message["Subject"]) == f"【ご招待】第3回 情報交換会（{day}）参加登録のお願い"
    assert str(message["Reply-To"]) == session.organizer_email
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    link = link_in(smtp_server)
    assert link == result.link
    access = await access_by_token(link.rsplit("/", 1)[1])
    assert (access.municipality_code, access.session.id) == (CODE, session.id)
    html = message.get_body(("html",))
    assert html is not None and f'<a href="{link}">' in html.get_content()


async def test_no_contact_address_means_no_mail() -> None:
    organizer, session = await published()
    await invite(organizer, session.id, [CODE])
    assert await invitation_rows() == []


async def test_draft_invitations_are_mailed_on_publication(smtp_server: SmtpServer) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    [result] = await invite(organizer, session.id, [CODE], {CODE: CONTACT})
    assert await invitation_rows() == []

    await transition(organizer, session.id, Transition.PUBLISH)
    await smtp_server.deliver()

    assert link_in(smtp_server) == result.link


async def test_contact_added_later_receives_the_existing_link(smtp_server: SmtpServer) -> None:
    organizer, session = await published()
    [first] = await invite(organizer, session.id, [CODE])

    [again] = await invite(organizer, session.id, [CODE], {CODE: CONTACT})
    await invite(organizer, session.id, [CODE], {CODE: CONTACT})  # same address: no new mail
    await smtp_server.deliver()

    assert again.status == "already_invited"
    assert [link_in(smtp_server, i) for i in range(len(smtp_server.messages))] == [first.link]


async def test_reissued_link_replaces_the_waiting_invitation(smtp_server: SmtpServer) -> None:
    organizer, session = await published()
    [old] = await invite(organizer, session.id, [CODE], {CODE: CONTACT})

    new = await reissue_link(organizer, session.id, CODE)
    await smtp_server.deliver()

    assert link_in(smtp_server) == new.link != old.link
    assert sorted(await invitation_rows()) == [(CONTACT, "sent"), (CONTACT, "superseded")]


async def test_revoked_invitation_is_not_sent(smtp_server: SmtpServer) -> None:
    organizer, session = await published()
    [result] = await invite(organizer, session.id, [CODE], {CODE: CONTACT})

    await revoke(organizer, session.id, CODE)
    await smtp_server.deliver()

    assert smtp_server.messages == []
    assert await invitation_rows() == [(CONTACT, "cancelled")]
    with pytest.raises(NotFoundError):
        await access_by_token(result.link.rsplit("/", 1)[1])


async def test_invitation_page_with_contact_address_queues_the_mail(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    _, session = await published(organizer)

    response = await post_form(
        client,
        f"/organizer/sessions/{session.id}/invitations",
        {"action": "invite", "code": [CODE], f"email-{CODE}": CONTACT},
    )

    assert response.status_code == 200
    assert "専用リンクをメールでお送りします" in response.text
    assert await invitation_rows() == [(CONTACT, "pending")]
