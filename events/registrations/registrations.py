"""Registering, changing and cancelling a delegation, with capacity enforced atomically.

Every change runs in one write transaction that first locks the session (FOR UPDATE on
PostgreSQL; BEGIN IMMEDIATE on SQLite), so concurrent registrations see each other's counts
and the session never holds more confirmed attendees than its capacity. Whoever does not fit
waits on the list in arrival order and is promoted as soon as a place frees up.

The lock is held until the commit, so a first registration does little under it
(newcomers.py): it counts, decides, and writes the rows and mails in a few statements. Before
the transaction, changes to one session take turns in the process (events/sessions/turns.py):
waiting for the lock then holds no database connection. Registrations that wait for the turn
meanwhile are made in one transaction, one after another, as they would have been alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from events.audit import trail
from events.enums import RegistrationStatus as R
from events.enums import SessionStatus
from events.invitations.invitations import CoordinatorAccess
from events.lib.bulk_insert import insert_rows
from events.lib.clock import utcnow
from events.lib.database import is_unique_violation, write_transaction
from events.lib.errors import ConflictError, NotFoundError, ValidationError
from events.lib.i18n import N_
from events.lib.tokens import LinkKind, new_personal_link
from events.registrations import mail as participant_mail
from events.registrations import repeats, report_consent
from events.registrations.delegations import AttendeeInput, DelegationInput, check
from events.registrations.newcomers import (
    Newcomer,
    add_to_new_registration,
    insert_attendees,
    insert_preferences,
    person_values,
    to_newcomer,
)
from events.registrations.queries import DelegationView, active_attendees, registration_row
from events.registrations.waitlist import (
    confirmed_count,
    places_and_registration,
    promote_waitlisted,
    refresh_registration_status,
)
from events.sessions.exchange_sessions import (
    ExchangeSessionView,
    locked_session,
    locked_session_once,
)
from events.sessions.turns import one_at_a_time, together
from events.tables import Attendee, Registration, SharingAnswer, TopicPreference


@dataclass(frozen=True)
class Actor:
    """Who changes a delegation: its coordinator (bound by the deadline) or an organizer."""

    name: str
    is_organizer: bool = False


@dataclass(frozen=True)
class Mailed:
    """How many people of the delegation a change queued a message for, and which."""

    links: int = 0  # newcomers: their personal link (confirmed or waiting)
    cancellations: int = 0  # people taken off: the cancellation of their registration


@dataclass(frozen=True)
class Registered:
    """The registration a request for one is answered with."""

    id: int
    # The request repeated the stored registration: nothing was written and nobody mailed.
    replayed: bool = False
    # The delegation as this request wrote it, when it wrote a new registration row (one
    # registered again after a cancellation also lists the people taken off before).
    written: DelegationView | None = None


@dataclass(frozen=True)
class Saved:
    """What saving the coordinator's form did: a first registration, a change, or nothing
    when the form repeated the registration already stored (a double submit)."""

    registered: bool
    mailed: Mailed
    repeated: bool = False


def coordinator(access: CoordinatorAccess) -> Actor:
    return Actor(name=f"coordinator:{access.municipality_code}")


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

    async def change() -> Registered:
        session = await locked_session_once(access.session.id, access.session)
        counts, existing = await places_and_registration(session.id, access.municipality_code)
        active = existing if existing is not None and existing["status"] != R.CANCELLED else None
        # A repeat is answered even once registration has closed: the registration was made
        # in time, only its answer was lost on the way.
        if active is not None and await repeats.is_repeat(active, delegation, idempotency_key):
            return Registered(int(active["id"]), replayed=True)
        _refuse_when_closed(session, actor, now)
        check(delegation, session)
        if active is not None:
            raise ConflictError(
                N_("この自治体はすでに登録済みです。変更は登録内容の編集から行ってください。"),
                field="registration",
            )
        status = R.CONFIRMED if counts[0] < session.capacity else R.WAITLISTED
        registration_id = await _store_registration(
            session.id, access, delegation, existing, status, now, idempotency_key
        )
        people = await add_to_new_registration(
            session, registration_id, newcomers, counts, now, ahead
        )
        if existing is not None:  # a row registered before keeps its old answers until here
            await _store_answers(registration_id, delegation)
        else:
            await _insert_answers(registration_id, delegation)
        await _audit(actor, "delegation_registered", session, access, delegation)
        if existing is not None:
            return Registered(registration_id)
        written = DelegationView(
            id=registration_id,
            municipality_code=access.municipality_code,
            status=status,
            plan_status=delegation.plan_status,
            updated_at=now,
            attendees=people,
            sharing_answers=dict(delegation.sharing_answers),
            report_consent=bool(delegation.report_consent),
        )
        return Registered(registration_id, written=written)

    async with duplicate_emails_explained():
        # Registrations come in bursts: those waiting for the session share a transaction.
        return await together(access.session.id, change, lambda: _transaction(access))


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
        await _store_answers(registration["id"], delegation)
        await promote_waiting(session, now)
        await refresh_registration_status(registration["id"])
        await _audit(actor, "delegation_updated", session, access, delegation)
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
    _refuse_when_closed(session, actor, now)
    return session


def _refuse_when_closed(session: ExchangeSessionView, actor: Actor, now: dt.datetime) -> None:
    reason = None if actor.is_organizer else closed_reason(session, now)
    if reason is not None:
        raise ConflictError(reason, field="status")


def closed_reason(session: ExchangeSessionView, now: dt.datetime) -> str | None:
    """Why a coordinator cannot change a delegation now (a msgid), or None while it is open."""
    if session.accepts_registrations(now):
        return None
    if session.status == SessionStatus.DRAFT:
        return N_("参加登録の受付はまだ始まっていません。")
    if session.is_cancelled:
        return N_("この情報交換会は中止になりました。")
    return N_("参加登録の受付は終了しています。変更が必要な場合は主催者にご連絡ください。")


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


async def _audit(
    actor: Actor,
    action: str,
    session: ExchangeSessionView,
    access: CoordinatorAccess,
    delegation: DelegationInput,
) -> None:
    await trail.record(
        actor.name,
        action,
        session_id=session.id,
        details={"municipality": access.municipality_code, "attendees": len(delegation.attendees)},
    )


async def active_registration(session_id: int, code: str) -> dict[str, Any]:
    row = await registration_row(session_id, code)
    if row is None or row["status"] == R.CANCELLED:
        raise NotFoundError(N_("この自治体の参加登録はまだありません。"), field="registration")
    return row


async def _store_registration(
    session_id: int,
    access: CoordinatorAccess,
    delegation: DelegationInput,
    existing: dict[str, Any] | None,
    status: R,
    now: dt.datetime,
    idempotency_key: str | None,
) -> int:
    # The key is kept with what it was sent with, so that its repeat can be told from misuse.
    key_hash = repeats.key_hash(idempotency_key)
    fingerprint = repeats.fingerprint(delegation) if idempotency_key else None
    if existing is not None:  # registering again after a cancellation reuses the row
        await Registration.update(
            {
                Registration.status: status,
                Registration.plan_status: delegation.plan_status,
                Registration.updated_at: now,
                Registration.idempotency_key_hash: key_hash,
                Registration.request_fingerprint: fingerprint,
            }
        ).where(Registration.id == existing["id"])
        await report_consent.store(existing["id"], delegation.report_consent, now)
        return int(existing["id"])
    row = {
        "exchange_session": session_id,
        "municipality": access.municipality_code,
        "plan_status": delegation.plan_status,
        "status": status,
        **report_consent.new_row_values(delegation.report_consent, now),
        "created_at": now,
        "updated_at": now,
        "idempotency_key_hash": key_hash,
        "request_fingerprint": fingerprint,
    }
    [stored] = await insert_rows(Registration, [row], returning=("id",))
    return int(stored["id"])


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
    [stored] = await insert_attendees(registration_id, [values], (newcomer,))
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


async def _store_answers(registration_id: int, delegation: DelegationInput) -> None:
    await SharingAnswer.delete().where(SharingAnswer.registration == registration_id)
    await _insert_answers(registration_id, delegation)


async def _insert_answers(registration_id: int, delegation: DelegationInput) -> None:
    if delegation.sharing_answers:
        await SharingAnswer.insert(
            *(
                SharingAnswer(registration=registration_id, item=item, text=text)
                for item, text in delegation.sharing_answers.items()
            )
        )


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
