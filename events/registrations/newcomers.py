"""The people a first registration adds: their rows and mails, written under the lock.

Under the session lock each registration of a session waits for the one before, so it only
decides and writes: the attendee rows in one INSERT, and their mails in another. Their mails
cost little there: what a mail says is rendered once per session version and filled in per
person (mail.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.enums import RegistrationStatus as R
from events.lib.bulk_insert import insert_rows
from events.lib.i18n import current_locale
from events.lib.tokens import LinkKind, new_personal_link
from events.mail import outbox
from events.registrations import mail as participant_mail
from events.registrations.delegations import AttendeeInput
from events.registrations.queries import AttendeeView
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import Attendee, TopicPreference


@dataclass(frozen=True)
class Newcomer:
    """Someone a change adds: the values of their row as holding a place (their link
    included), and the discussion topics they prefer, in order."""

    values: dict[str, Any]
    topic_preferences: tuple[int, ...]


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


async def add_to_new_registration(
    session: ExchangeSessionView,
    registration_id: int,
    newcomers: tuple[Newcomer, ...],
    counts: tuple[int, int],
    now: dt.datetime,
    ahead: participant_mail.ConfirmationsAhead,
) -> tuple[AttendeeView, ...]:
    """Under the lock: store the newcomers of a registration the transaction created (or
    made active again), the first ones in the free places and the others last in line, and
    queue their mails (those of a place mostly rendered `ahead`). `counts` are the session's
    confirmed and waiting attendees. Returns them as stored, with their places in line."""
    confirmed, waiting = counts
    free = session.capacity - confirmed
    decided = [
        newcomer.values
        if index < free
        else {**newcomer.values, "status": R.WAITLISTED, "waitlisted_at": now}
        for index, newcomer in enumerate(newcomers)
    ]
    stored = await insert_attendees(registration_id, decided, newcomers)
    mails: list[outbox.OutgoingMail] = []
    people: list[AttendeeView] = []
    for row, newcomer in zip(stored, newcomers, strict=True):
        position = None
        if row["status"] == R.CONFIRMED:
            # Nobody is in a group before their row exists: a new place's mails are a
            # confirmation's.
            place = ahead.for_place(session, row, now)
            mails += participant_mail.newcomer_place(place, session.id, row["id"])
        else:
            waiting += 1  # ids follow the order of the INSERT: each is last in line
            position = waiting
            mails.append(participant_mail.waitlist_mail(session, row, position))
        people.append(AttendeeView.from_row(row, newcomer.topic_preferences, position))
    # The keys of these mails name rows created just now: nothing waiting bears them.
    await outbox.enqueue_new(*mails)
    return tuple(people)


async def insert_attendees(
    registration_id: int, values: list[dict[str, Any]], newcomers: tuple[Newcomer, ...]
) -> list[dict[str, Any]]:
    """Store attendee rows and their topic preferences in one INSERT each; the rows as
    stored, in the order given. Ids are matched by e-mail (unique in a session), not by the
    order RETURNING gives them in, which neither engine promises."""
    rows = [{"registration": registration_id, **row_values} for row_values in values]
    inserted = await insert_rows(Attendee, rows, returning=("id", "email"))
    ids = {row["email"]: row["id"] for row in inserted}
    stored = [{"id": ids[row["email"]], **row} for row in rows]
    preferences = [
        preference
        for row, newcomer in zip(stored, newcomers, strict=True)
        for preference in _preference_rows(row["id"], newcomer.topic_preferences)
    ]
    await insert_rows(TopicPreference, preferences)
    return stored


async def insert_preferences(attendee_id: int, topics: tuple[int, ...]) -> None:
    await insert_rows(TopicPreference, _preference_rows(attendee_id, topics))


def _preference_rows(attendee_id: int, topics: tuple[int, ...]) -> list[dict[str, int]]:
    """The topics an attendee prefers, most wanted first (rank 1)."""
    return [
        {"attendee": attendee_id, "segment": topic, "rank": rank}
        for rank, topic in enumerate(topics, start=1)
    ]
