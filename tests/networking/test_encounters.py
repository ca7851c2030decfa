"""Encounter history: recorded per session and pair, counted, and queried for network pages."""

from __future__ import annotations

import datetime as dt

from networking.encounters import (
    MetGroup,
    edges_within,
    first_meetings,
    history,
    pairs_of,
    peers,
    record,
)
from networking.tables import Encounter

OKAYAMA, OKAYAMA_CITY, HIROSHIMA_CITY, SHIMANE, KOCHI = (
    "330001",
    "331007",
    "341002",
    "320005",
    "390003",
)
TOKYO = "130001"
DAY = dt.datetime(2023, 12, 15, 5, tzinfo=dt.UTC)


def test_pairs_are_in_code_order_once_with_their_first_group() -> None:
    groups = [
        MetGroup("A", [OKAYAMA_CITY, OKAYAMA, OKAYAMA]),
        MetGroup("B", [OKAYAMA, OKAYAMA_CITY, SHIMANE]),
    ]
    assert pairs_of(groups) == {
        (OKAYAMA, OKAYAMA_CITY): "A",
        (SHIMANE, OKAYAMA): "B",
        (SHIMANE, OKAYAMA_CITY): "B",
    }


async def test_a_session_records_each_pair_once_and_recording_again_replaces_it() -> None:
    groups = [
        MetGroup("人事部門との連携 – グループA", [OKAYAMA, OKAYAMA_CITY]),
        MetGroup("期待する効果とKPI – グループA", [OKAYAMA_CITY, OKAYAMA, SHIMANE]),
    ]
    assert await record(1, DAY, groups) == 3
    assert await record(1, DAY, groups) == 3
    rows = (
        await Encounter.select(
            Encounter.municipality_a, Encounter.municipality_b, Encounter.group_label
        )
        .order_by(Encounter.municipality_a)
        .order_by(Encounter.municipality_b)
    )
    assert rows == [
        {
            "municipality_a": SHIMANE,
            "municipality_b": OKAYAMA,
            "group_label": "期待する効果とKPI – グループA",
        },
        {
            "municipality_a": SHIMANE,
            "municipality_b": OKAYAMA_CITY,
            "group_label": "期待する効果とKPI – グループA",
        },
        {
            "municipality_a": OKAYAMA,
            "municipality_b": OKAYAMA_CITY,
            "group_label": "人事部門との連携 – グループA",
        },
    ]


async def test_history_counts_sessions_per_pair_and_filters_by_codes_and_time() -> None:
    await record(1, DAY, [MetGroup("A", [OKAYAMA, HIROSHIMA_CITY, KOCHI])])
    await record(2, DAY + dt.timedelta(days=60), [MetGroup("A", [OKAYAMA, HIROSHIMA_CITY])])
    assert await history() == {
        frozenset((OKAYAMA, HIROSHIMA_CITY)): 2,
        frozenset((OKAYAMA, KOCHI)): 1,
        frozenset((HIROSHIMA_CITY, KOCHI)): 1,
    }
    assert await history([OKAYAMA, KOCHI]) == {frozenset((OKAYAMA, KOCHI)): 1}
    assert await history([]) == {}
    assert await history(before=DAY + dt.timedelta(days=1)) == {
        frozenset((OKAYAMA, HIROSHIMA_CITY)): 1,
        frozenset((OKAYAMA, KOCHI)): 1,
        frozenset((HIROSHIMA_CITY, KOCHI)): 1,
    }


async def test_peers_are_named_and_ordered_by_how_often_they_met() -> None:
    later = DAY + dt.timedelta(days=60)
    await record(1, DAY, [MetGroup("A", [OKAYAMA, HIROSHIMA_CITY, KOCHI])])
    await record(2, later, [MetGroup("A", [OKAYAMA, HIROSHIMA_CITY])])
    found = await peers(OKAYAMA)
    assert [(p.code, p.name, p.times, p.last_met_at) for p in found] == [
        (HIROSHIMA_CITY, "広島県広島市", 2, later),
        (KOCHI, "高知県", 1, DAY),
    ]
    assert await peers(TOKYO) == []


async def test_region_queries_keep_pairs_with_both_ends_inside() -> None:
    chugoku = {"31", "32", "33", "34", "35"}
    await record(1, DAY, [MetGroup("A", [OKAYAMA, HIROSHIMA_CITY, KOCHI])])
    await record(2, DAY + dt.timedelta(days=1), [MetGroup("A", [OKAYAMA, HIROSHIMA_CITY, SHIMANE])])
    edges = await edges_within(chugoku)
    assert [(e.first, e.second, e.times) for e in edges] == [
        (SHIMANE, OKAYAMA, 1),
        (SHIMANE, HIROSHIMA_CITY, 1),
        (OKAYAMA, HIROSHIMA_CITY, 2),
    ]
    assert await first_meetings(chugoku) == {1: 1, 2: 2}
