"""Who takes part in a session, as anyone may see it: municipality names, never people."""

from __future__ import annotations

from events.enums import RegistrationStatus as R
from events.tables import Registration


async def participating_municipalities(session_id: int) -> list[str]:
    """Names of the municipalities registered for a session, in code order."""
    rows = await (
        Registration.select(Registration.municipality._.name.as_alias("name"))
        .where(Registration.exchange_session == session_id, Registration.status != R.CANCELLED)
        .order_by(Registration.municipality)
    )
    return [row["name"] for row in rows]
