"""Topic and group assignment: placement, sizes, collisions, wishes, history, determinism."""

from __future__ import annotations

import inspect
import itertools
import math
import os
import random
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TypedDict, Unpack

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from networking.assignment import (
    STAGES,
    TIERS,
    Assignment,
    AssignmentRequest,
    Attendee,
    History,
    assign,
    evaluate,
    greedy_baseline,
    random_assignment,
)
from networking.errors import ValidationError

REPO = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=60, deadline=None)


def code(n: int) -> str:
    return f"{100000 + n}"


def person(
    attendee_id: int, muni: int, *preferences: str, tier: str = "staff", stage: str = "drafting"
) -> Attendee:
    return Attendee(attendee_id, code(muni), tier, stage, preferences)


class RequestOptions(TypedDict, total=False):
    """The optional fields of AssignmentRequest."""

    history: History
    seed: int
    topic_slack: float
    search_budget: int | None


class RequestFields(RequestOptions, total=False):
    """Every field of AssignmentRequest, for tests that replace any of them."""

    attendees: Sequence[Attendee]
    topics: Sequence[str]
    min_group_size: int
    max_group_size: int


def request(
    attendees: list[Attendee],
    topics: str = "AB",
    low: int = 2,
    high: int = 4,
    **options: Unpack[RequestOptions],
) -> AssignmentRequest:
    return AssignmentRequest(attendees, tuple(topics), low, high, **options)


def loads(result: Assignment) -> dict[str, list[int]]:
    return {t.topic: [len(g.attendee_ids) for g in t.groups] for t in result.topics}


def group_munis(result: Assignment, req: AssignmentRequest) -> list[list[str]]:
    muni = {a.id: a.municipality for a in req.attendees}
    return [[muni[i] for i in g.attendee_ids] for t in result.topics for g in t.groups]


def splittable(n: int, low: int, high: int) -> bool:
    return n >= low and -(-n // high) <= n // low


@st.composite
def wishes(draw: st.DrawFn, names: str, shortest: int = 0) -> tuple[str, ...]:
    order = draw(st.permutations(names))
    return tuple(order[: draw(st.integers(shortest, len(names)))])


@st.composite
def requests(draw: st.DrawFn) -> AssignmentRequest:
    names = "ABCD"[: draw(st.integers(1, 4))]
    low = draw(st.integers(1, 5))
    high = draw(st.integers(max(low, 2), max(low, 2) + 4))
    munis = draw(st.integers(1, 25))
    ids = draw(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=60, unique=True))
    attendees = [
        Attendee(
            i,
            code(draw(st.integers(0, munis - 1))),
            draw(st.sampled_from(TIERS)),
            draw(st.sampled_from(STAGES)),
            draw(wishes(names)),
        )
        for i in ids
    ]
    pairs = draw(
        st.lists(st.tuples(st.integers(0, munis - 1), st.integers(0, munis - 1)), max_size=40)
    )
    history = {frozenset((code(a), code(b))): 1 + (a * b) % 3 for a, b in pairs if a != b}
    # Small search budgets keep the run fast; the properties hold whatever the budget.
    budget = draw(st.sampled_from([0, 300, 2000]))
    return AssignmentRequest(
        attendees, tuple(names), low, high, history, draw(st.integers(0, 999)), search_budget=budget
    )


@FAST
@given(requests())
def test_everyone_placed_once_sizes_within_bounds_and_collisions_only_when_forced(
    req: AssignmentRequest,
) -> None:
    result = assign(req)
    placed = [i for t in result.topics for g in t.groups for i in g.attendee_ids]
    assert sorted(placed) == sorted(a.id for a in req.attendees)
    assert [t.topic for t in result.topics] == list(req.topics)
    low, high = req.min_group_size, req.max_group_size
    for topic in result.topics:
        sizes = [len(g.attendee_ids) for g in topic.groups]
        n = sum(sizes)
        if n == 0:
            assert topic.size_status == "empty"
        elif n < low:
            assert (sizes, topic.size_status) == ([n], "plenary")
        elif splittable(n, low, high):
            assert topic.size_status == "ok"
            assert all(low <= size <= high for size in sizes)
            assert max(sizes) - min(sizes) <= 1
        else:
            assert topic.size_status == "out_of_bounds"
    score = result.score
    assert score.sizes_within_bounds == all(t.size_status != "out_of_bounds" for t in result.topics)
    assert score.same_municipality_pairs == score.unavoidable_same_municipality_pairs
    assert score.new_pairs + score.repeated_pairs + score.same_municipality_pairs == score.pairs


