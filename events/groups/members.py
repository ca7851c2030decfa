"""The confirmed attendees of a session as group assignment sees them: inputs, layout, names."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.enums import GroupMode, PlanStatus, Position
from events.enums import RegistrationStatus as R
from events.groups.record import to_json
from events.lib.formatting import circled_number, group_letter
from events.lib.i18n import gettext
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import Attendee, GroupSeat, TopicPreference
from networking import assignment, encounters, rotation

# The algorithm's vocabulary for the registration's words; spelled out so neither side can drift.
TIER_OF = {Position.MANAGER: "manager", Position.MID: "mid", Position.STAFF: "staff"}
STAGE_OF = {
    PlanStatus.ADOPTED: "adopted",
    PlanStatus.DRAFTING: "drafting",
    PlanStatus.NOT_STARTED: "not_started",
}


def round_label(round_number: int, number: int) -> str:
    """How attendees read their group in one round: ① グループA."""
    return gettext(
        "%(round)s グループ%(group)s",
        round=circled_number(round_number),
        group=group_letter(number),
    )


def group_label(topic_title: str, number: int) -> str:
    """How attendees, Zoom rooms and sheets name a group: 人事部門との連携 – グループA."""
    return gettext("%(topic)s – グループ%(group)s", topic=topic_title, group=group_letter(number))


Seat = tuple[int, int]  # (segment id, group number)


@dataclass(frozen=True)
class Member:
    """A confirmed attendee with their groups: current (organizer) and last published (attendee).

    One group per discussion segment they join: one in all (tracks) or one per round (rounds).
    """

    id: int
    name: str
    department: str
    email: str
    municipality_code: str
    municipality_name: str
    position: str
    plan_status: str
    share_contact: bool
    placements: tuple[Seat, ...] = ()  # in segment id order
    published_placements: tuple[Seat, ...] = ()
    # よみがな; "" when not given.
    reading: str = ""

    def group_in(self, segment_id: int) -> int | None:
        return next((number for segment, number in self.placements if segment == segment_id), None)

    @property
    def position_label(self) -> str:
        return Position(self.position).label

    @property
    def plan_status_label(self) -> str:
        return PlanStatus(self.plan_status).label


async def members(session_id: int) -> list[Member]:
    """The session's confirmed attendees in registration order, with their groups if any."""
    registration = Attendee.registration
    rows = await (
        Attendee.select(
            Attendee.id,
            Attendee.name,
            Attendee.reading,
            Attendee.department,
            Attendee.email,
            Attendee.position,
            Attendee.share_contact,
            registration.plan_status.as_alias("plan_status"),
            registration.municipality.as_alias("code"),
            registration._.municipality._.display_name.as_alias("municipality"),
        )
        .where(Attendee.exchange_session == session_id, Attendee.status == R.CONFIRMED)
        .order_by(Attendee.id)
    )
    seats: dict[int, list[dict[str, Any]]] = {}
    for seat in (
        await GroupSeat.select()
        .where(GroupSeat.attendee._.exchange_session == session_id)
        .order_by(GroupSeat.segment)
    ):
        seats.setdefault(seat["attendee"], []).append(seat)
    return [_member(row, seats.get(row["id"], [])) for row in rows]


def _member(row: dict[str, Any], seats: list[dict[str, Any]]) -> Member:
    return Member(
        id=row["id"],
        name=row["name"],
        reading=row["reading"],
        department=row["department"],
        email=row["email"],
        municipality_code=row["code"],
        municipality_name=row["municipality"],
        position=row["position"],
        plan_status=row["plan_status"],
        share_contact=row["share_contact"],
        placements=tuple(
            (seat["segment"], seat["group_number"])
            for seat in seats
            if seat["group_number"] is not None
        ),
        published_placements=tuple(
            (seat["segment"], seat["published_group_number"])
            for seat in seats
            if seat["published_group_number"] is not None
        ),
    )


