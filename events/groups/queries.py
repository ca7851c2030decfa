"""An assignment as the organizer reviews it: topics → groups → members, with reasons and score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.enums import AssignmentState
from events.groups.members import (
    Member,
    Parameters,
    group_label,
    members,
    parameters_of,
    rescore,
    scored,
)
from events.groups.record import Record, from_json
from events.lib.errors import NotFoundError
from events.lib.formatting import circled_number
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
    """A discussion segment: a topic (tracks) or a round everyone joins (rounds)."""

    id: int
    title: str
    points: tuple[str, ...]
    size_status: str
    groups: tuple[GroupView, ...]
    round_number: int | None = None  # rounds: 1 for the first discussion, and so on
    plenary: bool = False  # a round held all together, by the organizer's choice
    unplaced: tuple[Member, ...] = ()  # rounds: confirmed people without a group in it

    @property
    def round_mark(self) -> str:
        """①, ②, ... (rounds only): how attendees' pages and mails name the round."""
        return circled_number(self.round_number) if self.round_number else ""

    @property
    def next_group_number(self) -> int:
        return max((group.number for group in self.groups), default=0) + 1


@dataclass(frozen=True)
class AssignmentView:
    session: ExchangeSessionView
    state: str
    params: Parameters
    published_at: dt.datetime | None
    topics: tuple[TopicView, ...]
    unplaced: tuple[Member, ...]
    score: Score | None
    notes: tuple[Note, ...]

    @property
    def state_label(self) -> str:
        return AssignmentState(self.state).label

    @property
    def min_group_size(self) -> int:
        return self.params.min_group_size

    @property
    def max_group_size(self) -> int:
        return self.params.max_group_size

    @property
    def seed(self) -> int:
        return self.params.seed

    @property
    def is_rounds(self) -> bool:
        return self.params.is_rounds

    @property
    def is_published(self) -> bool:
        return self.state == AssignmentState.PUBLISHED

    @property
    def changed(self) -> tuple[Member, ...]:
        """People whose group changed since publication and who have not been told yet."""
        if not self.is_published:
            return ()
        people = {m.id: m for t in self.topics for g in t.groups for m in g.members}
        return tuple(m for m in people.values() if m.placements != m.published_placements)

    @property
    def to_tell(self) -> int:
        """How many people publishing now would mail: everyone placed the first time, then
        those whose group changed since."""
        if self.is_published:
            return len(self.changed)
        return len({m.id for t in self.topics for g in t.groups for m in g.members})

    def targets(self, topic_id: int | None = None) -> list[tuple[str, str]]:
        """(value, label) of every place a person can be moved to: each group, or a new one.

        In rounds a move stays within its round: `topic_id` names it.
        """
        found = []
        for topic in self.topics:
            if self.is_rounds and (topic.id != topic_id or topic.plenary):
                continue
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
    params = parameters_of(row)
    record = await _current_record(session, params, row["reasons"], people)
    placed: dict[tuple[int, int], list[Member]] = {}
    for member in people:
        for seat in member.placements:
            placed.setdefault(seat, []).append(member)
    topics = tuple(
        _topic(segment.id, segment, placed, record, params, people, number)
        for number, segment in enumerate(session.discussions, start=1)
        if segment.id is not None
    )
    everywhere = {segment.id for segment in session.discussions} if params.is_rounds else set()
    return AssignmentView(
        session=session,
        state=row["state"],
        params=params,
        published_at=row["published_at"],
        topics=topics,
        unplaced=tuple(
            member
            for member in people
            if not member.placements or not everywhere <= {s[0] for s in member.placements}
        ),
        score=record.score if record else None,
        notes=record.notes if record else (),
    )


async def _current_record(
    session: ExchangeSessionView, params: Parameters, stored: str, people: Sequence[Member]
) -> Record | None:
    record = from_json(stored)
    counted = scored(session, people, params)
    layout = frozenset((m.id, *seat) for m in counted for seat in m.placements)
    if record is not None and record.placements == layout:
        return record
    if not layout:
        return None
    # Someone cancelled, or a topic left the agenda, since it was stored: score what is left.
    return from_json(await rescore(session, people, params))


def _topic(
    topic_id: int,
    segment: Segment,
    placed: dict[tuple[int, int], list[Member]],
    record: Record | None,
    params: Parameters,
    people: Sequence[Member],
    number: int,
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
    if not params.is_rounds:
        return TopicView(topic_id, segment.title, segment.items, status, groups)
    return TopicView(
        topic_id,
        segment.title,
        segment.items,
        status,
        groups,
        round_number=number,
        plenary=topic_id in params.plenary,
        unplaced=tuple(m for m in people if m.group_in(topic_id) is None),
    )
