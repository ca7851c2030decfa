"""What an organizer sees of registrations: counts, prefectures, waitlist order, missing answers."""

from __future__ import annotations

from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.invitations.invitations import revoke
from events.lib.database import engine
from events.lib.errors import ForbiddenError, NotFoundError
from events.registrations.overview import (
    PrefectureCount,
    SessionRegistrations,
    Totals,
    session_registrations,
)
from events.registrations.registrations import cancel, register
from tests.factories import SEED_AGENDA, delegation, make_organizer, open_session, person

CODES = ("330001", "331007", "341002", "320005", "350001")


async def busy_session() -> tuple[int, SessionRegistrations]:
    """Capacity 3: 岡山県 fills two places, 岡山県岡山市 one and waits with one, 広島県広島市 waits
    too.

    島根県 is invited but has not registered; 山口県 registered and cancelled.
    """
    organizer, accesses = await open_session(capacity=3, codes=CODES)
    session = accesses["330001"].session
    items = [item_id for item_id, _ in session.sharing_items]
    topics = [segment.id or 0 for segment in session.discussions]
    await register(accesses["350001"], delegation(person(1, "yamaguchi")))
    await cancel(accesses["350001"])
    await register(
        accesses["330001"],
        delegation(
            person(1, "okayama-pref", topic_preferences=(topics[1], topics[0])),
            person(2, "okayama-pref", is_digital_department=True),
            plan_status="adopted",
            answers={item: "回答" for item in items},
        ),
    )
    await register(
        accesses["331007"],
        delegation(
            person(1, "okayama-city"),
            person(2, "okayama-city"),
            answers={items[0]: "策定済み", items[2]: "全職員"},
        ),
    )
    hiroshima = delegation(person(1, "hiroshima"), plan_status="not_started")
    await register(accesses["341002"], hiroshima)
    return session.id, await session_registrations(organizer, session.id)


async def test_totals_count_places_waitlist_and_municipalities() -> None:
    _, report = await busy_session()
    assert report.totals == Totals(confirmed=3, capacity=3, waitlisted=2, registered=3, invited=5)


async def test_registrations_are_listed_by_code_with_cancelled_ones() -> None:
    _, report = await busy_session()
    assert [(r.municipality_code, r.municipality_name, r.status) for r in report.registrations] == [
        ("330001", "岡山県", "confirmed"),
        ("331007", "岡山県岡山市", "confirmed"),
        ("341002", "広島県広島市", "waitlisted"),
        ("350001", "山口県", "cancelled"),
    ]
    assert [r.municipality_code for r in report.active] == ["330001", "331007", "341002"]
    assert [r.municipality_code for r in report.cancelled] == ["350001"]


async def test_attendees_carry_status_position_and_preferences() -> None:
    _, report = await busy_session()
    topics = [segment.id for segment in report.session.discussions]
    lines = [
        (a.email, a.status, a.waitlist_position, a.topic_preferences, a.is_digital_department)
        for r in report.active
        for a in r.attendees
    ]
    assert lines == [
        ("p1.okayama-pref@example.lg.jp", "confirmed", None, (topics[1], topics[0]), False),
        ("p2.okayama-pref@example.lg.jp", "confirmed", None, (), True),
        ("p1.okayama-city@example.lg.jp", "confirmed", None, (), False),
        ("p2.okayama-city@example.lg.jp", "waitlisted", 1, (), False),
        ("p1.hiroshima@example.lg.jp", "waitlisted", 2, (), False),
    ]
    assert [a.status for a in report.cancelled[0].attendees] == ["cancelled"]
    assert report.cancelled[0].active_attendees == ()


async def test_summary_by_prefecture_counts_registered_municipalities() -> None:
    _, report = await busy_session()
    assert report.by_prefecture == (
        PrefectureCount("33", "岡山県", municipalities=2, confirmed=3, waitlisted=1),
        PrefectureCount("34", "広島県", municipalities=1, confirmed=0, waitlisted=1),
    )


