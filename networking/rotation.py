"""Discussion rounds: everyone joins every round, in groups that keep meeting new people.

This is the social golfer problem. The request is an AssignmentRequest whose topics are the
rounds in the order they are held (wishes are ignored: everyone joins every round) and whose
plenary_topics name the rounds the organizer holds all together. The result is an Assignment
with one TopicGroups per round, each holding every attendee; each group's reason and the Score
also count the pairs of people who were together in an earlier round (again_in_session).

Objectives, in strict priority order:

1. Sizes (hard). Every breakout round has the same number of groups of min..max people when the
   head-count can be split so, else the closest sizes (and a note says so); fewer people than
   min make a plenary. Among the counts in bounds, and at least the largest delegation, the
   fewest groups that let consecutive rounds avoid repeats: the s members of an earlier group
   can only go to different groups of the next round when s <= the number of groups.
2. No two people of one municipality in a group while avoidable.
3. People who were together in an earlier round of this session are not together again.
4. Municipalities that met before (in earlier sessions, or through others of theirs earlier
   today) meet again as rarely as possible, a pair met often a little harder.
5. Mix: plan stages, then position tiers.

Method, per breakout round: a greedy construction (largest delegations first, each person into
the cheapest of the emptiest groups), then a swap descent (networking.group_search) on a pair
cost whose levels follow the order above: same municipality 10^6, together in an earlier round
2 * 10^4 per time, municipalities met before 10^3 (+50 per earlier meeting), same stage 2, same
tier 1. The search is bounded by request.search_budget swap evaluations shared by the rounds
(default as in networking.assignment), never by a clock. A plenary round changes nothing for
the others: everyone is in it by the organizer's choice.

Lower bound (Score.again_in_session_lower_bound) on pairs together again, for the group sizes
of the layout; the larger of two counts, each valid on its own:
- pigeonhole: when round r has g groups, the t people of one group of an earlier round share a
  group in at least unavoidable_pairs([t], g) pairs; summed over r, with the earlier round
  that forces most;
- seats: someone in groups of s_1 .. s_R people sits beside sum(s_i - 1) people, among n - 1
  others; every seat beyond that is someone met before, and each such pair is seen by both.
It is what any rotation of these sizes must repeat, which is why it is reported next to the
result and a random rotation (bench/assignment.py).

Deterministic for a given request, seed included, and pure, like networking.assignment.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import combinations

from networking.assignment_input import (
    REPEATED,
    REPEATED_AGAIN,
    REPEATED_AGAIN_CAP,
    Prepared,
    join_cost,
    prepare,
    seeded_random,
)
from networking.assignment_score import (
    build_assignment,
    group_bounds,
    layout_from_mapping,
    sizes,
    unavoidable_pairs,
)
from networking.assignment_types import Assignment, AssignmentRequest, Layout, Note
from networking.errors import N_
from networking.group_search import Cost, Descent, greedy, total_cost

__all__ = ["assign_rounds", "evaluate_rounds", "lower_bound", "random_rotation"]

AGAIN = 20_000  # per earlier round two people shared: above any history, below a collision
SEARCH_STEPS_PER_ATTENDEE = 8
SEARCH_STEPS_PER_SESSION = 40_000
SEARCH_STEPS_PER_PAIR = 50
MOST_MET = REPEATED + REPEATED_AGAIN * REPEATED_AGAIN_CAP


def assign_rounds(request: AssignmentRequest) -> Assignment:
    """Everyone into one group of every round; ValidationError if the request is bad."""
    p = prepare(request)
    return describe(p, _rotation(p))


def evaluate_rounds(
    request: AssignmentRequest, groups: Mapping[str, Sequence[Sequence[int]]]
) -> Assignment:
    """Score any rotation, e.g. after the organizer moved someone; round -> groups -> ids."""
    p = prepare(request)
    return describe(p, layout_from_mapping(p, groups, every_topic=True))


def random_rotation(request: AssignmentRequest) -> Assignment:
    """Each round dealt at random into the same sizes: the yardstick of bench/assignment.py."""
    p = prepare(request)
    return describe(p, _random(p, _shape(p)), compare=False)


def _breakouts(p: Prepared, layout: Layout) -> list[Sequence[Sequence[int]]]:
    plenary = p.request.plenary_topics
    return [groups for topic, groups in zip(p.topics, layout, strict=True) if topic not in plenary]


def _group_count(p: Prepared) -> int:
    """The fewest groups in bounds that let consecutive rounds avoid repeating any pair."""
    n, low, high = len(p.attendees), p.request.min_group_size, p.request.max_group_size
    fewest, most = group_bounds(n, low, high)
    count = min(max(max(Counter(p.muni).values()), fewest), most)
    breakouts = len(set(p.topics) - p.request.plenary_topics)
    if breakouts < 2:
        return count
    best = (unavoidable_pairs(sizes(n, count), count), count)
    for candidate in range(count + 1, most + 1):
        if not best[0]:
            break
        best = min(best, (unavoidable_pairs(sizes(n, candidate), candidate), candidate))
    return best[1]


def _shape(p: Prepared) -> list[list[int]]:
    """Each round's group sizes: everyone together in a plenary round."""
    n, count = len(p.attendees), _group_count(p)
    return [[n] if topic in p.request.plenary_topics else sizes(n, count) for topic in p.topics]


