"""An attendee's own discussion group as last published: for their page, mails and calendar."""

from __future__ import annotations

from dataclasses import dataclass

from events.enums import AssignmentState
from events.enums import RegistrationStatus as R
from events.groups.members import group_label
from events.groups.queries import GroupView, TopicView
from events.tables import AgendaItem, GroupMembership
from networking.municipalities import display_name


@dataclass(frozen=True)
class GroupPlacement:
    """Where an attendee discusses: topic, its points (論点), group and the municipalities in it."""

    session_id: int
    topic_id: int
    topic_title: str
    points: tuple[str, ...]
    group_number: int
    municipalities: tuple[str, ...]

    @property
    def label(self) -> str:
        return group_label(self.topic_title, self.group_number)

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
    )


async def group_of(attendee_id: int) -> GroupPlacement | None:
    """The group a confirmed attendee was told about; None before publication or without one."""
    membership = GroupMembership
    row = await (
        membership.select(
            membership.assignment,
            membership.published_segment,
            membership.published_group_number,
            membership.assignment._.state.as_alias("state"),
            membership.assignment._.exchange_session.as_alias("session_id"),
            membership.published_segment._.title.as_alias("topic_title"),
        )
        .where(
            membership.attendee == attendee_id,
            membership.attendee._.status == R.CONFIRMED,
            membership.published_segment.is_not_null(),
        )
        .first()
    )
    if row is None or row["state"] != AssignmentState.PUBLISHED:
        return None
    points = await (
        AgendaItem.select(AgendaItem.text)
        .where(AgendaItem.segment == row["published_segment"])
        .order_by(AgendaItem.position)
    )
    return GroupPlacement(
        session_id=row["session_id"],
        topic_id=row["published_segment"],
        topic_title=row["topic_title"],
        points=tuple(point["text"] for point in points),
        group_number=row["published_group_number"],
        municipalities=await _municipalities(
            row["assignment"], row["published_segment"], row["published_group_number"]
        ),
    )


async def _municipalities(assignment_id: int, topic_id: int, number: int) -> tuple[str, ...]:
    municipality = GroupMembership.attendee._.registration._.municipality
    rows = await (
        GroupMembership.select(
            municipality.code.as_alias("code"),
            municipality.name.as_alias("name"),
            municipality.prefecture.as_alias("prefecture"),
            municipality.kind.as_alias("kind"),
        )
        .where(
            GroupMembership.assignment == assignment_id,
            GroupMembership.published_segment == topic_id,
            GroupMembership.published_group_number == number,
            GroupMembership.attendee._.status == R.CONFIRMED,
        )
        .order_by(municipality.code)
    )
    names = (display_name(row["name"], row["prefecture"], row["kind"]) for row in rows)
    return tuple(dict.fromkeys(names))
