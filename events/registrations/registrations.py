"""Registering, changing and cancelling a delegation, with capacity enforced atomically.

Every change runs in one write transaction that first locks the session (FOR UPDATE on
PostgreSQL; BEGIN IMMEDIATE on SQLite), so concurrent registrations see each other's counts
and the session never holds more confirmed attendees than its capacity. Whoever does not fit
waits on the list in arrival order and is promoted as soon as a place frees up.

The lock is held until the commit, so a first registration does little under it
(first_registrations.py): it counts, decides, and writes the rows and mails in a few
statements. Before the transaction, changes to one session take turns in the process
(events/sessions/turns.py): waiting for the lock then holds no database connection.
Registrations that wait for the turn meanwhile are decided together, each as it would have
been alone, and written in the same few statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from events.audit import trail
from events.enums import RegistrationStatus as R
from events.invitations.invitations import CoordinatorAccess
from events.lib.clock import utcnow
from events.lib.database import is_unique_violation, write_transaction
from events.lib.errors import NotFoundError, ValidationError
from events.lib.i18n import N_
from events.lib.tokens import LinkKind, new_personal_link
from events.registrations import mail as participant_mail
from events.registrations import repeats, report_consent
from events.registrations.actors import Actor, coordinator, record_change, refuse_when_closed
from events.registrations.answers import store_answers
from events.registrations.delegations import AttendeeInput, DelegationInput, check
from events.registrations.first_registrations import (
    Registered,
    RegistrationRequest,
    decide_registrations,
)
from events.registrations.newcomers import (
    Newcomer,
    insert_attendees,
    insert_preferences,
    person_values,
    to_newcomer,
)
from events.registrations.queries import active_attendees, registration_row
from events.registrations.waitlist import (
    confirmed_count,
    promote_waitlisted,
    refresh_registration_status,
)
from events.sessions.exchange_sessions import ExchangeSessionView, locked_session
from events.sessions.turns import one_at_a_time, together
from events.tables import Attendee, Registration, TopicPreference


@dataclass(frozen=True)
class Mailed:
    """How many people of the delegation a change queued a message for, and which."""

    links: int = 0  # newcomers: their personal link (confirmed or waiting)
    cancellations: int = 0  # people taken off: the cancellation of their registration


@dataclass(frozen=True)
class Saved:
    """What saving the coordinator's form did: a first registration, a change, or nothing
    when the form repeated the registration already stored (a double submit)."""

    registered: bool
    mailed: Mailed
    repeated: bool = False


async def register(
    access: CoordinatorAccess,
    delegation: DelegationInput,
    *,
    idempotency_key: str | None = None,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Registered:
    """Register the municipality's delegation. A repeat of the active registration (the
    same key and content, or without a key the same content) is answered with it, unchanged;
    any other registration for the municipality is a conflict."""
    now, actor = now or utcnow(), actor or coordinator(access)
    delegation = delegation.normalized()
    # Made before the session's turn: only the decision and the writes wait for it.
    newcomers = tuple(to_newcomer(access.session.id, each, now) for each in delegation.attendees)
    ahead = participant_mail.ConfirmationsAhead.render(
        access.session, [newcomer.values for newcomer in newcomers], now
    )

    request = RegistrationRequest(access, delegation, idempotency_key, actor, now, newcomers, ahead)
    async with duplicate_emails_explained():
        # Registrations come in bursts: those waiting for the session are decided at once.
        return await together(
            access.session.id, request, decide_registrations, lambda: _transaction(access)
        )


async def update(
    access: CoordinatorAccess,
    delegation: DelegationInput,
    *,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Mailed:
    """Replace the delegation: edit, add, swap or remove attendees, keeping places held."""
    now, actor = now or utcnow(), actor or coordinator(access)
    delegation = delegation.normalized()
    async with duplicate_emails_explained(), _changing(access):
        session = await open_for_change(access, actor, now)
        check(delegation, session)
        registration = await active_registration(session.id, access.municipality_code)
        await Registration.update(
            {Registration.plan_status: delegation.plan_status, Registration.updated_at: now}
        ).where(Registration.id == registration["id"])
        await report_consent.store(registration["id"], delegation.report_consent, now)
        mailed = await _apply_attendee_changes(
            session, registration["id"], delegation.attendees, now
        )
        await store_answers(registration["id"], delegation)
        await promote_waiting(session, now)
        await refresh_registration_status(registration["id"])
        await record_change(actor, "delegation_updated", session, access, delegation)
    return mailed


async def save(
    access: CoordinatorAccess, delegation: DelegationInput, *, now: dt.datetime | None = None
) -> Saved:
    """What the coordinator's form does: register the first time, replace the delegation after."""
    existing = await registration_row(access.session.id, access.municipality_code)
    if existing is None or existing["status"] == R.CANCELLED:
        if (await register(access, delegation, now=now)).replayed:
            return Saved(registered=True, mailed=Mailed(), repeated=True)
        # Every attendee of a new registration is mailed their link (a place or the wait).
        return Saved(registered=True, mailed=Mailed(links=len(delegation.normalized().attendees)))
    # The registration form sent again (no attendee has an id yet) with what is stored.
    first_form = not any(attendee.id for attendee in delegation.attendees)
    if first_form and await repeats.is_repeat(existing, delegation.normalized(), None):
        return Saved(registered=True, mailed=Mailed(), repeated=True)
    return Saved(registered=False, mailed=await update(access, delegation, now=now))


