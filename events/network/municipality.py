"""A municipality's network, for anyone: sessions attended, peers met, practices, suggestions.

Only municipality-level facts are shown, never a person: public sessions, municipality names,
the sharing answers a municipality gave for sessions that were held, and its plan stage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from events.enums import PlanStatus, SessionStatus
from events.enums import RegistrationStatus as R
from events.lib.raw_sql import placeholders
from events.sessions.exchange_sessions import PUBLIC_STATUSES
from events.tables import Registration, SharingAnswer, TopicPreference
from networking.encounters import Peer, peers
from networking.municipalities import display_name, display_names, get_municipality
from networking.regions import Area, region_of

HELD = (SessionStatus.HELD.value, SessionStatus.REPORTED.value)
PLAN_RANK = {PlanStatus.NOT_STARTED: 0, PlanStatus.DRAFTING: 1, PlanStatus.ADOPTED: 2}
MAX_SUGGESTIONS = 10


@dataclass(frozen=True)
class AttendedSession:
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class SharedPractice:
    session_id: int
    session_title: str
    starts_at: dt.datetime
    item: str
    answer: str


@dataclass(frozen=True)
class Suggestion:
    """A peer not met yet: the discussion topics both wanted, and whether its plan is further."""

    code: str
    name: str
    shared_topics: tuple[str, ...]
    plan_status: str
    is_ahead: bool

    @property
    def plan_status_label(self) -> str:
        return PlanStatus(self.plan_status).label


@dataclass(frozen=True)
class MunicipalityNetwork:
    code: str
    name: str
    plan_status: str | None
    sessions: tuple[AttendedSession, ...]
    peers: tuple[Peer, ...]
    practices: tuple[SharedPractice, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def region(self) -> Area:
        return region_of(self.code)

    @property
    def plan_status_label(self) -> str | None:
        return PlanStatus(self.plan_status).label if self.plan_status else None


async def municipality_network(code: str) -> MunicipalityNetwork:
    """NotFoundError for an unknown code; empty lists for a municipality that took no part yet."""
    row = await get_municipality(code)
    met = await peers(code)
    plans = await _latest_plans()
    return MunicipalityNetwork(
        code=code,
        name=display_name(row["name"], row["prefecture"], row["kind"]),
        plan_status=plans.get(code),
        sessions=await _attended(code),
        peers=tuple(met),
        practices=await _practices(code),
        suggestions=await _suggestions(code, {peer.code for peer in met} | {code}, plans),
    )


# Written out: the query builder has no window functions. Reading every live registration to
# keep each municipality's latest took 43 ms once 7,000 were stored; this reads one row each.
_LATEST_PLANS = f"""
SELECT municipality, plan_status FROM (
    SELECT registration.municipality, registration.plan_status, ROW_NUMBER() OVER (
        PARTITION BY registration.municipality
        ORDER BY exchange_session.starts_at DESC, exchange_session.id DESC
    ) AS newest_first
    FROM registration
    JOIN exchange_session ON exchange_session.id = registration.exchange_session
    WHERE registration.status <> {{}}
    AND exchange_session.status IN ({placeholders(len(PUBLIC_STATUSES))})
) AS registrations WHERE newest_first = 1
"""  # noqa: S608 (only placeholders are interpolated: the statuses are bound)


async def _latest_plans() -> dict[str, str]:
    """Municipality -> its plan stage as given for the latest public session it registered for."""
    rows = await Registration.raw(_LATEST_PLANS, R.CANCELLED.value, *PUBLIC_STATUSES)
    return {row["municipality"]: row["plan_status"] for row in rows}


async def _attended(code: str) -> tuple[AttendedSession, ...]:
    """The held sessions the municipality took part in, latest first."""
    session = Registration.exchange_session
    rows = await (
        Registration.select(
            session.id.as_alias("session_id"),
            session.title.as_alias("title"),
            session.starts_at.as_alias("starts_at"),
            session.ends_at.as_alias("ends_at"),
        )
        .where(
            Registration.municipality == code,
            Registration.status != R.CANCELLED,
            session.status.is_in(list(HELD)),
        )
        .order_by(session.starts_at, ascending=False)
        .order_by(session.id, ascending=False)
    )
    return tuple(
        AttendedSession(r["session_id"], r["title"], r["starts_at"], r["ends_at"]) for r in rows
    )


async def _practices(code: str) -> tuple[SharedPractice, ...]:
    registration = SharingAnswer.registration
    rows = await (
        SharingAnswer.select(
            SharingAnswer.text,
            SharingAnswer.item._.text.as_alias("item"),
            registration._.exchange_session._.id.as_alias("session_id"),
            registration._.exchange_session._.title.as_alias("title"),
            registration._.exchange_session._.starts_at.as_alias("starts_at"),
        )
        .where(
            registration._.municipality == code,
            registration._.status != R.CANCELLED,
            registration._.exchange_session._.status.is_in(list(HELD)),
        )
        .order_by(registration._.exchange_session._.starts_at, ascending=False)
        .order_by(SharingAnswer.item._.position)
    )
    return tuple(
        SharedPractice(r["session_id"], r["title"], r["starts_at"], r["item"], r["text"])
        for r in rows
    )


async def _wanted_topics() -> dict[str, set[str]]:
    """Municipality -> titles of the discussion topics its attendees asked for."""
    attendee = TopicPreference.attendee
    rows = await TopicPreference.select(
        attendee._.registration._.municipality.as_alias("code"),
        TopicPreference.segment._.title.as_alias("title"),
    ).where(
        attendee._.status != R.CANCELLED,
        attendee._.exchange_session._.status.is_in(list(PUBLIC_STATUSES)),
    )
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        wanted[row["code"]].add(row["title"].strip())
    return wanted


async def _suggestions(
    code: str, excluded: set[str], plans: dict[str, str]
) -> tuple[Suggestion, ...]:
    """Not met yet, and either wanting the same topics or a step further with the plan."""
    wanted = await _wanted_topics()
    own = plans.get(code)
    found = []
    for other, plan in plans.items():
        shared = tuple(sorted(wanted[code] & wanted[other]))
        ahead = own is not None and PLAN_RANK[PlanStatus(plan)] > PLAN_RANK[PlanStatus(own)]
        if other not in excluded and (shared or ahead):
            found.append((other, shared, plan, ahead))
    found.sort(key=lambda s: (-len(s[1]), not s[3], s[0][:2] != code[:2], s[0]))
    found = found[:MAX_SUGGESTIONS]
    names = await display_names([s[0] for s in found])
    return tuple(Suggestion(c, names[c], shared, plan, ahead) for c, shared, plan, ahead in found)
