"""First registrations of delegations, decided under the session's lock: one request alone,
or all those that waited for the session's turn at once (events/sessions/turns.py).

Each request is decided as if it came alone, in the order they came: it counts the places
the ones before it took, and one refused writes nothing. Only then are the accepted ones
written: their registration rows in one INSERT, their people in another, their mails and
trail at the commit. Under a burst a registration waited mostly for the round trips of the
ones before it; a group now makes about as many as one registration did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.enums import RegistrationStatus as R
from events.invitations.invitations import CoordinatorAccess
from events.lib.bulk_insert import insert_rows
from events.lib.errors import ConflictError, DomainError
from events.lib.i18n import N_
from events.registrations import mail as participant_mail
from events.registrations import repeats, report_consent
from events.registrations.actors import Actor, record_change, refuse_when_closed
from events.registrations.answers import insert_answers, store_answers
from events.registrations.delegations import DelegationInput, check
from events.registrations.newcomers import (
    Newcomer,
    RegistrationNewcomers,
    add_newcomers,
    decide_places,
)
from events.registrations.queries import DelegationView
from events.registrations.waitlist import places_and_registrations
from events.sessions.exchange_sessions import ExchangeSessionView, locked_session
from events.tables import Registration


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
class RegistrationRequest:
    """A delegation to register, with what was made for it before the session's turn."""

    access: CoordinatorAccess
    delegation: DelegationInput  # normalized
    idempotency_key: str | None
    actor: Actor
    now: dt.datetime
    newcomers: tuple[Newcomer, ...]
    ahead: participant_mail.ConfirmationsAhead


class _SentTwice(Exception):
    """One municipality's delegation twice among the requests: each is then decided alone,
    and the second sees the registration the first made."""


@dataclass(frozen=True)
class _Accepted:
    request: RegistrationRequest
    status: R
    attendee_rows: tuple[dict[str, Any], ...]
    counts: tuple[int, int]  # the session's confirmed and waiting attendees with these
    reused_id: int | None  # registered again after a cancellation: the row made active again


async def decide_registrations(
    requests: list[RegistrationRequest],
) -> list[Registered | Exception]:
    """Register each request's delegation, or answer it with why not (a repeat of the active
    registration is answered with it, unchanged). Call in the session's turn, inside a write
    transaction; raises only when the requests must be decided again, each alone."""
    first = requests[0].access.session
    session = await locked_session(first.id, first)
    codes = [request.access.municipality_code for request in requests]
    if len(set(codes)) < len(codes):
        raise _SentTwice
    counts, registrations = await places_and_registrations(session.id, codes)
    waiting_before = counts[1]
    outcomes: list[Registered | Exception | _Accepted] = []
    for request in requests:
        existing = registrations.get(request.access.municipality_code)
        try:
            outcome = await _decided(request, session, existing, counts)
        except DomainError as refused:
            outcomes.append(refused)
            continue
        if isinstance(outcome, _Accepted):
            counts = outcome.counts
        outcomes.append(outcome)
    accepted = [outcome for outcome in outcomes if isinstance(outcome, _Accepted)]
    written = iter(await _write(session, accepted, waiting_before))
    return [next(written) if isinstance(each, _Accepted) else each for each in outcomes]


async def _decided(
    request: RegistrationRequest,
    session: ExchangeSessionView,
    existing: dict[str, Any] | None,
    counts: tuple[int, int],
) -> Registered | _Accepted:
    """A repeat's answer, or the request accepted: raises a DomainError when it is refused."""
    delegation = request.delegation
    active = existing if existing is not None and existing["status"] != R.CANCELLED else None
    # A repeat is answered even once registration has closed: the registration was made in
    # time, only its answer was lost on the way.
    if active is not None and await repeats.is_repeat(active, delegation, request.idempotency_key):
        return Registered(int(active["id"]), replayed=True)
    refuse_when_closed(session, request.actor, request.now)
    check(delegation, session)
    if active is not None:
        raise ConflictError(
            N_("この自治体はすでに登録済みです。変更は登録内容の編集から行ってください。"),
            field="registration",
        )
    status = R.CONFIRMED if counts[0] < session.capacity else R.WAITLISTED
    rows, after = decide_places(request.newcomers, counts, session.capacity, request.now)
    if existing is None:
        return _Accepted(request, status, rows, after, reused_id=None)
    await _reuse(existing["id"], request, status)
    return _Accepted(request, status, rows, after, reused_id=int(existing["id"]))


async def _reuse(registration_id: int, request: RegistrationRequest, status: R) -> None:
    """Make a cancelled registration row active again with the request's delegation."""
    delegation = request.delegation
    await Registration.update(
        status=status,
        plan_status=delegation.plan_status,
        updated_at=request.now,
        **_key_values(request),
    ).where(Registration.id == registration_id)
    await report_consent.store(registration_id, delegation.report_consent, request.now)
    await store_answers(registration_id, delegation)  # the row keeps its old answers until here


def _key_values(request: RegistrationRequest) -> dict[str, Any]:
    # The key is kept with what it was sent with, so that its repeat can be told from misuse.
    key = request.idempotency_key
    return {
        "idempotency_key_hash": repeats.key_hash(key),
        "request_fingerprint": repeats.fingerprint(request.delegation) if key else None,
    }


async def _write(
    session: ExchangeSessionView, accepted: Sequence[_Accepted], waiting_before: int
) -> list[Registered]:
    """Store the accepted requests' new registration rows, their people and answers, and
    queue their mails and trail; each one's answer, in order."""
    new = [each for each in accepted if each.reused_id is None]
    stored = await insert_rows(
        Registration, [_new_row(session.id, each) for each in new], returning=("id", "municipality")
    )
    ids = {row["municipality"]: int(row["id"]) for row in stored}
    registration_ids = [
        each.reused_id or ids[each.request.access.municipality_code] for each in accepted
    ]
    people = await add_newcomers(
        session,
        [
            RegistrationNewcomers(
                registration_id,
                each.request.newcomers,
                each.attendee_rows,
                each.request.ahead,
                each.request.now,
            )
            for registration_id, each in zip(registration_ids, accepted, strict=True)
        ],
        waiting_before,
    )
    await insert_answers(
        [(ids[each.request.access.municipality_code], each.request.delegation) for each in new]
    )
    answers: list[Registered] = []
    for registration_id, each, delegation_people in zip(
        registration_ids, accepted, people, strict=True
    ):
        request = each.request
        await record_change(
            request.actor, "delegation_registered", session, request.access, request.delegation
        )
        if each.reused_id is not None:
            answers.append(Registered(registration_id))
            continue
        view = DelegationView(
            id=registration_id,
            municipality_code=request.access.municipality_code,
            status=each.status,
            plan_status=request.delegation.plan_status,
            updated_at=request.now,
            attendees=delegation_people,
            sharing_answers=dict(request.delegation.sharing_answers),
            report_consent=bool(request.delegation.report_consent),
        )
        answers.append(Registered(registration_id, written=view))
    return answers


def _new_row(session_id: int, accepted: _Accepted) -> dict[str, Any]:
    request = accepted.request
    delegation = request.delegation
    return {
        "exchange_session": session_id,
        "municipality": request.access.municipality_code,
        "plan_status": delegation.plan_status,
        "status": accepted.status,
        **report_consent.new_row_values(delegation.report_consent, request.now),
        "created_at": request.now,
        "updated_at": request.now,
        **_key_values(request),
    }
