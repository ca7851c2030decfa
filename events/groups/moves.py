"""The organizer moves one attendee into a group of one discussion (a round, or a topic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import RegistrationStatus as R
from events.groups.members import Member, members, parameters_of, rescore
from events.groups.queries import AssignmentView, build_view, required_row
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, Problems
from events.lib.i18n import N_
from events.sessions.exchange_sessions import ExchangeSessionView, locked_session
from events.sessions.lifecycle import require_editable
from events.sessions.series import actor, require_owner
from events.tables import Attendee, GroupAssignment, GroupSeat


async def move_attendee(
    organizer: OrganizerIdentity,
    session_id: int,
    attendee_id: int,
    topic_id: int,
    group_number: int,
    *,
    now: dt.datetime | None = None,
) -> AssignmentView:
    """Put one attendee into a group (an existing one, or the next new one) and score again.

    In rounds the move concerns that round only; in tracks it also takes them out of the topic
    they were in. A group holding a colleague (same municipality) is refused while another
    group of the discussion has none.
    """
    now = now or utcnow()
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        require_editable(session.status)
        row = await required_row(session_id)
        params = parameters_of(row)
        people = await members(session_id)
        await _check_move(session, row["id"], attendee_id, topic_id, group_number)
        if topic_id in params.plenary:
            raise ConflictError(
                N_("この意見交換は全員で行うため、グループの移動はありません。"), field="topic_id"
            )
        _check_colleagues(people, attendee_id, topic_id, group_number)
        if not params.is_rounds:  # one topic each: leave the other topics
            await GroupSeat.update({GroupSeat.group_number: None}).where(
                GroupSeat.attendee == attendee_id, GroupSeat.segment != topic_id
            )
            await GroupSeat.delete().where(
                GroupSeat.attendee == attendee_id,
                GroupSeat.group_number.is_null(),
                GroupSeat.published_group_number.is_null(),
            )
        await _seat(row["id"], attendee_id, topic_id, group_number)
        record = await rescore(session, await members(session_id), params)
        await GroupAssignment.update(
            {GroupAssignment.reasons: record, GroupAssignment.updated_at: now}
        ).where(GroupAssignment.id == row["id"])
        await trail.record(
            actor(organizer),
            "group_member_moved",
            session_id=session_id,
            details={"attendee": attendee_id, "topic": topic_id, "group": group_number},
        )
        return await build_view(session, await required_row(session_id))


async def _seat(assignment_id: int, attendee_id: int, topic_id: int, group_number: int) -> None:
    where = (GroupSeat.attendee == attendee_id) & (GroupSeat.segment == topic_id)
    if await GroupSeat.exists().where(where):
        await GroupSeat.update({GroupSeat.group_number: group_number}).where(where)
    else:  # someone confirmed after the assignment was made, or new to this topic
        await GroupSeat(
            assignment=assignment_id,
            attendee=attendee_id,
            segment=topic_id,
            group_number=group_number,
        ).save()


async def _check_move(
    session: ExchangeSessionView, assignment_id: int, attendee_id: int, topic_id: int, number: int
) -> None:
    problems = Problems()
    attendee: dict[str, Any] | None = (
        await Attendee.select(Attendee.exchange_session, Attendee.status)
        .where(Attendee.id == attendee_id)
        .first()
    )
    if attendee is None or attendee["exchange_session"] != session.id:
        message = N_("参加者 %(id)s はこの情報交換会の参加者ではありません。")
        problems.add("attendee_id", message, id=attendee_id)
    elif attendee["status"] != R.CONFIRMED:
        problems.add("attendee_id", N_("参加が確定していない参加者はグループに入れられません。"))
    if topic_id not in {segment.id for segment in session.discussions}:
        message = N_("討議テーマ %(id)s はこの情報交換会の意見交換にありません。")
        problems.add("topic_id", message, id=topic_id)
    else:
        taken = await GroupSeat.select(GroupSeat.group_number).where(
            GroupSeat.assignment == assignment_id,
            GroupSeat.segment == topic_id,
            GroupSeat.group_number.is_not_null(),
        )
        highest = max((row["group_number"] for row in taken), default=0) + 1
        if not 1 <= number <= highest:
            message = N_("グループ番号は 1〜%(max)d にしてください。")
            problems.add("group", message, max=highest)
    problems.raise_if_any()


def _check_colleagues(people: list[Member], attendee_id: int, topic_id: int, number: int) -> None:
    """Refuse a group with a colleague in it while some group of the discussion has none."""
    person = next((m for m in people if m.id == attendee_id), None)
    if person is None:
        return
    others = [m for m in people if m.id != attendee_id]
    with_colleague = {
        m.group_in(topic_id) for m in others if m.municipality_code == person.municipality_code
    }
    if number not in with_colleague:
        return
    groups = {m.group_in(topic_id) for m in others} - {None}
    if groups - with_colleague:
        colleague = next(
            m
            for m in others
            if m.municipality_code == person.municipality_code and m.group_in(topic_id) == number
        )
        raise ConflictError(
            N_(
                "このグループには同じ自治体（%(municipality)s）の %(name)s さんがいます。"
                "同じ自治体の方がいない別のグループを選んでください。"
            ),
            field="group",
            params={"municipality": person.municipality_name, "name": colleague.name},
        )
