"""JSON shapes of the group assignment API, written by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from msgspec import Struct

from events.groups.members import Member
from events.groups.queries import AssignmentView, GroupView
from events.lib.i18n import gettext
from networking.assignment import GroupReason, PreferenceTally, Score


class AssignBody(Struct, forbid_unknown_fields=True):
    """mode: "rounds" (everyone in every discussion, groups rotating) or "tracks" (one topic
    each, by wishes); left out, rounds when the agenda has two discussions in a row.
    plenary_rounds: discussion segment ids held all together (rounds only)."""

    min_group_size: int
    max_group_size: int
    seed: int | None = None
    mode: Literal["rounds", "tracks"] | None = None
    plenary_rounds: list[int] = []


class MoveBody(Struct, forbid_unknown_fields=True):
    """topic_id: the discussion segment, i.e. the round in rounds mode (the move changes that
    round only) or the topic in tracks mode (the attendee leaves any other topic)."""

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
    again_in_session: int  # rounds: pairs already together in an earlier round


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
    """A discussion segment: in rounds mode a round (round 1, 2, ...; plenary when held all
    together; unassigned: confirmed attendees without a group in it), in tracks a topic."""

    id: int
    title: str
    size_status: str
    groups: list[GroupOut]
    round: int | None
    plenary: bool
    unassigned: list[int]


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
    again_in_session: int
    again_in_session_lower_bound: int
    random_baseline_again_in_session: int | None


class AssignmentOut(Struct):
    session_id: int
    state: str
    mode: str
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
        again_in_session=reason.again_in_session,
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
        mode=view.params.mode,
        min_group_size=view.min_group_size,
        max_group_size=view.max_group_size,
        seed=view.seed,
        published_at=view.published_at,
        score=_score(view.score) if view.score else None,
        notes=[gettext(note.message, **dict(note.params)) for note in view.notes],
        topics=[
            TopicOut(
                t.id,
                t.title,
                t.size_status,
                [_group(g) for g in t.groups],
                t.round_number,
                t.plenary,
                [member.id for member in t.unplaced],
            )
            for t in view.topics
        ],
        unassigned=[_attendee(member) for member in view.unplaced],
        changed_since_publication=[member.id for member in view.changed],
    )
