"""What an attendee's personal link opens: their own registration in one session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.enums import RegistrationStatus as R
from events.errors import NotFoundError
from events.exchange_sessions import ExchangeSessionView, get_session
from events.i18n import N_
from events.tables import Attendee
from events.tokens import hash_token, looks_like_token

INVALID_LINK = N_(
    "このリンクは無効です。メールに記載のリンクをもう一度ご確認いただくか、主催者にお問い合わせください。"
)


@dataclass(frozen=True)
class AttendeeAccess:
    attendee: dict[str, Any]
    municipality_code: str
    municipality_name: str
    session: ExchangeSessionView

    @property
    def is_confirmed(self) -> bool:
        return bool(self.attendee["status"] == R.CONFIRMED)


async def attendee_by_token(token: str) -> AttendeeAccess:
    """The attendee behind a link; one message for unknown, removed or malformed tokens."""
    row = None
    if looks_like_token(token):
        row = await (
            Attendee.select(
                *Attendee.all_columns(),
                Attendee.registration._.municipality.as_alias("municipality_code"),
                Attendee.registration._.municipality._.name.as_alias("municipality_name"),
            )
            .where(Attendee.token_hash == hash_token(token), Attendee.status != R.CANCELLED)
            .first()
        )
    if row is None:
        raise NotFoundError(INVALID_LINK)
    return AttendeeAccess(
        attendee=row,
        municipality_code=row["municipality_code"],
        municipality_name=row["municipality_name"],
        session=await get_session(row["exchange_session"]),
    )
