"""Publishing: an immutable numbered version, its archive entry, and the participants' mail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import BlockKind, RegistrationStatus, ReportState
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, NotFoundError
from events.lib.formatting import fiscal_year, in_tokyo
from events.lib.i18n import N_
from events.lib.links import absolute
from events.mail import outbox
from events.mail.compose import compose
from events.reports.blocks import dumps, plain_text, title_of
from events.reports.drafts import (
    ReportDraft,
    report_for_editing,
    tags_column,
)
from events.reports.facts import Participant, participants_of
from events.reports.search import store_terms
from events.reports.synthesis import named_without_consent
from events.sessions.exchange_sessions import ExchangeSessionView, get_session
from events.sessions.lifecycle import Transition
from events.sessions.series import actor
from events.sessions.transitions import set_status
from events.tables import Attendee, Report, ReportArchiveEntry, ReportVersion


@dataclass(frozen=True)
class PublishedVersion:
    report_id: int
    number: int
    url: str
    # Participants told of the report (only the first version is mailed).
    mailed: int = 0


def version_path(report_id: int, number: int) -> str:
    return f"/reports/{report_id}/v{number}"


def search_text(*parts: str) -> str:
    """What `?q=` is matched against: case-folded so that ASCII words match either case."""
    return "\n".join(parts).casefold()


async def publish(
    organizer: OrganizerIdentity, report_id: int, *, now: dt.datetime | None = None
) -> PublishedVersion:
    """Freeze the draft as the next version; refused when nothing changed since the last one."""
    now = now or utcnow()
    async with write_transaction():
        if not await lock_row(Report, report_id):
            raise NotFoundError(N_("レポートが見つかりません。"), field="report")
        draft = await report_for_editing(organizer, report_id)
        session = await get_session(draft.session_id)
        await set_status(session, Transition.MARK_REPORTED, now)
        await _refuse_unchanged(draft)
        participants = await participants_of(session.id)
        _refuse_names_without_consent(draft, participants)
        number = draft.latest_version + 1
        await ReportVersion.insert(
            ReportVersion(
                report=report_id,
                number=number,
                title=title_of(draft.blocks),
                blocks=dumps(draft.blocks),
                tags=tags_column(draft.tags),
                published_at=now,
            )
        )
        await Report.update(
            {Report.latest_version: number, Report.state: ReportState.PUBLISHED}
        ).where(Report.id == report_id)
        await _store_archive_entry(draft, session, participants, number, now)
        await trail.record(
            actor(organizer),
            "report_published",
            session_id=session.id,
            details={"version": number},
        )
        url = absolute(version_path(report_id, number))
        mailed = await _tell_participants(session, url) if number == 1 else 0
    return PublishedVersion(report_id, number, url, mailed)


async def recipients_of_publication(draft: ReportDraft) -> int:
    """How many participants publishing the draft now would mail: none after the first version."""
    if draft.latest_version:
        return 0
    return len(await _confirmed_attendees(draft.session_id))


async def _refuse_unchanged(draft: ReportDraft) -> None:
    latest = await (
        ReportVersion.select(ReportVersion.blocks, ReportVersion.tags)
        .where(ReportVersion.report == draft.id, ReportVersion.number == draft.latest_version)
        .first()
    )
    if latest is not None and (latest["blocks"], latest["tags"]) == (
        dumps(draft.blocks),
        tags_column(draft.tags),
    ):
        raise ConflictError(
            N_("第%(number)d版から変更がないため、公開できません。修正してから公開してください。"),
            field="report",
            params={"number": draft.latest_version},
        )


def _refuse_names_without_consent(
    draft: ReportDraft, participants: tuple[Participant, ...]
) -> None:
    sharing = "\n".join(b.body for b in draft.blocks if b.kind == BlockKind.SHARING)
    names = named_without_consent(sharing, participants)
    if names:
        raise ConflictError(
            N_(
                "%(names)sは、自治体名を記した掲載に同意していません。"
                "レポート案を作り直すか、情報共有の該当箇所を修正してから公開してください。"
            ),
            field="report",
            params={"names": "・".join(names)},
        )


async def _store_archive_entry(
    draft: ReportDraft,
    session: ExchangeSessionView,
    participants: tuple[Participant, ...],
    number: int,
    now: dt.datetime,
) -> None:
    names = [p.name for p in participants]
    values: dict[Any, Any] = {
        "version": number,
        "title": title_of(draft.blocks),
        "lead": next((b.body for b in draft.blocks if b.kind == BlockKind.LEAD), ""),
        "starts_at": session.starts_at,
        "fiscal_year": fiscal_year(in_tokyo(session.starts_at).date()),
        "region": session.region,
        "series": session.series_id,
        "series_title": session.series_title,
        "tags": tags_column(draft.tags),
        "municipality_codes": tags_column([p.code for p in participants]),
        "municipality_names": "・".join(names),
        "search_text": search_text(
            plain_text(draft.blocks), session.series_title, " ".join(draft.tags), " ".join(names)
        ),
        "published_at": now,
    }
    updated = (
        await ReportArchiveEntry.update(values)
        .where(ReportArchiveEntry.report == draft.id)
        .returning(ReportArchiveEntry.id)
    )
    if updated:
        entry_id = updated[0]["id"]
    else:
        inserted = await ReportArchiveEntry.insert(
            ReportArchiveEntry(report=draft.id, **values)
        ).returning(ReportArchiveEntry.id)
        entry_id = inserted[0]["id"]
    await store_terms(entry_id, values["search_text"])


async def _confirmed_attendees(session_id: int) -> list[dict[str, Any]]:
    return await (
        Attendee.select(Attendee.id, Attendee.email, Attendee.locale)
        .where(
            Attendee.exchange_session == session_id,
            Attendee.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Attendee.id)
    )


async def _tell_participants(session: ExchangeSessionView, url: str) -> int:
    attendees = await _confirmed_attendees(session.id)
    for attendee in attendees:
        mail = compose("report_published", attendee["locale"], session=session, report_url=url)
        await outbox.enqueue(
            outbox.OutgoingMail(
                kind="report_published",
                recipient=attendee["email"],
                subject=mail.subject,
                text_body=mail.text,
                html_body=mail.html,
                reply_to=session.organizer_email,
                topic_key=f"session:{session.id}",
            )
        )
    return len(attendees)