async def test_waitlist_is_in_attendee_order_with_positions() -> None:
    _, report = await busy_session()
    assert [
        (entry.position, entry.registration.municipality_name, entry.attendee.email)
        for entry in report.waitlist
    ] == [
        (1, "岡山県岡山市", "p2.okayama-city@example.lg.jp"),
        (2, "広島県広島市", "p1.hiroshima@example.lg.jp"),
    ]


async def test_waitlist_positions_close_up_when_someone_ahead_leaves() -> None:
    organizer, accesses = await open_session(capacity=1, codes=CODES[:4])
    await register(accesses["330001"], delegation(person(1, "a")))
    await register(accesses["331007"], delegation(person(1, "b")))
    await register(accesses["341002"], delegation(person(1, "c")))
    await register(accesses["320005"], delegation(person(1, "d")))
    await cancel(accesses["341002"])
    report = await session_registrations(organizer, accesses["330001"].session.id)
    assert [(e.position, e.attendee.email) for e in report.waitlist] == [
        (1, "p1.b@example.lg.jp"),
        (2, "p1.d@example.lg.jp"),
    ]


async def test_missing_answers_list_each_unanswered_item() -> None:
    _, report = await busy_session()
    assert [(m.registration.municipality_name, m.items) for m in report.missing_answers] == [
        ("岡山県岡山市", ("DX人材育成計画の概要", "具体的な研修内容")),
        (
            "広島県広島市",
            ("DX推進計画", "DX人材育成計画の概要", "研修対象者の設定の仕方", "具体的な研修内容"),
        ),
    ]


async def test_session_without_sharing_items_has_no_missing_answers() -> None:
    organizer, accesses = await open_session(agenda=SEED_AGENDA[2:4])
    await register(accesses["330001"], delegation(person(1)))
    report = await session_registrations(organizer, accesses["330001"].session.id)
    assert report.missing_answers == ()


async def test_not_registered_lists_invited_municipalities_without_a_standing_registration() -> (
    None
):
    _, report = await busy_session()
    assert [(i.code, i.name, i.prefecture) for i in report.not_registered] == [
        ("320005", "島根県", "島根県"),
        ("350001", "山口県", "山口県"),
    ]


async def test_revoked_invitation_counts_neither_as_invited_nor_as_waiting() -> None:
    organizer, accesses = await open_session(codes=("330001", "331007"))
    session_id = accesses["330001"].session.id
    await revoke(organizer, session_id, "331007")
    report = await session_registrations(organizer, session_id)
    assert report.totals.invited == 1
    assert [i.code for i in report.not_registered] == ["330001"]


async def test_another_organizer_is_forbidden_and_an_admin_allowed() -> None:
    session_id, _ = await busy_session()
    with pytest.raises(ForbiddenError):
        await session_registrations(await make_organizer(), session_id)
    admin_view = await session_registrations(await make_organizer(admin=True), session_id)
    assert admin_view.totals.confirmed == 3


async def test_unknown_session_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        await session_registrations(await make_organizer(admin=True), 999999)


async def queries_for_report(organizer: OrganizerIdentity, session_id: int) -> int:
    engine_class = type(engine())
    counted = 0
    original = engine_class.run_querystring

    async def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal counted
        counted += 1
        return await original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine_class, "run_querystring", counting)
        await session_registrations(organizer, session_id)
    return counted


async def test_report_queries_do_not_grow_with_the_registrations() -> None:
    organizer, accesses = await open_session(codes=CODES)
    session_id = accesses["330001"].session.id
    await register(accesses["330001"], delegation(person(1, "a")))
    with_one = await queries_for_report(organizer, session_id)
    for code in CODES[1:]:
        await register(accesses[code], delegation(person(1, code), person(2, code)))
    assert await queries_for_report(organizer, session_id) == with_one
    # The session and its agenda (2), then one each for registrations, attendees,
    # preferences, answers and invitations.
    assert with_one == 7
