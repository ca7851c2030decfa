"""What an organizer sees of a session's registrations: delegations, counts, waitlist, answers.

Everything is read in a fixed number of queries (one per concern: registrations, attendees,
topic preferences, sharing answers, invitations); the summaries are computed from those rows.
Waitlist positions follow events.registrations.waitlist: attendee id order among the waitlisted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.enums import InvitationStatus, PlanStatus
from events.enums import RegistrationStatus as R
from events.invitations.invitations import list_invitations
from events.registrations.queries import AttendeeView
from events.sessions.exchange_sessions import ExchangeSessionView, session_for_editing
from events.tables import Attendee, Registration, SharingAnswer, TopicPreference


@dataclass(frozen=True)
class RegistrationLine:
    id: int
    municipality_code: str
    municipality_name: str
    prefecture_code: str
    prefecture: str
    status: str
    plan_status: str
    # Every attendee ever registered, cancelled ones included, in registration order.
    attendees: tuple[AttendeeView, ...]
    # Sharing item id -> answer; only answered items are present.
    answers: Mapping[int, str]

    @property
    def is_active(self) -> bool:
        return self.status != R.CANCELLED

    @property
    def active_attendees(self) -> tuple[AttendeeView, ...]:
        return tuple(attendee for attendee in self.attendees if attendee.status != R.CANCELLED)

    @property
    def status_label(self) -> str:
        return R(self.status).label

    @property
    def plan_status_label(self) -> str:
        return PlanStatus(self.plan_status).label


@dataclass(frozen=True)
class InvitedMunicipality:
    code: str
    name: str
    prefecture: str
    status: str
    contact_email: str


@dataclass(frozen=True)
class Totals:
    confirmed: int
    capacity: int
    waitlisted: int
    # Municipalities with a registration that is not cancelled, and with a valid invitation.
    registered: int
    invited: int


@dataclass(frozen=True)
class PrefectureCount:
    prefecture_code: str
    prefecture: str
    municipalities: int
    confirmed: int
    waitlisted: int


@dataclass(frozen=True)
class WaitingAttendee:
    position: int
    attendee: AttendeeView
    registration: RegistrationLine


@dataclass(frozen=True)
class MissingAnswers:
    registration: RegistrationLine
    # Texts of the sharing items without an answer, in agenda order.
    items: tuple[str, ...]


@dataclass(frozen=True)
class SessionRegistrations:
    """One session's registrations (cancelled ones too, in municipality code order)."""

    session: ExchangeSessionView
    registrations: tuple[RegistrationLine, ...]
    invitations: tuple[InvitedMunicipality, ...]

    @property
    def active(self) -> tuple[RegistrationLine, ...]:
        return tuple(registration for registration in self.registrations if registration.is_active)

    @property
    def cancelled(self) -> tuple[RegistrationLine, ...]:
        return tuple(r for r in self.registrations if not r.is_active)

    @property
    def totals(self) -> Totals:
        statuses = [a.status for r in self.registrations for a in r.attendees]
        return Totals(
            confirmed=statuses.count(R.CONFIRMED),
            capacity=self.session.capacity,
            waitlisted=statuses.count(R.WAITLISTED),
            registered=len(self.active),
            invited=sum(1 for i in self.invitations if i.status == InvitationStatus.INVITED),
        )

    @property
    def by_prefecture(self) -> tuple[PrefectureCount, ...]:
        """Registered municipalities and their attendees per prefecture, in prefecture order."""
        groups: dict[tuple[str, str], list[RegistrationLine]] = {}
        for registration in self.active:
            key = (registration.prefecture_code, registration.prefecture)
            groups.setdefault(key, []).append(registration)
        return tuple(
            PrefectureCount(
                prefecture_code=code,
                prefecture=name,
                municipalities=len(members),
                confirmed=sum(_count(r, R.CONFIRMED) for r in members),
                waitlisted=sum(_count(r, R.WAITLISTED) for r in members),
            )
            for (code, name), members in sorted(groups.items())
        )

    @property
    def waitlist(self) -> tuple[WaitingAttendee, ...]:
        waiting = (
            WaitingAttendee(attendee.waitlist_position, attendee, registration)
            for registration in self.registrations
            for attendee in registration.attendees
            if attendee.waitlist_position is not None
        )
        return tuple(sorted(waiting, key=lambda entry: entry.position))

    @property
    def missing_answers(self) -> tuple[MissingAnswers, ...]:
        """Registered municipalities without an answer to at least one sharing item."""
        found = (
            MissingAnswers(
                registration,
                tuple(
                    text
                    for item_id, text in self.session.sharing_items
                    if item_id not in registration.answers
                ),
            )
            for registration in self.active
        )
        return tuple(missing for missing in found if missing.items)

    @property
    def not_registered(self) -> tuple[InvitedMunicipality, ...]:
        """Invited (with a valid link) but without a registration that still stands."""
        registered = {registration.municipality_code for registration in self.active}
        return tuple(
            invitation
            for invitation in self.invitations
            if invitation.status == InvitationStatus.INVITED and invitation.code not in registered
        )


