"""Vocabulary, input validation and scoring of session assignments (see networking.assignment)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from networking.errors import N_, Problems

TIERS: tuple[str, ...] = ("manager", "mid", "staff")
STAGES: tuple[str, ...] = ("adopted", "drafting", "not_started")

# What one pair of attendees sharing a group costs. Each level outweighs all that a single swap
# can change in the levels below it, so the search follows the documented priority order.
SAME_MUNICIPALITY = 1_000_000
REPEATED = 1_000
REPEATED_AGAIN = 50  # per earlier meeting beyond the first (capped): repeat the pair met least
REPEATED_AGAIN_CAP = 5
SAME_STAGE = 2
SAME_TIER = 1

History = Mapping[frozenset[str], int] | AbstractSet[frozenset[str]]
Layout = Sequence[Sequence[Sequence[int]]]  # topic number -> groups -> attendee numbers


@dataclass(frozen=True)
class Attendee:
    """One person: municipality code (6 digits), tier, plan stage, topic wishes (best first)."""

    id: int
    municipality: str
    tier: str
    stage: str
    preferences: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "preferences", tuple(self.preferences))


@dataclass(frozen=True)
class AssignmentRequest:
    """Everything an assignment depends on. search_budget: swap evaluations (None: default)."""

    attendees: Sequence[Attendee]
    topics: Sequence[str]
    min_group_size: int
    max_group_size: int
    history: History = frozenset()
    seed: int = 0
    topic_slack: float = 1.5
    search_budget: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "attendees", tuple(self.attendees))
        object.__setattr__(self, "topics", tuple(self.topics))


@dataclass(frozen=True)
class PreferenceTally:
    """How many got their 1st, 2nd, ... wish (by_rank), a topic they did not list, or had none."""

    by_rank: tuple[int, ...]
    unlisted: int
    no_preference: int


@dataclass(frozen=True)
class GroupReason:
    """Why a group looks the way it does; pairs are pairs of attendees sharing the group."""

    new_pairs: int
    repeated_pairs: int
    same_municipality_pairs: int
    stages: tuple[tuple[str, int], ...]
    tiers: tuple[tuple[str, int], ...]
    preferences: PreferenceTally


@dataclass(frozen=True)
class Group:
    attendee_ids: tuple[int, ...]
    reason: GroupReason


@dataclass(frozen=True)
class TopicGroups:
    """A topic's groups; size_status is "ok", "plenary", "out_of_bounds" or "empty"."""

    topic: str
    groups: tuple[Group, ...]
    size_status: str


@dataclass(frozen=True)
class Score:
    """Totals over all groups; random_baseline_* describe a random assignment of the same shape."""

    attendees: int
    groups: int
    pairs: int
    new_pairs: int
    repeated_pairs: int
    same_municipality_pairs: int
    unavoidable_same_municipality_pairs: int  # lower bound given each topic's head-count and groups
    new_pair_ratio: float  # new_pairs / pairs
    new_connections: int  # distinct new municipality pairs
    preferences: PreferenceTally
    first_choice_rate: float  # among attendees who stated a wish; 0.0 if nobody did
    stage_mixed_groups: int
    tier_mixed_groups: int
    smallest_group: int
    largest_group: int
    sizes_within_bounds: bool  # True when no topic is "out_of_bounds" (plenaries are fine)
    random_baseline_new_pair_ratio: float | None = None
    random_baseline_first_choice_rate: float | None = None


@dataclass(frozen=True)
class Note:
    """Something the organizer should know: a msgid with %(name)s placeholders, and its values."""

    message: str
    params: tuple[tuple[str, str | int], ...] = ()

    def text(self) -> str:
        return self.message % dict(self.params) if self.params else self.message


@dataclass(frozen=True)
class Assignment:
    topics: tuple[TopicGroups, ...]
    score: Score
    notes: tuple[Note, ...]

    def as_mapping(self) -> dict[str, list[list[int]]]:
        """topic -> groups -> attendee ids: the shape evaluate() takes after a hand edit."""
        return {t.topic: [list(g.attendee_ids) for g in t.groups] for t in self.topics}


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


def unavoidable_pairs(counts: Iterable[int], groups: int) -> int:
    """Fewest same-municipality pairs when each municipality's people spread over `groups`."""
    total = 0
    for count in counts:
        per_group, extra = divmod(count, groups)
        total += extra * (per_group + 1) * per_group // 2
        total += (groups - extra) * per_group * (per_group - 1) // 2
    return total


