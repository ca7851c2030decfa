"""How full sessions are: confirmed and waitlisted attendees of many sessions in one query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from events.enums import RegistrationStatus as R
from events.tables import Attendee


@dataclass(frozen=True)
class RegistrationCounts:
    confirmed: int = 0
    waitlisted: int = 0


async def counts_for(session_ids: Sequence[int]) -> dict[int, RegistrationCounts]:
    """Counts for each of `session_ids`; a session nobody registered for gets zeros."""
    if not session_ids:
        return {}
    rows = await (
        Attendee.select(Attendee.exchange_session, Attendee.status, Count(alias="people"))
        .where(
            Attendee.exchange_session.is_in(list(session_ids)),
            Attendee.status.is_in([R.CONFIRMED, R.WAITLISTED]),
        )
        .group_by(Attendee.exchange_session, Attendee.status)
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row["exchange_session"], {})[row["status"]] = int(row["people"])
    return {
        session_id: RegistrationCounts(
            confirmed=found.get(session_id, {}).get(R.CONFIRMED, 0),
            waitlisted=found.get(session_id, {}).get(R.WAITLISTED, 0),
        )
        for session_id in session_ids
    }
