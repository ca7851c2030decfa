"""The waiting list: counting places, positions, and promoting the next in line.

The list is ordered by attendee id: ids are handed out under the session lock, so they follow
the order in which registrations were accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from events.enums import RegistrationStatus as R
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import Attendee, Registration


async def confirmed_count(session_id: int) -> int:
    return await _count(Attendee.exchange_session == session_id, Attendee.status == R.CONFIRMED)


async def place_counts(session_id: int) -> tuple[int, int]:
    """How many attendees of the session hold a place, and how many wait: one query."""
    rows = await Attendee.raw(
        "SELECT status, COUNT(*) AS attendees FROM attendee"
        " WHERE exchange_session = {} AND status IN ({}, {}) GROUP BY status",
        session_id,
        R.CONFIRMED,
        R.WAITLISTED,
    )
    counts = {row["status"]: int(row["attendees"]) for row in rows}
    return counts.get(R.CONFIRMED, 0), counts.get(R.WAITLISTED, 0)


async def waitlist_position(attendee: dict[str, Any]) -> int:
    """1 for the next in line; call only for a waitlisted attendee."""
    return (await waitlist_positions([attendee["id"]]))[attendee["id"]]


async def waitlist_positions(attendee_ids: Sequence[int]) -> dict[int, int]:
    """The place in line of each of these waitlisted attendees, in one query."""
    if not attendee_ids:
        return {}
    placeholders = ", ".join("{}" for _ in attendee_ids)  # values are bound, never interpolated
    rows = await Attendee.raw(
        f"""
        SELECT waiting.id, (
            SELECT COUNT(*) FROM attendee AS ahead
            WHERE ahead.exchange_session = waiting.exchange_session
            AND ahead.status = {{}} AND ahead.id < waiting.id
        ) + 1 AS position
        FROM attendee AS waiting WHERE waiting.id IN ({placeholders})
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
