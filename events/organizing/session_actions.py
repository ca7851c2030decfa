"""What organizers do to sessions, with everything that follows: mails, promotions, invitations.

Controllers call these rather than the lower modules, so that a change and the messages it
causes are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.enums import RegistrationStatus as R
from events.groups import assignments as group_assignments
from events.groups.queries import AssignmentView
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
) -> AssignmentView:
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
    return published.view


async def transition(
    organizer: OrganizerIdentity,
    session_id: int,
    action: Transition,
    *,
    reason: str = "",
    now: dt.datetime | None = None,
) -> ExchangeSessionView:
    """Change the status; publication mails coordinators their links, a cancellation reaches
    every participant with a calendar CANCEL, and a session marked held leaves its published
    groups behind as encounters."""
    now = now or utcnow()
    async with write_transaction():
        session = await transitions.apply(organizer, session_id, action, reason=reason, now=now)
        if action is Transition.PUBLISH:
            await invitations.mail_waiting_links(session)
        if action is Transition.CANCEL:
            for attendee in await live_attendees(session_id):
                await participant_mail.session_cancelled(session, attendee, reason, now)
        if action is Transition.MARK_HELD:
            await group_assignments.record_encounters(session)
    return session
