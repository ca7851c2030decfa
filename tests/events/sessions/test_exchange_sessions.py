"""Scheduling sessions: validation, partial updates, sequence bumps, warnings, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from events.audit.trail import entries_for_session
from events.lib.errors import ForbiddenError, NotFoundError, ValidationError
from events.lib.formatting import TOKYO
from events.organizing.session_actions import update_session
from events.sessions.agenda import Segment
from events.sessions.checks import SessionInput
from events.sessions.exchange_sessions import create_session, get_session
from events.tables import AgendaItem, AgendaSegment, ExchangeSession
from tests.factories import (
    SEED_AGENDA,
    future_weekday,
    make_organizer,
    make_series,
    make_session,
    session_input,
)


def fields_of(error: ValidationError) -> list[str | None]:
    return [problem.field for problem in error.problems]


async def test_created_session_is_a_draft_with_its_agenda() -> None:
    session = await make_session()
    assert session.status == "draft"
    assert session.sequence == 0
    assert [segment.title for segment in session.agenda] == [s.title for s in SEED_AGENDA]
    assert [segment.title for segment in session.discussions] == [
        "人事部門との連携",
        "期待する効果とKPI",
    ]
    assert [text for _, text in session.sharing_items] == list(SEED_AGENDA[1].items)


async def test_html_in_fields_is_stored_as_typed() -> None:
    session = await make_session(title="<script>alert(1)</script> 情報交換会")
    assert (await get_session(session.id)).title == "<script>alert(1)</script> 情報交換会"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "長" * 201}, "title"),
        ({"region": "mars"}, "region"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10, "per_municipality_limit": 11}, "per_municipality_limit"),
        ({"meeting_url": "http://zoom.example.jp/j/1"}, "meeting_url"),
        ({"meeting_url": "javascript:alert(1)"}, "meeting_url"),
        ({"meeting_passcode": "x" * 65}, "meeting_passcode"),
        ({"background": "x" * 10_001}, "background"),
        ({"agenda": (Segment(kind="discussion", title=" ", minutes=30),)}, "agenda[0].title"),
        ({"agenda": (Segment(kind="lecture", title="講演", minutes=30),)}, "agenda[0].kind"),
        ({"agenda": (Segment(kind="other", title="休憩", minutes=-1),)}, "agenda[0].minutes"),
    ],
)
async def test_invalid_field_is_refused_and_nothing_saved(
    overrides: dict[str, object], field: str
) -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    with pytest.raises(ValidationError) as raised:
        await create_session(organizer, session_input(series["id"], **overrides))
    assert fields_of(raised.value) == [field]
    assert await ExchangeSession.count() == 0
    assert await AgendaSegment.count() == 0


async def test_end_before_start_and_late_deadline() -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    start = future_weekday()
    data = session_input(
        series["id"],
        starts_at=start,
        ends_at=start - dt.timedelta(hours=1),
        registration_deadline=start + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as raised:
        await create_session(organizer, data)
    assert fields_of(raised.value) == ["ends_at", "registration_deadline"]


async def test_new_session_cannot_start_in_the_past() -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    past = dt.datetime.now(TOKYO) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        await create_session(organizer, session_input(series["id"], starts_at=past))
    assert fields_of(raised.value) == ["starts_at"]


async def test_naive_datetimes_are_refused() -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    naive = dt.datetime(2030, 1, 10, 14, 0)  # noqa: DTZ001 (the point of the test)
    data = SessionInput(
        series_id=series["id"],
        title="t",
        region="chushikoku",
        starts_at=naive,
        ends_at=naive + dt.timedelta(hours=2),
        registration_deadline=naive,
        capacity=10,
        per_municipality_limit=2,
    )
    with pytest.raises(ValidationError) as raised:
        await create_session(organizer, data)
    assert fields_of(raised.value) == ["starts_at", "ends_at", "registration_deadline"]


async def test_another_organizers_series_is_forbidden() -> None:
    owner, other = await make_organizer(), await make_organizer()
    series = await make_series(owner)
    with pytest.raises(ForbiddenError):
        await create_session(other, session_input(series["id"]))
    assert await ExchangeSession.count() == 0


async def test_admin_may_schedule_in_any_series() -> None:
    owner, admin = await make_organizer(), await make_organizer(admin=True)
    series = await make_series(owner)
    view, _ = await create_session(admin, session_input(series["id"]))
    assert view.series_id == series["id"]


async def test_partial_update_changes_only_sent_fields() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    updated, _ = await update_session(organizer, session.id, {"capacity": 50})
    assert updated.capacity == 50
    assert updated.title == session.title
    assert updated.agenda == session.agenda
    assert updated.sequence == 0  # capacity is not a calendar change


@pytest.mark.parametrize(
    "change",
    [
        {"meeting_url": "https://zoom.example.jp/j/999"},
        {"meeting_passcode": "new-code"},
        {"title": "第3回 情報交換会（日程変更）"},
    ],
)
async def test_material_change_bumps_sequence_and_is_audited(change: dict[str, object]) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    updated, _ = await update_session(organizer, session.id, change)
    assert updated.sequence == 1
    entries = await entries_for_session(session.id)
    assert entries[0]["action"] == "session_updated"
    assert entries[0]["actor"] == f"organizer:{organizer.id}"
    assert list(entries[0]["details"]["changed"]) == list(change)


async def test_reschedule_records_old_and_new_times() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    later = session.starts_at + dt.timedelta(days=7)
    updated, _ = await update_session(
        organizer, session.id, {"starts_at": later, "ends_at": later + dt.timedelta(hours=2)}
    )
    assert (updated.starts_at, updated.sequence) == (later, 1)
    changed = (await entries_for_session(session.id))[0]["details"]["changed"]
    assert changed["starts_at"] == [str(session.starts_at), str(later)]


async def test_passcode_value_never_enters_the_audit_trail() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await update_session(organizer, session.id, {"meeting_passcode": "secret-4321"})
    details = (await entries_for_session(session.id))[0]["details"]
    assert details["changed"] == {"meeting_passcode": "changed"}
    assert "secret-4321" not in str(details)


async def test_invalid_update_changes_nothing() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    with pytest.raises(ValidationError):
        await update_session(organizer, session.id, {"capacity": 2, "title": "新タイトル"})
    assert await get_session(session.id) == session


async def test_update_by_another_organizer_is_forbidden() -> None:
    session = await make_session()
    other = await make_organizer()
    with pytest.raises(ForbiddenError):
        await update_session(other, session.id, {"capacity": 40})


async def test_unknown_session_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        await get_session(987654)


async def test_agenda_edit_keeps_ids_of_unchanged_segments_and_items() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    sharing = session.agenda[1]
    reordered = (
        session.agenda[2],
        Segment(
            kind="sharing",
            title="情報共有",
            minutes=45,
            items=(*sharing.items[::-1], "新しい項目"),
            id=sharing.id,
        ),
        Segment(kind="other", title="休憩", minutes=10),
    )
    updated, _ = await update_session(organizer, session.id, {"agenda": reordered})
    assert [segment.title for segment in updated.agenda] == ["人事部門との連携", "情報共有", "休憩"]
    assert updated.agenda[0].id == session.agenda[2].id
    assert updated.agenda[1].id == sharing.id
    ids_before = dict(zip(sharing.items, sharing.item_ids, strict=True))
    ids_after = dict(zip(updated.agenda[1].items, updated.agenda[1].item_ids, strict=True))
    assert {text: ids_after[text] for text in sharing.items} == ids_before
    assert ids_after["新しい項目"] not in ids_before.values()
    assert await AgendaSegment.count() == 3
    assert await AgendaItem.count() == len(sharing.items) + 1 + len(session.agenda[2].items)


async def test_holiday_start_is_warned_about() -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    holiday = dt.datetime(2030, 11, 4, 14, 0, tzinfo=TOKYO)  # 振替休日 (文化の日 falls on a Sunday)
    data = session_input(series["id"], starts_at=holiday)
    _, warnings = await create_session(organizer, data)
    assert [(w.message, w.params["name"]) for w in warnings] == [
        ("%(day)s は祝日（%(name)s）です。", "振替休日")
    ]


async def test_weekend_start_is_warned_about() -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    saturday = dt.datetime(2030, 11, 9, 14, 0, tzinfo=TOKYO)
    _, warnings = await create_session(organizer, session_input(series["id"], starts_at=saturday))
    assert [w.params for w in warnings] == [{"day": "2030年11月9日(土)"}]


async def test_overlapping_session_of_the_same_series_is_warned_about() -> None:
    organizer = await make_organizer()
    first = await make_session(organizer, title="第1回")
    _, warnings = await create_session(
        organizer,
        session_input(
            first.series_id, title="第2回", starts_at=first.starts_at + dt.timedelta(hours=1)
        ),
    )
    assert [w.params for w in warnings] == [{"title": "第1回"}]
