"""Attendees to topics: rank-maximal wishes within each topic's cap, head-counts that split.

Objectives 1 to 3 of networking.assignment: everyone starts at their first wish; overfull topics
hand people over along shortest paths of the transport problem; head-counts are then repaired
and delegations spread over topics, each step losing the fewest wishes.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

from networking.assignment_input import Prepared, seeded_random
from networking.assignment_score import group_bounds


class _Topics:
    """Attendee -> topic, with a heap per ordered pair of topics of the cheapest people to move."""

    def __init__(self, p: Prepared) -> None:
        count, base = len(p.topics), len(p.attendees) + 1
        # Rank r costs base**count - base**(count - r): one better rank outweighs any number of
        # changes further down, so the least total cost is the rank-maximal allocation.
        weight = [base**count - base ** (count - r) for r in range(count + 1)]
        self.cost = [
            [weight[r] * wishes for r in ranks]
            for ranks, wishes in zip(p.rank, p.has_preferences, strict=True)
        ]
        lottery = seeded_random(p.request.seed, "topics")
        self.lottery = [lottery.random() for _ in p.rank]
        self.topic_of = [-1] * len(p.rank)
        self.load = [0] * count
        self.heaps: list[list[list[tuple[int, float, int]]]] = [
            [[] for _ in p.topics] for _ in p.topics
        ]

    def move(self, a: int, topic: int) -> None:
        if self.topic_of[a] >= 0:
            self.load[self.topic_of[a]] -= 1
        self.topic_of[a] = topic
        self.load[topic] += 1
        row = self.cost[a]
        for other, heap in enumerate(self.heaps[topic]):
            if other != topic:
                heapq.heappush(heap, (row[other] - row[topic], self.lottery[a], a))

    def cheapest(self, source: int, target: int) -> tuple[int, int] | None:
        """(cost, attendee) of the cheapest move; entries of people who left are dropped here."""
        heap = self.heaps[source][target]
        while heap and self.topic_of[heap[0][2]] != source:
            heapq.heappop(heap)
        return (heap[0][0], heap[0][2]) if heap else None

    def paths(self, source: int) -> tuple[list[int | None], list[int]]:
        """Bellman-Ford over topics; moves along shortest paths never make a negative cycle."""
        count = len(self.load)
        edges = [
            (t, u, move[0])
            for t in range(count)
            for u in range(count)
            if t != u and (move := self.cheapest(t, u)) is not None
        ]
        dist: list[int | None] = [None] * count
        dist[source], pred = 0, [-1] * count
        for _ in range(count - 1):
            changed = False
            for t, u, weight in edges:
                here, there = dist[t], dist[u]
                if here is not None and (there is None or here + weight < there):
                    dist[u], pred[u], changed = here + weight, t, True
            if not changed:
                break
        return dist, pred

    def push(self, source: int, targets: Sequence[int]) -> None:
        """Move one head from source to the cheapest target to reach (then the emptiest)."""
        dist, pred = self.paths(source)
        reachable = [(d, self.load[u], u) for u in targets if (d := dist[u]) is not None]
        target = min(reachable)[2]
        hops = []
        while target != source:
            hops.append((pred[target], target))
            target = pred[target]
        # Choose every mover before moving anyone, so that nobody moves twice along the path.
        movers = [(move[1], u) for t, u in hops if (move := self.cheapest(t, u)) is not None]
        for a, topic in movers:
            self.move(a, topic)


def _acceptable(n: int, low: int, high: int) -> bool:
    """A head-count needing no excuse: empty, splittable, or a plenary of two or more."""
    return n == 0 or 1 < n < low or (n >= low and -(-n // high) <= n // low)


def _misfit(n: int, low: int, high: int) -> int:
    """People to add or remove before n is acceptable (zero is, so this ends by d == n)."""
    return next(d for d in range(n + 1) if any(_acceptable(m, low, high) for m in (n - d, n + d)))


def _repair_step(
    topics: _Topics, low: int, high: int, capacity: int
) -> tuple[int, int, int] | None:
    """(source, target, heads) whose move lowers the head-count misfit most, cheapest first."""
    load, best = topics.load, None
    if all(_acceptable(n, low, high) for n in load):
        return None
    for t in range(len(load)):
        dist = topics.paths(t)[0]
        for u in range(len(load)):
            for k in range(1, min(load[t], high, capacity - load[u]) + 1):
                gain = (
                    _misfit(load[t], low, high)
                    + _misfit(load[u], low, high)
                    - _misfit(load[t] - k, low, high)
                    - _misfit(load[u] + k, low, high)
                )
                if u != t and gain > 0 and (cost := dist[u]) is not None:
                    key = (-gain, k, cost, t, u)
                    best = key if best is None or key < best else best
    return None if best is None else (best[3], best[4], best[1])


def topic_capacity(p: Prepared) -> int:
    """Most people one topic takes: its even share times the slack, or one full group."""
    even = math.ceil(len(p.attendees) * p.request.topic_slack / len(p.topics))
    return max(even, p.request.max_group_size)


def allocate(p: Prepared) -> list[int]:
    """Topic number of each attendee (objectives 1 to 3)."""
    topics, count = _Topics(p), len(p.topics)
    low, high, capacity = p.request.min_group_size, p.request.max_group_size, topic_capacity(p)
    for a, ranks in enumerate(p.rank):
        if p.has_preferences[a]:
            topics.move(a, ranks.index(0))
    for a in range(len(p.rank)):
        if not p.has_preferences[a]:
            topics.move(a, min(range(count), key=lambda t: (topics.load[t], t)))
    while over := [t for t in range(count) if topics.load[t] > capacity]:
        # count * capacity >= attendees, so some topic has room.
        topics.push(over[0], [t for t in range(count) if topics.load[t] < capacity])
    while step := _repair_step(topics, low, high, capacity):  # each lowers the total misfit
        for _ in range(step[2]):
            topics.push(step[0], [step[1]])
    _spread(p, topics, low, high)
    return topics.topic_of


def _spread(p: Prepared, topics: _Topics, low: int, high: int) -> None:
    """Swap people across topics where a municipality sends more people than there are groups."""
    limit = [group_bounds(n, low, high)[1] for n in topics.load]
    count = Counter((p.muni[a], t) for a, t in enumerate(topics.topic_of))
    for t in range(len(limit)):
        for m in sorted(m for (m, u), c in count.items() if u == t and c > limit[t]):
            while count[m, t] > limit[t] and (swap := _spread_swap(p, topics, count, limit, m, t)):
                a, b = swap
                u = topics.topic_of[b]
                topics.move(a, u)
                topics.move(b, t)
                count.update({(m, t): -1, (m, u): 1, (p.muni[b], u): -1, (p.muni[b], t): 1})


def _spread_swap(
    p: Prepared, topics: _Topics, count: Counter[tuple[int, int]], limit: list[int], m: int, t: int
) -> tuple[int, int] | None:
    """The cheapest swap of one of m's people in t with someone elsewhere, keeping the limits."""
    ours = [a for a, topic in enumerate(topics.topic_of) if topic == t and p.muni[a] == m]
    cost, lottery, best = topics.cost, topics.lottery, None
    for b, u in enumerate(topics.topic_of):
        if u != t and count[m, u] < limit[u] and count[p.muni[b], t] < limit[t]:
            for a in ours:
                loss = cost[a][u] - cost[a][t] + cost[b][t] - cost[b][u]
                key = (loss, lottery[a], lottery[b], a, b)
                best = key if best is None or key < best else best
    return None if best is None else (best[3], best[4])