def _random(p: Prepared, shape: Sequence[Sequence[int]]) -> list[list[list[int]]]:
    rng = random.Random(f"{p.request.seed}/random rotation")  # noqa: S311 - a comparison only
    layout = []
    for group_sizes in shape:
        order = list(range(len(p.attendees)))
        rng.shuffle(order)
        groups = []
        for size in group_sizes:
            groups.append(order[:size])
            del order[:size]
        layout.append(groups)
    return layout


def _cost(today: Prepared, met: Sequence[Mapping[int, int]]) -> Cost:
    """The pair cost of one round, given the municipalities and people met so far."""

    def cost(a: int, members: Sequence[int]) -> int:
        total, again = join_cost(today, a, members), met[a]
        if again:  # nobody met in the first round: skip the loop
            for b in members:
                if b in again:
                    total += AGAIN * again[b]
        return total

    return cost


def _remember(
    groups: Sequence[Sequence[int]],
    p: Prepared,
    met: list[dict[int, int]],
    penalty: list[dict[int, int]],
) -> None:
    """The people and municipalities of these groups met; later rounds avoid them."""
    for group in groups:
        for a, b in combinations(group, 2):
            met[a][b] = met[b][a] = met[a].get(b, 0) + 1
            i, j = p.muni[a], p.muni[b]
            if i != j:
                times = min(penalty[i].get(j, REPEATED - REPEATED_AGAIN) + REPEATED_AGAIN, MOST_MET)
                penalty[i][j] = penalty[j][i] = times


def _groups(
    p: Prepared,
    order: Sequence[int],
    group_sizes: Sequence[int],
    cost: Cost,
    rng: random.Random,
    budget: int,
) -> list[list[int]]:
    """One breakout round; a round-robin deal, which spreads delegations as far as the count
    allows, replaces the result should it leave more colleagues together than that."""
    groups = greedy(order, group_sizes, cost)
    Descent(groups, cost, REPEATED, rng).run(budget)
    per_muni = Counter(p.muni)
    if _colleagues(p, groups) > unavoidable_pairs(per_muni.values(), len(group_sizes)):
        dealt = [list(order[g :: len(group_sizes)]) for g in range(len(group_sizes))]
        Descent(dealt, cost, REPEATED, rng).run(budget)
        groups = min(
            groups, dealt, key=lambda option: (_colleagues(p, option), total_cost(option, cost))
        )
    return groups


def _colleagues(p: Prepared, groups: Sequence[Sequence[int]]) -> int:
    return sum(p.muni[a] == p.muni[b] for group in groups for a, b in combinations(group, 2))


