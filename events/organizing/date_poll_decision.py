"""Deciding a date poll: the chosen slot becomes the session's date, and municipalities hear it.

Without a linked session a draft session is scheduled in the poll's series; a linked session is
moved through events.organizing.session_actions, which bumps its calendar sequence and tells its
participants. The registration deadline keeps its distance to the start when a session moves.
"""

from __future__ import annotations

import datetime as dt

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.date_polls import mail as date_poll_mail
from events.date_polls.polls import locked_poll
from events.date_polls.queries import PollSlot, PollView, recipients_of
from events.enums import PollStatus
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problem
from events.lib.i18n import N_
from events.organizing import session_actions
from events.sessions.checks import SessionInput
from events.sessions.exchange_sessions import ExchangeSessionView, create_session, get_session
from events.sessions.series import actor, require_owner
from events.tables import DatePoll, DatePollSlot

# A draft made from a poll: the organizer sets the real figures before publishing it.
DRAFT_CAPACITY = 30
DRAFT_PER_MUNICIPALITY_LIMIT = 3
DRAFT_REGISTRATION_LEAD = dt.timedelta(days=7)


async def decide(
    organizer: OrganizerIdentity, poll_id: int, slot_id: int, *, now: dt.datetime | None = None
) -> tuple[ExchangeSessionView, list[Problem]]:
    """Fix the session's date to one proposed slot; answers close, municipalities are told."""
    now = now or utcnow()
    async with write_transaction():
        poll = await locked_poll(poll_id)
        require_owner(organizer, poll.owner_id)
        slot = _decidable_slot(poll, slot_id, now)
        session, warnings = await _schedule(organizer, poll, slot, now)
        await DatePollSlot.update({DatePollSlot.chosen: True}).where(DatePollSlot.id == slot.id)
        await DatePoll.update(
            {
                DatePoll.status: PollStatus.DECIDED,
                DatePoll.exchange_session: session.id,
                DatePoll.closed_at: poll.closed_at or now,
            }
        ).where(DatePoll.id == poll_id)
        await _tell_municipalities(poll, slot)
        await trail.record(
            actor(organizer),
            "date_poll_decided",
            session_id=session.id,
            details={"poll": poll_id, "slot": slot_id, "starts_at": slot.starts_at},
        )
    return session, warnings


def _decidable_slot(poll: PollView, slot_id: int, now: dt.datetime) -> PollSlot:
    if poll.is_decided:
        raise ConflictError(N_("この日程調整はすでに日程が決まっています。"), field="status")
    slot = poll.slot(slot_id)
    if slot is None:
        raise NotFoundError(
            N_("候補日時 %(slot)s はこの日程調整にありません。"),
            field="slot",
            params={"slot": slot_id},
        )
    if slot.starts_at <= now:
        raise ConflictError(N_("この候補日時はすでに過ぎています。"), field="slot")
    return slot


async def _schedule(
    organizer: OrganizerIdentity, poll: PollView, slot: PollSlot, now: dt.datetime
) -> tuple[ExchangeSessionView, list[Problem]]:
    if poll.session_id is None:
        return await create_session(organizer, _draft(poll, slot, now), now=now)
    current = await get_session(poll.session_id)
    moved_by = slot.starts_at - current.starts_at
    changes = {
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "registration_deadline": current.registration_deadline + moved_by,
    }
    return await session_actions.update_session(organizer, poll.session_id, changes, now=now)


def _draft(poll: PollView, slot: PollSlot, now: dt.datetime) -> SessionInput:
    return SessionInput(
        series_id=poll.series_id,
        title=poll.title,
        region=poll.region,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        registration_deadline=max(slot.starts_at - DRAFT_REGISTRATION_LEAD, now),
        capacity=DRAFT_CAPACITY,
        per_municipality_limit=DRAFT_PER_MUNICIPALITY_LIMIT,
    )


async def _tell_municipalities(poll: PollView, chosen: PollSlot) -> None:
    """Every municipality that answered hears the date; pending reminders are dropped."""
    recipients = await recipients_of(poll.id)
    await date_poll_mail.cancel_reminders(poll.id, recipients)
    for recipient in recipients:
        if recipient.has_answered:
            await date_poll_mail.decision(poll, recipient, chosen)
