"""Development without a mail server: the worker delivers into the mailbox, read back whole."""

from __future__ import annotations

from collections.abc import Callable

from ical.calendar_stream import IcsCalendarStream

from events.mail import mailbox
from events.mail.mailer import SmtpConnection
from events.tables import MailboxMessage, OutboxMessage
from events.worker import OutboxWorker
from tests.factories import make_organizer, published_session, register_delegation

CODE = "330001"


async def test_worker_without_a_mail_server_delivers_into_the_mailbox(
    environment: Callable[..., None],
) -> None:
    environment(TSUNAGU_ENV="development", SMTP_HOST="")
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, codes=(CODE,))
    [attendee] = await register_delegation(accesses[CODE])
    worker = OutboxWorker()
    try:
        sent = await worker.send_due()
    finally:
        await worker.close()

    assert await OutboxMessage.count().where(OutboxMessage.status == "sent") == sent
    assert len(await mailbox.newest()) == sent
    [outbox_row] = await OutboxMessage.select().where(OutboxMessage.kind == "confirmation")
    [listed] = [row for row in await mailbox.newest() if row["kind"] == "confirmation"]
    assert listed["recipient"] == attendee["email"]
    assert listed["subject"] == outbox_row["subject"]
    assert listed["kind"] == "confirmation"
    entry = await mailbox.entry(listed["id"])
    assert entry is not None
    assert entry.text.replace("\r\n", "\n") == outbox_row["text_body"]
    assert entry.html is not None
    assert session.meeting_url in entry.html
    [attachment] = entry.attachments
    assert attachment.filename == "invite.ics"
    assert attachment.media_type == "application/ics"
    [event] = IcsCalendarStream.calendar_from_ics(attachment.content.decode("utf-8")).events
    assert event.summary is not None
    assert session.title in event.summary


async def test_a_configured_mail_server_is_used_in_development(
    environment: Callable[..., None],
) -> None:
    environment(TSUNAGU_ENV="development", SMTP_HOST="127.0.0.1")
    from events.lib.settings import load_settings

    assert isinstance(mailbox.delivery_for(load_settings()), SmtpConnection)


async def test_newest_messages_come_first() -> None:
    for number in (1, 2, 3):
        await MailboxMessage.insert(
            MailboxMessage(
                recipient=f"p{number}@example.jp", subject=f"s{number}", kind="", source=""
            )
        )
    assert [row["subject"] for row in await mailbox.newest()] == ["s3", "s2", "s1"]


async def test_an_unknown_message_is_none() -> None:
    assert await mailbox.entry(999) is None
