"""The people first registrations add: their places, rows and mails, written under the lock.

Under the session lock the registrations of a session wait for the ones before, so they only
decide and write: the attendee rows of all the registrations decided together in one INSERT,
and their mails at the commit. Their mails cost little there: what a mail says is rendered
before the lock, or once per session version and filled in per person (mail.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


@dataclass(frozen=True)
class RegistrationNewcomers:
    """The newcomers of one registration this transaction created (or made active again),
    their places decided, and their place mails rendered ahead. (A mail is written in the
    language stored with its attendee, not in the language of whoever runs the decision.)"""

    registration_id: int
    newcomers: tuple[Newcomer, ...]
    rows: tuple[dict[str, Any], ...]  # their attendee rows, each holding a place or waiting
    ahead: participant_mail.ConfirmationsAhead
    now: dt.datetime


def decide_places(
    newcomers: tuple[Newcomer, ...], counts: tuple[int, int], capacity: int, now: dt.datetime
) -> tuple[tuple[dict[str, Any], ...], tuple[int, int]]:
    """The newcomers' rows, the first ones in the free places and the others last in line,
    and the session's confirmed and waiting attendees (`counts` before) with them."""
    confirmed, waiting = counts
    placed = max(0, min(capacity - confirmed, len(newcomers)))
    rows = tuple(
        newcomer.values
        if index < placed
        else {**newcomer.values, "status": R.WAITLISTED, "waitlisted_at": now}
        for index, newcomer in enumerate(newcomers)
    )
    return rows, (confirmed + placed, waiting + len(newcomers) - placed)


async def add_newcomers(
    session: ExchangeSessionView, registrations: Sequence[RegistrationNewcomers], waiting: int
) -> list[tuple[AttendeeView, ...]]:
    """Under the lock: store the newcomers of these registrations in one INSERT, in order,
    and queue their mails (those of a place mostly rendered ahead). `waiting` is how many
    attendees of the session waited before them. Returns each registration's people as
    stored, with their places in line."""
    stored = iter(
        await insert_attendees(
            [
                {"registration": each.registration_id, **row}
                for each in registrations
                for row in each.rows
            ],
            [newcomer.topic_preferences for each in registrations for newcomer in each.newcomers],
        )
    )
    mails: list[outbox.OutgoingMail] = []
    people: list[tuple[AttendeeView, ...]] = []
    for each in registrations:
        theirs: list[AttendeeView] = []
        for newcomer in each.newcomers:
            row = next(stored)
            position = None
            if row["status"] == R.CONFIRMED:
                # Nobody is in a group before their row exists: a new place's mails are a
                # confirmation's.
                place = each.ahead.for_place(session, row, each.now)
                mails += participant_mail.newcomer_place(place, session.id, row["id"])
            else:
                waiting += 1  # ids follow the order of the INSERT: each is last in line
                position = waiting
                mails.append(participant_mail.waitlist_mail(session, row, position))
            theirs.append(AttendeeView.from_row(row, newcomer.topic_preferences, position))
        people.append(tuple(theirs))
    # The keys of these mails name rows created just now: nothing waiting bears them.
    await outbox.enqueue_new(*mails)
    return people


async def insert_attendees(
    rows: list[dict[str, Any]], topic_preferences: list[tuple[int, ...]]
) -> list[dict[str, Any]]:
    """Store attendee rows (with their registration) and their topic preferences in one
    INSERT each; the rows as stored, in the order given. Ids are matched by e-mail (unique
    in a session), not by the order RETURNING gives them in, which neither engine promises."""
    inserted = await insert_rows(Attendee, rows, returning=("id", "email"))
    ids = {row["email"]: row["id"] for row in inserted}
    stored = [{"id": ids[row["email"]], **row} for row in rows]
    preferences = [
        preference
        for row, topics in zip(stored, topic_preferences, strict=True)
        for preference in _preference_rows(row["id"], topics)
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
