"""What an attendee's personal link (/a/{token}) opens: their own place in one session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.enums import RegistrationStatus as R
from events.errors import NotFoundError
from events.exchange_sessions import ExchangeSessionView, get_session
from events.invitations import INVALID_LINK
from events.tables import Attendee
from events.tokens import hash_token, looks_like_token


@dataclass(frozen=True)
class AttendeeAccess:
    attendee: dict[str, Any]
    session: ExchangeSessionView

    @property
    def is_confirmed(self) -> bool:
        return bool(self.attendee["status"] == R.CONFIRMED)


async def attendee_by_token(token: str) -> AttendeeAccess:
    """The attendee behind a link; one message for unknown, removed or malformed tokens."""
    row = None
    if looks_like_token(token):
        row = await (
            Attendee.select()
            .where(Attendee.token_hash == hash_token(token), Attendee.status != R.CANCELLED)
            .first()
        )
    if row is None:
        raise NotFoundError(INVALID_LINK)
    return AttendeeAccess(attendee=row, session=await get_session(row["exchange_session"]))
