"""Session status changes are checked in the domain: allowed ones, refused ones, side effects."""

from __future__ import annotations

import datetime as dt

import pytest

from events.audit.trail import entries_for_session
from events.enums import SessionStatus as S
from events.lib.errors import ConflictError, ForbiddenError
from events.organizing.session_actions import update_session
from events.sessions.exchange_sessions import get_session
from events.sessions.lifecycle import RULES, Transition, allowed, next_status
from events.sessions.transitions import apply
from tests.factories import make_organizer, make_session

ALL = list(S)


@pytest.mark.parametrize("transition", list(Transition))
@pytest.mark.parametrize("status", ALL)
def test_transition_table(transition: Transition, status: S) -> None:
    rule = RULES[transition]
    if status in rule.sources:
        assert next_status(status, transition) is rule.target
    else:
        with pytest.raises(ConflictError):
            next_status(status, transition)


@pytest.mark.parametrize(
    ("status", "transitions"),
    [
        (S.DRAFT, [Transition.PUBLISH, Transition.CANCEL]),
        (S.PUBLISHED, [Transition.CLOSE_REGISTRATION, Transition.MARK_HELD, Transition.CANCEL]),
        (S.CLOSED, [Transition.MARK_HELD, Transition.CANCEL]),
        (S.HELD, [Transition.MARK_REPORTED]),
        (S.REPORTED, [Transition.MARK_REPORTED]),
        (S.CANCELLED, []),
    ],
)
def test_allowed_transitions_follow_the_table(status: S, transitions: list[Transition]) -> None:
    assert allowed(status) == transitions


def test_cancel_is_possible_from_every_state_before_held() -> None:
    assert RULES[Transition.CANCEL].sources == {S.DRAFT, S.PUBLISHED, S.CLOSED}


async def test_full_path_from_draft_to_held() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    after_start = session.starts_at + dt.timedelta(minutes=5)
    assert (await apply(organizer, session.id, Transition.PUBLISH)).status == S.PUBLISHED
    assert (await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)).status == S.CLOSED
    held = await apply(organizer, session.id, Transition.MARK_HELD, now=after_start)
    assert held.status == S.HELD
    actions = [entry["action"] for entry in await entries_for_session(session.id)]
    assert actions == ["mark_held", "close_registration", "publish", "session_created"]


async def test_session_cannot_be_marked_held_before_it_starts() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await apply(organizer, session.id, Transition.PUBLISH)
    with pytest.raises(ConflictError):
        await apply(organizer, session.id, Transition.MARK_HELD)
    assert (await get_session(session.id)).status == S.PUBLISHED


async def test_publishing_needs_an_agenda() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer, agenda=())
    with pytest.raises(ConflictError):
        await apply(organizer, session.id, Transition.PUBLISH)
    assert (await get_session(session.id)).status == S.DRAFT


async def test_cancel_bumps_sequence_and_records_reason() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await apply(organizer, session.id, Transition.PUBLISH)
    cancelled = await apply(organizer, session.id, Transition.CANCEL, reason="台風のため")
    assert (cancelled.status, cancelled.sequence) == (S.CANCELLED, 1)
    entry = (await entries_for_session(session.id))[0]
    assert entry["details"] == {"from": "published", "to": "cancelled", "reason": "台風のため"}


async def test_cancelled_session_cannot_be_cancelled_again_or_edited() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await apply(organizer, session.id, Transition.CANCEL)
    with pytest.raises(ConflictError):
        await apply(organizer, session.id, Transition.CANCEL)
    with pytest.raises(ConflictError):
        await update_session(organizer, session.id, {"capacity": 99})
    assert (await get_session(session.id)).sequence == 1


async def test_publishing_twice_is_refused() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await apply(organizer, session.id, Transition.PUBLISH)
    with pytest.raises(ConflictError):
        await apply(organizer, session.id, Transition.PUBLISH)


async def test_other_organizer_cannot_change_status() -> None:
    session = await make_session()
    other = await make_organizer()
    with pytest.raises(ForbiddenError):
        await apply(other, session.id, Transition.PUBLISH)
    assert (await get_session(session.id)).status == S.DRAFT
