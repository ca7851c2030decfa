"""JSON shape of a municipality's network (public: municipalities and sessions, never people)."""

from __future__ import annotations

import datetime as dt

from msgspec import Struct

from events.network.municipality import MunicipalityNetwork


class SessionRef(Struct):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class PeerOut(Struct):
    code: str
    name: str
    times: int
    last_met_at: dt.datetime


class PracticeOut(Struct):
    session_id: int
    session_title: str
    item: str
    answer: str


class SuggestionOut(Struct):
    code: str
    name: str
    shared_topics: list[str]
    plan_status: str
    is_ahead: bool


class MunicipalityNetworkOut(Struct):
    code: str
    name: str
    plan_status: str | None
    sessions: list[SessionRef]
    peers: list[PeerOut]
    practices: list[PracticeOut]
    suggestions: list[SuggestionOut]


def network_out(network: MunicipalityNetwork) -> MunicipalityNetworkOut:
    return MunicipalityNetworkOut(
        code=network.code,
        name=network.name,
        plan_status=network.plan_status,
        sessions=[SessionRef(s.id, s.title, s.starts_at, s.ends_at) for s in network.sessions],
        peers=[PeerOut(p.code, p.name, p.times, p.last_met_at) for p in network.peers],
        practices=[
            PracticeOut(p.session_id, p.session_title, p.item, p.answer) for p in network.practices
        ],
        suggestions=[
            SuggestionOut(s.code, s.name, list(s.shared_topics), s.plan_status, s.is_ahead)
            for s in network.suggestions
        ],
    )