async def cancel(
    access: CoordinatorAccess, *, actor: Actor | None = None, now: dt.datetime | None = None
) -> Mailed:
    """Cancel the whole delegation; freed places go to the waiting list at once."""
    now, actor = now or utcnow(), actor or coordinator(access)
    async with _changing(access):
        session = await open_for_change(access, actor, now)
        registration = await active_registration(session.id, access.municipality_code)
        leaving = await active_attendees(registration["id"])
        for attendee in leaving:
            await remove_attendee_row(session, attendee, now)
        await Registration.update(
            {Registration.status: R.CANCELLED, Registration.updated_at: now}
        ).where(Registration.id == registration["id"])
        await promote_waiting(session, now)
        await trail.record(
            actor.name,
            "registration_cancelled",
            session_id=session.id,
            details={"municipality": access.municipality_code},
        )
    return Mailed(cancellations=len(leaving))


async def open_for_change(
    access: CoordinatorAccess, actor: Actor, now: dt.datetime
) -> ExchangeSessionView:
    """Lock the session; coordinators may change things only until the deadline."""
    session = await locked_session(access.session.id, access.session)
    refuse_when_closed(session, actor, now)
    return session


@asynccontextmanager
async def duplicate_emails_explained() -> AsyncIterator[None]:
    """The partial unique index on (session, e-mail) is the final guard; say it like a check."""
    try:
        yield
    except Exception as error:
        if is_unique_violation(error):
            raise ValidationError(
                N_("このメールアドレスはすでにこの情報交換会に登録されています。"),
                field="attendees",
            ) from None
        raise


async def active_registration(session_id: int, code: str) -> dict[str, Any]:
    row = await registration_row(session_id, code)
    if row is None or row["status"] == R.CANCELLED:
        raise NotFoundError(N_("この自治体の参加登録はまだありません。"), field="registration")
    return row


async def _add_attendee(
    session: ExchangeSessionView,
    registration_id: int,
    newcomer: Newcomer,
    has_place: bool,
    now: dt.datetime,
) -> None:
    """Add someone to a delegation that is changed, and queue their mail, rendered here."""
    values = newcomer.values
    if not has_place:
        values = {**values, "status": R.WAITLISTED, "waitlisted_at": now}
    [stored] = await insert_attendees(
        [{"registration": registration_id, **values}], [newcomer.topic_preferences]
    )
    if has_place:
        await participant_mail.confirmed(session, stored, now)
    else:
        await participant_mail.waitlisted(session, stored)


async def _apply_attendee_changes(
    session: ExchangeSessionView,
    registration_id: int,
    attendees: tuple[AttendeeInput, ...],
    now: dt.datetime,
) -> Mailed:
    current = {row["id"]: row for row in await active_attendees(registration_id)}
    kept = {attendee.id for attendee in attendees if attendee.id in current}
    links = cancellations = 0
    for attendee_id, row in current.items():
        if attendee_id not in kept:
            await remove_attendee_row(session, row, now)
            cancellations += 1
    free = session.capacity - await confirmed_count(session.id)
    for attendee in attendees:
        if attendee.id in current:
            swapped = await _edit_attendee(session, current[attendee.id], attendee, now)
            links += swapped
            cancellations += swapped
        else:
            added = to_newcomer(session.id, attendee, now)
            await _add_attendee(session, registration_id, added, free > 0, now)
            free -= 1
            links += 1
    return Mailed(links=links, cancellations=cancellations)


async def _edit_attendee(
    session: ExchangeSessionView, row: dict[str, Any], attendee: AttendeeInput, now: dt.datetime
) -> bool:
    """Edit someone in place; a new e-mail address means another person took the place (then
    the one leaving and the one coming are mailed, and True is returned)."""
    edited = {**row, **person_values(attendee), "updated_at": now}
    swapped = attendee.email != str(row["email"])
    if swapped:
        # The old person's calendar entry goes; the newcomer gets a link of their own.
        await participant_mail.removed(session, row, now)
        link = new_personal_link(LinkKind.ATTENDEE)
        edited |= {"token_hash": link.token_hash, "link_nonce": link.nonce}
    changes = {key: value for key, value in edited.items() if key != "id"}
    await Attendee.update(**changes).where(Attendee.id == row["id"])
    await _store_preferences(row["id"], attendee.topic_preferences)
    if swapped and edited["status"] == R.CONFIRMED:
        await participant_mail.confirmed(session, edited, now)
    elif swapped:
        await participant_mail.waitlisted(session, edited)
    return swapped


async def remove_attendee_row(
    session: ExchangeSessionView, row: dict[str, Any], now: dt.datetime
) -> None:
    await Attendee.update(
        {Attendee.status: R.CANCELLED, Attendee.waitlisted_at: None, Attendee.updated_at: now}
    ).where(Attendee.id == row["id"])
    await participant_mail.removed(session, row, now)


async def promote_waiting(session: ExchangeSessionView, now: dt.datetime) -> None:
    for attendee in await promote_waitlisted(session, now):
        await participant_mail.promoted(session, attendee, now)


async def _store_preferences(attendee_id: int, topics: tuple[int, ...]) -> None:
    await TopicPreference.delete().where(TopicPreference.attendee == attendee_id)
    await insert_preferences(attendee_id, topics)


@asynccontextmanager
async def _changing(access: CoordinatorAccess) -> AsyncIterator[None]:
    """The transaction of a change to the delegation, once the session's turn has come."""
    async with one_at_a_time(access.session.id), _transaction(access):
        yield


def _transaction(access: CoordinatorAccess) -> AbstractAsyncContextManager[None]:
    return write_transaction(sessions=_session_pages(access))


def _session_pages(access: CoordinatorAccess) -> frozenset[int]:
    """The session whose own pages a change to a delegation shows on (besides pages listing
    many sessions or municipalities): the other sessions' kept pages stay valid."""
    return frozenset({access.session.id})
