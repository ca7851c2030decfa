"""The vocabulary of session assignments: the request, the result, its reasons and score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

TIERS: tuple[str, ...] = ("manager", "mid", "staff")
STAGES: tuple[str, ...] = ("adopted", "drafting", "not_started")

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
    # Discussion rounds (networking.rotation) only: rounds the organizer holds in plenary.
    plenary_topics: AbstractSet[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "attendees", tuple(self.attendees))
        object.__setattr__(self, "topics", tuple(self.topics))
        object.__setattr__(self, "plenary_topics", frozenset(self.plenary_topics))


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
    again_in_session: int = 0  # rounds: pairs of people already together in an earlier round


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
    # Discussion rounds only: pairs of people together again after an earlier round, the fewest
    # any rotation of these group sizes can have, and what a random rotation gives.
    again_in_session: int = 0
    again_in_session_lower_bound: int = 0
    random_baseline_again_in_session: int | None = None


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
