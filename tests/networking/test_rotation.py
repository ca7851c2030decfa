"""Discussion rounds: everyone in every round, no colleague beside them, few pairs met twice."""

from __future__ import annotations

from collections import Counter
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from networking.assignment import STAGES, TIERS, Assignment, AssignmentRequest, Attendee
from networking.assignment_input import prepare
from networking.assignment_score import group_bounds, unavoidable_pairs
from networking.errors import ValidationError
from networking.rotation import assign_rounds, evaluate_rounds, lower_bound, random_rotation

FAST = settings(max_examples=50, deadline=None)


def code(n: int) -> str:
    return f"{100000 + n}"


def seed_session(seed: int = 0) -> AssignmentRequest:
    """Seven municipalities sending two people each, groups of 3-5, rounds ① and ②."""
    people = [Attendee(i, code(i // 2), TIERS[i % 3], STAGES[i // 2 % 3]) for i in range(14)]
    return AssignmentRequest(people, ("①", "②"), 3, 5, seed=seed)


def together_again(result: Assignment) -> int:
    met: set[frozenset[int]] = set()
    again = 0
    for topic in result.topics:
        pairs = [frozenset(pair) for g in topic.groups for pair in combinations(g.attendee_ids, 2)]
        again += sum(pair in met for pair in pairs)
        met.update(pairs)
    return again


@st.composite
def requests(draw: st.DrawFn) -> AssignmentRequest:
    low = draw(st.integers(1, 5))
    high = draw(st.integers(max(low, 2), max(low, 2) + 3))
    munis = draw(st.integers(1, 20))
    count = draw(st.integers(1, 40))
    attendees = [
        Attendee(
            i,
            code(draw(st.integers(0, munis - 1))),
            draw(st.sampled_from(TIERS)),
            draw(st.sampled_from(STAGES)),
        )
        for i in range(count)
    ]
    pairs = draw(
        st.lists(st.tuples(st.integers(0, munis - 1), st.integers(0, munis - 1)), max_size=30)
    )
    history = {frozenset((code(a), code(b))): 1 + (a * b) % 3 for a, b in pairs if a != b}
    rounds = tuple("①②③④"[: draw(st.integers(1, 4))])
    plenary = draw(st.sets(st.sampled_from(rounds), max_size=1))
    return AssignmentRequest(
        attendees,
        rounds,
        low,
        high,
        history,
        draw(st.integers(0, 999)),
        search_budget=draw(st.sampled_from([0, 500, 3000])),
        plenary_topics=plenary,
    )


@FAST
@given(requests())
def test_everyone_is_in_one_group_of_every_round_with_sizes_in_bounds(
    req: AssignmentRequest,
) -> None:
    result = assign_rounds(req)
    everyone = sorted(a.id for a in req.attendees)
    low, high = req.min_group_size, req.max_group_size
    fewest, most = group_bounds(len(everyone), low, high)
    assert [t.topic for t in result.topics] == list(req.topics)
    for topic in result.topics:
        assert sorted(i for g in topic.groups for i in g.attendee_ids) == everyone
        sizes = [len(g.attendee_ids) for g in topic.groups]
        if topic.topic in req.plenary_topics:
            assert (sizes, topic.size_status) == ([len(everyone)], "plenary")
        elif topic.size_status == "ok":
            assert all(low <= size <= high for size in sizes)
            assert fewest <= len(sizes) <= most
        else:  # only when no split meets the bounds, and then the closest one
            n = len(everyone)
            assert n < low or -(-n // high) > n // low
            assert max(sizes) - min(sizes) <= 1


@FAST
@given(requests())
def test_colleagues_share_a_group_only_when_the_group_count_forces_it(
    req: AssignmentRequest,
) -> None:
    result = assign_rounds(req)
    per_municipality = Counter(a.municipality for a in req.attendees)
    muni = {a.id: a.municipality for a in req.attendees}
    for topic in result.topics:
        same = sum(
            muni[a] == muni[b] for g in topic.groups for a, b in combinations(g.attendee_ids, 2)
        )
        assert same == unavoidable_pairs(per_municipality.values(), len(topic.groups))


@FAST
@given(requests())
def test_pairs_together_again_are_counted_exactly_and_never_below_the_bound(
    req: AssignmentRequest,
) -> None:
    result = assign_rounds(req)
    breakout = [t for t in result.topics if t.topic not in req.plenary_topics]
    expected = together_again(Assignment(tuple(breakout), result.score, result.notes))
    assert result.score.again_in_session == expected
    assert sum(g.reason.again_in_session for t in breakout for g in t.groups) == expected
    assert result.score.again_in_session_lower_bound <= expected
    chance = random_rotation(req).score
    assert chance.again_in_session_lower_bound <= chance.again_in_session


@FAST
@given(requests())
def test_same_request_same_rotation(req: AssignmentRequest) -> None:
    assert assign_rounds(req) == assign_rounds(req)


def all_splits(people: tuple[int, ...], size: int) -> list[list[tuple[int, ...]]]:
    """Every way to cut `people` into groups of `size` (the groups in a canonical order)."""
    if not people:
        return [[]]
    first, rest = people[0], people[1:]
    splits = []
    for partners in combinations(rest, size - 1):
        left = tuple(p for p in rest if p not in partners)
        splits += [[(first, *partners), *tail] for tail in all_splits(left, size)]
    return splits


@pytest.mark.parametrize(("people", "size", "rounds"), [(6, 3, 3), (6, 2, 4), (8, 4, 3)])
def test_the_lower_bound_never_exceeds_the_best_rotation_found_by_brute_force(
    people: int, size: int, rounds: int
) -> None:
    attendees = [Attendee(i, code(i), "staff", "drafting") for i in range(people)]
    req = AssignmentRequest(attendees, tuple("①②③④"[:rounds]), size, size, search_budget=5000)
    p = prepare(req)
    splits = all_splits(tuple(range(people)), size)
    best = min(together_again_layout(layout) for layout in product(splits, repeat=rounds))
    result = assign_rounds(req)
    layout = [[list(g.attendee_ids) for g in t.groups] for t in result.topics]
    assert lower_bound(p, layout) <= best == result.score.again_in_session


def together_again_layout(layout: tuple[list[tuple[int, ...]], ...]) -> int:
    met: set[tuple[int, int]] = set()
    again = 0
    for groups in layout:
        pairs = [pair for g in groups for pair in combinations(g, 2)]
        again += sum(pair in met for pair in pairs)
        met.update(pairs)
    return again


def test_the_seed_session_meets_nobody_twice_and_no_colleague() -> None:
    for seed in range(5):
        result = assign_rounds(seed_session(seed))
        assert result.score.again_in_session == 0
        assert result.score.same_municipality_pairs == 0
        assert [t.size_status for t in result.topics] == ["ok", "ok"]
        assert result.notes == ()
        assert result.score.random_baseline_again_in_session is not None


def test_more_rounds_than_people_can_fill_say_how_many_pairs_meet_again() -> None:
    attendees = [Attendee(i, code(i), "staff", "drafting") for i in range(6)]
    req = AssignmentRequest(attendees, ("①", "②", "③", "④"), 3, 3)
    result = assign_rounds(req)
    # Each person sits beside 2 people in each of 4 rounds, 8 seats for 5 others: 3 seats each
    # go to someone met before, 6 * 3 / 2 = 9 pairs; and 9 is what the rotation reaches.
    assert result.score.again_in_session_lower_bound == 9
    assert result.score.again_in_session == 9
    assert [note.text() for note in result.notes] == [
        "前の意見交換と同じ相手が再び同じグループになった組が 9 組あります。"
        "4 回の意見交換を 3〜3 人のグループで行うと、どう組んでも少なくとも 9 組は"
        "再び同じグループになります。"
    ]


def test_bounds_no_split_can_meet_get_the_closest_sizes_and_a_note() -> None:
    attendees = [Attendee(i, code(i), "staff", "drafting") for i in range(7)]
    result = assign_rounds(AssignmentRequest(attendees, ("①", "②"), 5, 6))
    assert [[len(g.attendee_ids) for g in t.groups] for t in result.topics] == [[7], [7]]
    assert [t.size_status for t in result.topics] == ["out_of_bounds", "out_of_bounds"]
    assert result.notes[0].text() == (
        "テーマ「①」の 7 人は 5〜6 人のグループに分けきれないため、最も近い人数にしました。"
    )


def test_a_plenary_round_holds_everyone_and_does_not_count_as_meeting() -> None:
    req = seed_session()
    plenary = AssignmentRequest(
        req.attendees, ("全体", "①", "②"), 3, 5, seed=0, plenary_topics={"全体"}
    )
    result = assign_rounds(plenary)
    assert [len(t.groups) for t in result.topics] == [1, 4, 4]
    assert result.topics[0].size_status == "plenary"
    assert result.score.again_in_session == 0
    assert [note.text() for note in result.notes] == [
        "同じ自治体の参加者が同じグループになった組が 7 組あります"
        "（うち人数の都合で避けられないもの 7 組）。"
    ]


def test_the_group_count_lets_consecutive_rounds_avoid_repeats() -> None:
    result = assign_rounds(seed_session())
    # Three groups of 5-5-4 would force repeats in round ②; four of 4-4-3-3 do not.
    sizes = [sorted(len(g.attendee_ids) for g in t.groups) for t in result.topics]
    assert sizes == [[3, 3, 4, 4], [3, 3, 4, 4]]


def test_evaluating_a_rotation_reproduces_it_and_a_hand_edit_is_scored_as_given() -> None:
    req = seed_session()
    result = assign_rounds(req)
    assert evaluate_rounds(req, result.as_mapping()) == result
    edited = result.as_mapping()
    first, second = edited["②"][0][0], edited["②"][1][0]
    edited["②"][0][0], edited["②"][1][0] = second, first
    assert (
        together_again(evaluate_rounds(req, edited))
        == evaluate_rounds(req, edited).score.again_in_session
    )


def test_a_rotation_missing_someone_in_a_round_is_refused() -> None:
    req = seed_session()
    mapping = assign_rounds(req).as_mapping()
    mapping["②"][0].pop(0)
    with pytest.raises(ValidationError) as refused:
        evaluate_rounds(req, mapping)
    assert [p.field for p in refused.value.problems] == ["groups"]


def test_a_plenary_round_that_is_not_a_round_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        assign_rounds(
            AssignmentRequest(seed_session().attendees, ("①",), 3, 5, plenary_topics={"②"})
        )
    assert [(p.field, p.params) for p in refused.value.problems] == [
        ("plenary_topics", {"topic": "②"})
    ]


def test_rotation_beats_random_on_pairs_together_again() -> None:
    attendees = [Attendee(i, code(i % 40), TIERS[i % 3], STAGES[i % 7 % 3]) for i in range(120)]
    req = AssignmentRequest(attendees, ("①", "②", "③"), 4, 6, seed=3)
    result = assign_rounds(req)
    assert result.score.again_in_session == 0
    assert result.score.random_baseline_again_in_session is not None
    assert result.score.random_baseline_again_in_session > 0
    assert result.score.same_municipality_pairs == 0