def sizes(n: int, groups: int) -> list[int]:
    """n people in `groups` groups as even as possible, larger groups first."""
    if not groups:
        return []
    per_group, extra = divmod(n, groups)
    return [per_group + 1] * extra + [per_group] * (groups - extra)


def group_bounds(n: int, low: int, high: int) -> tuple[int, int]:
    """Fewest and most groups for n people; the closest sizes' count when n cannot be split."""
    if n < low or n <= 1:
        return min(n, 1), min(n, 1)  # plenary (or nobody)
    fewest, most = -(-n // high), n // low
    if fewest > most:  # e.g. 8 people in groups of 5-7: the count whose sizes miss by least

        def miss(groups: int) -> int:
            return sum(max(0, s - high, low - s) for s in sizes(n, groups))

        fewest = most = min((most, fewest), key=miss)
    return fewest, most


def size_status(group_sizes: Sequence[int], low: int, high: int) -> str:
    if not group_sizes:
        return "empty"
    if all(low <= size <= high for size in group_sizes):
        return "ok"
    return "plenary" if len(group_sizes) == 1 and group_sizes[0] < low else "out_of_bounds"


def random_layout(p: Prepared, shape: Sequence[Sequence[int]]) -> list[list[list[int]]]:
    """Everyone dealt at random into groups of the given sizes (topic -> group sizes)."""
    order = list(range(len(p.attendees)))
    random.Random(f"{p.request.seed}/random").shuffle(order)  # noqa: S311 - a comparison only
    layout: list[list[list[int]]] = []
    for group_sizes in shape:
        layout.append([])
        for size in group_sizes:
            layout[-1].append(order[:size])
            del order[:size]
    return layout


def _tally(p: Prepared, topic: int, members: Iterable[int]) -> PreferenceTally:
    by_rank = [0] * (len(p.topics) + 1)  # the extra last rank counts "not listed"
    none = 0
    for a in members:
        if p.has_preferences[a]:
            by_rank[p.rank[a][topic]] += 1
        else:
            none += 1
    return PreferenceTally(tuple(by_rank[:-1]), by_rank[-1], none)


def _reason(
    p: Prepared, topic: int, members: Sequence[int], new: set[tuple[int, int]]
) -> GroupReason:
    kinds: Counter[str] = Counter()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            first, second = sorted((p.muni[a], p.muni[b]))
            if first == second:
                kinds["same"] += 1
            elif second in p.penalty[first]:
                kinds["repeated"] += 1
            else:
                kinds["new"] += 1
                new.add((first, second))
    mixes = [p.kind[a] for a in members]
    stages, tiers = Counter(kind // 3 for kind in mixes), Counter(kind % 3 for kind in mixes)
    return GroupReason(
        new_pairs=kinds["new"],
        repeated_pairs=kinds["repeated"],
        same_municipality_pairs=kinds["same"],
        stages=tuple((name, stages[i]) for i, name in enumerate(STAGES)),
        tiers=tuple((name, tiers[i]) for i, name in enumerate(TIERS)),
        preferences=_tally(p, topic, members),
    )


def _size_note(p: Prepared, topic: TopicGroups) -> list[Note]:
    low, high = p.request.min_group_size, p.request.max_group_size
    params = (("topic", topic.topic), ("count", sum(len(g.attendee_ids) for g in topic.groups)))
    if topic.size_status == "plenary":
        return [
            Note(
                N_(
                    "テーマ「%(topic)s」は参加者が %(count)d 人で最小人数 %(min)d 人に"
                    "満たないため、全員で 1 グループにしました。"
                ),
                (*params, ("min", low)),
            )
        ]
    if topic.size_status == "out_of_bounds":
        return [
            Note(
                N_(
                    "テーマ「%(topic)s」の %(count)d 人は %(min)d〜%(max)d 人のグループに"
                    "分けきれないため、最も近い人数にしました。"
                ),
                (*params, ("min", low), ("max", high)),
            )
        ]
    return []


def _score(p: Prepared, topics: Sequence[TopicGroups], unavoidable: int, new: int) -> Score:
    reasons = [g.reason for t in topics for g in t.groups]
    group_sizes = [len(g.attendee_ids) for t in topics for g in t.groups]
    tallies = [r.preferences for r in reasons]
    tally = PreferenceTally(
        tuple(map(sum, zip(*(t.by_rank for t in tallies), strict=True))) or (0,) * len(p.topics),
        sum(t.unlisted for t in tallies),
        sum(t.no_preference for t in tallies),
    )
    pairs = sum(size * (size - 1) // 2 for size in group_sizes)
    new_pairs = sum(r.new_pairs for r in reasons)
    stated = len(p.attendees) - tally.no_preference
    return Score(
        attendees=sum(group_sizes),
        groups=len(group_sizes),
        pairs=pairs,
        new_pairs=new_pairs,
        repeated_pairs=sum(r.repeated_pairs for r in reasons),
        same_municipality_pairs=sum(r.same_municipality_pairs for r in reasons),
        unavoidable_same_municipality_pairs=unavoidable,
        new_pair_ratio=new_pairs / pairs if pairs else 0.0,
        new_connections=new,
        preferences=tally,
        first_choice_rate=tally.by_rank[0] / stated if stated else 0.0,
        stage_mixed_groups=sum(sum(n > 0 for _, n in r.stages) > 1 for r in reasons),
        tier_mixed_groups=sum(sum(n > 0 for _, n in r.tiers) > 1 for r in reasons),
        smallest_group=min(group_sizes, default=0),
        largest_group=max(group_sizes, default=0),
        sizes_within_bounds=all(t.size_status != "out_of_bounds" for t in topics),
    )


def build_assignment(p: Prepared, layout: Layout, compare: bool = True) -> Assignment:
    """Describe and score a layout; with `compare`, beside a random layout of the same shape."""
    low, high = p.request.min_group_size, p.request.max_group_size
    new: set[tuple[int, int]] = set()
    topics, notes, unavoidable = [], [], 0
    for number, groups in enumerate(layout):
        topic = TopicGroups(
            topic=p.topics[number],
            groups=tuple(
                Group(tuple(p.attendees[a].id for a in members), _reason(p, number, members, new))
                for members in groups
            ),
            size_status=size_status([len(members) for members in groups], low, high),
        )
        topics.append(topic)
        notes += _size_note(p, topic)
        counts = Counter(p.muni[a] for members in groups for a in members)
        unavoidable += unavoidable_pairs(counts.values(), len(groups))
    score = _score(p, topics, unavoidable, len(new))
    if score.same_municipality_pairs:
        notes.append(
            Note(
                N_(
                    "同じ自治体の参加者が同じグループになった組が %(count)d 組あります"
                    "（うち人数の都合で避けられないもの %(unavoidable)d 組）。"
                ),
                (("count", score.same_municipality_pairs), ("unavoidable", unavoidable)),
            )
        )
    if compare:
        shape = [[len(members) for members in groups] for groups in layout]
        chance = build_assignment(p, random_layout(p, shape), compare=False).score
        score = replace(
            score,
            random_baseline_new_pair_ratio=chance.new_pair_ratio,
            random_baseline_first_choice_rate=chance.first_choice_rate,
        )
    return Assignment(tuple(topics), score, tuple(notes))


def layout_from_mapping(p: Prepared, groups: Mapping[str, Sequence[Sequence[int]]]) -> Layout:
    """Check a hand-edited topic -> groups -> ids mapping and turn it into attendee numbers."""
    problems = Problems()
    topic_number = {topic: i for i, topic in enumerate(p.topics)}
    layout: list[list[list[int]]] = [[] for _ in p.topics]
    seen: Counter[int] = Counter()
    for topic, topic_groups in groups.items():
        if topic not in topic_number:
            problems.add("groups", N_("討議テーマ「%(topic)s」はありません。"), topic=topic)
            continue
        if not all(topic_groups):
            message = N_("テーマ「%(topic)s」に空のグループがあります。")
            problems.add("groups", message, topic=topic)
        for members in topic_groups:
            seen.update(members)
            layout[topic_number[topic]].append([p.index_of.get(i, -1) for i in members])
    for attendee_id, times in sorted(seen.items()):
        if attendee_id not in p.index_of:
            problems.add("groups", N_("参加者 ID %(id)s は参加者にいません。"), id=attendee_id)
        elif times > 1:
            message = N_("参加者 %(id)s が複数のグループに入っています。")
            problems.add("groups", message, id=attendee_id)
    for attendee in p.attendees:
        if attendee.id not in seen:
            message = N_("参加者 %(id)s がどのグループにも入っていません。")
            problems.add("groups", message, id=attendee.id)
    problems.raise_if_any()
    return layout
