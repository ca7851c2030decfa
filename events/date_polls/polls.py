"""Date polls (日程調整): candidate slots sent to municipalities, each answering by its own link.

A poll has its own per-municipality link (`/p/<token>`, kind "date_poll") rather than reusing
a session's coordinator link: a poll usually comes before any session exists, may go to
municipalities that are never invited, and its link must open nothing but that poll.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.date_polls import mail as date_poll_mail
from events.date_polls.checks import PollInput, check_poll
from events.date_polls.queries import (
    PollRecipient,
    PollView,
    get_poll,
    poll_views,
    recipients_of,
)
from events.enums import PollStatus
from events.invitations.invitations import checked_contact_emails
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problem, Problems
from events.lib.i18n import N_
from events.lib.tokens import LinkKind, new_personal_link
from events.sessions.checks import calendar_warnings
from events.sessions.exchange_sessions import session_for_editing
from events.sessions.lifecycle import EDITABLE, require_editable
from events.sessions.series import actor, get_series, require_owner
from events.tables import (
    DatePoll,
    DatePollRecipient,
    DatePollSlot,
    ExchangeSession,
    Invitation,
)
from networking.municipalities import codes_in_area, is_valid_code
from networking.regions import area_by_slug
from networking.tables import Municipality


async def create_poll(
    organizer: OrganizerIdentity, data: PollInput, *, now: dt.datetime | None = None
) -> tuple[PollView, list[Problem]]:
    """Store the poll and mail every municipality with a contact address its own link.

    Returns the poll and a warning for each slot on a national holiday or a weekend.
    """
    now = now or utcnow()
    series = await get_series(data.series_id)
    require_owner(organizer, series["owner"])
    problems = Problems()
    check_poll(data, problems, now=now)
    codes = list(dict.fromkeys(code.strip() for code in data.codes)) or await codes_in_area(
        area_by_slug(series["region"])
    )
    emails = checked_contact_emails(codes, data.contact_emails, problems)
    await _check_codes(codes, problems)
    if data.session_id is not None:
        await _check_session(organizer, data.session_id, data.series_id, problems)
    problems.raise_if_any()
    emails = {**await known_contacts(data.series_id, codes), **emails}
    async with write_transaction():
        poll_id = await _store(data, codes, emails, now)
        poll = await get_poll(poll_id)
        for recipient in await recipients_of(poll_id):
            await date_poll_mail.invitation(poll, recipient)
        await trail.record(
            actor(organizer),
            "date_poll_created",
            session_id=data.session_id,
            details={"poll": poll_id, "slots": len(data.slots), "codes": len(codes)},
        )
    return poll, [warning for slot in poll.slots for warning in calendar_warnings(slot.starts_at)]


async def _check_codes(codes: Sequence[str], problems: Problems) -> None:
    valid = [code for code in codes if is_valid_code(code)]
    rows = (
        await Municipality.select(Municipality.code).where(Municipality.code.is_in(valid))
        if (valid)
        else []
    )
    known = {row["code"] for row in rows}
    for code in codes:
        if code not in known:
            problems.add("codes", N_("団体コード %(code)s の自治体はありません。"), code=code)


async def _check_session(
    organizer: OrganizerIdentity, session_id: int, series_id: int, problems: Problems
) -> None:
    session = await session_for_editing(organizer, session_id)
    require_editable(session.status)
    if session.series_id != series_id:
        problems.add("session", N_("日程を決める情報交換会は同じシリーズから選んでください。"))


async def known_contacts(series_id: int, codes: Sequence[str]) -> dict[str, str]:
    """The latest contact address each municipality gave in an invitation of this series."""
    if not codes:
        return {}
    rows = await (
        Invitation.select(Invitation.municipality, Invitation.contact_email)
        .where(
            Invitation.exchange_session.series == series_id,
            Invitation.municipality.is_in(list(codes)),
            Invitation.contact_email != "",
        )
        .order_by(Invitation.id)
    )
    return {row["municipality"]: row["contact_email"] for row in rows}


async def _store(
    data: PollInput, codes: Sequence[str], emails: Mapping[str, str], now: dt.datetime
) -> int:
    poll = DatePoll(
        series=data.series_id,
        exchange_session=data.session_id,
        title=data.title.strip(),
        status=PollStatus.OPEN,
        created_at=now,
    )
    await poll.save()
    await DatePollSlot.insert(
        *(
            DatePollSlot(poll=poll.id, starts_at=slot.starts_at, ends_at=slot.ends_at)
            for slot in sorted(data.slots, key=lambda slot: (slot.starts_at, slot.ends_at))
        )
    )
    await DatePollRecipient.insert(*(_recipient(int(poll.id), code, emails) for code in codes))
    return int(poll.id)


def _recipient(poll_id: int, code: str, emails: Mapping[str, str]) -> DatePollRecipient:
    link = new_personal_link(LinkKind.DATE_POLL)
    return DatePollRecipient(
        poll=poll_id,
        municipality=code,
        contact_email=emails.get(code, ""),
        token_hash=link.token_hash,
        link_nonce=link.nonce,
    )


async def poll_for_editing(organizer: OrganizerIdentity, poll_id: int) -> PollView:
    poll = await get_poll(poll_id)
    require_owner(organizer, poll.owner_id)
    return poll


async def locked_poll(poll_id: int) -> PollView:
    """Read a poll inside a write transaction, locking its row on PostgreSQL.

    Closing, deciding and answering all lock it first, so an answer never lands after a close.
    """
    if not await lock_row(DatePoll, poll_id):
        raise NotFoundError(N_("日程調整が見つかりません。"), field="poll")
    return await get_poll(poll_id)


@dataclass(frozen=True)
class PollSummary:
    poll: PollView
    answered: int
    recipients: int


async def list_polls(organizer: OrganizerIdentity) -> list[PollSummary]:
    """The polls of the series this organizer may edit, newest first, with answer counts."""
    query = DatePoll.select(DatePoll.id).order_by(DatePoll.id, ascending=False)
    if not organizer.is_admin:
        query = query.where(DatePoll.series.owner == organizer.id)
    ids = [row["id"] for row in await query]
    counts: dict[int, list[int]] = {poll_id: [0, 0] for poll_id in ids}
    if ids:
        rows = await DatePollRecipient.select(
            DatePollRecipient.poll, DatePollRecipient.answered_at
        ).where(DatePollRecipient.poll.is_in(ids))
        for row in rows:
            counts[row["poll"]][0] += row["answered_at"] is not None
            counts[row["poll"]][1] += 1
    return [PollSummary(poll, *counts[poll.id]) for poll in await poll_views(ids)]


async def close_poll(
    organizer: OrganizerIdentity, poll_id: int, *, now: dt.datetime | None = None
) -> PollView:
    """No more answers or changes; the result stays for the decision."""
    now = now or utcnow()
    async with write_transaction():
        poll = await locked_poll(poll_id)
        require_owner(organizer, poll.owner_id)
        if poll.status != PollStatus.OPEN:
            raise ConflictError(N_("締め切れるのは回答受付中の日程調整だけです。"), field="status")
        await DatePoll.update({DatePoll.status: PollStatus.CLOSED, DatePoll.closed_at: now}).where(
            DatePoll.id == poll_id
        )
        await date_poll_mail.cancel_reminders(poll_id, await recipients_of(poll_id))
        await trail.record(actor(organizer), "date_poll_closed", details={"poll": poll_id})
        return await get_poll(poll_id)


async def remind(organizer: OrganizerIdentity, poll_id: int) -> list[PollRecipient]:
    """A reminder to every municipality that has not answered and has a contact address."""
    async with write_transaction():
        poll = await locked_poll(poll_id)
        require_owner(organizer, poll.owner_id)
        if poll.status != PollStatus.OPEN:
            raise ConflictError(
                N_("リマインドを送れるのは回答受付中の日程調整だけです。"), field="status"
            )
        waiting = [
            recipient
            for recipient in await recipients_of(poll_id)
            if not recipient.has_answered and recipient.contact_email
        ]
        if not waiting:
            raise ConflictError(
                N_(
                    "リマインドを送る自治体がありません（未回答でメールアドレスのある自治体がありません）。"
                ),
                field="recipients",
            )
        for recipient in waiting:
            await date_poll_mail.reminder(poll, recipient)
        await trail.record(
            actor(organizer),
            "date_poll_reminded",
            details={"poll": poll_id, "codes": [recipient.code for recipient in waiting]},
        )
    return waiting


async def sessions_to_decide(organizer: OrganizerIdentity) -> list[dict[str, Any]]:
    """Sessions whose date a new poll may decide: editable ones of this organizer's series."""
    query = ExchangeSession.select(
        ExchangeSession.id, ExchangeSession.title, ExchangeSession.series, ExchangeSession.starts_at
    ).where(ExchangeSession.status.is_in([status.value for status in EDITABLE]))
    if not organizer.is_admin:
        query = query.where(ExchangeSession.series.owner == organizer.id)
    return await query.order_by(ExchangeSession.starts_at)
