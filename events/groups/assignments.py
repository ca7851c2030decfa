"""Assigning a session's attendees to discussion groups: run, lock, publish, record encounters.

Two modes (events.enums.GroupMode): in rounds everyone joins every discussion and the groups
rotate (networking.rotation); in tracks each attendee joins one topic by their wishes
(networking.assignment). The organizer runs the algorithm as often as they like while the
result is a draft, moves people by hand (events.groups.moves), locks it (no more re-runs) and
publishes it; publishing says whose groups are new or changed, and
events.organizing.session_actions tells them by mail. Moves after publication reach attendees
when the organizer publishes again, and then only those whose groups changed. When the session
is marked held, the published groups of every round become encounters, the history that later
assignments avoid repeating.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import AssignmentState, GroupMode
from events.groups.members import (
    Member,
    Parameters,
    Seat,
    group_label,
    members,
    request_for,
    round_label,
)
from events.groups.placement import GroupPlacement, Placement, placement_of
from events.groups.queries import AssignmentView, assignment_row, build_view, required_row
from events.groups.record import to_json
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, Problems, ValidationError
from events.lib.i18n import DEFAULT_LOCALE, N_, gettext, use_locale
from events.sessions.exchange_sessions import ExchangeSessionView, locked_session
from events.sessions.lifecycle import require_editable
from events.sessions.series import actor, require_owner
from events.tables import Attendee, GroupAssignment, GroupSeat
from networking import encounters
from networking.assignment import Assignment, AssignmentRequest, assign, validate
from networking.rotation import assign_rounds

MAX_SEED = 2**31 - 1  # the seed is stored in a 32-bit column
INSERT_BATCH = 500


def default_mode(session: ExchangeSessionView) -> GroupMode:
    """Rounds when the agenda holds two discussions one after another, as the seed's session."""
    discussions = (segment.is_discussion for segment in session.agenda)
    if any(first and second for first, second in pairwise(discussions)):
        return GroupMode.ROUNDS
    return GroupMode.TRACKS


async def assign_groups(
    organizer: OrganizerIdentity,
    session_id: int,
    min_group_size: int,
    max_group_size: int,
    seed: int | None = None,
    *,
    mode: str | None = None,
    plenary: Collection[int] = (),
    now: dt.datetime | None = None,
) -> AssignmentView:
    """Assign every confirmed attendee and store the result as a draft (replacing a draft).

    Without a seed one is drawn and stored, so that the organizer can reproduce the result;
    without a mode the session's default (default_mode). `plenary`: rounds held all together.
    """
    now = now or utcnow()
    seed = secrets.randbelow(MAX_SEED + 1) if seed is None else seed
    async with write_transaction():
        session = await _open(organizer, session_id)
        row = await assignment_row(session_id)
        if row is not None and row["state"] != AssignmentState.DRAFT:
            raise ConflictError(
                N_("確定・公開した割り当ては作り直せません。個別に移動してください。"),
                field="state",
            )
        _check_mode(session, mode, plenary)
        params = Parameters(
            mode or default_mode(session), min_group_size, max_group_size, seed, frozenset(plenary)
        )
        people = await members(session_id)
        request = await request_for(session, people, params)
        _check_inputs(session, request, seed)
        result = assign_rounds(request) if params.is_rounds else assign(request)
        values = {
            "min_group_size": min_group_size,
            "max_group_size": max_group_size,
            "seed": seed,
            "mode": params.mode,
            "plenary_segments": json.dumps(sorted(params.plenary)),
            "reasons": _record(session, result),
            "updated_at": now,
        }
        assignment_id = await _store(session_id, row, values, now)
        await _store_seats(assignment_id, result)
        await trail.record(
            actor(organizer),
            "groups_assigned",
            session_id=session_id,
            details={
                "mode": params.mode,
                "min": min_group_size,
                "max": max_group_size,
                "seed": seed,
            },
        )
        return await _view(session)