async def algorithm_attendees(
    people: Sequence[Member], topic_ids: Sequence[int]
) -> list[assignment.Attendee]:
    """The algorithm's inputs: topics are segment ids as text, wishes in rank order."""
    wishes: dict[int, list[str]] = {member.id: [] for member in people}
    if people:
        rows = await (
            TopicPreference.select(TopicPreference.attendee, TopicPreference.segment)
            .where(
                TopicPreference.attendee.is_in(list(wishes)),
                TopicPreference.segment.is_in(list(topic_ids) or [0]),
            )
            .order_by(TopicPreference.rank)
        )
        for row in rows:
            wishes[row["attendee"]].append(str(row["segment"]))
    return [
        assignment.Attendee(
            id=member.id,
            municipality=member.municipality_code,
            tier=TIER_OF[Position(member.position)],
            stage=STAGE_OF[PlanStatus(member.plan_status)],
            preferences=tuple(dict.fromkeys(wishes[member.id])),
        )
        for member in people
    ]


@dataclass(frozen=True)
class Parameters:
    """How an assignment is made: mode, group sizes, seed, and the rounds held all together."""

    mode: str
    min_group_size: int
    max_group_size: int
    seed: int
    plenary: frozenset[int] = frozenset()

    @property
    def is_rounds(self) -> bool:
        return self.mode == GroupMode.ROUNDS


def parameters_of(row: dict[str, Any]) -> Parameters:
    """The parameters stored with an assignment (a group_assignment row)."""
    return Parameters(
        mode=row["mode"],
        min_group_size=row["min_group_size"],
        max_group_size=row["max_group_size"],
        seed=row["seed"],
        plenary=frozenset(json.loads(row["plenary_segments"])),
    )


async def request_for(
    session: ExchangeSessionView, people: Sequence[Member], params: Parameters
) -> assignment.AssignmentRequest:
    """The request for these people, with every earlier encounter among their municipalities.

    In rounds everyone joins every discussion: wishes play no part.
    """
    topic_ids = [segment.id for segment in session.discussions if segment.id is not None]
    if params.is_rounds:
        attendees = [
            dataclasses.replace(attendee, preferences=())
            for attendee in await algorithm_attendees(people, [])
        ]
    else:
        attendees = await algorithm_attendees(people, topic_ids)
    return assignment.AssignmentRequest(
        attendees=attendees,
        topics=tuple(str(topic) for topic in topic_ids),
        min_group_size=params.min_group_size,
        max_group_size=params.max_group_size,
        history=await encounters.history(
            {member.municipality_code for member in people}, before=session.starts_at
        ),
        seed=params.seed,
        plenary_topics=frozenset(str(topic) for topic in params.plenary if topic in topic_ids),
    )


def scored(
    session: ExchangeSessionView, people: Sequence[Member], params: Parameters
) -> list[Member]:
    """The people an assignment's score counts: placed (in rounds, in every round)."""
    if not params.is_rounds:
        return [member for member in people if member.placements]
    rounds = {segment.id for segment in session.discussions}
    return [member for member in people if rounds <= {seat[0] for seat in member.placements}]


def layout_of(people: Sequence[Member]) -> tuple[dict[str, list[list[int]]], dict[str, list[int]]]:
    """The placed people as topic -> groups -> ids (groups by number), and each topic's numbers."""
    by_group: dict[str, dict[int, list[int]]] = {}
    for member in people:
        for topic, number in member.placements:
            by_group.setdefault(str(topic), {}).setdefault(number, []).append(member.id)
    layout = {topic: [groups[n] for n in sorted(groups)] for topic, groups in by_group.items()}
    return layout, {topic: sorted(groups) for topic, groups in by_group.items()}


async def rescore(
    session: ExchangeSessionView, people: Sequence[Member], params: Parameters
) -> str:
    """The record (JSON) of the placed people's layout as it stands, e.g. after a hand move."""
    placed = scored(session, people, params)
    layout, numbers = layout_of(placed)
    request = await request_for(session, placed, params)
    if params.is_rounds:
        result = rotation.evaluate_rounds(request, layout)
    else:
        result = assignment.evaluate(request, layout)
    titles = {str(segment.id): segment.title for segment in session.discussions}
    return to_json(result, {topic: numbers.get(topic, []) for topic in titles}, titles)


# Labels (msgids) of the algorithm's words, for showing a group's reasons.
STAGE_LABELS = {STAGE_OF[stage]: stage.label for stage in PlanStatus}
TIER_LABELS = {TIER_OF[tier]: tier.label for tier in Position}
