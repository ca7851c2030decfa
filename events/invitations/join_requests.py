"""Municipalities of a session's region that were not invited ask to join; the organizer decides.

A request is an Invitation row with status "requested" and no link. Approving it issues the
link through events.invitations (one place makes tokens) and mails it to the contact given;
declining tells the contact why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity, is_valid_email, normalize_email
from events.audit import trail
from events.enums import InvitationStatus
from events.invitations import invitations
from events.invitations.invitations import InvitationLink
from events.invitations.order import next_position
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problems
from events.lib.i18n import DEFAULT_LOCALE, N_
from events.lib.links import session_page
from events.mail import outbox
from events.mail.compose import compose
from events.sessions.exchange_sessions import (
    ExchangeSessionView,
    get_session,
    locked_session,
    session_for_editing,
)
from events.sessions.series import actor, require_owner
from events.tables import Invitation
from networking.municipalities import DirectoryQuery, get_municipality, search_municipalities

MAX_MESSAGE = 1000
# Enough for the whole country: a nationwide session lists every local government.
MAX_CHOICES = 2000


@dataclass(frozen=True)
class JoinRequestInput:
    code: str
    contact_email: str
    message: str = ""


@dataclass(frozen=True)
class JoinRequest:
    """A request waiting for the organizer."""

    code: str
    municipality_name: str
    prefecture: str
    contact_email: str
    message: str
    requested_at: dt.datetime | None


async def municipality_choices(session: ExchangeSessionView) -> list[dict[str, Any]]:
    """The local governments of the session's region, in code order (prefectures first)."""
    rows, _ = await search_municipalities(DirectoryQuery(area=session.area, limit=MAX_CHOICES))
    return rows


async def request_to_join(
    session_id: int, data: JoinRequestInput, *, now: dt.datetime | None = None
) -> None:
    """Record the request; the organizer sees it among the session's pending requests."""
    now = now or utcnow()
    code, email = data.code.strip(), normalize_email(data.contact_email)
    message = data.message.strip()
    await _check(await get_session(session_id), code, email, message)
    async with write_transaction():
        session = await locked_session(session_id)
        if not session.accepts_registrations(now):
            raise ConflictError(
                N_("この情報交換会は現在、参加希望を受け付けていません。"), field="session"
            )
        existing = await _invitation(session_id, code)
        values: dict[str, Any] = {
            "status": InvitationStatus.REQUESTED,
            "contact_email": email,
            "request_message": message,
            "requested_at": now,
        }
        if existing is None:
            position = await next_position(session_id)
            await Invitation.insert(
                Invitation(
                    exchange_session=session_id, municipality=code, position=position, **values
                )
            )
        else:
            _refuse_repeated(existing)
            await Invitation.update(**values).where(Invitation.id == existing["id"])
        await trail.record(
            f"join_request:{code}", "join_requested", session_id=session_id, details={"code": code}
        )


async def _check(session: ExchangeSessionView, code: str, email: str, message: str) -> None:
    problems = Problems()
    if not await _exists(code):
        problems.add("code", N_("自治体を選んでください。"))
    elif not session.area.contains(code):
        problems.add(
            "code",
            N_("この情報交換会の対象地域（%(area)s）の自治体ではありません。"),
            area=session.area.name,
        )
    if not is_valid_email(email):
        problems.add("contact_email", N_("連絡先メールアドレスの形式が正しくありません。"))
    if len(message) > MAX_MESSAGE:
        problems.add("message", N_("メッセージは%(max)d文字以内にしてください。"), max=MAX_MESSAGE)
    problems.raise_if_any()


async def _exists(code: str) -> bool:
    try:
        await get_municipality(code)
    except NotFoundError:
        return False
    return True


