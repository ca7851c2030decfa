"""Topic and breakout-group assignment for an exchange session (情報交換会): who talks with whom.

Input, an AssignmentRequest: attendees (id, 6-digit municipality code, position tier "manager" /
"mid" / "staff", their municipality's plan stage "adopted" / "drafting" / "not_started", topic
wishes best first, possibly none), the session's topics, group sizes [min, max], the history of
municipality pairs that met in earlier sessions (a set of frozenset pairs, or pair -> times met)
and a seed. Output, an Assignment: topic -> groups -> attendee ids; per group its reasons (new,
repeated and same-municipality pairs, stage and tier counts, wishes met); a Score for the whole
session next to that of a random assignment of the same shape; notes for the organizer.
assign() makes one; evaluate() scores any, e.g. after a hand edit; random_assignment() and
greedy_baseline() are the yardsticks of bench/assignment.py.

Objectives, in strict priority order (a higher one is never given up for a lower one):

1. Placement and sizes (hard). Everyone is in exactly one group of exactly one topic, and a
   topic's groups have min..max people whenever its head-count can be split so. A topic with
   fewer than min people forms one plenary group: small sessions degrade gracefully, which is
   why min above the number of attendees is accepted, not refused. A head-count that cannot be
   split (8 people, groups of 5-7) gets the closest sizes, and the result says so (size_status
   "out_of_bounds", Score.sizes_within_bounds, a note). Topic head-counts are steered away from
   such counts, and from one-person topics, when moving a few people within the caps of 3. can.
2. No two people of one municipality in a group while avoidable. A topic has ceil(n / max)
   groups, more (up to floor(n / min)) when a municipality sends more people than that, and
   people move to another topic when even that is not enough. Collisions are counted as
   same-municipality pairs, next to the lower bound the head-counts force ("unavoidable").
3. Topic wishes, rank-maximal: as many first choices as possible, then as many second ones, and
   so on; a topic not listed comes last. For balance a topic takes at most
   max(ceil(N * topic_slack / topics), max) people (topic_slack 1.5 by default): a popular topic
   gets 1.5 times its even share, or one full group, and no more. Within that cap wishes win;
   attendees without wishes fill the emptiest topics. Equals competing for a full topic are
   picked by a seeded lottery.
4. New connections: as many pairs of municipalities sharing a group that have not met before
   (history) as possible; a pair that met several times is avoided a little harder.
5. Mix: plan stages (a plan in place beside one still in drafting), then position tiers.

Method. Topics: everyone starts at their first wish; overfull topics hand people over along
shortest paths of the transport problem (successive shortest paths, exact for 3.); head-counts
are then repaired (1.) and delegations spread (2.), each losing the fewest wishes. Groups, per
topic: a greedy pass places people, largest delegations first, each into the cheapest of the
emptiest groups (also avoiding municipalities met earlier in this session); a swap descent then
lowers the penalty (per pair: same municipality 10^6, met before 10^3, same stage 2, same tier 1),
people in a repeat or collision first. It is bounded by request.search_budget swap evaluations
(default max(8 N, 40 000), shared by topics by head-count, at most 50 n^2 for a topic of n),
never by a clock. Should collisions remain above the lower bound, a round-robin deal, which
meets it, is searched and kept instead.

Determinism: the same request, seed included, gives the same Assignment in any process: only
random.Random instances seeded from request.seed are used, and nothing depends on the order of
a set or dict of strings. Pure: no I/O, standard library only.

Modules: assignment_types (the vocabulary), assignment_input (validation, indexing, pair costs),
topic_allocation (objectives 1 to 3), assignment_score (group sizes, reasons, Score), and this
one (groups within a topic, objectives 1, 2, 4 and 5, and the public functions).

Validation raises ValidationError with every problem and its field: no or duplicate topics
("topics"), no attendees or duplicate ids ("attendees"), a bad "municipality", "tier" or
"stage", wishes naming unknown topics or one twice ("preferences"), min < 1 or min > max
("min_group_size"), max < 2 ("max_group_size"), "topic_slack" < 1, "search_budget" < 0, history
pairs that are not two distinct codes met a positive number of times ("history").
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import partial

from networking.assignment_input import (
    REPEATED,
    Prepared,
    join_cost,
    prepare,
    seeded_random,
    validate,
)
from networking.assignment_score import (
    build_assignment,
    group_bounds,
    layout_from_mapping,
    random_layout,
    sizes,
    unavoidable_pairs,
)
from networking.assignment_types import (
    STAGES,
    TIERS,
    Assignment,
    AssignmentRequest,
    Attendee,
    Group,
    GroupReason,
    History,
    Note,
    PreferenceTally,
    Score,
    TopicGroups,
)
from networking.group_search import Descent, greedy, total_cost
from networking.topic_allocation import allocate, topic_capacity

__all__ = [
    "STAGES",
    "TIERS",
    "Assignment",
    "AssignmentRequest",
    "Attendee",
    "Group",
    "GroupReason",
    "History",
    "Note",
    "PreferenceTally",
    "Score",
    "TopicGroups",
    "assign",
    "evaluate",
    "greedy_baseline",
    "random_assignment",
    "validate",
]

MET_THIS_SESSION = 15  # greedy: two municipalities meeting again in another group of the session
SEARCH_STEPS_PER_ATTENDEE = 8
SEARCH_STEPS_PER_SESSION = 40_000  # small sessions can afford a thorough search
SEARCH_STEPS_PER_PAIR = 50  # a topic of n people needs no more than this many times n * n


def _greedy(
    p: Prepared, order: Sequence[int], group_sizes: Sequence[int], met: list[set[int]]
) -> list[list[int]]:
    """Each person into the cheapest of the emptiest groups, steering clear of `met` too."""

    def cost(a: int, members: Sequence[int]) -> int:
        again = sum(p.muni[y] in met[p.muni[a]] for y in members)
        return join_cost(p, a, members) + MET_THIS_SESSION * again

    def placed(a: int, members: list[int]) -> None:
        for y in members:
            met[p.muni[y]].add(p.muni[a])
            met[p.muni[a]].add(p.muni[y])

    return greedy(order, group_sizes, cost, placed)


def _search(p: Prepared, groups: list[list[int]], rng: random.Random, budget: int) -> None:
    """Descent: people in a repeat or collision first, then random swaps for the mix."""
    Descent(groups, partial(join_cost, p), REPEATED, rng).run(budget)


def _penalty(p: Prepared, groups: Sequence[Sequence[int]]) -> tuple[int, int]:
    """(same-municipality pairs, total penalty): collisions decide first, whatever the rest."""
    pairs = [(a, g[i + 1 :]) for g in groups for i, a in enumerate(g)]
    collisions = sum(p.muni[a] == p.muni[b] for a, rest in pairs for b in rest)
    return collisions, total_cost(groups, partial(join_cost, p))


def _form_groups(
    p: Prepared, topic: int, members: list[int], budget: int, met: list[set[int]]
) -> list[list[int]]:
    """The groups of one topic (objectives 1, 2, 4, 5); `met` is updated with its pairs."""
    low, high = p.request.min_group_size, p.request.max_group_size
    per_muni = Counter(p.muni[a] for a in members)
    fewest, most = group_bounds(len(members), low, high)
    count = min(max(max(per_muni.values(), default=0), fewest), most)
    if count <= 1:
        groups = [members] if members else []
    else:
        group_sizes = sizes(len(members), count)
        rng = seeded_random(p.request.seed, f"groups/{topic}")
        shuffle = {m: rng.random() for m in sorted(per_muni)}
        # Largest delegations first: they have the fewest groups left to go to.
        order = sorted(members, key=lambda a: (-per_muni[p.muni[a]], shuffle[p.muni[a]], a))
        groups = _greedy(p, order, group_sizes, [set(known) for known in met])
        _search(p, groups, rng, budget)
        if _penalty(p, groups)[0] > unavoidable_pairs(per_muni.values(), len(group_sizes)):
            dealt = [order[g :: len(group_sizes)] for g in range(len(group_sizes))]
            _search(p, dealt, rng, budget)
            groups = min(groups, dealt, key=lambda option: _penalty(p, option))
    for group in groups:
        for a in group:
            met[p.muni[a]].update(p.muni[y] for y in group)
    return sorted(sorted(group) for group in groups)


def _layout(p: Prepared, topic_of: Sequence[int]) -> list[list[list[int]]]:
    members: list[list[int]] = [[] for _ in p.topics]
    for a, topic in enumerate(topic_of):
        members[topic].append(a)
    n = len(p.attendees)
    budget = p.request.search_budget
    if budget is None:
        budget = max(SEARCH_STEPS_PER_ATTENDEE * n, SEARCH_STEPS_PER_SESSION)
    met: list[set[int]] = [set() for _ in p.penalty]  # municipalities met earlier this session
    layout = []
    for t, people in enumerate(members):
        share = min(budget * len(people) // n, SEARCH_STEPS_PER_PAIR * len(people) ** 2)
        layout.append(_form_groups(p, t, people, share, met))
    return layout


def assign(request: AssignmentRequest) -> Assignment:
    """Assign every attendee to a topic and a group; ValidationError if the request is bad."""
    p = prepare(request)
    return build_assignment(p, _layout(p, allocate(p)))


def evaluate(
    request: AssignmentRequest, groups: Mapping[str, Sequence[Sequence[int]]]
) -> Assignment:
    """Score any assignment, e.g. after the organizer moved someone; groups keep their order."""
    p = prepare(request)
    return build_assignment(p, layout_from_mapping(p, groups))


def random_assignment(request: AssignmentRequest) -> Assignment:
    """Everyone dealt at random: topics split evenly, each into the fewest groups in bounds."""
    p = prepare(request)
    low, high = request.min_group_size, request.max_group_size
    loads = sizes(len(p.attendees), len(p.topics))
    shape = [sizes(n, group_bounds(n, low, high)[0]) for n in loads]
    return build_assignment(p, random_layout(p, shape), compare=False)


def greedy_baseline(request: AssignmentRequest) -> Assignment:
    """A naive organizer: best wish with room, in id order; groups dealt round-robin by id."""
    p = prepare(request)
    low, high, capacity = request.min_group_size, request.max_group_size, topic_capacity(p)
    members: list[list[int]] = [[] for _ in p.topics]
    for a, attendee in enumerate(p.attendees):
        roomy = [t for t in map(p.topics.index, attendee.preferences) if len(members[t]) < capacity]
        emptiest = min(range(len(members)), key=lambda t: (len(members[t]), t))
        members[roomy[0] if roomy else emptiest].append(a)
    layout = []
    for people in members:
        count = group_bounds(len(people), low, high)[0]
        layout.append([people[g::count] for g in range(count)])
    return build_assignment(p, layout, compare=False)
