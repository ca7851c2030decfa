"""The people a first registration adds: their rows and mails, rendered before the lock.

Rendering (templates, calendar files) costs far more than deciding, and under the session lock
each registration of a session waits for the one before. So the mails of a first
registration's newcomers are rendered before the lock, as the session looks then, and under
the lock only what was decided is written: the attendee rows in one INSERT, and their mails
in another. A guess that proves wrong (a place taken or freed meanwhile, the session changed)
only moves rendering back under the lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.enums import RegistrationStatus as R
from events.lib.i18n import current_locale
from events.lib.tokens import LinkKind, new_personal_link
from events.mail import outbox
from events.registrations import mail as participant_mail
from events.registrations.delegations import AttendeeInput
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import Attendee, TopicPreference


@dataclass(frozen=True)
class Newcomer:
    """Someone a change adds: the values of their row as holding a place (their link
    included), and the mails rendered for them before the session was locked (those of a
    place, or the waitlist mail), with the session they were rendered from."""

    values: dict[str, Any]
    topic_preferences: tuple[int, ...]
    place_mails: participant_mail.PlaceMails | None = None
    waitlist_mail: participant_mail.WaitlistMail | None = None
    rendered_for: ExchangeSessionView | None = None


def to_newcomer(session_id: int, attendee: AttendeeInput, now: dt.datetime) -> Newcomer:
    link = new_personal_link(LinkKind.ATTENDEE)
    values = {
        "exchange_session": session_id,
        **person_values(attendee),
        "locale": current_locale(),
        "status": R.CONFIRMED,
        "waitlisted_at": None,
        "token_hash": link.token_hash,
        "link_nonce": link.nonce,
        "created_at": now,
        "updated_at": now,
    }
    return Newcomer(values, attendee.topic_preferences)


def person_values(attendee: AttendeeInput) -> dict[str, Any]:
    """The columns of an attendee row the coordinator fills in."""
    return {
        "name": attendee.name,
        "reading": attendee.reading,
        "department": attendee.department,
        "position": attendee.position,
        "is_digital_department": attendee.is_digital_department,
        "email": attendee.email,
        "share_contact": attendee.share_contact,
    }


def rendered_ahead(
    session: ExchangeSessionView, newcomers: tuple[Newcomer, ...], free: int, now: dt.datetime
) -> tuple[Newcomer, ...]:
    """The newcomers with their mails rendered from `session` with `free` places: the first
    ones get the mails of a place, the others the waitlist mail (their place in line is
    known only under the lock, and filled in there)."""
    return tuple(
        dataclasses.replace(
            newcomer,
            place_mails=participant_mail.confirmation_mails(session, newcomer.values, now),
            rendered_for=session,
        )
        if index < free
        else dataclasses.replace(
            newcomer,
            waitlist_mail=participant_mail.waitlist_mail(session, newcomer.values),
            rendered_for=session,
        )
        for index, newcomer in enumerate(newcomers)
    )


async def add_to_new_registration(
    session: ExchangeSessionView,
    registration_id: int,
    newcomers: tuple[Newcomer, ...],
    counts: tuple[int, int],
    now: dt.datetime,
) -> None:
    """Under the lock: store the newcomers of a registration the transaction created (or
    made active again), the first ones in the free places and the others last in line, and
    queue their mails. `counts` are the session's confirmed and waiting attendees."""
    confirmed, waiting = counts
    free = session.capacity - confirmed
    decided = [
        newcomer.values
        if index < free
        else {**newcomer.values, "status": R.WAITLISTED, "waitlisted_at": now}
        for index, newcomer in enumerate(newcomers)
    ]
    stored = await _insert_attendees(registration_id, decided, newcomers)
    mails: list[outbox.OutgoingMail] = []
    for newcomer, row in zip(newcomers, stored, strict=True):
        if row["status"] == R.CONFIRMED:
            mails += _place_mails(session, newcomer, row, now)
        else:
            waiting += 1  # ids follow the order of the INSERT: each is last in line
            mails.append(_waitlist_mail(session, newcomer, row).at(waiting))
    # The keys of these mails name rows created just now: nothing waiting bears them.
    await outbox.enqueue_new(*mails)


def _place_mails(
    session: ExchangeSessionView, newcomer: Newcomer, row: dict[str, Any], now: dt.datetime
) -> tuple[outbox.OutgoingMail, ...]:
    """Nobody is in a group before their row exists: a new place's mails are a confirmation's."""
    mails = newcomer.place_mails
    if mails is None or newcomer.rendered_for != session:
        mails = participant_mail.confirmation_mails(session, row, now)
    return participant_mail.newcomer_place(mails, session.id, row["id"])


def _waitlist_mail(
    session: ExchangeSessionView, newcomer: Newcomer, row: dict[str, Any]
) -> participant_mail.WaitlistMail:
    mail = newcomer.waitlist_mail
    if mail is None or newcomer.rendered_for != session:
        mail = participant_mail.waitlist_mail(session, row)
    return mail


async def _insert_attendees(
    registration_id: int, values: list[dict[str, Any]], newcomers: tuple[Newcomer, ...]
) -> list[dict[str, Any]]:
    """Store attendee rows and their topic preferences in one INSERT each; the rows as
    stored, in the order given. Ids are matched by e-mail (unique in a session), not by the
    order RETURNING gives them in, which neither engine promises."""
    rows = [Attendee(registration=registration_id, **row_values) for row_values in values]
    inserted = await Attendee.insert(*rows).returning(Attendee.id, Attendee.email)
    ids = {row["email"]: row["id"] for row in inserted}
    for row in rows:
        row.id = ids[row.email]
    preferences = [
        TopicPreference(attendee=row.id, segment=topic, rank=rank)
        for row, newcomer in zip(rows, newcomers, strict=True)
        for rank, topic in enumerate(newcomer.topic_preferences, start=1)
    ]
    if preferences:
        await TopicPreference.insert(*preferences)
    return [row.to_dict() for row in rows]


async def insert_preferences(attendee_id: int, topics: tuple[int, ...]) -> None:
    if topics:
        await TopicPreference.insert(
            *(
                TopicPreference(attendee=attendee_id, segment=topic, rank=rank)
                for rank, topic in enumerate(topics, start=1)
            )
        )
