"""A municipality's participation record: who attended which sessions, for how many hours.

A municipality hands it to its HR department as training history. Only sessions that took
place count (held or reported), and only attendees who held a place (confirmed); an organizer
sees the sessions of the series they own, an admin all of them. Hours are each session's
duration to one decimal; a person's total is the sum of the hours shown, so the printed
figures always add up. A person is recognised across sessions by their e-mail address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.enums import Position, SessionStatus
from events.enums import RegistrationStatus as R
from events.lib.formatting import in_tokyo
from events.lib.i18n import N_, gettext
from events.lib.spreadsheet import Table
from events.tables import Attendee
from networking.municipalities import MunicipalityRecord, get_municipality

COUNTED_STATUSES = (SessionStatus.HELD, SessionStatus.REPORTED)
TENTH = Decimal("0.1")
SECONDS_PER_HOUR = Decimal(3600)


def session_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    """2 hours → Decimal("2.0"); 100 minutes → Decimal("1.7")."""
    seconds = Decimal(int((ends_at - starts_at).total_seconds()))
    return (seconds / SECONDS_PER_HOUR).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Attendance:
    email: str
    name: str
    department: str
    position: str
    session_id: int
    session_title: str
    series_title: str
    starts_at: dt.datetime
    hours: Decimal

    @property
    def position_label(self) -> str:
        return Position(self.position).label


@dataclass(frozen=True)
class PersonTotal:
    """One person's sessions, named as at their latest one."""

    name: str
    department: str
    position: str
    sessions: int
    hours: Decimal

    @property
    def position_label(self) -> str:
        return Position(self.position).label


@dataclass(frozen=True)
class ParticipationRecord:
    municipality: MunicipalityRecord
    # Oldest session first.
    attendances: tuple[Attendance, ...]

    @property
    def people(self) -> tuple[PersonTotal, ...]:
        """One line per person, in the order they first took part."""
        people: dict[str, list[Attendance]] = {}
        for attendance in self.attendances:
            people.setdefault(attendance.email, []).append(attendance)
        return tuple(
            PersonTotal(
                name=found[-1].name,
                department=found[-1].department,
                position=found[-1].position,
                sessions=len(found),
                hours=sum((attendance.hours for attendance in found), Decimal("0.0")),
            )
            for found in people.values()
        )

    @property
    def total_hours(self) -> Decimal:
        return sum((attendance.hours for attendance in self.attendances), Decimal("0.0"))


async def participation_record(organizer: OrganizerIdentity, code: str) -> ParticipationRecord:
    """NotFoundError for a malformed or unknown municipality code."""
    row = await get_municipality(code)
    municipality = MunicipalityRecord(
        code=row["code"],
        prefecture=row["prefecture"],
        name=row["name"],
        kana=row["kana"],
        kind=row["kind"],
    )
    return ParticipationRecord(
        municipality, tuple(_attendance(row) for row in await _rows(organizer, code))
    )


async def _rows(organizer: OrganizerIdentity, code: str) -> list[dict[str, Any]]:
    session = Attendee.exchange_session
    conditions: list[Any] = [
        Attendee.registration.municipality == code,
        Attendee.status == R.CONFIRMED,
        session.status.is_in(list(COUNTED_STATUSES)),
    ]
    if not organizer.is_admin:
        conditions.append(session._.series._.owner == organizer.id)
    return await (
        Attendee.select(
            Attendee.email,
            Attendee.name,
            Attendee.department,
            Attendee.position,
            session.id.as_alias("session_id"),
            session.title.as_alias("session_title"),
            session._.series._.title.as_alias("series_title"),
            session.starts_at.as_alias("starts_at"),
            session.ends_at.as_alias("ends_at"),
        )
        .where(*conditions)
        .order_by(session.starts_at)
        .order_by(Attendee.id)
    )


def _attendance(row: dict[str, Any]) -> Attendance:
    return Attendance(
        email=row["email"],
        name=row["name"],
        department=row["department"],
        position=row["position"],
        session_id=row["session_id"],
        session_title=row["session_title"],
        series_title=row["series_title"],
        starts_at=row["starts_at"],
        hours=session_hours(row["starts_at"], row["ends_at"]),
    )


DETAIL_COLUMNS = (
    N_("氏名"),
    N_("所属"),
    N_("職位"),
    N_("情報交換会"),
    N_("シリーズ"),
    N_("開催日"),
    N_("時間数"),
)
SUMMARY_COLUMNS = (N_("氏名"), N_("所属"), N_("職位"), N_("参加回数"), N_("合計時間数"))


def participation_table(record: ParticipationRecord) -> Table:
    """One row per person and session; the date is the Tokyo date as Excel reads it."""
    rows = [
        [
            attendance.name,
            attendance.department,
            gettext(attendance.position_label),
            attendance.session_title,
            attendance.series_title,
            in_tokyo(attendance.starts_at).strftime("%Y/%m/%d"),
            str(attendance.hours),
        ]
        for attendance in record.attendances
    ]
    return _table(record, DETAIL_COLUMNS, rows, "participation", N_("参加記録_%(name)s"))


def participation_summary_table(record: ParticipationRecord) -> Table:
    """One row per person: how many sessions and how many hours in total."""
    rows = [
        [
            person.name,
            person.department,
            gettext(person.position_label),
            person.sessions,
            str(person.hours),
        ]
        for person in record.people
    ]
    return _table(
        record,
        SUMMARY_COLUMNS,
        rows,
        "participation-summary",
        N_("参加記録_個人別合計_%(name)s"),
    )


def _table(
    record: ParticipationRecord,
    columns: tuple[str, ...],
    rows: list[list[Any]],
    ascii_stem: str,
    name: str,
) -> Table:
    municipality = record.municipality
    return Table(
        header=[gettext(column) for column in columns],
        rows=rows,
        ascii_name=f"{ascii_stem}-{municipality.code}",
        name=gettext(name, name=municipality.display_name),
    )
