"""What organizers do to sessions, with everything that follows: mails, promotions, invitations.

Controllers call these rather than the lower modules, so that a change and the messages it
causes are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.enums import RegistrationStatus as R
from events.groups import assignments as group_assignments
from events.groups.assignments import PublishedAssignment
from events.invitations import invitations
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import Problem
from events.registrations import mail as participant_mail
from events.registrations.waitlist import promote_waitlisted
from events.sessions import transitions
from events.sessions.exchange_sessions import ExchangeSessionView, SessionChange, change_session
from events.sessions.lifecycle import Transition
from events.tables import Attendee


async def update_session(
    organizer: OrganizerIdentity,
    session_id: int,
    changes: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> tuple[ExchangeSessionView, list[Problem]]:
    """Change a session; participants hear about time or link changes, waitlists move up."""
    now = now or utcnow()
    async with write_transaction():
        change = await change_session(organizer, session_id, changes, now=now)
        await _tell_participants(change, now)
        if change.after.capacity > change.before.capacity:
            for attendee in await promote_waitlisted(change.after, now):
                await participant_mail.promoted(change.after, attendee, now)
    return change.after, change.warnings


async def _tell_participants(change: SessionChange, now: dt.datetime) -> None:
    if not change.material:
        return
    for attendee in await live_attendees(change.after.id):
        await participant_mail.session_updated(
            change.before, change.after, attendee, change.material, now
        )


async def live_attendees(session_id: int) -> list[dict[str, Any]]:
    """Confirmed and waitlisted attendees, in registration order."""
    return await (
        Attendee.select()
        .where(Attendee.exchange_session == session_id, Attendee.status != R.CANCELLED)
        .order_by(Attendee.id)
    )


async def publish_groups(
    organizer: OrganizerIdentity, session_id: int, *, now: dt.datetime | None = None
) -> PublishedAssignment:
    """Publish the groups; attendees placed for the first time or moved hear their group."""
    now = now or utcnow()
    async with write_transaction():
        published = await group_assignments.publish_assignment(organizer, session_id, now=now)
        session = published.view.session
        for change in published.changes:
            if change.previous is None:
                await participant_mail.group_assigned(
                    session, change.attendee, change.placement, now
                )
            else:
                await participant_mail.group_changed(
                    session, change.attendee, change.placement, change.previous, now
                )
    return published


@dataclass(frozen=True)
class Transitioned:
    session: ExchangeSessionView
    # Messages the change put in the outbox (links on publication, notices on cancellation).
    mailed: int


async def transition(
    organizer: OrganizerIdentity,
    session_id: int,
    action: Transition,
    *,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Transitioned:
    """Change the status; publication mails coordinators their links, a cancellation reaches
    every participant with a calendar CANCEL, and a session marked held leaves its published
    groups behind as encounters."""
    now = now or utcnow()
    mailed = 0
    async with write_transaction():
        session = await transitions.apply(organizer, session_id, action, reason=reason, now=now)
        if action is Transition.PUBLISH:
            mailed = await invitations.mail_waiting_links(session)
        if action is Transition.CANCEL:
            for attendee in await live_attendees(session_id):
                await participant_mail.session_cancelled(session, attendee, reason, now)
                mailed += 1
        if action is Transition.MARK_HELD:
            await group_assignments.record_encounters(session)
    return Transitioned(session, mailed)


@dataclass(frozen=True)
class TransitionPreview:
    """What a status change would do, told to the organizer before they confirm it."""

    # Municipalities invited by link, and how many of them have an address to be mailed at.
    invited: int = 0
    invited_with_email: int = 0
    # Confirmed and waitlisted attendees, each told of a cancellation.
    attendees: int = 0


async def preview(session_id: int, action: Transition) -> TransitionPreview:
    if action is Transition.PUBLISH:
        contacts = await invitations.invited_contacts(session_id)
        return TransitionPreview(invited=contacts.invited, invited_with_email=contacts.with_email)
    if action is Transition.CANCEL:
        return TransitionPreview(attendees=len(await live_attendees(session_id)))
    return TransitionPreview()