def _rotation(p: Prepared) -> list[list[list[int]]]:
    n = len(p.attendees)
    shape = _shape(p)
    budget = p.request.search_budget
    if budget is None:
        budget = max(SEARCH_STEPS_PER_ATTENDEE * n, SEARCH_STEPS_PER_SESSION)
    share = min(budget // max(1, len(shape)), SEARCH_STEPS_PER_PAIR * n * n)
    per_muni = Counter(p.muni)
    met: list[dict[int, int]] = [{} for _ in range(n)]
    penalty = [dict(known) for known in p.penalty]
    layout = []
    for number, group_sizes in enumerate(shape):
        if len(group_sizes) == 1:
            groups = [list(range(n))]
        else:
            rng = seeded_random(p.request.seed, f"rounds/{number}")
            shuffle = {m: rng.random() for m in sorted(per_muni)}
            # Largest delegations first: they have the fewest groups left to go to.
            order = sorted(range(n), key=lambda a: (-per_muni[p.muni[a]], shuffle[p.muni[a]], a))
            cost = _cost(replace(p, penalty=tuple(penalty)), met)
            groups = _groups(p, order, group_sizes, cost, rng, share)
        if p.topics[number] not in p.request.plenary_topics:
            _remember(groups, p, met, penalty)
        layout.append(sorted(sorted(group) for group in groups))
    return layout


def lower_bound(p: Prepared, layout: Layout) -> int:
    """Fewest pairs together again that any rotation with these group sizes has (see above)."""
    rounds = _breakouts(p, layout)
    pigeonhole = sum(
        max(sum(unavoidable_pairs([len(g)], len(rounds[r])) for g in rounds[q]) for q in range(r))
        for r in range(1, len(rounds))
    )
    seats: Counter[int] = Counter()
    for groups in rounds:
        for group in groups:
            seats.update(dict.fromkeys(group, len(group) - 1))
    others = len(p.attendees) - 1
    beyond = sum(max(0, taken - others) for taken in seats.values())
    return max(pigeonhole, -(-beyond // 2))


def _again(p: Prepared, layout: Layout) -> list[list[int]]:
    """Per round and group, the pairs of people that were together in an earlier round."""
    met: set[tuple[int, int]] = set()
    counts = []
    for topic, groups in zip(p.topics, layout, strict=True):
        if topic in p.request.plenary_topics:  # everyone together, by the organizer's choice
            counts.append([0] * len(groups))
            continue
        pairs = [list(combinations(sorted(group), 2)) for group in groups]
        counts.append([sum(pair in met for pair in group) for group in pairs])
        met.update(pair for group in pairs for pair in group)
    return counts


def describe(p: Prepared, layout: Layout, compare: bool = True) -> Assignment:
    """Reasons, Score and notes of a rotation; with `compare`, beside a random rotation."""
    result = build_assignment(p, layout, compare=False)
    again = _again(p, layout)
    topics = tuple(
        replace(
            topic,
            groups=tuple(
                replace(group, reason=replace(group.reason, again_in_session=count))
                for group, count in zip(topic.groups, counts, strict=True)
            ),
        )
        for topic, counts in zip(result.topics, again, strict=True)
    )
    total, bound = sum(map(sum, again)), lower_bound(p, layout)
    score = replace(result.score, again_in_session=total, again_in_session_lower_bound=bound)
    if compare:
        shape = [[len(group) for group in groups] for groups in layout]
        chance = describe(p, _random(p, shape), compare=False).score
        score = replace(
            score,
            random_baseline_new_pair_ratio=chance.new_pair_ratio,
            random_baseline_again_in_session=chance.again_in_session,
        )
    return Assignment(topics, score, result.notes + _again_notes(p, total, bound))


def _again_notes(p: Prepared, total: int, bound: int) -> tuple[Note, ...]:
    if not total:
        return ()
    if bound:
        message = N_(
            "前の意見交換と同じ相手が再び同じグループになった組が %(count)d 組あります。"
            "%(rounds)d 回の意見交換を %(min)d〜%(max)d 人のグループで行うと、どう組んでも"
            "少なくとも %(unavoidable)d 組は再び同じグループになります。"
        )
    else:
        message = N_(
            "前の意見交換と同じ相手が再び同じグループになった組が %(count)d 組あります"
            "（人数の上では避けられる組み合わせです。手で移動して減らせます）。"
        )
    params: tuple[tuple[str, str | int], ...] = (
        ("count", total),
        ("rounds", len(p.topics)),
        ("min", p.request.min_group_size),
        ("max", p.request.max_group_size),
        ("unavoidable", bound),
    )
    return (Note(message, params),)
