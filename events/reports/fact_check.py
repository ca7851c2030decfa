"""Fact check: participating municipalities read the draft from their link and comment on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import ReportState
from events.invitations.invitations import CoordinatorAccess, link_of
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError, Problems
from events.lib.i18n import DEFAULT_LOCALE, N_
from events.mail import outbox
from events.mail.compose import compose
from events.reports.drafts import (
    ReportDraft,
    get_report,
    report_for_editing,
    report_of_session,
)
from events.reports.facts import participants_of
from events.sessions.exchange_sessions import get_session
from events.sessions.series import actor
from events.tables import Invitation, Report, ReportComment

MAX_COMMENT = 5000


@dataclass(frozen=True)
class FactCheckRequest:
    """Who was asked: municipality codes mailed, and those without a contact address."""

    mailed: tuple[str, ...]
    without_contact: tuple[str, ...]


@dataclass(frozen=True)
class Comment:
    municipality_code: str
    municipality_name: str
    block_key: str
    text: str
    created_at: dt.datetime


@dataclass(frozen=True)
class FactCheckContact:
    """A participating municipality as the fact check reaches it: by mail, or by its link."""

    code: str
    name: str
    contact_email: str  # empty: nobody can be mailed, the link must be passed on
    draft_link: str  # the coordinator's personal page of the draft; empty without a link


async def fact_check_contacts(session_id: int) -> list[FactCheckContact]:
    """Every municipality that attended, with its contact address and personal draft link."""
    invitations = {
        row["municipality"]: row
        for row in await Invitation.select(
            Invitation.municipality, Invitation.contact_email, Invitation.link_nonce
        ).where(Invitation.exchange_session == session_id)
    }
    contacts = []
    for participant in await participants_of(session_id):
        invitation = invitations.get(participant.code) or {}
        nonce = invitation.get("link_nonce") or ""
        contacts.append(
            FactCheckContact(
                code=participant.code,
                name=participant.name,
                contact_email=(invitation.get("contact_email") or "") if nonce else "",
                draft_link=link_of(nonce) + "/report" if nonce else "",
            )
        )
    return contacts


async def request_fact_check(
    organizer: OrganizerIdentity, report_id: int, *, now: dt.datetime | None = None
) -> FactCheckRequest:
    """Mail each participating municipality's coordinator a link to the draft."""
    now = now or utcnow()
    draft = await report_for_editing(organizer, report_id)
    session = await get_session(draft.session_id)
    mailed: list[str] = []
    missing: list[str] = []
    async with write_transaction(public=False):
        for contact in await fact_check_contacts(draft.session_id):
            if not contact.contact_email:
                missing.append(contact.code)
                continue
            mail = compose(
                "report_fact_check",
                DEFAULT_LOCALE,
                session=session,
                municipality_name=contact.name,
                link=contact.draft_link,
            )
            await outbox.enqueue(
                outbox.OutgoingMail(
                    kind="report_fact_check",
                    recipient=contact.contact_email,
                    subject=mail.subject,
                    text_body=mail.text,
                    html_body=mail.html,
                    reply_to=session.organizer_email,
                    topic_key=f"session:{session.id}",
                )
            )
            mailed.append(contact.code)
        await Report.update(
            {Report.state: ReportState.FACT_CHECK, Report.fact_check_requested_at: now}
        ).where(Report.id == report_id)
        await trail.record(
            actor(organizer),
            "report_fact_check_requested",
            session_id=draft.session_id,
            details={"mailed": mailed, "without_contact": missing},
        )
    return FactCheckRequest(tuple(mailed), tuple(missing))


async def draft_for_coordinator(access: CoordinatorAccess) -> ReportDraft:
    """The draft a coordinator may read: only once the organizer asked for a fact check."""
    draft = await report_of_session(access.session.id)
    if draft is None or draft.state != ReportState.FACT_CHECK:
        raise NotFoundError(N_("確認をお願いしているレポートはありません。"), field="report")
    # The check is asked of those who attended; an invited municipality that stayed away
    # must not read the unpublished draft (nor, below, comment on it).
    attended = {p.code for p in await participants_of(access.session.id)}
    if access.municipality_code not in attended:
        raise ForbiddenError(
            N_("この情報交換会に参加していない自治体は、レポートにコメントできません。"),
            field="municipality",
        )
    return draft


async def fact_check_open(access: CoordinatorAccess) -> bool:
    """Whether the coordinator is asked to check a draft now (and so may read it)."""
    try:
        await draft_for_coordinator(access)
    except (NotFoundError, ForbiddenError):
        return False
    return True


async def add_comment(
    access: CoordinatorAccess, text: str, *, block_key: str = "", now: dt.datetime | None = None
) -> Comment:
    """A comment on the draft; only municipalities that attended may comment."""
    now = now or utcnow()
    draft = await draft_for_coordinator(access)
    problems = Problems()
    text = text.strip()
    if not text:
        problems.add("text", N_("コメントを入力してください。"))
    elif len(text) > MAX_COMMENT:
        problems.add("text", N_("コメントは%(max)d文字以内にしてください。"), max=MAX_COMMENT)
    if block_key and draft.block(block_key) is None:
        problems.add("block", N_("コメントするブロックを選び直してください。"))
    problems.raise_if_any()
    async with write_transaction(public=False):
        if not await lock_row(Report, draft.id):
            raise NotFoundError(N_("レポートが見つかりません。"), field="report")
        current = await get_report(draft.id)
        if current.state != ReportState.FACT_CHECK:
            raise ConflictError(N_("このレポートの確認期間は終了しました。"), field="report")
        await ReportComment.insert(
            ReportComment(
                report=draft.id,
                municipality=access.municipality_code,
                block_key=block_key,
                text=text,
                created_at=now,
            )
        )
        await trail.record(
            f"coordinator:{access.municipality_code}",
            "report_commented",
            session_id=access.session.id,
            details={"block": block_key, "length": len(text)},
        )
    return Comment(access.municipality_code, access.municipality_name, block_key, text, now)


async def comments_of(report_id: int, municipality_code: str | None = None) -> list[Comment]:
    query = ReportComment.select(
        ReportComment.municipality,
        ReportComment.municipality.display_name.as_alias("name"),
        ReportComment.block_key,
        ReportComment.text,
        ReportComment.created_at,
    ).where(ReportComment.report == report_id)
    if municipality_code is not None:
        query = query.where(ReportComment.municipality == municipality_code)
    rows = await query.order_by(ReportComment.id)
    return [
        Comment(row["municipality"], row["name"], row["block_key"], row["text"], row["created_at"])
        for row in rows
    ]
