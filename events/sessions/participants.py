"""Who takes part in a session, as anyone may see it: municipality names, never people."""

from __future__ import annotations

from events.enums import RegistrationStatus as R
from events.tables import Invitation, Registration


async def invitation_order(session_id: int) -> dict[str, int]:
    """Each invited municipality's place in the organizer's order: the order they were picked,
    then as the organizer moved them (invitation.position; ties in the order invited)."""
    rows = await (
        Invitation.select(Invitation.municipality)
        .where(Invitation.exchange_session == session_id)
        .order_by(Invitation.position)
        .order_by(Invitation.id)
    )
    return {row["municipality"]: index for index, row in enumerate(rows)}


async def participating_municipalities(session_id: int) -> list[str]:
    """Names of the municipalities registered for a session, in the organizer's order (those
    that joined without an invitation after them, in code order)."""
    rows = await (
        Registration.select(
            Registration.municipality, Registration.municipality._.display_name.as_alias("name")
        )
        .where(Registration.exchange_session == session_id, Registration.status != R.CANCELLED)
        .order_by(Registration.municipality)
    )
    order = await invitation_order(session_id)
    rows.sort(key=lambda row: order.get(row["municipality"], len(order)))
    return [row["name"] for row in rows]
