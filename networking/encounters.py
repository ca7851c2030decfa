"""The networking history: which municipalities met, in which session and group, and how often."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count

from networking.municipalities import display_names
from networking.tables import Encounter

INSERT_BATCH = 500


@dataclass(frozen=True)
class MetGroup:
    """One discussion group of a held session: its label and its members' municipality codes."""

    label: str
    municipalities: Sequence[str]


@dataclass(frozen=True)
class Peer:
    """A municipality met, how many sessions it was met in, and when last."""

    code: str
    name: str
    times: int
    last_met_at: dt.datetime


@dataclass(frozen=True)
class Edge:
    """Two municipalities (in code order) that met in `times` sessions."""

    first: str
    second: str
    times: int


def pairs_of(groups: Iterable[MetGroup]) -> dict[tuple[str, str], str]:
    """Each pair of distinct municipalities sharing a group, in code order, with its first group."""
    pairs: dict[tuple[str, str], str] = {}
    for group in groups:
        for pair in combinations(sorted(set(group.municipalities)), 2):
            pairs.setdefault(pair, group.label)
    return pairs


async def record(session_id: int, met_at: dt.datetime, groups: Iterable[MetGroup]) -> int:
    """Store the session's encounters, replacing any; the number of pairs. Call in a transaction.

    A pair that shared two groups of the session (two topics) met once: the first group counts.
    """
    await Encounter.delete().where(Encounter.session_id == session_id)
    rows = [
        Encounter(
            session_id=session_id,
            met_at=met_at,
            municipality_a=first,
            municipality_b=second,
            group_label=label[:300],
        )
        for (first, second), label in sorted(pairs_of(groups).items())
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        await Encounter.insert(*rows[start : start + INSERT_BATCH])
    return len(rows)


async def history(
    codes: Collection[str] | None = None, *, before: dt.datetime | None = None
) -> dict[frozenset[str], int]:
    """Pair -> number of sessions the two met in; only pairs within `codes` when given, and
    only sessions held before `before` (a session's own pairs are no history to itself)."""
    if codes is not None and not codes:
        return {}
    conditions: list[Combinable] = []
    if codes is not None:
        wanted = sorted(codes)
        conditions += [
            Encounter.municipality_a.is_in(wanted),
            Encounter.municipality_b.is_in(wanted),
        ]
    if before is not None:
        conditions.append(Encounter.met_at < before)
    query = (
        Encounter.select(Encounter.municipality_a, Encounter.municipality_b, Count(alias="times"))
        .where(*conditions)
        .group_by(Encounter.municipality_a, Encounter.municipality_b)
    )
    return {
        frozenset((row["municipality_a"], row["municipality_b"])): row["times"]
        for row in await query
    }


async def peers(code: str) -> list[Peer]:
    """The municipalities `code` has met, most often first, then by code."""
    rows = await Encounter.select(
        Encounter.municipality_a, Encounter.municipality_b, Encounter.met_at
    ).where((Encounter.municipality_a == code) | (Encounter.municipality_b == code))
    met: dict[str, list[dt.datetime]] = {}
    for row in rows:
        other = row["municipality_b"] if row["municipality_a"] == code else row["municipality_a"]
        met.setdefault(other, []).append(row["met_at"])
    names = await display_names(met)
    found = [
        Peer(code=other, name=names[other], times=len(moments), last_met_at=max(moments))
        for other, moments in met.items()
    ]
    return sorted(found, key=lambda peer: (-peer.times, peer.code))


async def edges_within(prefecture_codes: Collection[str]) -> list[Edge]:
    """Pairs met where both municipalities lie in the given prefectures, in code order."""
    rows = await (
        Encounter.select(Encounter.municipality_a, Encounter.municipality_b, Count(alias="times"))
        .where(
            Encounter.municipality_a._.prefecture_code.is_in(sorted(prefecture_codes)),
            Encounter.municipality_b._.prefecture_code.is_in(sorted(prefecture_codes)),
        )
        .group_by(Encounter.municipality_a, Encounter.municipality_b)
    )
    edges = [Edge(row["municipality_a"], row["municipality_b"], row["times"]) for row in rows]
    return sorted(edges, key=lambda edge: (edge.first, edge.second))


async def first_meetings(prefecture_codes: Collection[str]) -> dict[int, int]:
    """Session id -> pairs (both in the prefectures) that met there for the first time."""
    rows = await (
        Encounter.select(Encounter.municipality_a, Encounter.municipality_b, Encounter.session_id)
        .where(
            Encounter.municipality_a._.prefecture_code.is_in(sorted(prefecture_codes)),
            Encounter.municipality_b._.prefecture_code.is_in(sorted(prefecture_codes)),
        )
        .order_by(Encounter.met_at)
        .order_by(Encounter.session_id)
    )
    seen: set[tuple[str, str]] = set()
    counts: dict[int, int] = {}
    for row in rows:
        pair = (row["municipality_a"], row["municipality_b"])
        if pair not in seen:
            seen.add(pair)
            counts[row["session_id"]] = counts.get(row["session_id"], 0) + 1
    return counts