@st.composite
def avoidable(draw: st.DrawFn) -> AssignmentRequest:
    """One topic whose head-count splits, no municipality sending more than the most groups."""
    low = draw(st.integers(1, 4))
    high = draw(st.integers(max(low, 2), low + 4))
    n = draw(st.integers(low, 50).filter(lambda n: splittable(n, low, high)))
    most_groups = n // low
    counts: list[int] = []
    while sum(counts) < n:
        counts.append(min(draw(st.integers(1, most_groups)), n - sum(counts)))
    attendees: list[Attendee] = []
    for muni, count in enumerate(counts):
        stage = draw(st.sampled_from(STAGES))
        attendees += [person(len(attendees) + i, muni, "A", stage=stage) for i in range(count)]
    budget = draw(st.sampled_from([0, 2000]))
    return request(attendees, "A", low, high, seed=draw(st.integers(0, 1000)), search_budget=budget)


@FAST
@given(avoidable())
def test_no_same_municipality_pair_when_avoidable(req: AssignmentRequest) -> None:
    result = assign(req)
    assert result.score.same_municipality_pairs == 0
    assert all(len(set(munis)) == len(munis) for munis in group_munis(result, req))


def test_municipality_spread_over_topics_when_a_topic_cannot_hold_its_delegation() -> None:
    # Topic A has 6 people, so 2 groups of 3; X's four people there would collide.
    attendees = [person(i, 0, "A") for i in range(4)] + [person(4, 1, "A"), person(5, 2, "A")]
    attendees += [person(6 + i, 3 + i, "B") for i in range(6)]
    result = assign(request(attendees, "AB", 3, 4))
    assert result.score.same_municipality_pairs == 0
    assert loads(result) == {"A": [3, 3], "B": [3, 3]}
    assert result.score.preferences.by_rank == (8, 0)
    assert result.score.preferences.unlisted == 4


@settings(max_examples=30, deadline=None)
@given(requests())
def test_same_request_same_result(req: AssignmentRequest) -> None:
    assert assign(req) == assign(req)


def session(seed: int, attendees: int, municipalities: int) -> AssignmentRequest:
    """A mid-size session with a history set, whose iteration order depends on PYTHONHASHSEED."""
    rng = random.Random(seed)  # noqa: S311 - test data
    codes = [f"{100000 + 7 * i}" for i in range(municipalities)]
    people = [
        Attendee(
            i,
            rng.choice(codes),
            rng.choice(TIERS),
            rng.choice(STAGES),
            rng.sample(["A", "B", "C"], rng.randrange(4)),
        )
        for i in range(attendees)
    ]
    history = {frozenset(rng.sample(codes, 2)) for _ in range(municipalities * 4)}
    return AssignmentRequest(people, ("A", "B", "C"), 3, 5, history, seed)


