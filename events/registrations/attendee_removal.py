"""One attendee taken off a delegation by its coordinator, and put back before the deadline.

Removing keeps the row (cancelled) so that the coordinator still sees the person, can restore
them while registration is open, and the person's own link can say what happened to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.audit import trail
from events.enums import RegistrationStatus as R
from events.invitations.invitations import CoordinatorAccess
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError
from events.lib.i18n import N_
from events.registrations import mail as participant_mail
from events.registrations.actors import coordinator
from events.registrations.queries import active_attendees
from events.registrations.registrations import (
    active_registration,
    duplicate_emails_explained,
    open_for_change,
    promote_waiting,
    remove_attendee_row,
)
from events.registrations.waitlist import confirmed_count, refresh_registration_status
from events.sessions.turns import one_at_a_time
from events.tables import Attendee


async def _attendee_of(registration_id: int, attendee_id: int) -> dict[str, Any]:
    row = await (
        Attendee.select()
        .where(Attendee.id == attendee_id, Attendee.registration == registration_id)
        .first()
    )
    if row is None:
        raise NotFoundError(N_("この参加者は登録されていません。"), field="attendee")
    return row


async def remove_attendee(
    access: CoordinatorAccess, attendee_id: int, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Take one person off the delegation: they are mailed, their place goes to the list."""
    now, actor = now or utcnow(), coordinator(access)
    async with one_at_a_time(access.session.id), write_transaction():
        session = await open_for_change(access, actor, now)
        registration = await active_registration(session.id, access.municipality_code)
        row = await _attendee_of(registration["id"], attendee_id)
        if row["status"] == R.CANCELLED:
            raise ConflictError(
                N_("この参加者の登録はすでに取り消されています。"), field="attendee"
            )
        if len(await active_attendees(registration["id"])) == 1:
            raise ConflictError(
                N_(
                    "最後の1人は取り消せません。参加をやめる場合は、参加登録全体を取り消してください。"
                ),
                field="attendee",
            )
        await remove_attendee_row(session, row, now)
        await promote_waiting(session, now)
        await refresh_registration_status(registration["id"])
        await trail.record(
            actor.name,
            "attendee_removed",
            session_id=session.id,
            details={"municipality": access.municipality_code, "attendee": row["name"]},
        )
    return row


async def restore_attendee(
    access: CoordinatorAccess, attendee_id: int, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Put a removed person back: a place if one is free, else the end of the waiting list."""
    now, actor = now or utcnow(), coordinator(access)
    async with duplicate_emails_explained(), one_at_a_time(access.session.id), write_transaction():
        session = await open_for_change(access, actor, now)
        registration = await active_registration(session.id, access.municipality_code)
        row = await _attendee_of(registration["id"], attendee_id)
        if row["status"] != R.CANCELLED:
            raise ConflictError(N_("この参加者は取り消されていません。"), field="attendee")
        if len(await active_attendees(registration["id"])) >= session.per_municipality_limit:
            raise ConflictError(
                N_("1自治体あたりの参加者は%(limit)d人までです。"),
                field="attendee",
                params={"limit": session.per_municipality_limit},
            )
        has_place = await confirmed_count(session.id) < session.capacity
        status = R.CONFIRMED if has_place else R.WAITLISTED
        await Attendee.update(
            {
                Attendee.status: status,
                Attendee.waitlisted_at: None if has_place else now,
                Attendee.updated_at: now,
            }
        ).where(Attendee.id == attendee_id)
        restored = {**row, "status": status, "waitlisted_at": None if has_place else now}
        if has_place:
            await participant_mail.confirmed(session, restored, now)
        else:
            await participant_mail.waitlisted(session, restored)
        await refresh_registration_status(registration["id"])
        await trail.record(
            actor.name,
            "attendee_restored",
            session_id=session.id,
            details={"municipality": access.municipality_code, "attendee": row["name"]},
        )
    return restored