def _count(registration: RegistrationLine, status: R) -> int:
    return sum(1 for attendee in registration.attendees if attendee.status == status)


async def session_registrations(
    organizer: OrganizerIdentity, session_id: int
) -> SessionRegistrations:
    """Every registration of a session the organizer owns (or any, for an admin)."""
    session = await session_for_editing(organizer, session_id)
    attendees = await _attendees(session_id)
    answers = await _answers(session_id)
    registrations = tuple(
        RegistrationLine(
            id=row["id"],
            municipality_code=row["municipality"],
            municipality_name=row["municipality_name"],
            prefecture_code=row["prefecture_code"],
            prefecture=row["prefecture"],
            status=row["status"],
            plan_status=row["plan_status"],
            attendees=tuple(attendees.get(row["id"], ())),
            answers=answers.get(row["id"], {}),
        )
        for row in await _registrations(session_id)
    )
    invitations = tuple(
        InvitedMunicipality(
            code=row["municipality"],
            name=row["municipality_name"],
            prefecture=row["prefecture"],
            status=row["status"],
            contact_email=row["contact_email"],
        )
        for row in await list_invitations(session_id)
    )
    return SessionRegistrations(session, registrations, invitations)


async def _registrations(session_id: int) -> list[dict[str, Any]]:
    return await (
        Registration.select(
            *Registration.all_columns(),
            Registration.municipality.display_name.as_alias("municipality_name"),
            Registration.municipality.prefecture_code.as_alias("prefecture_code"),
            Registration.municipality.prefecture.as_alias("prefecture"),
        )
        .where(Registration.exchange_session == session_id)
        .order_by(Registration.municipality)
    )


async def _attendees(session_id: int) -> dict[int, list[AttendeeView]]:
    """Attendees by registration id, in id order, with waitlist positions and preferences."""
    rows = await (
        Attendee.select().where(Attendee.exchange_session == session_id).order_by(Attendee.id)
    )
    preferences = await _preferences(session_id)
    by_registration: dict[int, list[AttendeeView]] = {}
    waiting = 0
    for row in rows:
        position = None
        if row["status"] == R.WAITLISTED:
            waiting += 1
            position = waiting
        by_registration.setdefault(row["registration"], []).append(
            AttendeeView.from_row(row, preferences.get(row["id"], ()), position)
        )
    return by_registration


async def _preferences(session_id: int) -> dict[int, list[int]]:
    rows = await (
        TopicPreference.select(TopicPreference.attendee, TopicPreference.segment)
        .where(TopicPreference.attendee.exchange_session == session_id)
        .order_by(TopicPreference.attendee)
        .order_by(TopicPreference.rank)
    )
    found: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row["attendee"], []).append(row["segment"])
    return found


async def _answers(session_id: int) -> dict[int, dict[int, str]]:
    rows = await SharingAnswer.select(
        SharingAnswer.registration, SharingAnswer.item, SharingAnswer.text
    ).where(SharingAnswer.registration.exchange_session == session_id)
    found: dict[int, dict[int, str]] = {}
    for row in rows:
        found.setdefault(row["registration"], {})[row["item"]] = row["text"]
    return found
