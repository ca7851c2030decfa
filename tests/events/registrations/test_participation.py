"""The participation record: held or reported sessions only, confirmed attendees, hours."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.lib.errors import NotFoundError
from events.lib.formatting import TOKYO
from events.registrations.participation import (
    participation_record,
    participation_summary_table,
    participation_table,
    session_hours,
)
from events.registrations.registrations import register, update
from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import Attendee
from tests.factories import (
    delegation,
    future_weekday,
    held_session,
    make_organizer,
    open_session,
    person,
)

OKAYAMA = "330001"


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(120, "2.0"), (90, "1.5"), (100, "1.7"), (45, "0.8"), (3, "0.1"), (2, "0.0")],
)
def test_session_hours_are_rounded_to_a_tenth(minutes: int, hours: str) -> None:
    start = dt.datetime(2023, 12, 15, 5, tzinfo=dt.UTC)
    assert session_hours(start, start + dt.timedelta(minutes=minutes)) == Decimal(hours)


async def okayama_session(
    organizer: OrganizerIdentity, days_ahead: int, minutes: int, *people: Any, **options: Any
) -> ExchangeSessionView:
    """岡山市 registers first, then 岡山県 with `people`; the session is then held."""
    city = delegation(person(1, f"city{days_ahead}"))
    return await held_session(
        organizer,
        {"331007": city, OKAYAMA: delegation(*people)},
        days_ahead=days_ahead,
        minutes=minutes,
        **options,
    )


async def history(organizer: OrganizerIdentity) -> list[ExchangeSessionView]:
    """Three held sessions of 岡山県 with 山田 and 田中, one still open, one of someone else."""
    yamada = person(1, "yamada", name="山田 太郎", department="人事課", position="manager")
    tanaka = person(2, "tanaka", name="田中 花子")
    first = await okayama_session(organizer, 30, 120, yamada, tanaka, title="第1回")
    second = await okayama_session(organizer, 40, 90, yamada, reported=True, title="第2回")
    # Capacity 2 and 岡山市 came first: 田中 only waited, so did not attend.
    third = await okayama_session(organizer, 50, 100, yamada, tanaka, capacity=2, title="第3回")
    _, open_accesses = await open_session(
        codes=(OKAYAMA,), organizer=organizer, starts_at=future_weekday(60)
    )
    await register(open_accesses[OKAYAMA], delegation(yamada))
    await okayama_session(await make_organizer(), 70, 120, yamada, title="他の主催者の回")
    return [first, second, third]


async def test_record_lists_held_and_reported_sessions_with_confirmed_attendees() -> None:
    organizer = await make_organizer()
    first, second, third = await history(organizer)
    record = await participation_record(organizer, OKAYAMA)
    assert record.municipality.display_name == "岡山県"
    assert [
        (a.name, a.department, a.position_label, a.session_title, a.starts_at, a.hours)
        for a in record.attendances
    ] == [
        ("山田 太郎", "人事課", "管理職", "第1回", first.starts_at, Decimal("2.0")),
        ("田中 花子", "デジタル推進課", "一般職員", "第1回", first.starts_at, Decimal("2.0")),
        ("山田 太郎", "人事課", "管理職", "第2回", second.starts_at, Decimal("1.5")),
        ("山田 太郎", "人事課", "管理職", "第3回", third.starts_at, Decimal("1.7")),
    ]


async def test_people_totals_add_up_the_hours_shown() -> None:
    organizer = await make_organizer()
    await history(organizer)
    record = await participation_record(organizer, OKAYAMA)
    assert [(p.name, p.department, p.sessions, p.hours) for p in record.people] == [
        ("山田 太郎", "人事課", 3, Decimal("5.2")),
        ("田中 花子", "デジタル推進課", 1, Decimal("2.0")),
    ]
    assert record.total_hours == Decimal("7.2")


async def test_admin_sees_every_organizers_sessions() -> None:
    organizer = await make_organizer()
    await history(organizer)
    record = await participation_record(await make_organizer(admin=True), OKAYAMA)
    assert [a.session_title for a in record.attendances] == [
        "第1回",
        "第1回",
        "第2回",
        "第3回",
        "他の主催者の回",
    ]


async def test_another_organizer_sees_only_their_own_sessions() -> None:
    organizer = await make_organizer()
    await history(organizer)
    stranger = await make_organizer()
    assert (await participation_record(stranger, OKAYAMA)).attendances == ()


async def test_removed_attendee_does_not_count() -> None:
    organizer = await make_organizer()
    starts_at = future_weekday(30)
    _, accesses = await open_session(codes=(OKAYAMA,), organizer=organizer, starts_at=starts_at)
    session = accesses[OKAYAMA].session
    await register(accesses[OKAYAMA], delegation(person(1), person(2)))
    kept = await Attendee.select(Attendee.id).order_by(Attendee.id).first()
    assert kept is not None
    await update(accesses[OKAYAMA], delegation(person(1, id=kept["id"])))
    await apply(organizer, session.id, Transition.MARK_HELD, now=session.ends_at)
    record = await participation_record(organizer, OKAYAMA)
    assert [a.name for a in record.attendances] == ["参加者1"]


@pytest.mark.parametrize("code", ["330000", "33000", "abcdef", "999999"])
async def test_bad_code_is_not_found(code: str) -> None:
    with pytest.raises(NotFoundError):
        await participation_record(await make_organizer(), code)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def test_participation_csv_has_a_row_per_attendance() -> None:
    organizer = await make_organizer()
    first, second, third = await history(organizer)
    download = participation_table(await participation_record(organizer, OKAYAMA)).csv()
    assert download.content.startswith(b"\xef\xbb\xbf")
    assert (download.ascii_name, download.name) == (
        "participation-330001.csv",
        "参加記録_岡山県.csv",
    )
    series = first.series_title
    day = [f"{s.starts_at.astimezone(TOKYO):%Y/%m/%d}" for s in (first, second, third)]
    assert rows_of(download.content) == [
        ["氏名", "所属", "職位", "情報交換会", "シリーズ", "開催日", "時間数"],
        ["山田 太郎", "人事課", "管理職", "第1回", series, day[0], "2.0"],
        ["田中 花子", "デジタル推進課", "一般職員", "第1回", series, day[0], "2.0"],
        ["山田 太郎", "人事課", "管理職", "第2回", series, day[1], "1.5"],
        ["山田 太郎", "人事課", "管理職", "第3回", series, day[2], "1.7"],
    ]


async def test_participation_summary_csv_has_a_row_per_person() -> None:
    organizer = await make_organizer()
    await history(organizer)
    download = participation_summary_table(await participation_record(organizer, OKAYAMA)).csv()
    assert download.name == "参加記録_個人別合計_岡山県.csv"
    assert rows_of(download.content) == [
        ["氏名", "所属", "職位", "参加回数", "合計時間数"],
        ["山田 太郎", "人事課", "管理職", "3", "5.2"],
        ["田中 花子", "デジタル推進課", "一般職員", "1", "2.0"],
    ]