def test_same_result_in_processes_with_different_string_hashing() -> None:
    expected = repr(assign(session(5, 300, 80)))
    script = "\n".join(
        [
            "import random",
            "from networking.assignment import STAGES, TIERS, Attendee, AssignmentRequest, assign",
            textwrap.dedent(inspect.getsource(session)),
            "print(repr(assign(session(5, 300, 80))))",
        ]
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        output = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert output.stdout.strip() == expected


@pytest.mark.parametrize("seed", range(10))
def test_pairs_that_met_before_are_not_paired_again(seed: int) -> None:
    attendees = [person(i, i) for i in range(4)]
    history = {frozenset((code(0), code(1))), frozenset((code(2), code(3)))}
    result = assign(request(attendees, "A", 2, 2, history=history, seed=seed))
    assert result.score.repeated_pairs == 0
    assert result.score.new_pairs == 2
    assert [g.attendee_ids for g in result.topics[0].groups] in ([(0, 2), (1, 3)], [(0, 3), (1, 2)])


@pytest.mark.parametrize("seed", range(10))
def test_a_whole_earlier_round_is_avoided(seed: int) -> None:
    # Rows of a 3x3 grid met last time; the columns (or diagonals) are all new.
    attendees = [person(i, i) for i in range(9)]
    rows = [(0, 1, 2), (3, 4, 5), (6, 7, 8)]
    history = {frozenset((code(a), code(b))): 2 for row in rows for a in row for b in row if a < b}
    result = assign(request(attendees, "A", 3, 3, history=history, seed=seed))
    assert (result.score.repeated_pairs, result.score.new_pairs) == (0, 9)
    assert result.score.random_baseline_new_pair_ratio is not None


@st.composite
def earlier_round(draw: st.DrawFn) -> AssignmentRequest:
    """One topic, one attendee per municipality; an earlier round in groups of `old` met, and
    now there are at least `old` groups, so that everyone can meet only new people."""
    old = draw(st.integers(2, 4))
    groups, size = draw(st.integers(old, 6)), draw(st.integers(2, 5))
    order = draw(st.permutations(range(groups * size)))
    earlier = [order[i : i + old] for i in range(0, len(order), old)]
    history = {frozenset((code(a), code(b))) for g in earlier for a in g for b in g if a < b}
    people = [person(i, i, stage=draw(st.sampled_from(STAGES))) for i in range(len(order))]
    return request(people, "A", size, size, history=history, seed=draw(st.integers(0, 999)))


@settings(max_examples=40, deadline=None)
@given(earlier_round())
def test_nobody_meets_an_earlier_group_mate_when_avoidable(req: AssignmentRequest) -> None:
    score = assign(req).score
    assert (score.repeated_pairs, score.new_pair_ratio) == (0, 1.0)


def test_seven_municipalities_all_wanting_one_topic_meet_in_one_plenary_group() -> None:
    attendees = [person(i, i, "A") for i in range(7)]
    result = assign(request(attendees, "AB", 3, 8))
    assert loads(result) == {"A": [7], "B": []}
    assert [t.size_status for t in result.topics] == ["ok", "empty"]
    assert result.score.sizes_within_bounds
    assert result.score.preferences.by_rank == (7, 0)
    assert result.notes == ()


def test_seven_in_one_topic_form_one_group_of_seven() -> None:
    result = assign(request([person(i, i) for i in range(7)], "A", 4, 8))
    assert loads(result) == {"A": [7]}
    assert result.topics[0].groups[0].attendee_ids == tuple(range(7))


def test_fewer_people_than_the_minimum_form_one_plenary_group_with_a_note() -> None:
    result = assign(request([person(i, i) for i in range(5)], "A", 6, 8))
    assert loads(result) == {"A": [5]}
    assert result.topics[0].size_status == "plenary"
    assert result.score.sizes_within_bounds
    assert [note.text() for note in result.notes] == [
        "テーマ「A」は参加者が 5 人で最小人数 6 人に満たないため、全員で 1 グループにしました。"
    ]


def test_a_head_count_that_cannot_be_split_gets_the_closest_sizes_and_a_note() -> None:
    result = assign(request([person(i, i) for i in range(8)], "A", 5, 7))
    assert loads(result) == {"A": [8]}
    assert result.topics[0].size_status == "out_of_bounds"
    assert not result.score.sizes_within_bounds
    assert [note.params for note in result.notes] == [
        (("topic", "A"), ("count", 8), ("min", 5), ("max", 7))
    ]


def test_head_counts_are_moved_so_that_every_topic_splits() -> None:
    # 7 + 5 cannot form groups of exactly 3; 6 + 6 can, at the cost of one wish.
    attendees = [person(i, i, "A") for i in range(7)]
    attendees += [person(7 + i, 7 + i, "B") for i in range(5)]
    result = assign(request(attendees, "AB", 3, 3))
    assert loads(result) == {"A": [3, 3], "B": [3, 3]}
    assert (result.score.preferences.by_rank, result.score.preferences.unlisted) == ((11, 0), 1)


@st.composite
def roomy_wishes(draw: st.DrawFn) -> AssignmentRequest:
    """Distinct municipalities, groups of 2-3, first-choice demand within every topic's capacity."""
    names = "ABCD"[: draw(st.integers(2, 4))]
    count = draw(st.integers(4, 40))
    people = [person(i, i, *draw(wishes(names, shortest=1))) for i in range(count)]
    capacity = max(-(-len(people) * 3 // (2 * len(names))), 3)
    demand = Counter(a.preferences[0] for a in people)
    # A single person wanting a topic would be a group of one: the head-count repair moves them.
    assume(all(2 <= d <= capacity for d in demand.values()))
    return request(people, names, 2, 3, seed=draw(st.integers(0, 1000)), search_budget=0)


@FAST
@given(roomy_wishes())
def test_everyone_gets_their_first_choice_when_capacity_allows(req: AssignmentRequest) -> None:
    result = assign(req)
    assert result.score.preferences.by_rank[0] == len(req.attendees)
    assert result.score.first_choice_rate == 1.0


@st.composite
def tight_wishes(draw: st.DrawFn) -> AssignmentRequest:
    """Tiny sessions whose head-counts all split (groups of 1-2) and whose caps bind."""
    names = "ABC"[: draw(st.integers(2, 3))]
    people = [person(i, i, *draw(wishes(names))) for i in range(draw(st.integers(1, 7)))]
    slack = draw(st.sampled_from([1.0, 1.2, 1.5]))
    return request(people, names, 1, 2, topic_slack=slack, search_budget=0)


@FAST
@given(tight_wishes())
def test_wishes_are_rank_maximal_within_the_caps(req: AssignmentRequest) -> None:
    names = list(req.topics)
    cap = max(math.ceil(len(req.attendees) * req.topic_slack / len(names)), 2)

    def tally(topics: tuple[int, ...]) -> tuple[int, ...]:
        ranks = Counter(
            list(a.preferences).index(names[t])
            for a, t in zip(req.attendees, topics, strict=True)
            if names[t] in a.preferences
        )
        return tuple(ranks[r] for r in range(len(names)))

    feasible = (
        topics
        for topics in itertools.product(range(len(names)), repeat=len(req.attendees))
        if max(Counter(topics).values()) <= cap
    )
    assert assign(req).score.preferences.by_rank == max(map(tally, feasible))


def test_a_full_topic_bumps_those_who_have_a_second_choice() -> None:
    # Capacity is max(ceil(40 * 1.0 / 2), 3) = 20: ten of the thirty who want X must go.
    attendees = [person(i, i, "X", "Y") for i in range(10)]
    attendees += [person(10 + i, 10 + i, "X") for i in range(20)]
    attendees += [person(30 + i, 30 + i, "Y") for i in range(10)]
    result = assign(request(attendees, "XY", 2, 3, topic_slack=1.0))
    assert result.score.preferences.by_rank == (30, 10)
    assert result.score.preferences.unlisted == 0
    assert sum(loads(result)["X"]) == 20


def test_a_popular_topic_is_capped_at_its_share_times_the_slack() -> None:
    result = assign(request([person(i, i, "A") for i in range(40)], "AB", 2, 3))
    assert (sum(loads(result)["A"]), sum(loads(result)["B"])) == (30, 10)
    assert result.score.preferences.unlisted == 10


def test_people_without_wishes_fill_the_emptiest_topics() -> None:
    attendees = [person(i, i, "A") for i in range(6)] + [person(6 + i, 6 + i) for i in range(12)]
    result = assign(request(attendees, "ABC", 2, 3))
    assert [sum(sizes) for sizes in loads(result).values()] == [6, 6, 6]


@pytest.mark.parametrize("seed", range(10))
def test_plan_stages_and_tiers_are_mixed(seed: int) -> None:
    attendees = [person(i, i, stage="adopted", tier="manager") for i in range(3)]
    attendees += [person(3 + i, 3 + i, stage="not_started", tier="staff") for i in range(3)]
    result = assign(request(attendees, "A", 2, 2, seed=seed))
    assert result.score.stage_mixed_groups == 3
    assert result.score.tier_mixed_groups == 3
    for group in result.topics[0].groups:
        assert group.reason.stages == (("adopted", 1), ("drafting", 0), ("not_started", 1))


def test_group_reasons_and_score_count_pairs_exactly() -> None:
    attendees = [
        person(0, 0, "A", tier="manager"),
        person(1, 0, "A"),
        person(2, 1, "B"),
        person(3, 2, stage="adopted"),
    ]
    history = {frozenset((code(0), code(1))): 3}
    req = request(attendees, "AB", 2, 4, history=history)
    result = evaluate(req, {"A": [[0, 1, 2, 3]]})
    reason = result.topics[0].groups[0].reason
    assert (reason.new_pairs, reason.repeated_pairs, reason.same_municipality_pairs) == (3, 2, 1)
    assert reason.stages == (("adopted", 1), ("drafting", 3), ("not_started", 0))
    assert reason.tiers == (("manager", 1), ("mid", 0), ("staff", 3))
    assert (reason.preferences.by_rank, reason.preferences.unlisted) == ((2, 0), 1)
    assert reason.preferences.no_preference == 1
    score = result.score
    assert (score.pairs, score.new_connections) == (6, 2)
    assert score.unavoidable_same_municipality_pairs == 1
    assert score.new_pair_ratio == 0.5
    assert score.first_choice_rate == 2 / 3
    assert [t.size_status for t in result.topics] == ["ok", "empty"]


def test_evaluating_the_assignment_itself_reproduces_it() -> None:
    req = session(9, 120, 40)
    result = assign(req)
    assert evaluate(req, result.as_mapping()) == result


def test_a_hand_edit_is_scored_as_given() -> None:
    req = request([person(i, i % 3) for i in range(6)], "A", 2, 3)
    result = evaluate(req, {"A": [[0, 3, 1], [2, 5, 4]]})
    assert result.as_mapping() == {"A": [[0, 3, 1], [2, 5, 4]]}
    assert result.score.same_municipality_pairs == 2
    assert result.score.unavoidable_same_municipality_pairs == 0
    assert result.notes[0].params == (("count", 2), ("unavoidable", 0))


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"A": [[0, 1, 2]]}, "参加者 %(id)s がどのグループにも入っていません。"),
        ({"A": [[0, 1, 2, 3], [3]]}, "参加者 %(id)s が複数のグループに入っています。"),
        ({"A": [[0, 1, 2, 3, 9]]}, "参加者 ID %(id)s は参加者にいません。"),
        ({"A": [[0, 1, 2, 3]], "Z": []}, "討議テーマ「%(topic)s」はありません。"),
        ({"A": [[0, 1, 2, 3], []]}, "テーマ「%(topic)s」に空のグループがあります。"),
    ],
)
def test_a_broken_hand_edit_is_refused(groups: dict[str, list[list[int]]], message: str) -> None:
    req = request([person(i, i) for i in range(4)], "A", 2, 4)
    with pytest.raises(ValidationError) as refused:
        evaluate(req, groups)
    assert [(p.field, p.message) for p in refused.value.problems] == [("groups", message)]


