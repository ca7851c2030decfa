"""An assignment as the organizer reviews it: topics → groups → members, with reasons and score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.enums import AssignmentState
from events.groups.members import Member, group_label, members, rescore
from events.groups.record import Record, from_json
from events.lib.errors import NotFoundError
from events.lib.i18n import N_, gettext
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import ExchangeSessionView, session_for_editing
from events.tables import GroupAssignment
from networking.assignment import GroupReason, Note, Score


@dataclass(frozen=True)
class GroupView:
    topic_id: int
    topic_title: str
    number: int
    members: tuple[Member, ...]
    reason: GroupReason | None

    @property
    def label(self) -> str:
        return group_label(self.topic_title, self.number)


@dataclass(frozen=True)
class TopicView:
    id: int
    title: str
    points: tuple[str, ...]
    size_status: str
    groups: tuple[GroupView, ...]

    @property
    def next_group_number(self) -> int:
        return max((group.number for group in self.groups), default=0) + 1


@dataclass(frozen=True)
class AssignmentView:
    session: ExchangeSessionView
    state: str
    min_group_size: int
    max_group_size: int
    seed: int
    published_at: dt.datetime | None
    topics: tuple[TopicView, ...]
    unplaced: tuple[Member, ...]
    score: Score | None
    notes: tuple[Note, ...]

    @property
    def state_label(self) -> str:
        return AssignmentState(self.state).label

    @property
    def is_published(self) -> bool:
        return self.state == AssignmentState.PUBLISHED

    @property
    def changed(self) -> tuple[Member, ...]:
        """People whose group changed since publication and who have not been told yet."""
        if not self.is_published:
            return ()
        return tuple(
            member
            for topic in self.topics
            for group in topic.groups
            for member in group.members
            if member.placement != member.published_placement
        )

    def targets(self) -> list[tuple[str, str]]:
        """(value, label) of every place a person can be moved to: each group, or a new one."""
        found = []
        for topic in self.topics:
            for group in topic.groups:
                found.append((f"{topic.id}:{group.number}", group.label))
            number = topic.next_group_number
            new = gettext("%(label)s（新しいグループ）", label=group_label(topic.title, number))
            found.append((f"{topic.id}:{number}", new))
        return found

    def topic(self, topic_id: int) -> TopicView:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise NotFoundError(N_("この討議テーマはありません。"), field="topic_id")


async def assignment_row(session_id: int) -> dict[str, Any] | None:
    return (
        await GroupAssignment.select().where(GroupAssignment.exchange_session == session_id).first()
    )


async def find_assignment(
    organizer: OrganizerIdentity, session_id: int
) -> tuple[ExchangeSessionView, AssignmentView | None]:
    """The session and its assignment, or None before the first one is made."""
    session = await session_for_editing(organizer, session_id)
    row = await assignment_row(session_id)
    return session, await build_view(session, row) if row is not None else None


async def required_row(session_id: int) -> dict[str, Any]:
    row = await assignment_row(session_id)
    if row is None:
        raise NotFoundError(
            N_("この情報交換会にはまだグループの割り当てがありません。"), field="assignment"
        )
    return row


async def get_assignment(organizer: OrganizerIdentity, session_id: int) -> AssignmentView:
    session = await session_for_editing(organizer, session_id)
    return await build_view(session, await required_row(session_id))


async def build_view(session: ExchangeSessionView, row: dict[str, Any]) -> AssignmentView:
    people = await members(session.id)
    record = await _current_record(session, row, people)
    placed: dict[tuple[int, int], list[Member]] = {}
    for member in people:
        if member.placement is not None:
            placed.setdefault(member.placement, []).append(member)
    topics = tuple(
        _topic(segment.id, segment, placed, record)
        for segment in session.discussions
        if segment.id is not None
    )
    return AssignmentView(
        session=session,
        state=row["state"],
        min_group_size=row["min_group_size"],
        max_group_size=row["max_group_size"],
        seed=row["seed"],
        published_at=row["published_at"],
        topics=topics,
        unplaced=tuple(member for member in people if member.placement is None),
        score=record.score if record else None,
        notes=record.notes if record else (),
    )


async def _current_record(
    session: ExchangeSessionView, row: dict[str, Any], people: Sequence[Member]
) -> Record | None:
    record = from_json(row["reasons"])
    layout = frozenset((m.id, *m.placement) for m in people if m.placement is not None)
    if record is not None and record.placements == layout:
        return record
    if not layout:
        return None
    # Someone cancelled, or a topic left the agenda, since it was stored: score what is left.
    low, high, seed = row["min_group_size"], row["max_group_size"], row["seed"]
    return from_json(await rescore(session, people, low, high, seed))


def _topic(
    topic_id: int,
    segment: Segment,
    placed: dict[tuple[int, int], list[Member]],
    record: Record | None,
) -> TopicView:
    numbers = sorted(number for topic, number in placed if topic == topic_id)
    groups = tuple(
        GroupView(
            topic_id=topic_id,
            topic_title=segment.title,
            number=number,
            members=tuple(placed[topic_id, number]),
            reason=record.reasons.get((topic_id, number)) if record else None,
        )
        for number in numbers
    )
    status = record.size_status.get(topic_id, "empty") if record else "empty"
    return TopicView(topic_id, segment.title, segment.items, status, groups)
