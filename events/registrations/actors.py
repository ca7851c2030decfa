"""Who changes a delegation, whether the session lets them now, and the trail they leave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events.audit import trail
from events.enums import SessionStatus
from events.invitations.invitations import CoordinatorAccess
from events.lib.errors import ConflictError
from events.lib.i18n import N_
from events.registrations.delegations import DelegationInput
from events.sessions.exchange_sessions import ExchangeSessionView


@dataclass(frozen=True)
class Actor:
    """Who changes a delegation: its coordinator (bound by the deadline) or an organizer."""

    name: str
    is_organizer: bool = False


def coordinator(access: CoordinatorAccess) -> Actor:
    return Actor(name=f"coordinator:{access.municipality_code}")


def refuse_when_closed(session: ExchangeSessionView, actor: Actor, now: dt.datetime) -> None:
    reason = None if actor.is_organizer else closed_reason(session, now)
    if reason is not None:
        raise ConflictError(reason, field="status")


def closed_reason(session: ExchangeSessionView, now: dt.datetime) -> str | None:
    """Why a coordinator cannot change a delegation now (a msgid), or None while it is open."""
    if session.accepts_registrations(now):
        return None
    if session.status == SessionStatus.DRAFT:
        return N_("参加登録の受付はまだ始まっていません。")
    if session.is_cancelled:
        return N_("この情報交換会は中止になりました。")
    return N_("参加登録の受付は終了しています。変更が必要な場合は主催者にご連絡ください。")


async def record_change(
    actor: Actor,
    action: str,
    session: ExchangeSessionView,
    access: CoordinatorAccess,
    delegation: DelegationInput,
) -> None:
    await trail.record(
        actor.name,
        action,
        session_id=session.id,
        details={"municipality": access.municipality_code, "attendees": len(delegation.attendees)},
    )