GOOD = [person(0, 0, "A"), person(1, 1, "B")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"topics": (), "attendees": [person(0, 0)]}, "topics", "討議テーマがありません。"),
        ({"topics": ("A", "B", "A")}, "topics", "討議テーマ「%(topic)s」が重複しています。"),
        ({"attendees": ()}, "attendees", "参加者がいません。"),
        ({"attendees": [*GOOD, person(1, 2)]}, "attendees", "参加者 ID %(id)s が重複しています。"),
        ({"min_group_size": 0}, "min_group_size", "グループの最小人数は 1 人以上にしてください。"),
        (
            {"max_group_size": 1, "min_group_size": 1},
            "max_group_size",
            "グループの最大人数は 2 人以上にしてください。",
        ),
        (
            {"min_group_size": 5, "max_group_size": 4},
            "min_group_size",
            "グループの最小人数（%(min)d 人）が最大人数（%(max)d 人）を超えています。",
        ),
        (
            {"attendees": [*GOOD, person(2, 2, "C")]},
            "preferences",
            "参加者 %(id)s の希望テーマ「%(topic)s」は討議テーマにありません。",
        ),
        (
            {"attendees": [*GOOD, person(2, 2, "A", "A")]},
            "preferences",
            "参加者 %(id)s の希望テーマ「%(topic)s」が重複しています。",
        ),
        (
            {"attendees": [*GOOD, Attendee(2, "12345", "staff", "drafting")]},
            "municipality",
            "参加者 %(id)s の団体コード「%(code)s」は 6 桁の数字ではありません。",
        ),
        (
            {"attendees": [*GOOD, person(2, 2, tier="boss")]},
            "tier",
            "参加者 %(id)s の職位「%(tier)s」は manager, mid, staff のいずれかにしてください。",
        ),
        (
            {"attendees": [*GOOD, person(2, 2, stage="done")]},
            "stage",
            "参加者 %(id)s の計画段階「%(stage)s」は adopted, drafting, not_started "
            "のいずれかにしてください。",
        ),
        ({"topic_slack": 0.5}, "topic_slack", "テーマごとの定員の余裕は 1 以上にしてください。"),
        (
            {"history": {frozenset({code(0)})}},
            "history",
            "過去の組み合わせ %(pair)s は異なる 2 団体と 1 以上の回数にしてください。",
        ),
        (
            {"history": {frozenset({code(0), code(1)}): 0}},
            "history",
            "過去の組み合わせ %(pair)s は異なる 2 団体と 1 以上の回数にしてください。",
        ),
    ],
)
def test_bad_input_is_refused_with_its_field(
    changes: RequestFields, field: str, message: str
) -> None:
    fields: RequestFields = {
        "attendees": GOOD,
        "topics": ("A", "B"),
        "min_group_size": 2,
        "max_group_size": 4,
    }
    merged: RequestFields = {**fields, **changes}
    req = AssignmentRequest(**merged)
    for run in (assign, random_assignment, greedy_baseline):
        with pytest.raises(ValidationError) as refused:
            run(req)
        assert [(p.field, p.message) for p in refused.value.problems] == [(field, message)]


