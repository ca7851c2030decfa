"""Mail to a municipality's coordinator (取りまとめ担当): the invitation with their personal link.

The link is the only way in, so the message carries it in plain text (LGWAN gateways may strip
the HTML part). A message still waiting is replaced when a new link is issued.
"""

from __future__ import annotations

from events.lib.i18n import DEFAULT_LOCALE
from events.lib.links import session_page
from events.mail import outbox
from events.mail.compose import compose
from events.sessions.exchange_sessions import ExchangeSessionView

KIND = "coordinator_invitation"


def invitation_key(session_id: int, code: str) -> str:
    return f"invitation:{session_id}:{code}"


async def invited(
    session: ExchangeSessionView, *, code: str, municipality: str, email: str, link: str
) -> None:
    """The session, the registration deadline and the municipality's own registration link."""
    # Municipal contacts read Japanese; the organizer's own UI language does not apply.
    mail = compose(
        KIND,
        DEFAULT_LOCALE,
        session=session,
        municipality=municipality,
        coordinator_link=link,
        session_link=session_page(session.id),
    )
    await outbox.enqueue(
        outbox.OutgoingMail(
            kind=KIND,
            recipient=email,
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            reply_to=session.organizer_email,
            supersede_key=invitation_key(session.id, code),
            topic_key=f"session:{session.id}",
        )
    )


async def withdrawn(session_id: int, code: str) -> None:
    """A revoked link must not arrive after the fact."""
    await outbox.cancel_pending(invitation_key(session_id, code))
