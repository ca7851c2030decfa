"""The organizer's view of a session's mail: previews, a test message, failures and resending."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.calendars import entries, ics
from events.enums import OutboxStatus
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import NotFoundError
from events.lib.i18n import N_, gettext
from events.lib.links import site_host
from events.mail import delivery_state, kinds, outbox
from events.mail.compose import ComposedMail
from events.organizing.mail_preview import KINDS, preview
from events.sessions.exchange_sessions import ExchangeSessionView, session_for_editing
from events.tables import OutboxMessage

# Kinds whose real message carries a calendar entry, and the method it uses.
CALENDAR_METHODS = {
    "confirmation": "REQUEST",
    "promoted": "REQUEST",
    "update": "REQUEST",
    "attendee_cancelled": "CANCEL",
    "session_cancelled": "CANCEL",
}


def topic_key(session_id: int) -> str:
    """The outbox topic of every message about one session (participant_mail sets the same)."""
    return f"session:{session_id}"


def checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise NotFoundError(N_("この種類のメールはありません。"), field="kind")
    return kind


async def session_preview(
    organizer: OrganizerIdentity, session_id: int, kind: str
) -> tuple[ExchangeSessionView, ComposedMail]:
    session = await session_for_editing(organizer, session_id)
    return session, preview(checked_kind(kind), session)


async def send_test(organizer: OrganizerIdentity, session_id: int, kind: str) -> None:
    """The message `kind` of this session, to the organizer's own address only."""
    session, mail = await session_preview(organizer, session_id, kind)
    method = CALENDAR_METHODS.get(kind)
    invite = _test_calendar(session, organizer, method, utcnow()) if method else None
    await outbox.enqueue(
        outbox.OutgoingMail(
            kind=kinds.TEST_PREFIX + kind,
            recipient=organizer.email,
            subject=gettext("【テスト送信】") + mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            calendar=invite.decode("utf-8") if invite else None,
            calendar_method=method,
        )
    )


def _test_calendar(
    session: ExchangeSessionView, organizer: OrganizerIdentity, method: str, now: dt.datetime
) -> bytes:
    # A UID of its own: accepting the test must not put the real session in anyone's entries.
    entry = dataclasses.replace(
        entries.attendee_entry(session), uid=f"tsunagu-test-{session.id}@{site_host()}"
    )
    invitee = ics.Invitee(email=organizer.email, name=organizer.display_name)
    if method == "CANCEL":
        return ics.cancellation(dataclasses.replace(entry, cancelled=True), invitee, now=now)
    return ics.invitation(entry, invitee, now=now)


async def delivery_counts(
    organizer: OrganizerIdentity, session_id: int
) -> delivery_state.DeliveryCounts:
    """How many of this session's messages wait, are on their way, went out or failed."""
    await session_for_editing(organizer, session_id)
    return await delivery_state.counts(topic_key(session_id))


async def failed_messages(organizer: OrganizerIdentity, session_id: int) -> list[dict[str, Any]]:
    """Messages about this session that could not be delivered, newest first."""
    await session_for_editing(organizer, session_id)
    return await (
        OutboxMessage.select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
            OutboxMessage.due_at,
        )
        .where(
            OutboxMessage.topic_key == topic_key(session_id),
            OutboxMessage.status == OutboxStatus.FAILED,
        )
        .order_by(OutboxMessage.id, ascending=False)
    )


@dataclasses.dataclass(frozen=True)
class StuckMessage:
    recipient: str
    subject: str
    claimed_at: dt.datetime
    minutes: int  # how long it has been in "sending"


async def stuck_messages(
    organizer: OrganizerIdentity, session_id: int, now: dt.datetime | None = None
) -> list[StuckMessage]:
    """Messages about this session still being sent long after a worker took them up.

    A live worker gives back what it has not sent after half the claim timeout, so a message
    older than that belongs to a worker that stopped; another worker sends it once the claim
    has run out. The organizer sees them, oldest first, with how long they have waited.
    """
    await session_for_editing(organizer, session_id)
    now = now or utcnow()
    rows = await (
        OutboxMessage.select(
            OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.claimed_at
        )
        .where(
            OutboxMessage.topic_key == topic_key(session_id),
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - outbox.claim_timeout() / 2,
        )
        .order_by(OutboxMessage.claimed_at)
    )
    return [
        StuckMessage(
            recipient=row["recipient"],
            subject=row["subject"],
            claimed_at=row["claimed_at"],
            minutes=int((now - row["claimed_at"]).total_seconds() // 60),
        )
        for row in rows
    ]


async def resend_failed(organizer: OrganizerIdentity, session_id: int, message_id: int) -> None:
    """Queue one failed message of this session again (same Message-ID, attempts reset)."""
    await session_for_editing(organizer, session_id)
    async with write_transaction(public=False):
        found = await OutboxMessage.exists().where(
            OutboxMessage.id == message_id,
            OutboxMessage.topic_key == topic_key(session_id),
            OutboxMessage.status == OutboxStatus.FAILED,
        )
        if not found:
            raise NotFoundError(N_("再送できるメールが見つかりません。"), field="message")
        await outbox.resend(message_id)