def test_every_problem_is_reported_at_once() -> None:
    req = AssignmentRequest([], (), 0, 1)
    with pytest.raises(ValidationError) as refused:
        assign(req)
    assert [p.field for p in refused.value.problems] == [
        "topics",
        "attendees",
        "min_group_size",
        "max_group_size",
    ]


def test_a_minimum_above_the_head_count_is_accepted_as_plenary() -> None:
    result = assign(request([person(i, i, "AB"[i % 2]) for i in range(6)], "AB", 10, 12))
    assert loads(result) == {"A": [3], "B": [3]}
    assert [t.size_status for t in result.topics] == ["plenary", "plenary"]


def test_assignment_beats_random_on_new_pairs_and_wishes() -> None:
    req = session(3, 200, 30)
    dense = {
        frozenset((a.municipality, b.municipality)): 1
        for a in req.attendees[:60]
        for b in req.attendees[:60]
        if a.municipality != b.municipality
    }
    req = AssignmentRequest(req.attendees, req.topics, 4, 6, dense, seed=3)
    result = assign(req)
    score = result.score
    assert score.random_baseline_new_pair_ratio is not None
    assert score.random_baseline_first_choice_rate is not None
    assert score.new_pair_ratio > score.random_baseline_new_pair_ratio
    assert score.first_choice_rate > score.random_baseline_first_choice_rate
    assert score.same_municipality_pairs == score.unavoidable_same_municipality_pairs


def test_baselines_place_everyone_in_groups_within_bounds() -> None:
    req = session(4, 200, 30)
    for baseline in (random_assignment(req), greedy_baseline(req)):
        assert baseline.score.attendees == 200
        assert baseline.score.sizes_within_bounds
        assert baseline.score.random_baseline_new_pair_ratio is None
    assert [sum(sizes) for sizes in loads(random_assignment(req)).values()] == [67, 67, 66]
