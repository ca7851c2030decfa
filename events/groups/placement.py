"""An attendee's own discussion groups as last published: for their page, mails and calendar."""

from __future__ import annotations

from dataclasses import dataclass

from events.enums import AssignmentState, GroupMode, SegmentKind
from events.enums import RegistrationStatus as R
from events.groups.members import group_label, round_label
from events.groups.queries import GroupView, TopicView
from events.lib.i18n import gettext
from events.tables import AgendaItem, AgendaSegment, GroupSeat


@dataclass(frozen=True)
class GroupPlacement:
    """One group: its topic or round, the points (論点), its number and the municipalities in it."""

    session_id: int
    topic_id: int
    topic_title: str
    points: tuple[str, ...]
    group_number: int
    municipalities: tuple[str, ...]
    round_number: int | None = None  # rounds: 1 for the first discussion, and so on

    @property
    def label(self) -> str:
        if self.round_number is not None:
            return round_label(self.round_number, self.group_number)
        return group_label(self.topic_title, self.group_number)


@dataclass(frozen=True)
class Placement:
    """Where an attendee discusses: one group (tracks) or one group in each round (rounds)."""

    groups: tuple[GroupPlacement, ...]

    @property
    def label(self) -> str:
        """人事部門との連携 – グループA, or in rounds ① グループA ／ ② グループC."""
        return gettext(" ／ ").join(group.label for group in self.groups)

    def __str__(self) -> str:
        # Mail templates print `group` as it is; the label follows the mail's language.
        return self.label


def placement_of(session_id: int, topic: TopicView, group: GroupView) -> GroupPlacement:
    """The placement of everyone in `group`, as publishing makes it (same order as group_of)."""
    people = sorted(group.members, key=lambda member: member.municipality_code)
    return GroupPlacement(
        session_id=session_id,
        topic_id=topic.id,
        topic_title=topic.title,
        points=topic.points,
        group_number=group.number,
        municipalities=tuple(dict.fromkeys(member.municipality_name for member in people)),
        round_number=topic.round_number,
    )


# Written out: an attendee's page asks on every visit, and building the joins took longer than
# the database takes to answer.
_SEATS_OF_ATTENDEE = """
SELECT seat.assignment, seat.segment, seat.published_group_number,
       assignment.state, assignment.mode, assignment.exchange_session AS session_id,
       segment.title AS topic_title
FROM group_seat AS seat
JOIN group_assignment AS assignment ON assignment.id = seat.assignment
JOIN agenda_segment AS segment ON segment.id = seat.segment
JOIN attendee ON attendee.id = seat.attendee
WHERE seat.attendee = {} AND attendee.status = {} AND seat.published_group_number IS NOT NULL
ORDER BY segment.position
"""


async def group_of(attendee_id: int) -> Placement | None:
    """The groups a confirmed attendee was told about; None before publication or without one."""
    rows = await GroupSeat.raw(_SEATS_OF_ATTENDEE, attendee_id, R.CONFIRMED.value)
    if not rows or rows[0]["state"] != AssignmentState.PUBLISHED:
        return None
    rounds = (
        await _round_numbers(rows[0]["session_id"]) if rows[0]["mode"] == GroupMode.ROUNDS else {}
    )
    groups = [
        GroupPlacement(
            session_id=row["session_id"],
            topic_id=row["segment"],
            topic_title=row["topic_title"],
            points=await _points(row["segment"]),
            group_number=row["published_group_number"],
            municipalities=await _municipalities(
                row["assignment"], row["segment"], row["published_group_number"]
            ),
            round_number=rounds.get(row["segment"]),
        )
        for row in rows
    ]
    return Placement(tuple(groups))


async def _round_numbers(session_id: int) -> dict[int, int]:
    """Each discussion segment's round number, in agenda order."""
    rows = await (
        AgendaSegment.select(AgendaSegment.id)
        .where(
            AgendaSegment.exchange_session == session_id,
            AgendaSegment.kind == SegmentKind.DISCUSSION,
        )
        .order_by(AgendaSegment.position)
    )
    return {row["id"]: number for number, row in enumerate(rows, start=1)}


async def _points(segment_id: int) -> tuple[str, ...]:
    rows = await (
        AgendaItem.select(AgendaItem.text)
        .where(AgendaItem.segment == segment_id)
        .order_by(AgendaItem.position)
    )
    return tuple(row["text"] for row in rows)


async def _municipalities(assignment_id: int, topic_id: int, number: int) -> tuple[str, ...]:
    municipality = GroupSeat.attendee._.registration._.municipality
    rows = await (
        GroupSeat.select(
            municipality.code.as_alias("code"),
            municipality.display_name.as_alias("name"),
        )
        .where(
            GroupSeat.assignment == assignment_id,
            GroupSeat.segment == topic_id,
            GroupSeat.published_group_number == number,
            GroupSeat.attendee._.status == R.CONFIRMED,
        )
        .order_by(municipality.code)
    )
    return tuple(dict.fromkeys(row["name"] for row in rows))
