"""Checking an assignment request and indexing it for the algorithm (see networking.assignment)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from networking.assignment_types import STAGES, TIERS, AssignmentRequest, Attendee, History
from networking.errors import N_, Problems

# What one pair of attendees sharing a group costs. Each level outweighs all that a single swap
# can change in the levels below it, so the search follows the documented priority order.
SAME_MUNICIPALITY = 1_000_000
REPEATED = 1_000
REPEATED_AGAIN = 50  # per earlier meeting beyond the first (capped): repeat the pair met least
REPEATED_AGAIN_CAP = 5
SAME_STAGE = 2
SAME_TIER = 1


@dataclass(frozen=True)
class Prepared:
    """A validated request indexed for the algorithm: attendees in id order, all numbered."""

    request: AssignmentRequest
    attendees: tuple[Attendee, ...]
    topics: tuple[str, ...]
    muni: tuple[int, ...]
    rank: tuple[tuple[int, ...], ...]  # rank[a][t]: 0 = first wish, len(topics) = not listed
    has_preferences: tuple[bool, ...]
    kind: tuple[int, ...]  # stage * 3 + tier, to look the mix penalty up in one go
    # municipality number -> {municipality number: penalty of a pair}, itself included
    penalty: tuple[dict[int, int], ...]
    index_of: dict[int, int]  # attendee id -> attendee number


def _is_code(code: object) -> bool:
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()


def _check_attendee(problems: Problems, attendee: Attendee, topics: set[str]) -> None:
    checks = (
        (
            _is_code(attendee.municipality),
            "municipality",
            {"code": attendee.municipality},
            N_("参加者 %(id)s の団体コード「%(code)s」は 6 桁の数字ではありません。"),
        ),
        (
            attendee.tier in TIERS,
            "tier",
            {"tier": attendee.tier},
            N_("参加者 %(id)s の職位「%(tier)s」は manager, mid, staff のいずれかにしてください。"),
        ),
        (
            attendee.stage in STAGES,
            "stage",
            {"stage": attendee.stage},
            N_(
                "参加者 %(id)s の計画段階「%(stage)s」は adopted, drafting, not_started "
                "のいずれかにしてください。"
            ),
        ),
    )
    for fine, field, params, message in checks:
        if not fine:
            problems.add(field, message, id=attendee.id, **params)
    for topic, times in Counter(attendee.preferences).items():
        if topic not in topics:
            message = N_("参加者 %(id)s の希望テーマ「%(topic)s」は討議テーマにありません。")
            problems.add("preferences", message, id=attendee.id, topic=topic)
        elif times > 1:
            message = N_("参加者 %(id)s の希望テーマ「%(topic)s」が重複しています。")
            problems.add("preferences", message, id=attendee.id, topic=topic)


def _check_numbers(problems: Problems, request: AssignmentRequest) -> None:
    low, high = request.min_group_size, request.max_group_size
    if low < 1:
        problems.add("min_group_size", N_("グループの最小人数は 1 人以上にしてください。"))
    if high < 2:
        problems.add("max_group_size", N_("グループの最大人数は 2 人以上にしてください。"))
    if low > high:
        message = N_("グループの最小人数（%(min)d 人）が最大人数（%(max)d 人）を超えています。")
        problems.add("min_group_size", message, min=low, max=high)
    if not request.topic_slack >= 1.0:  # written this way round so that NaN is refused too
        problems.add("topic_slack", N_("テーマごとの定員の余裕は 1 以上にしてください。"))
    if request.search_budget is not None and request.search_budget < 0:
        problems.add("search_budget", N_("探索の回数は 0 以上にしてください。"))


def _check_history(problems: Problems, history: History) -> None:
    wrong = {code for code in set().union(*history) if not _is_code(code)}  # each code once
    bad = [
        repr(sorted(map(str, pair)))
        for pair in history
        if len(pair) != 2
        or not wrong.isdisjoint(pair)
        or (isinstance(history, Mapping) and history[pair] < 1)
    ]
    for pair in sorted(bad):  # sorted: a set's order changes from one process to the next
        message = N_("過去の組み合わせ %(pair)s は異なる 2 団体と 1 以上の回数にしてください。")
        problems.add("history", message, pair=pair)


def validate(request: AssignmentRequest) -> None:
    """Raise ValidationError listing every problem of the request, each with its field."""
    problems = Problems()
    if not request.topics:
        problems.add("topics", N_("討議テーマがありません。"))
    for topic in sorted(t for t, times in Counter(request.topics).items() if times > 1):
        problems.add("topics", N_("討議テーマ「%(topic)s」が重複しています。"), topic=topic)
    if not request.attendees:
        problems.add("attendees", N_("参加者がいません。"))
    ids = Counter(attendee.id for attendee in request.attendees)
    for attendee_id in sorted(i for i, times in ids.items() if times > 1):
        problems.add("attendees", N_("参加者 ID %(id)s が重複しています。"), id=attendee_id)
    for attendee in request.attendees:
        _check_attendee(problems, attendee, set(request.topics))
    for topic in sorted(set(request.plenary_topics) - set(request.topics)):
        message = N_("全員で行う意見交換「%(topic)s」は討議テーマにありません。")
        problems.add("plenary_topics", message, topic=topic)
    _check_numbers(problems, request)
    _check_history(problems, request.history)
    problems.raise_if_any()


_MIX = [
    [SAME_STAGE * (k // 3 == m // 3) + SAME_TIER * (k % 3 == m % 3) for m in range(9)]
    for k in range(9)
]


def _penalties(history: History, number: Mapping[str, int]) -> tuple[dict[int, int], ...]:
    penalty = [{i: SAME_MUNICIPALITY} for i in range(len(number))]
    for pair in history:
        first, second = sorted(pair)
        i, j = number.get(first), number.get(second)
        if i is not None and j is not None:  # pairs with someone not attending do not matter
            times = history[pair] if isinstance(history, Mapping) else 1
            penalty[i][j] = penalty[j][i] = REPEATED + REPEATED_AGAIN * min(
                times - 1, REPEATED_AGAIN_CAP
            )
    return tuple(penalty)


def prepare(request: AssignmentRequest) -> Prepared:
    """Validate the request and number everything in sorted, hash-independent order."""
    validate(request)
    attendees = tuple(sorted(request.attendees, key=lambda attendee: attendee.id))
    number = {code: i for i, code in enumerate(sorted({a.municipality for a in attendees}))}
    topics = tuple(request.topics)
    return Prepared(
        request=request,
        attendees=attendees,
        topics=topics,
        muni=tuple(number[a.municipality] for a in attendees),
        rank=tuple(
            tuple(a.preferences.index(t) if t in a.preferences else len(topics) for t in topics)
            for a in attendees
        ),
        has_preferences=tuple(bool(a.preferences) for a in attendees),
        kind=tuple(STAGES.index(a.stage) * 3 + TIERS.index(a.tier) for a in attendees),
        penalty=_penalties(request.history, number),
        index_of={a.id: i for i, a in enumerate(attendees)},
    )


def join_cost(p: Prepared, a: int, members: Iterable[int]) -> int:
    """The penalty of attendee a sharing a group with `members` (a itself not among them)."""
    muni, kind = p.muni, p.kind
    penalty, mix = p.penalty[muni[a]], _MIX[kind[a]]
    total = 0
    for b in members:  # the hot loop of the whole search: one lookup per concern
        total += mix[kind[b]]
        if muni[b] in penalty:
            total += penalty[muni[b]]
    return total


def seeded_random(seed: int, purpose: str) -> random.Random:
    """A stream of its own for each purpose, the same for the same seed in every process."""
    # A string seed goes through SHA-512, not hash(): the same stream in every process.
    return random.Random(f"{seed}/{purpose}")  # noqa: S311 - a fair lottery, not a secret
