"""What the organizer's overview pages show, gathered in one call per page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit.queries import AuditLine, trail_for_session
from events.enums import SessionStatus
from events.lib.errors import Problem
from events.registrations.counts import RegistrationCounts, counts_for
from events.sessions.exchange_sessions import (
    ExchangeSessionView,
    SessionQuery,
    list_sessions,
    session_for_editing,
    warnings_for,
)
from events.sessions.lifecycle import EDITABLE, Transition, allowed
from events.sessions.series import list_series

# Status changes made from the session page; reports are marked published where they are made.
PAGE_TRANSITIONS = (
    Transition.PUBLISH,
    Transition.CLOSE_REGISTRATION,
    Transition.MARK_HELD,
    Transition.CANCEL,
)
DASHBOARD_LIMIT = 500
# Sessions still to come are listed soonest first; those already held latest first, the one
# an organizer is working on (its notes, survey and report) at the top.
LATEST_FIRST = frozenset({SessionStatus.HELD, SessionStatus.REPORTED})


@dataclass(frozen=True)
class SessionRow:
    session: ExchangeSessionView
    counts: RegistrationCounts


@dataclass(frozen=True)
class StatusGroup:
    status: SessionStatus
    rows: tuple[SessionRow, ...]


@dataclass(frozen=True)
class Dashboard:
    series: list[dict[str, Any]]
    groups: tuple[StatusGroup, ...]

    @property
    def has_sessions(self) -> bool:
        return any(group.rows for group in self.groups)


async def dashboard(organizer: OrganizerIdentity) -> Dashboard:
    """The organizer's series and sessions (everyone's for admins), sessions grouped by status."""
    sessions = await list_sessions(
        SessionQuery(owner_id=None if organizer.is_admin else organizer.id, limit=DASHBOARD_LIMIT)
    )
    counts = await counts_for([session.id for session in sessions])
    groups = tuple(StatusGroup(status, _rows(status, sessions, counts)) for status in SessionStatus)
    return Dashboard(series=await list_series(organizer), groups=groups)


def _rows(
    status: SessionStatus,
    sessions: list[ExchangeSessionView],
    counts: dict[int, RegistrationCounts],
) -> tuple[SessionRow, ...]:
    """The sessions of one status; `sessions` come soonest first."""
    rows = [SessionRow(s, counts[s.id]) for s in sessions if s.status == status]
    return tuple(reversed(rows) if status in LATEST_FIRST else rows)


@dataclass(frozen=True)
class SessionOverview:
    session: ExchangeSessionView
    counts: RegistrationCounts
    editable: bool
    # Holiday, weekend and overlap warnings, while the date can still be changed.
    warnings: list[Problem]
    transitions: list[Transition]
    trail: list[AuditLine]


async def session_overview(organizer: OrganizerIdentity, session_id: int) -> SessionOverview:
    session = await session_for_editing(organizer, session_id)
    editable = SessionStatus(session.status) in EDITABLE
    return SessionOverview(
        session=session,
        counts=(await counts_for([session.id]))[session.id],
        editable=editable,
        warnings=await warnings_for(session) if editable else [],
        transitions=[t for t in allowed(session.status) if t in PAGE_TRANSITIONS],
        trail=await trail_for_session(session.id),
    )