def _check_mode(session: ExchangeSessionView, mode: str | None, plenary: Collection[int]) -> None:
    problems = Problems()
    if mode is not None and mode not in set(GroupMode):
        message = N_(
            "進め方は rounds（全員がすべての意見交換に参加）か "
            "tracks（テーマを選んで参加）にしてください。"
        )
        problems.add("mode", message)
    rounds = {segment.id for segment in session.discussions}
    if plenary and (mode or default_mode(session)) != GroupMode.ROUNDS:
        problems.add(
            "plenary",
            N_("全員で行う意見交換は、全員がすべての意見交換に参加する進め方でだけ選べます。"),
        )
    for segment_id in sorted(set(plenary) - rounds):
        message = N_("全員で行う意見交換 %(id)s はこの情報交換会の意見交換にありません。")
        problems.add("plenary", message, id=segment_id)
    problems.raise_if_any()


def _check_inputs(session: ExchangeSessionView, request: AssignmentRequest, seed: int) -> None:
    """Every problem at once: the session's, then the algorithm's own checks of the bounds."""
    problems = Problems()
    low, high, count = request.min_group_size, request.max_group_size, len(request.attendees)
    if not session.discussions:
        message = N_("次第に意見交換（討議テーマ）がありません。先に次第に追加してください。")
        problems.add("topics", message)
    if not count:
        problems.add("attendees", N_("参加が確定した参加者がいません。"))
    elif high >= low > count:  # low > high has a message of its own
        message = N_(
            "グループの最小人数（%(min)d 人）が参加確定者数（%(count)d 人）を超えています。"
        )
        problems.add("min_group_size", message, min=low, count=count)
    if not 0 <= seed <= MAX_SEED:
        problems.add("seed", N_("再現用の番号は 0〜%(max)d の整数にしてください。"), max=MAX_SEED)
    if session.discussions and count:
        try:
            validate(request)
        except ValidationError as refused:
            problems.items.extend(refused.problems)
    problems.raise_if_any()


def _record(session: ExchangeSessionView, result: Assignment) -> str:
    titles = {str(segment.id): segment.title for segment in session.discussions}
    numbers = {t.topic: list(range(1, len(t.groups) + 1)) for t in result.topics}
    return to_json(result, numbers, titles)


async def _store(
    session_id: int, row: dict[str, Any] | None, values: dict[str, Any], now: dt.datetime
) -> int:
    if row is not None:
        await GroupAssignment.update(**values).where(GroupAssignment.id == row["id"])
        return int(row["id"])
    created = GroupAssignment(exchange_session=session_id, created_at=now, **values)
    await created.save()
    return int(created.id)


