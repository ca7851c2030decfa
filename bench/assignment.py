"""Benchmark of networking.assignment against a naive organizer and chance: prints tables.

The first table is the topic assignment (each attendee in one discussion); the second the
discussion rounds (networking.rotation: everyone in every round) on the seed's session and on
the large case, against a random rotation and the lower bound the rotation proves.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout, without installing the package

from networking.assignment import (  # noqa: E402 - needs the path above
    STAGES,
    TIERS,
    Assignment,
    AssignmentRequest,
    Attendee,
    assign,
    greedy_baseline,
    random_assignment,
)
from networking.rotation import assign_rounds, random_rotation  # noqa: E402

TOPICS = ("防災", "子育て支援", "自治体DX", "観光振興")
POPULARITY = (0.5, 0.25, 0.15, 0.1)  # a clear favourite, more wanted than its capacity


def municipality_codes(count: int, rng: random.Random) -> list[str]:
    """Real codes from the shipped directory (sorted, so neighbours are near); made-up beyond."""
    with (REPO / "networking" / "data" / "municipalities.csv").open(encoding="utf-8") as source:
        real = [row["code"] for row in csv.DictReader(source)]
    extra = [f"99{n:04d}" for n in range(max(0, count - len(real)))]
    return sorted(rng.sample(real, min(count, len(real))) + extra)


def history(
    codes: list[str], sessions: int, size: int, rng: random.Random
) -> dict[frozenset[str], int]:
    """Earlier sessions: each a regional cluster of codes, in groups of 6 of near neighbours."""
    met: dict[frozenset[str], int] = {}
    for _ in range(sessions):
        centre = rng.randrange(len(codes))
        window = codes[max(0, centre - size) : centre + size]
        people = rng.sample(window, min(size, len(window)))
        # Organizers used to group by neighbourhood: sort by code with a little noise.
        people.sort(key=lambda c: codes.index(c) + rng.gauss(0, 8))
        for start in range(0, len(people), 6):
            group = people[start : start + 6]
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    pair = frozenset((first, second))
                    met[pair] = met.get(pair, 0) + 1
    return met


def attendees(codes: list[str], count: int, rng: random.Random) -> list[Attendee]:
    """Every municipality sends one person; the rest go to a few keen ones (heavy tail)."""
    keenness = [rng.paretovariate(1.3) for _ in codes]
    senders = codes + rng.choices(codes, weights=keenness, k=max(0, count - len(codes)))
    stage = {c: rng.choices(STAGES, weights=(0.35, 0.4, 0.25))[0] for c in codes}
    people = []
    for i, code in enumerate(sorted(senders[:count])):
        wanted = rng.choices((0, 1, 2, 3), weights=(0.1, 0.3, 0.3, 0.3))[0]
        wishes: list[str] = []
        while len(wishes) < wanted:
            topic = rng.choices(TOPICS, weights=POPULARITY)[0]
            if topic not in wishes:
                wishes.append(topic)
        tier = rng.choices(TIERS, weights=(0.2, 0.35, 0.45))[0]
        people.append(Attendee(i, code, tier, stage[code], tuple(wishes)))
    return people


def row(name: str, run: Callable[[AssignmentRequest], Assignment], req: AssignmentRequest) -> str:
    started = time.perf_counter()
    s = run(req).score
    elapsed = time.perf_counter() - started
    return (
        f"| {name} | {elapsed:.3f} | {s.same_municipality_pairs} | {s.new_pair_ratio:.2%} "
        f"| {s.repeated_pairs} | {s.new_connections} | {s.first_choice_rate:.1%} "
        f"| {s.preferences.unlisted} | {s.smallest_group}–{s.largest_group} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--municipalities", type=int, default=1500)
    parser.add_argument("--sessions", type=int, default=20, help="earlier sessions in the history")
    parser.add_argument(
        "--session-size", type=int, default=300, help="municipalities per earlier session"
    )
    parser.add_argument("--min", type=int, default=5, dest="low")
    parser.add_argument("--max", type=int, default=7, dest="high")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the rounds case")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    codes = municipality_codes(args.municipalities, rng)
    met = history(codes, args.sessions, args.session_size, rng)
    people = attendees(codes, args.attendees, rng)
    req = AssignmentRequest(people, TOPICS, args.low, args.high, met, seed=args.seed)
    print(
        f"{len(people)} attendees from {len({p.municipality for p in people})} municipalities, "
        f"{len(TOPICS)} topics, groups of {args.low}-{args.high}, history of {args.sessions} "
        f"sessions ({len(met)} distinct pairs), seed {args.seed}\n"
    )
    print(
        "| method | time (s) | same-municipality pairs | new pairs | repeated pairs "
        "| distinct new municipality pairs | first choice | no listed wish | group sizes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, run in (
        ("tsunagu", assign),
        ("greedy baseline", greedy_baseline),
        ("random", random_assignment),
    ):
        print(row(name, run, req))
    s = assign(req).score
    print(
        f"\nAs the organizer sees it (Score): new pairs {s.new_pair_ratio:.0%} vs "
        f"{s.random_baseline_new_pair_ratio or 0:.0%} random, first choice "
        f"{s.first_choice_rate:.0%} vs {s.random_baseline_first_choice_rate or 0:.0%} random."
    )
    rounds_table(args, req)


def rounds_row(name: str, req: AssignmentRequest) -> str:
    started = time.perf_counter()
    s = assign_rounds(req).score
    elapsed = time.perf_counter() - started
    chance = random_rotation(req).score
    return (
        f"| {name} | {len(req.attendees)} | {len(req.topics)} "
        f"| {req.min_group_size}–{req.max_group_size} | {elapsed:.3f} "
        f"| {s.again_in_session} | {chance.again_in_session} | {s.again_in_session_lower_bound} "
        f"| {s.same_municipality_pairs} ({s.unavoidable_same_municipality_pairs}) "
        f"| {chance.same_municipality_pairs} | {s.repeated_pairs} | {chance.repeated_pairs} "
        f"| {s.smallest_group}–{s.largest_group} |"
    )


def rounds_table(args: argparse.Namespace, req: AssignmentRequest) -> None:
    """The seed's session (7 municipalities x 2, groups of 3-5, two rounds), then the large case."""
    rng = random.Random(args.seed)
    seed_codes = municipality_codes(7, rng)
    seed_people = [
        Attendee(i, seed_codes[i // 2], TIERS[i % 3], STAGES[i // 2 % 3]) for i in range(14)
    ]
    seed_session = AssignmentRequest(seed_people, ("①", "②"), 3, 5, seed=args.seed)
    no_wishes = [dataclasses.replace(a, preferences=()) for a in req.attendees]
    rounds = tuple(f"round {n}" for n in range(1, args.rounds + 1))
    large = dataclasses.replace(req, attendees=no_wishes, topics=rounds)
    print(
        "\nDiscussion rounds (everyone in every round). Together again: pairs of people in one "
        "group who shared a group in an earlier round; met before: pairs of municipalities "
        "that met in the history; same municipality in brackets: unavoidable.\n"
    )
    print(
        "| case | attendees | rounds | sizes | time (s) | together again | random: together "
        "again | lower bound | same municipality | random: same municipality | met before "
        "| random: met before | group sizes |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(rounds_row("seed session", seed_session))
    print(rounds_row(f"{len(no_wishes)} attendees", large))


if __name__ == "__main__":
    main()
