"""The organizer's order of invited municipalities: kept from the picker, changed by moves,
followed by the report and the public session page."""

from __future__ import annotations

import importlib

import pytest

from events.invitations.invitations import invite, revoke
from events.invitations.join_requests import JoinRequestInput, request_to_join
from events.invitations.order import Direction, move
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError
from events.reports.facts import participants_of
from events.sessions.participants import participating_municipalities
from events.tables import AuditEntry, Invitation
from tests.factories import (
    attendee_input,
    held_seed_session,
    make_organizer,
    make_session,
    published_session,
    register_delegation,
)

SHIMANE, OKAYAMA, HIROSHIMA_CITY = "320005", "330001", "341002"


async def positions(session_id: int) -> list[tuple[str, int]]:
    rows = await (
        Invitation.select(Invitation.municipality, Invitation.position)
        .where(Invitation.exchange_session == session_id)
        .order_by(Invitation.position)
    )
    return [(row["municipality"], row["position"]) for row in rows]


async def test_invitations_keep_the_order_given_and_later_ones_follow() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(organizer, session.id, [OKAYAMA, SHIMANE])
    await invite(organizer, session.id, [HIROSHIMA_CITY, OKAYAMA])  # 岡山県 keeps its place
    assert await positions(session.id) == [(OKAYAMA, 0), (SHIMANE, 1), (HIROSHIMA_CITY, 2)]


async def test_a_revoked_and_reinvited_municipality_keeps_its_place() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(organizer, session.id, [OKAYAMA, SHIMANE, HIROSHIMA_CITY])
    await revoke(organizer, session.id, SHIMANE)
    await invite(organizer, session.id, [SHIMANE])
    assert [code for code, _ in await positions(session.id)] == [OKAYAMA, SHIMANE, HIROSHIMA_CITY]


async def test_a_request_to_join_comes_after_the_invited() -> None:
    organizer = await make_organizer()
    session, _ = await published_session(organizer, (OKAYAMA, HIROSHIMA_CITY))
    await request_to_join(session.id, JoinRequestInput(SHIMANE, "jinji@pref.shimane.example.jp"))
    assert await positions(session.id) == [(OKAYAMA, 0), (HIROSHIMA_CITY, 1), (SHIMANE, 2)]


async def test_moving_reorders_the_public_page_and_the_report() -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, (SHIMANE, OKAYAMA, HIROSHIMA_CITY))
    for code, access in accesses.items():
        await register_delegation(access, attendee_input(code))
    assert await participating_municipalities(session.id) == ["島根県", "岡山県", "広島県広島市"]

    await move(organizer, session.id, OKAYAMA, Direction.UP)
    await move(organizer, session.id, SHIMANE, Direction.DOWN)

    assert await participating_municipalities(session.id) == ["岡山県", "広島県広島市", "島根県"]
    assert [p.code for p in await participants_of(session.id)] == [
        OKAYAMA,
        HIROSHIMA_CITY,
        SHIMANE,
    ]
    actions = await AuditEntry.select(AuditEntry.action).where(
        AuditEntry.action == "invitation_moved"
    )
    assert len(actions) == 2


async def test_the_report_lists_participants_in_the_organizers_order() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer, codes=(HIROSHIMA_CITY, SHIMANE, OKAYAMA))
    assert [p.code for p in await participants_of(session.id)] == [
        HIROSHIMA_CITY,
        SHIMANE,
        OKAYAMA,
    ]


async def test_moves_past_either_end_or_of_others_are_refused_and_change_nothing() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(organizer, session.id, [OKAYAMA, SHIMANE])
    before = await positions(session.id)
    with pytest.raises(ConflictError, match="いちばん上"):
        await move(organizer, session.id, OKAYAMA, Direction.UP)
    with pytest.raises(ConflictError, match="いちばん下"):
        await move(organizer, session.id, SHIMANE, Direction.DOWN)
    with pytest.raises(NotFoundError):
        await move(organizer, session.id, HIROSHIMA_CITY, Direction.UP)
    with pytest.raises(ForbiddenError):
        await move(await make_organizer(), session.id, SHIMANE, Direction.UP)
    assert await positions(session.id) == before


async def test_the_migration_numbers_earlier_invitations_in_the_order_made() -> None:
    organizer = await make_organizer()
    first, second = await make_session(organizer), await make_session(organizer)
    await invite(organizer, first.id, [SHIMANE, OKAYAMA])
    await invite(organizer, second.id, [HIROSHIMA_CITY])
    await invite(organizer, first.id, [HIROSHIMA_CITY])
    await Invitation.update({Invitation.position: 0}, force=True)
    migration = importlib.import_module(
        "events.piccolo_migrations.events_2026_12_07t14_25_57_000000"
    )
    await migration.number_invitations()
    assert await positions(first.id) == [(SHIMANE, 0), (OKAYAMA, 1), (HIROSHIMA_CITY, 2)]
    assert await positions(second.id) == [(HIROSHIMA_CITY, 0)]
