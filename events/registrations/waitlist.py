"""The waiting list: counting places, positions, and promoting the next in line.

The list is ordered by attendee id: ids are handed out under the session lock, so they follow
the order in which registrations were accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from events.enums import RegistrationStatus as R
from events.lib.raw_sql import placeholders
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import Attendee, Registration


async def confirmed_count(session_id: int) -> int:
    return await _count(Attendee.exchange_session == session_id, Attendee.status == R.CONFIRMED)


# One statement for what registrations decide by under the session lock: each statement
# there is a round trip that every other registration of the session waits for.
_PLACES_AND_REGISTRATIONS = """
SELECT registration.*,
    (SELECT COUNT(*) FROM attendee WHERE exchange_session = {{}} AND status = {{}})
        AS places_held,
    (SELECT COUNT(*) FROM attendee WHERE exchange_session = {{}} AND status = {{}})
        AS places_waiting
FROM (SELECT 1 AS anchor) AS one
LEFT JOIN registration ON registration.exchange_session = {{}} AND registration.municipality IN ({})
"""


async def places_and_registrations(
    session_id: int, municipality_codes: Sequence[str]
) -> tuple[tuple[int, int], dict[str, dict[str, Any]]]:
    """How many attendees of the session hold a place and how many wait, and the
    municipalities' registration rows for it (cancelled or not), by code. Call after locking
    the session: they are then final until the commit."""
    # Padded to a power of two, so that few statement texts are prepared and kept.
    codes = list(municipality_codes)
    codes += codes[-1:] * ((1 << (len(codes) - 1).bit_length()) - len(codes))
    rows = await Attendee.raw(
        _PLACES_AND_REGISTRATIONS.format(placeholders(len(codes))),
        session_id,
        R.CONFIRMED,
        session_id,
        R.WAITLISTED,
        session_id,
        *codes,
    )
    counts = int(rows[0]["places_held"]), int(rows[0]["places_waiting"])
    registrations = {}
    for row in rows:
        del row["places_held"], row["places_waiting"]
        if row["id"] is not None:  # the one row without any registration
            registrations[row["municipality"]] = row
    return counts, registrations


async def waitlist_position(attendee: dict[str, Any]) -> int:
    """1 for the next in line; call only for a waitlisted attendee."""
    return (await waitlist_positions([attendee["id"]]))[attendee["id"]]


async def waitlist_positions(attendee_ids: Sequence[int]) -> dict[int, int]:
    """The place in line of each of these waitlisted attendees, in one query."""
    if not attendee_ids:
        return {}
    rows = await Attendee.raw(
        f"""
        SELECT waiting.id, (
            SELECT COUNT(*) FROM attendee AS ahead
            WHERE ahead.exchange_session = waiting.exchange_session
            AND ahead.status = {{}} AND ahead.id < waiting.id
        ) + 1 AS position
        FROM attendee AS waiting WHERE waiting.id IN ({placeholders(len(attendee_ids))})
        """,  # noqa: S608
        R.WAITLISTED,
        *attendee_ids,
    )
    return {row["id"]: int(row["position"]) for row in rows}


async def _count(*conditions: Any) -> int:
    return int(await Attendee.count().where(*conditions))


async def promote_waitlisted(
    session: ExchangeSessionView, now: dt.datetime
) -> list[dict[str, Any]]:
    """Give free places to the longest waiting; call in the transaction that freed them."""
    free = session.capacity - await confirmed_count(session.id)
    if free <= 0:
        return []
    promoted = await (
        Attendee.select()
        .where(Attendee.exchange_session == session.id, Attendee.status == R.WAITLISTED)
        .order_by(Attendee.id)
        .limit(free)
    )
    if promoted:
        ids = [row["id"] for row in promoted]
        await Attendee.update(
            {Attendee.status: R.CONFIRMED, Attendee.waitlisted_at: None, Attendee.updated_at: now}
        ).where(Attendee.id.is_in(ids))
        for registration_id in {row["registration"] for row in promoted}:
            await refresh_registration_status(registration_id)
    return [{**row, "status": R.CONFIRMED.value, "waitlisted_at": None} for row in promoted]


async def refresh_registration_status(registration_id: int) -> None:
    """A registration is confirmed while any of its attendees holds a place, else waitlisted."""
    statuses = {
        row["status"]
        for row in await Attendee.select(Attendee.status).where(
            Attendee.registration == registration_id
        )
    }
    current = (
        await Registration.select(Registration.status)
        .where(Registration.id == registration_id)
        .first()
    )
    if current is None or current["status"] == R.CANCELLED:
        return
    status = R.CONFIRMED if R.CONFIRMED in statuses else R.WAITLISTED
    await Registration.update({Registration.status: status}).where(
        Registration.id == registration_id
    )
