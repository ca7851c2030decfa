"""A region's network for anyone: who met whom (picture and table), new pairs per session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events.enums import SessionStatus
from events.tables import ExchangeSession
from networking import encounters
from networking.municipalities import display_names
from networking.network_layout import Placed, circle_layout
from networking.regions import Area, area_by_slug

PICTURE_SIZE = 640.0
# Room outside the circle for the labels (municipality names run up to about ten characters).
PICTURE_MARGIN = 150.0


@dataclass(frozen=True)
class Node:
    name: str
    place: Placed


@dataclass(frozen=True)
class Link:
    first: Node
    second: Node
    times: int


@dataclass(frozen=True)
class SessionConnections:
    """A held session and how many pairs of the region's municipalities met there first."""

    id: int
    title: str
    starts_at: dt.datetime
    new_connections: int


@dataclass(frozen=True)
class RegionNetwork:
    area: Area
    size: float
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    sessions: tuple[SessionConnections, ...]


async def region_network(slug: str) -> RegionNetwork:
    """NotFoundError for an unknown region; pairs count when both lie in the region."""
    area = area_by_slug(slug)
    edges = await encounters.edges_within(area.prefecture_codes)
    codes = sorted({edge.first for edge in edges} | {edge.second for edge in edges})
    names = await display_names(codes)
    nodes = {
        place.code: Node(names[place.code], place)
        for place in circle_layout(codes, PICTURE_SIZE, PICTURE_MARGIN)
    }
    return RegionNetwork(
        area=area,
        size=PICTURE_SIZE,
        nodes=tuple(nodes.values()),
        links=tuple(Link(nodes[e.first], nodes[e.second], e.times) for e in edges),
        sessions=await _sessions(area),
    )


async def _sessions(area: Area) -> tuple[SessionConnections, ...]:
    """The region's held sessions, and any other whose encounters made pairs here, newest first."""
    firsts = await encounters.first_meetings(area.prefecture_codes)
    held = (SessionStatus.HELD.value, SessionStatus.REPORTED.value)
    rows = await (
        ExchangeSession.select(ExchangeSession.id, ExchangeSession.title, ExchangeSession.starts_at)
        .where(
            ExchangeSession.status.is_in(list(held)),
            (ExchangeSession.region == area.slug) | ExchangeSession.id.is_in(list(firsts) or [0]),
        )
        .order_by(ExchangeSession.starts_at, ascending=False)
    )
    return tuple(
        SessionConnections(row["id"], row["title"], row["starts_at"], firsts.get(row["id"], 0))
        for row in rows
    )
