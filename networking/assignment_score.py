"""Group sizes and the scoring of a layout: reasons per group, a Score, notes for the organizer."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from networking.assignment_input import Prepared
from networking.assignment_types import (
    STAGES,
    TIERS,
    Assignment,
    Group,
    GroupReason,
    Layout,
    Note,
    PreferenceTally,
    Score,
    TopicGroups,
)
from networking.errors import N_, Problems


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
    if topic.topic in p.request.plenary_topics:
        return []  # the organizer's choice, not a consequence to explain
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
    stated = sum(group_sizes) - tally.no_preference  # rounds place everyone several times
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
            size_status=(
                "plenary"
                if p.topics[number] in p.request.plenary_topics
                else size_status([len(members) for members in groups], low, high)
            ),
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


def layout_from_mapping(
    p: Prepared, groups: Mapping[str, Sequence[Sequence[int]]], every_topic: bool = False
) -> Layout:
    """Check a hand-edited topic -> groups -> ids mapping and turn it into attendee numbers.

    Everyone belongs to one group of one topic, or with `every_topic` (discussion rounds) to
    one group of every topic.
    """
    problems = Problems()
    topic_number = {topic: i for i, topic in enumerate(p.topics)}
    layout: list[list[list[int]]] = [[] for _ in p.topics]
    seen: list[Counter[int]] = [Counter() for _ in (p.topics if every_topic else "-")]
    for topic, topic_groups in groups.items():
        if topic not in topic_number:
            problems.add("groups", N_("討議テーマ「%(topic)s」はありません。"), topic=topic)
            continue
        if not all(topic_groups):
            message = N_("テーマ「%(topic)s」に空のグループがあります。")
            problems.add("groups", message, topic=topic)
        for members in topic_groups:
            seen[topic_number[topic] if every_topic else 0].update(members)
            layout[topic_number[topic]].append([p.index_of.get(i, -1) for i in members])
    for scope in seen:
        _check_each_once(problems, p, scope)
    problems.raise_if_any()
    return layout


def _check_each_once(problems: Problems, p: Prepared, seen: Counter[int]) -> None:
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
