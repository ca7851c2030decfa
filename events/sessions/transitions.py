"""Moving a session through its life: publish, close registration, mark held, cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import SessionStatus
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError
from events.lib.i18n import N_
from events.sessions.exchange_sessions import ExchangeSessionView, get_session, locked_session
from events.sessions.lifecycle import Transition, next_status
from events.sessions.series import actor, require_owner
from events.tables import ExchangeSession


async def apply(
    organizer: OrganizerIdentity,
    session_id: int,
    transition: Transition,
    *,
    reason: str = "",
    now: dt.datetime | None = None,
) -> ExchangeSessionView:
    """Apply `transition` if the session's state allows it; cancelling bumps the sequence."""
    now = now or utcnow()
    async with write_transaction():
        current = await locked_session(session_id)
        require_owner(organizer, current.owner_id)
        next_status(current.status, transition)  # refused before the preconditions are checked
        _check_preconditions(current, transition, now)
        target = await set_status(current, transition, now)
        details: dict[str, object] = {"from": current.status, "to": target.value}
        if reason.strip():
            details["reason"] = reason.strip()[:1000]
        await trail.record(
            actor(organizer), transition.value, session_id=session_id, details=details
        )
    return await get_session(session_id)


async def set_status(
    current: ExchangeSessionView, transition: Transition, now: dt.datetime
) -> SessionStatus:
    """The one writer of a session's status, inside the caller's transaction: the life cycle
    decides the target (ConflictError when it forbids the step); cancelling raises the calendar
    sequence so that calendars replace the entry with its cancellation."""
    target = next_status(current.status, transition)
    if target == current.status:
        return target
    values: dict[Any, Any] = {ExchangeSession.status: target, ExchangeSession.updated_at: now}
    if transition is Transition.CANCEL:
        values[ExchangeSession.sequence] = current.sequence + 1
    await ExchangeSession.update(values).where(ExchangeSession.id == current.id)
    return target


def _check_preconditions(
    current: ExchangeSessionView, transition: Transition, now: dt.datetime
) -> None:
    if transition is Transition.PUBLISH and not current.agenda:
        raise ConflictError(N_("議題を1つ以上登録してから公開してください。"), field="agenda")
    if transition is Transition.MARK_HELD and now < current.starts_at:
        raise ConflictError(N_("開始前の情報交換会は開催済みにできません。"), field="status")
