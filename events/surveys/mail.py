"""The survey invitation: one message per attendee, with their own link to the survey page."""

from __future__ import annotations

from typing import Any

from events.lib.links import personal_link
from events.lib.tokens import LinkKind
from events.mail import outbox
from events.mail.compose import compose
from events.sessions.exchange_sessions import ExchangeSessionView


def invitation_key(session_id: int, attendee_id: int) -> str:
    return f"survey:{session_id}:{attendee_id}"


def survey_link(attendee: dict[str, Any]) -> str:
    """The attendee's own survey page: the personal link, so no sign-in is needed."""
    return personal_link(LinkKind.ATTENDEE, attendee["link_nonce"], "/survey")


async def invitation(session: ExchangeSessionView, attendee: dict[str, Any]) -> None:
    """Written to the outbox inside the caller's transaction; the link is in the plain text too."""
    kind = "survey_invitation"
    mail = compose(
        kind,
        attendee["locale"],
        session=session,
        attendee=attendee,
        survey_link=survey_link(attendee),
    )
    await outbox.enqueue(
        outbox.OutgoingMail(
            kind=kind,
            recipient=attendee["email"],
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            reply_to=session.organizer_email,
            supersede_key=invitation_key(session.id, attendee["id"]),
            topic_key=f"session:{session.id}",
        )
    )
