"""The confirmed attendees of a session as group assignment sees them: inputs, layout, names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.enums import PlanStatus, Position
from events.enums import RegistrationStatus as R
from events.groups.record import to_json
from events.lib.i18n import gettext
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import Attendee, GroupMembership, TopicPreference
from networking import assignment, encounters
from networking.municipalities import display_name

# The algorithm's vocabulary for the registration's words; spelled out so neither side can drift.
TIER_OF = {Position.MANAGER: "manager", Position.MID: "mid", Position.STAFF: "staff"}
STAGE_OF = {
    PlanStatus.ADOPTED: "adopted",
    PlanStatus.DRAFTING: "drafting",
    PlanStatus.NOT_STARTED: "not_started",
}


def group_letter(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA (as spreadsheet columns): any number of groups gets a name."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def group_label(topic_title: str, number: int) -> str:
    """How attendees, Zoom rooms and sheets name a group: 人事部門との連携 – グループA."""
    return gettext("%(topic)s – グループ%(group)s", topic=topic_title, group=group_letter(number))


@dataclass(frozen=True)
class Member:
    """A confirmed attendee with their group: current (organizer) and last published (attendee)."""

    id: int
    name: str
    department: str
    email: str
    municipality_code: str
    municipality_name: str
    position: str
    plan_status: str
    share_contact: bool
    topic_id: int | None = None
    group_number: int | None = None
    published_topic_id: int | None = None
    published_group_number: int | None = None

    @property
    def placement(self) -> tuple[int, int] | None:
        if self.topic_id is None or self.group_number is None:
            return None
        return self.topic_id, self.group_number

    @property
    def published_placement(self) -> tuple[int, int] | None:
        if self.published_topic_id is None or self.published_group_number is None:
            return None
        return self.published_topic_id, self.published_group_number

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
            Attendee.department,
            Attendee.email,
            Attendee.position,
            Attendee.share_contact,
            registration.plan_status.as_alias("plan_status"),
            registration.municipality.as_alias("code"),
            registration._.municipality._.name.as_alias("municipality"),
            registration._.municipality._.prefecture.as_alias("prefecture"),
            registration._.municipality._.kind.as_alias("kind"),
        )
        .where(Attendee.exchange_session == session_id, Attendee.status == R.CONFIRMED)
        .order_by(Attendee.id)
    )
    groups = {
        row["attendee"]: row
        for row in await GroupMembership.select().where(
            GroupMembership.attendee._.exchange_session == session_id
        )
    }
    return [_member(row, groups.get(row["id"])) for row in rows]


def _member(row: dict[str, Any], group: dict[str, Any] | None) -> Member:
    group = group or {}
    return Member(
        id=row["id"],
        name=row["name"],
        department=row["department"],
        email=row["email"],
        municipality_code=row["code"],
        municipality_name=display_name(row["municipality"], row["prefecture"], row["kind"]),
        position=row["position"],
        plan_status=row["plan_status"],
        share_contact=row["share_contact"],
        topic_id=group.get("segment"),
        group_number=group.get("group_number"),
        published_topic_id=group.get("published_segment"),
        published_group_number=group.get("published_group_number"),
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


async def request_for(
    session: ExchangeSessionView, people: Sequence[Member], low: int, high: int, seed: int
) -> assignment.AssignmentRequest:
    """The request for these people, with every earlier encounter among their municipalities."""
    topic_ids = [segment.id for segment in session.discussions if segment.id is not None]
    return assignment.AssignmentRequest(
        attendees=await algorithm_attendees(people, topic_ids),
        topics=tuple(str(topic) for topic in topic_ids),
        min_group_size=low,
        max_group_size=high,
        history=await encounters.history(
            {member.municipality_code for member in people}, before=session.starts_at
        ),
        seed=seed,
    )


def layout_of(people: Sequence[Member]) -> tuple[dict[str, list[list[int]]], dict[str, list[int]]]:
    """The placed people as topic -> groups -> ids (groups by number), and each topic's numbers."""
    by_group: dict[str, dict[int, list[int]]] = {}
    for member in people:
        if member.placement is not None:
            topic, number = member.placement
            by_group.setdefault(str(topic), {}).setdefault(number, []).append(member.id)
    layout = {topic: [groups[n] for n in sorted(groups)] for topic, groups in by_group.items()}
    return layout, {topic: sorted(groups) for topic, groups in by_group.items()}


async def rescore(
    session: ExchangeSessionView, people: Sequence[Member], low: int, high: int, seed: int
) -> str:
    """The record (JSON) of the placed people's layout as it stands, e.g. after a hand move."""
    placed = [member for member in people if member.placement is not None]
    layout, numbers = layout_of(placed)
    result = assignment.evaluate(await request_for(session, placed, low, high, seed), layout)
    titles = {str(segment.id): segment.title for segment in session.discussions}
    return to_json(result, {topic: numbers.get(topic, []) for topic in titles}, titles)


# Labels (msgids) of the algorithm's words, for showing a group's reasons.
STAGE_LABELS = {STAGE_OF[stage]: stage.label for stage in PlanStatus}
TIER_LABELS = {TIER_OF[tier]: tier.label for tier in Position}
