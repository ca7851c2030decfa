"""A delegation read back: its attendees with their status and place in line, and its answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from events.enums import PlanStatus, Position, RegistrationStatus
from events.lib.errors import NotFoundError
from events.lib.i18n import N_
from events.lib.raw_sql import placeholders
from events.registrations.waitlist import waitlist_positions
from events.tables import Attendee, Registration, SharingAnswer, TopicPreference


@dataclass(frozen=True)
class AttendeeView:
    """One person of a delegation as their coordinator and they themselves see them."""

    id: int
    name: str
    department: str
    position: str
    is_digital_department: bool
    email: str
    share_contact: bool
    status: str
    updated_at: dt.datetime
    # Discussion segment ids, most wanted first.
    topic_preferences: tuple[int, ...] = ()
    # 1 for the next in line; None unless waitlisted.
    waitlist_position: int | None = None
    # よみがな; "" when not given.
    reading: str = ""

    @classmethod
    def from_row(
        cls,
        row: dict[str, Any],
        topic_preferences: Sequence[int],
        waitlist_position: int | None,
    ) -> AttendeeView:
        """An attendee row with what is stored elsewhere: preferences and place in line."""
        return cls(
            id=row["id"],
            name=row["name"],
            department=row["department"],
            position=row["position"],
            is_digital_department=row["is_digital_department"],
            email=row["email"],
            share_contact=row["share_contact"],
            status=row["status"],
            updated_at=row["updated_at"],
            topic_preferences=tuple(topic_preferences),
            waitlist_position=waitlist_position,
            reading=row["reading"],
        )

    @property
    def position_label(self) -> str:
        return Position(self.position).label

    @property
    def status_label(self) -> str:
        return RegistrationStatus(self.status).label

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED


@dataclass(frozen=True)
class DelegationView:
    """A municipality's registration; a cancelled one lists nobody."""

    id: int
    municipality_code: str
    status: str
    plan_status: str
    updated_at: dt.datetime
    attendees: tuple[AttendeeView, ...]
    # Sharing item id -> what the municipality will share.
    sharing_answers: Mapping[int, str]
    # People the coordinator took off an active delegation: shown, and restorable until the
    # deadline.
    removed: tuple[AttendeeView, ...] = ()
    # The report may name the municipality beside what it shared.
    report_consent: bool = False

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED

    @property
    def status_label(self) -> str:
        return RegistrationStatus(self.status).label

    @property
    def plan_status_label(self) -> str:
        return PlanStatus(self.plan_status).label


async def active_attendees(registration_id: int) -> list[dict[str, Any]]:
    return await (
        Attendee.select()
        .where(
            Attendee.registration == registration_id,
            Attendee.status != RegistrationStatus.CANCELLED,
        )
        .order_by(Attendee.id)
    )


# Written out, like the other reads of a delegation: a registration answers with the
# delegation it stored, and the query builder took longer than the database to answer them.
# (session, municipality) is unique.
_REGISTRATION = "SELECT * FROM registration WHERE exchange_session = {} AND municipality = {}"
_ATTENDEES = "SELECT * FROM attendee WHERE registration = {} ORDER BY id"
_ANSWERS = "SELECT item, text FROM sharing_answer WHERE registration = {}"


async def registration_row(session_id: int, municipality_code: str) -> dict[str, Any] | None:
    """The municipality's registration row for the session (cancelled or not), if any."""
    rows = await Registration.raw(_REGISTRATION, session_id, municipality_code)
    return rows[0] if rows else None


async def delegation_of(session_id: int, municipality_code: str) -> DelegationView | None:
    """The municipality's registration for the session, or None when it never registered."""
    row = await registration_row(session_id, municipality_code)
    if row is None:
        return None
    active = row["status"] != RegistrationStatus.CANCELLED
    people = await attendee_views(await Attendee.raw(_ATTENDEES, row["id"])) if active else []
    answers = await SharingAnswer.raw(_ANSWERS, row["id"]) if active else []
    return DelegationView(
        id=row["id"],
        municipality_code=row["municipality"],
        status=row["status"],
        plan_status=row["plan_status"],
        updated_at=row["updated_at"],
        attendees=tuple(person for person in people if not _is_cancelled(person)),
        sharing_answers={answer["item"]: answer["text"] for answer in answers},
        removed=tuple(person for person in people if _is_cancelled(person)),
        report_consent=row["report_consent"],
    )


def _is_cancelled(person: AttendeeView) -> bool:
    return person.status == RegistrationStatus.CANCELLED


async def stored_delegation(session_id: int, municipality_code: str) -> DelegationView:
    """The registration as just written (cancelled or not); NotFoundError if there is none."""
    view = await delegation_of(session_id, municipality_code)
    if view is None:
        raise NotFoundError(N_("この自治体の参加登録はまだありません。"), field="registration")
    return view


async def attendee_views(rows: Sequence[dict[str, Any]]) -> list[AttendeeView]:
    """Attendee rows with their topic preferences and, when waiting, their place in line."""
    ids = [row["id"] for row in rows]
    preferences = await _preferences(ids)
    waiting = [row["id"] for row in rows if row["status"] == RegistrationStatus.WAITLISTED]
    positions = await waitlist_positions(waiting)
    return [
        AttendeeView.from_row(row, preferences.get(row["id"], ()), positions.get(row["id"]))
        for row in rows
    ]


async def _preferences(attendee_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    if not attendee_ids:
        return {}
    # Written out: an attendee's page asks on every visit, and the query builder took longer
    # to build this query than the database to answer it.
    ids = placeholders(len(attendee_ids))
    query = f"SELECT attendee, segment FROM topic_preference WHERE attendee IN ({ids})"  # noqa: S608
    rows = await TopicPreference.raw(f"{query} ORDER BY rank", *attendee_ids)
    found: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row["attendee"], []).append(row["segment"])
    return {attendee_id: tuple(segments) for attendee_id, segments in found.items()}