def _refuse_repeated(existing: dict[str, Any]) -> None:
    """Invited or already asking: nothing to do. A declined or revoked one may ask again."""
    name = existing["municipality_name"]
    if existing["status"] == InvitationStatus.REQUESTED:
        raise ConflictError(
            N_(
                "%(name)sからの参加希望はすでに受け付けています。主催者からの連絡をお待ちください。"
            ),
            field="code",
            params={"name": name},
        )
    if existing["status"] == InvitationStatus.INVITED:
        raise ConflictError(
            N_(
                "%(name)sはすでに招待されています。招待メールに記載されたリンクから参加登録してください。"
            ),
            field="code",
            params={"name": name},
        )


async def _invitation(session_id: int, code: str) -> dict[str, Any] | None:
    return await (
        Invitation.select(
            *Invitation.all_columns(),
            Invitation.municipality.display_name.as_alias("municipality_name"),
            Invitation.municipality.prefecture.as_alias("prefecture"),
        )
        .where(Invitation.exchange_session == session_id, Invitation.municipality == code)
        .first()
    )


async def pending_requests(organizer: OrganizerIdentity, session_id: int) -> list[JoinRequest]:
    """Requests waiting for this session's organizer, oldest first."""
    await session_for_editing(organizer, session_id)
    rows = await (
        Invitation.select(
            *Invitation.all_columns(),
            Invitation.municipality.display_name.as_alias("municipality_name"),
            Invitation.municipality.prefecture.as_alias("prefecture"),
        )
        .where(
            Invitation.exchange_session == session_id,
            Invitation.status == InvitationStatus.REQUESTED,
        )
        .order_by(Invitation.requested_at)
        .order_by(Invitation.id)
    )
    return [
        JoinRequest(
            code=row["municipality"],
            municipality_name=row["municipality_name"],
            prefecture=row["prefecture"],
            contact_email=row["contact_email"],
            message=row["request_message"],
            requested_at=row["requested_at"],
        )
        for row in rows
    ]


async def approve(organizer: OrganizerIdentity, session_id: int, code: str) -> InvitationLink:
    """Invite the municipality and mail its coordinator link to the contact who asked."""
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        request = await _pending(session_id, code)
        [link] = await invitations.invite(organizer, session_id, [code])
        await _mail("join_approved", session, request, link=link.link)
        await trail.record(
            actor(organizer), "join_request_approved", session_id=session_id, details={"code": code}
        )
    return link


async def decline(organizer: OrganizerIdentity, session_id: int, code: str, reason: str) -> None:
    """Turn the request down; the contact is told, with the organizer's reason when given."""
    reason = reason.strip()
    if len(reason) > MAX_MESSAGE:
        problems = Problems()
        problems.add("reason", N_("理由は%(max)d文字以内にしてください。"), max=MAX_MESSAGE)
        problems.raise_if_any()
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        request = await _pending(session_id, code)
        await Invitation.update({Invitation.status: InvitationStatus.DECLINED}).where(
            Invitation.id == request["id"]
        )
        await _mail("join_declined", session, request, reason=reason)
        await trail.record(
            actor(organizer), "join_request_declined", session_id=session_id, details={"code": code}
        )


async def _pending(session_id: int, code: str) -> dict[str, Any]:
    row = await _invitation(session_id, code)
    if row is None or row["status"] != InvitationStatus.REQUESTED:
        raise NotFoundError(
            N_("この自治体からの参加希望はありません（すでに対応済みの可能性があります）。"),
            field="code",
        )
    return row


async def _mail(
    kind: str, session: ExchangeSessionView, request: dict[str, Any], **extra: Any
) -> None:
    # The request carries no language; municipalities read Japanese.
    mail = compose(
        kind,
        DEFAULT_LOCALE,
        session=session,
        municipality_name=request["municipality_name"],
        session_link=session_page(session.id),
        **extra,
    )
    await outbox.enqueue(
        outbox.OutgoingMail(
            kind=kind,
            recipient=request["contact_email"],
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            reply_to=session.organizer_email,
            topic_key=f"session:{session.id}",
        )
    )
