"""The development mailbox: where the worker delivers when no mail server is configured.

With TSUNAGU_ENV development or demo and no SMTP_HOST, nothing would ever arrive and every
personal link would stay unreachable; instead each message is kept whole in the database and
shown at /dev/mail, exactly as a mail client would have received it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from typing import Any, Protocol, cast

from events.lib.database import write_transaction
from events.lib.settings import Settings, SmtpSettings
from events.mail.building import Envelope
from events.mail.mailer import SmtpConnection
from events.tables import MailboxMessage, OutboxMessage


class Delivery(Protocol):
    """Where the worker hands finished messages: a mail server or the mailbox."""

    async def send(self, message: Envelope) -> None: ...

    async def close(self) -> None: ...


def delivery_for(settings: Settings, smtp: SmtpSettings | None = None) -> Delivery:
    """The mailbox when the settings ask for it and no server was given, else SMTP."""
    if smtp is None and settings.mail_to_mailbox:
        return MailboxDelivery()
    return SmtpConnection(smtp or settings.smtp)


_HEADERS = BytesHeaderParser(policy=policy.default)


def _parse(data: bytes) -> EmailMessage:
    return message_from_bytes(data, policy=policy.default)


class MailboxDelivery:
    """Keeps each message in the mailbox table; never fails for want of a server."""

    async def send(self, message: Envelope) -> None:
        # Only the headers are read here: parsing the parts too cost the worker more CPU than
        # building the message (the mailbox parses them when a message is shown).
        parsed = _HEADERS.parsebytes(message.data, headersonly=True)
        kind = await _kind(parsed)
        async with write_transaction(public=False):
            await MailboxMessage.insert(
                MailboxMessage(
                    recipient=", ".join(message.recipients)[:254],
                    subject=str(parsed.get("Subject", ""))[:300],
                    kind=kind,
                    source=message.data.decode("utf-8"),
                )
            )

    async def close(self) -> None:
        """Nothing to close: each message is written in its own statement."""


async def _kind(message: EmailMessage) -> str:
    """The outbox kind of a message, found by the outbox uid its Message-ID carries."""
    uid = str(message.get("Message-ID", "")).strip("<>").partition("@")[0]
    row = await OutboxMessage.select(OutboxMessage.kind).where(OutboxMessage.uid == uid).first()
    return str(row["kind"]) if row else ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class MailboxEntry:
    """One delivered message with the parts a reader looks at."""

    id: int
    delivered_at: dt.datetime
    recipient: str
    subject: str
    kind: str
    text: str
    html: str | None
    attachments: tuple[Attachment, ...]


def _content_bytes(part: EmailMessage) -> bytes:
    content = part.get_content()
    return content if isinstance(content, bytes) else str(content).encode("utf-8")


async def newest(limit: int = 200) -> list[dict[str, Any]]:
    """The latest messages, newest first, without their bodies."""
    return await (
        MailboxMessage.select(
            MailboxMessage.id,
            MailboxMessage.delivered_at,
            MailboxMessage.recipient,
            MailboxMessage.subject,
            MailboxMessage.kind,
        )
        .order_by(MailboxMessage.id, ascending=False)
        .limit(limit)
    )


async def entry(message_id: int) -> MailboxEntry | None:
    row = await MailboxMessage.select().where(MailboxMessage.id == message_id).first()
    if row is None:
        return None
    parsed = _parse(row["source"].encode("utf-8"))
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    return MailboxEntry(
        id=row["id"],
        delivered_at=row["delivered_at"],
        recipient=row["recipient"],
        subject=row["subject"],
        kind=row["kind"],
        text=str(cast(EmailMessage, text).get_content()) if text else "",
        html=str(cast(EmailMessage, html).get_content()) if html else None,
        attachments=tuple(
            Attachment(
                filename=part.get_filename() or "attachment",
                media_type=part.get_content_type(),
                content=_content_bytes(part),
            )
            for part in parsed.iter_attachments()
        ),
    )
