"""Mail to municipalities about a date poll: the invitation, a reminder, and the decision.

Each message lists what it is about in plain text (LGWAN gateways may strip the HTML part) and
is written to the outbox inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from events.date_polls.queries import PollRecipient, PollSlot, PollView
from events.enums import PollMark
from events.lib.i18n import DEFAULT_LOCALE
from events.mail import outbox
from events.mail.compose import compose


def reminder_key(poll_id: int, recipient_id: int) -> str:
    """A reminder still waiting is replaced by a newer one, and dropped once they answer."""
    return f"date-poll-reminder:{poll_id}:{recipient_id}"


async def _send(
    kind: str,
    poll: PollView,
    recipient: PollRecipient,
    *,
    supersede_key: str | None = None,
    **extra: Any,
) -> None:
    # Municipal contacts read Japanese; the organizer's own UI language does not apply.
    mail = compose(kind, DEFAULT_LOCALE, poll=poll, recipient=recipient, **extra)
    await outbox.enqueue(
        outbox.OutgoingMail(
            kind=kind,
            recipient=recipient.contact_email,
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            reply_to=poll.organizer_email,
            supersede_key=supersede_key,
            topic_key=f"date_poll:{poll.id}",
        )
    )


async def invitation(poll: PollView, recipient: PollRecipient) -> None:
    """Every candidate slot and the municipality's own answer link."""
    if recipient.contact_email:
        await _send("date_poll_invitation", poll, recipient)


async def reminder(poll: PollView, recipient: PollRecipient) -> None:
    await _send(
        "date_poll_reminder",
        poll,
        recipient,
        supersede_key=reminder_key(poll.id, recipient.id),
    )


async def decision(poll: PollView, recipient: PollRecipient, chosen: PollSlot) -> None:
    """The chosen date; a municipality that cannot come then hears it may send someone else."""
    if recipient.contact_email:
        await _send(
            "date_poll_decision",
            poll,
            recipient,
            chosen=chosen,
            cannot_attend=recipient.mark(chosen.id) is PollMark.NO,
        )


async def cancel_reminders(poll_id: int, recipients: Iterable[PollRecipient]) -> None:
    """Once a poll closes, no reminder may still go out (answering already cancelled its own)."""
    for recipient in recipients:
        if not recipient.has_answered:
            await outbox.cancel_pending(reminder_key(poll_id, recipient.id))
