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


# Registrations in the order of invitation_order, in one statement: invited municipalities
# by (position, id) of their invitation, then those without one by code.
_PARTICIPATING = """
SELECT municipality.display_name AS name
FROM registration
JOIN municipality ON municipality.code = registration.municipality
LEFT JOIN invitation ON invitation.exchange_session = registration.exchange_session
                    AND invitation.municipality = registration.municipality
WHERE registration.exchange_session = {} AND registration.status != {}
ORDER BY invitation.id IS NULL, invitation.position, invitation.id, registration.municipality
"""


async def participating_municipalities(session_id: int) -> list[str]:
    """Names of the municipalities registered for a session, in the organizer's order (those
    that joined without an invitation after them, in code order)."""
    rows = await Registration.raw(_PARTICIPATING, session_id, R.CANCELLED.value)
    return [row["name"] for row in rows]
