"""JSON shapes of the group assignment API, written by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

from msgspec import Struct

from events.groups.members import Member
from events.groups.queries import AssignmentView, GroupView
from events.lib.i18n import gettext
from networking.assignment import GroupReason, PreferenceTally, Score


class AssignBody(Struct, forbid_unknown_fields=True):
    min_group_size: int
    max_group_size: int
    seed: int | None = None


class MoveBody(Struct, forbid_unknown_fields=True):
    attendee_id: int
    topic_id: int
    group: int


class TallyOut(Struct):
    """How many got their 1st, 2nd ... wish (by_rank), a topic they did not list, or had none."""

    by_rank: list[int]
    unlisted: int
    no_preference: int


class ReasonOut(Struct):
    new_pairs: int
    repeated_pairs: int
    same_municipality_pairs: int
    stages: dict[str, int]
    tiers: dict[str, int]
    preferences: TallyOut


class AttendeeOut(Struct):
    id: int
    name: str
    email: str
    department: str
    municipality_code: str
    municipality_name: str
    tier: str
    stage: str


class GroupOut(Struct):
    number: int
    label: str
    attendees: list[AttendeeOut]
    reasons: ReasonOut | None


class TopicOut(Struct):
    id: int
    title: str
    size_status: str
    groups: list[GroupOut]


class ScoreOut(Struct):
    attendees: int
    groups: int
    pairs: int
    new_pairs: int
    repeated_pairs: int
    same_municipality_pairs: int
    unavoidable_same_municipality_pairs: int
    new_pair_ratio: float
    new_connections: int
    preferences: TallyOut
    first_choice_rate: float
    stage_mixed_groups: int
    tier_mixed_groups: int
    smallest_group: int
    largest_group: int
    sizes_within_bounds: bool
    random_baseline_new_pair_ratio: float | None
    random_baseline_first_choice_rate: float | None


class AssignmentOut(Struct):
    session_id: int
    state: str
    min_group_size: int
    max_group_size: int
    seed: int
    published_at: dt.datetime | None
    score: ScoreOut | None
    notes: list[str]
    topics: list[TopicOut]
    unassigned: list[AttendeeOut]
    # Attendees moved since publication who have not been told yet.
    changed_since_publication: list[int]


def _tally(tally: PreferenceTally) -> TallyOut:
    return TallyOut(list(tally.by_rank), tally.unlisted, tally.no_preference)


def _reason(reason: GroupReason) -> ReasonOut:
    return ReasonOut(
        new_pairs=reason.new_pairs,
        repeated_pairs=reason.repeated_pairs,
        same_municipality_pairs=reason.same_municipality_pairs,
        stages=dict(reason.stages),
        tiers=dict(reason.tiers),
        preferences=_tally(reason.preferences),
    )


def _score(score: Score) -> ScoreOut:
    fields = dataclasses.asdict(score)
    fields["preferences"] = _tally(score.preferences)
    return ScoreOut(**fields)


def _attendee(member: Member) -> AttendeeOut:
    return AttendeeOut(
        id=member.id,
        name=member.name,
        email=member.email,
        department=member.department,
        municipality_code=member.municipality_code,
        municipality_name=member.municipality_name,
        tier=member.position,
        stage=member.plan_status,
    )


def _group(group: GroupView) -> GroupOut:
    return GroupOut(
        number=group.number,
        label=group.label,
        attendees=[_attendee(member) for member in group.members],
        reasons=_reason(group.reason) if group.reason else None,
    )


def assignment_out(view: AssignmentView) -> AssignmentOut:
    return AssignmentOut(
        session_id=view.session.id,
        state=view.state,
        min_group_size=view.min_group_size,
        max_group_size=view.max_group_size,
        seed=view.seed,
        published_at=view.published_at,
        score=_score(view.score) if view.score else None,
        notes=[gettext(note.message, **dict(note.params)) for note in view.notes],
        topics=[
            TopicOut(t.id, t.title, t.size_status, [_group(g) for g in t.groups])
            for t in view.topics
        ],
        unassigned=[_attendee(member) for member in view.unplaced],
        changed_since_publication=[member.id for member in view.changed],
    )
