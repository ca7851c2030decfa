"""The structured facts a report is generated from, read from the session's records.

Only municipality names and what the organizer or municipalities typed into the sharing
answers and notes reach a report: attendee names and e-mails are never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from events.enums import PlanStatus, RegistrationStatus, SegmentKind, SessionStatus
from events.lib.links import session_page
from events.reports.notes import SessionNotes, notes_of
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import ExchangeSessionView, SessionQuery, list_sessions
from events.sessions.participants import invitation_order
from events.tables import Registration, SharingAnswer


@dataclass(frozen=True)
class Participant:
    code: str
    name: str
    plan_status: str
    # Sharing item id -> what the municipality shared.
    answers: Mapping[int, str]
    # Its coordinator agreed that the report names it beside what it shared.
    may_be_named: bool = False


@dataclass(frozen=True)
class NextSession:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    url: str


@dataclass(frozen=True)
class ReportFacts:
    session_id: int
    title: str
    series_title: str
    host: str
    area_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    background: str
    # In the organizer's order: the order the municipalities were invited in.
    participants: tuple[Participant, ...]
    agenda: tuple[Segment, ...]
    notes: SessionNotes
    next_sessions: tuple[NextSession, ...]

    @property
    def sharing(self) -> Segment | None:
        return next((s for s in self.agenda if s.kind == SegmentKind.SHARING), None)

    @property
    def discussions(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.agenda if s.kind == SegmentKind.DISCUSSION)

    def plan_count(self, status: PlanStatus) -> int:
        return sum(1 for p in self.participants if p.plan_status == status)


async def participants_of(session_id: int) -> tuple[Participant, ...]:
    """Municipalities that attended (a confirmed registration), in invitation order."""
    order = await invitation_order(session_id)
    rows = await Registration.select(
        Registration.id,
        Registration.municipality,
        Registration.municipality.display_name.as_alias("name"),
        Registration.plan_status,
        Registration.report_consent,
    ).where(
        Registration.exchange_session == session_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    answers: dict[int, dict[int, str]] = {}
    for answer in await SharingAnswer.select(
        SharingAnswer.registration, SharingAnswer.item, SharingAnswer.text
    ).where(SharingAnswer.registration.is_in([row["id"] for row in rows] or [0])):
        answers.setdefault(answer["registration"], {})[answer["item"]] = answer["text"]
    rows.sort(key=lambda row: (order.get(row["municipality"], len(order)), row["municipality"]))
    return tuple(
        Participant(
            row["municipality"],
            row["name"],
            row["plan_status"],
            answers.get(row["id"], {}),
            may_be_named=row["report_consent"],
        )
        for row in rows
    )


async def next_sessions_of(session: ExchangeSessionView) -> tuple[NextSession, ...]:
    upcoming = await list_sessions(
        SessionQuery(
            series_id=session.series_id,
            statuses=(SessionStatus.PUBLISHED, SessionStatus.CLOSED),
            limit=5,
        ),
        now=session.ends_at,
    )
    return tuple(
        NextSession(s.title, s.starts_at, s.ends_at, session_page(s.id))
        for s in upcoming
        if s.starts_at > session.starts_at
    )


async def load_facts(session: ExchangeSessionView) -> ReportFacts:
    return ReportFacts(
        session_id=session.id,
        title=session.title,
        series_title=session.series_title,
        host=session.organization,
        area_name=session.area.name,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        background=session.background,
        participants=await participants_of(session.id),
        agenda=session.agenda,
        notes=await notes_of(session.id),
        next_sessions=await next_sessions_of(session),
    )