async def _store_seats(assignment_id: int, result: Assignment) -> None:
    await GroupSeat.delete().where(GroupSeat.assignment == assignment_id)
    rows = [
        GroupSeat(
            assignment=assignment_id,
            attendee=attendee_id,
            segment=int(topic.topic),
            group_number=number,
        )
        for topic in result.topics
        for number, group in enumerate(topic.groups, start=1)
        for attendee_id in group.attendee_ids
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        await GroupSeat.insert(*rows[start : start + INSERT_BATCH])


async def lock(organizer: OrganizerIdentity, session_id: int) -> AssignmentView:
    """The organizer is done reviewing: the algorithm can no longer replace the result."""
    async with write_transaction():
        session = await _open(organizer, session_id)
        row = await required_row(session_id)
        if row["state"] != AssignmentState.DRAFT:
            raise ConflictError(N_("確定できるのは下書きの割り当てだけです。"), field="state")
        await GroupAssignment.update({GroupAssignment.state: AssignmentState.LOCKED}).where(
            GroupAssignment.id == row["id"]
        )
        await trail.record(actor(organizer), "groups_locked", session_id=session_id)
        return await _view(session)


@dataclass(frozen=True)
class PlacementChange:
    """An attendee whose published groups are new (`previous` None) or different."""

    attendee: dict[str, Any]
    placement: Placement
    previous: str | None


@dataclass(frozen=True)
class PublishedAssignment:
    view: AssignmentView
    changes: tuple[PlacementChange, ...]


async def publish_assignment(
    organizer: OrganizerIdentity, session_id: int, *, now: dt.datetime | None = None
) -> PublishedAssignment:
    """Publish the groups (publishing locks them) and say whose group is new or changed since
    the last publication: those attendees are the ones to tell."""
    now = now or utcnow()
    async with write_transaction():
        session = await _open(organizer, session_id)
        row = await required_row(session_id)
        view = await build_view(session, row)
        if not any(topic.groups for topic in view.topics):
            raise ConflictError(N_("グループに入っている参加者がいません。"), field="state")
        changes = await _changes_since_publication(view)
        await GroupAssignment.update(
            {
                GroupAssignment.state: AssignmentState.PUBLISHED,
                GroupAssignment.published_at: now,
                GroupAssignment.updated_at: now,
            }
        ).where(GroupAssignment.id == row["id"])
        await GroupSeat.update({GroupSeat.published_group_number: GroupSeat.group_number}).where(
            GroupSeat.assignment == row["id"]
        )
        await GroupSeat.delete().where(
            GroupSeat.assignment == row["id"], GroupSeat.group_number.is_null()
        )
        told = {
            "assigned": sum(change.previous is None for change in changes),
            "changed": sum(change.previous is not None for change in changes),
        }
        await trail.record(
            actor(organizer), "groups_published", session_id=session_id, details=told
        )
        return PublishedAssignment(await _view(session), changes)


async def _changes_since_publication(view: AssignmentView) -> tuple[PlacementChange, ...]:
    """Newly placed and moved attendees; those whose groups stayed the same are left out."""
    rows = await Attendee.select().where(Attendee.exchange_session == view.session.id)
    attendees = {row["id"]: row for row in rows}
    groups: dict[int, list[GroupPlacement]] = {}
    people: dict[int, Member] = {}
    for topic in view.topics:
        for group in topic.groups:
            placement = placement_of(view.session.id, topic, group)
            for member in group.members:
                groups.setdefault(member.id, []).append(placement)
                people[member.id] = member
    return tuple(
        PlacementChange(
            attendees[member.id],
            Placement(tuple(groups[member.id])),
            _previous(view, member.published_placements),
        )
        for member in people.values()
        if member.placements != member.published_placements
    )


def _previous(view: AssignmentView, seats: tuple[Seat, ...]) -> str | None:
    """The label of the groups an attendee was told about before, if any (and still held)."""
    topics = {topic.id: topic for topic in view.topics}
    labels = [
        round_label(topics[segment].round_number or 0, number)
        if view.is_rounds
        else group_label(topics[segment].title, number)
        for segment, number in seats
        if segment in topics
    ]
    return gettext(" ／ ").join(labels) if labels else None


async def record_encounters(session: ExchangeSessionView) -> int:
    """The session was held: the municipalities of each published group met, in every round.
    The pairs recorded."""
    row = await assignment_row(session.id)
    if row is None or row["state"] != AssignmentState.PUBLISHED:
        return 0
    titles = {segment.id: segment.title for segment in session.discussions}
    groups: dict[tuple[int, int], list[str]] = {}
    for member in await members(session.id):
        for seat in member.published_placements:
            groups.setdefault(seat, []).append(member.municipality_code)
    with use_locale(DEFAULT_LOCALE):  # the history keeps one spelling of each group's name
        met = [
            encounters.MetGroup(group_label(titles[topic], number), codes)
            for (topic, number), codes in sorted(groups.items())
            if topic in titles
        ]
    return await encounters.record(session.id, session.starts_at, met)


async def _open(organizer: OrganizerIdentity, session_id: int) -> ExchangeSessionView:
    session = await locked_session(session_id)
    require_owner(organizer, session.owner_id)
    require_editable(session.status)
    return session


async def _view(session: ExchangeSessionView) -> AssignmentView:
    row = await required_row(session.id)
    return await build_view(session, row)
