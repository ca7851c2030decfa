"""Forming groups of a fixed size: a greedy construction, then a swap descent on a pair cost.

Both the topic assignment (networking.assignment) and the discussion rounds (networking.rotation)
use it; each brings its own cost of a person joining a group's members.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Sequence
from itertools import islice

Cost = Callable[[int, Sequence[int]], int]  # the penalty of a person joining these members

CANDIDATE_GROUPS = 12  # groups the greedy pass weighs for each person, emptiest first
FULLER_GROUP = 20  # greedy: a fuller group costs more than any mix gain, less than a repeat
CONFLICT_SHARE = 0.7  # of a budget at most, for people in a conflict (a repeat or collision)
CONFLICT_TRIES = 6  # partner groups tried for each person in a conflict


def greedy(
    order: Sequence[int],
    group_sizes: Sequence[int],
    cost: Cost,
    placed: Callable[[int, list[int]], None] | None = None,
) -> list[list[int]]:
    """Each person into the cheapest of the emptiest groups (first in, first out: round-robin).

    `placed(a, members)` hears of each placement before a joins, for costs that depend on it.
    """
    groups: list[list[int]] = [[] for _ in group_sizes]
    levels: list[deque[int]] = [deque() for _ in range(max(group_sizes) + 1)]
    levels[0].extend(range(len(group_sizes)))
    low = 0
    for a in order:
        while not levels[low]:
            low += 1
        seen, best = 0, (math.inf, 0, 0)
        for level in range(low, len(levels)):
            for g in islice(levels[level], CANDIDATE_GROUPS - seen):
                best = min(best, (cost(a, groups[g]) + FULLER_GROUP * (level - low), seen, g))
                seen += 1
        g = best[2]
        if placed is not None:
            placed(a, groups[g])
        levels[len(groups[g])].remove(g)
        groups[g].append(a)
        if len(groups[g]) < group_sizes[g]:
            levels[len(groups[g])].append(g)
    return groups


class Descent:
    """Swaps between groups that lower the total cost; `conflict`: a cost worth untangling."""

    def __init__(
        self, groups: list[list[int]], cost: Cost, conflict: int, rng: random.Random
    ) -> None:
        self.groups, self.cost, self.conflict, self.rng = groups, cost, conflict, rng
        self.where = {a: g for g, members in enumerate(groups) for a in members}

    def run(self, budget: int) -> None:
        """People in a conflict first, then random swaps for the mix; `budget` evaluations."""
        steps = self._untangle(int(budget * CONFLICT_SHARE))
        groups, rng = self.groups, self.rng
        while steps < budget:
            a = rng.choice(groups[rng.randrange(len(groups))])
            steps += self._best_swap(a, rng.randrange(len(groups)))

    def _others(self, a: int) -> list[int]:
        return [y for y in self.groups[self.where[a]] if y != a]

    def _in_conflict(self, a: int) -> bool:
        return self.cost(a, self._others(a)) >= self.conflict

    def _delta(self, a: int, b: int) -> int:
        """Change of the total cost if a and b (in different groups) swapped."""
        here, there, cost = self._others(a), self._others(b), self.cost
        return cost(a, there) + cost(b, here) - cost(a, here) - cost(b, there)

    def _swap(self, a: int, b: int) -> None:
        groups, where = self.groups, self.where
        source, target = where[a], where[b]
        groups[source][groups[source].index(a)] = b
        groups[target][groups[target].index(b)] = a
        where[a], where[b] = target, source

    def _best_swap(self, a: int, target: int) -> int:
        """Make a's best improving swap with someone in `target`; return the evaluations spent."""
        if target == self.where[a]:
            return 1
        best = min((self._delta(a, b), b) for b in self.groups[target])
        if best[0] < 0:
            self._swap(a, best[1])
        return len(self.groups[target])

    def _untangle(self, budget: int) -> int:
        """Descent for people in a conflict, round after round; the steps spent."""
        steps = 0
        while steps < budget:
            before = steps
            for a in [a for a in self.where if self._in_conflict(a)]:
                for _ in range(CONFLICT_TRIES):
                    if steps >= budget or not self._in_conflict(a):
                        break
                    steps += self._best_swap(a, self.rng.randrange(len(self.groups)))
            if steps == before:
                break
        return steps


def total_cost(groups: Sequence[Sequence[int]], cost: Cost) -> int:
    """Every pair's cost once (each person against those placed before them in the group)."""
    return sum(cost(a, group[:i]) for group in groups for i, a in enumerate(group))
