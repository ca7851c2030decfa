"""An attendee link opens exactly its own registration, and nothing for anyone else."""

from __future__ import annotations

import pytest

from events.invitations.invitations import CoordinatorAccess, access_by_token, invite
from events.lib.errors import NotFoundError
from events.lib.tokens import INVALID_LINK, LinkKind, link_token
from events.organizing.session_actions import transition
from events.registrations.attendee_access import attendee_by_token
from events.registrations.delegations import AttendeeInput, DelegationInput
from events.registrations.registrations import register, update
from events.sessions.lifecycle import Transition
from events.tables import Attendee
from tests.factories import make_organizer, make_session


def person(n: int, attendee_id: int | None = None) -> AttendeeInput:
    return AttendeeInput(
        name=f"参加者{n}",
        department="企画課",
        position="staff",
        email=f"a{n}@example.jp",
        id=attendee_id,
    )


async def registered() -> tuple[CoordinatorAccess, list[str]]:
    """A delegation of two; returns the coordinator's access and the attendees' tokens."""
    organizer = await make_organizer()
    session = await make_session(organizer)
    (link,) = await invite(organizer, session.id, ["330001"])
    await transition(organizer, session.id, Transition.PUBLISH)
    coordinator = await access_by_token(link.link.rsplit("/", 1)[1])
    delegation = DelegationInput(
        plan_status="adopted", attendees=(person(1), person(2)), sharing_answers={}
    )
    await register(coordinator, delegation)
    rows = await Attendee.select(Attendee.link_nonce).order_by(Attendee.id)
    return coordinator, [link_token(LinkKind.ATTENDEE, row["link_nonce"]) for row in rows]


async def test_each_link_opens_its_own_attendee() -> None:
    _, (first, second) = await registered()
    assert (await attendee_by_token(first)).attendee["email"] == "a1@example.jp"
    access = await attendee_by_token(second)
    assert (access.attendee["email"], access.municipality_code, access.municipality_name) == (
        "a2@example.jp",
        "330001",
        "岡山県",
    )


async def test_removed_attendee_link_stops_working() -> None:
    coordinator, (first, second) = await registered()
    kept = (await attendee_by_token(second)).attendee["id"]
    await update(
        coordinator,
        DelegationInput(plan_status="adopted", attendees=(person(2, kept),), sharing_answers={}),
    )
    with pytest.raises(NotFoundError):
        await attendee_by_token(first)
    assert (await attendee_by_token(second)).attendee["id"] == kept


@pytest.mark.parametrize("token", ["", "short", "x" * 32, "../../etc/passwd", "é" * 32])
async def test_bad_tokens_get_one_generic_answer(token: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        await attendee_by_token(token)
    assert raised.value.problems[0].message == INVALID_LINK
