"""Invitations: which municipalities may register for a session, each by its own secret link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity, is_valid_email, normalize_email
from events.audit import trail
from events.enums import InvitationStatus, SessionStatus
from events.invitations import mail as coordinator_mail
from events.invitations.order import next_position
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problems
from events.lib.i18n import N_
from events.lib.links import personal_link
from events.lib.tokens import (
    INVALID_LINK,
    LinkKind,
    hash_token,
    looks_like_token,
    new_personal_link,
)
from events.sessions.exchange_sessions import ExchangeSessionView, get_session, locked_session
from events.sessions.series import actor, require_owner
from events.tables import Invitation
from networking.municipalities import codes_in_area, municipalities_by_code

MAX_CODES = 2000
# Invitations may be added while the session is being prepared or is taking registrations.
INVITABLE = frozenset({SessionStatus.DRAFT, SessionStatus.PUBLISHED, SessionStatus.CLOSED})


@dataclass(frozen=True)
class InvitationLink:
    """What inviting one municipality produced; the link itself is never stored."""

    code: str
    name: str
    status: str  # "invited" (a new link), "already_invited" (the link it already had)
    link: str
    # Where invitations and later requests are mailed; empty when nobody can be mailed.
    contact_email: str = ""


def link_of(nonce: str) -> str:
    """The coordinator link of an invitation, rebuilt from its nonce."""
    return personal_link(LinkKind.INVITATION, nonce)


async def default_invitees(session: ExchangeSessionView) -> list[str]:
    """By default every local government of the session's region is invited."""
    return await codes_in_area(session.area)


async def invite(
    organizer: OrganizerIdentity,
    session_id: int,
    codes: Sequence[str],
    contact_emails: Mapping[str, str] | None = None,
) -> list[InvitationLink]:
    """Invite municipalities: new ones get a link, already invited ones keep theirs."""
    codes = list(dict.fromkeys(code.strip() for code in codes))
    problems = Problems()
    emails = checked_contact_emails(codes, contact_emails or {}, problems)
    problems.raise_if_any()
    if len(codes) > MAX_CODES:
        raise ConflictError(
            N_("一度に招待できるのは%(max)d団体までです。"),
            field="codes",
            params={"max": MAX_CODES},
        )
    municipalities = await municipalities_by_code(codes)
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        if session.status not in INVITABLE:
            raise ConflictError(
                N_("この状態の情報交換会には招待を追加できません。"), field="status"
            )
        existing = await _existing(session_id, codes)
        # New invitations follow the session's others, in the order given.
        first = await next_position(session_id)
        new_codes = [code for code in codes if code not in existing]
        positions = {code: first + index for index, code in enumerate(new_codes)}
        results = [
            await _invite_one(
                session_id,
                code,
                municipalities[code],
                existing.get(code),
                emails.get(code),
                positions.get(code, 0),
            )
            for code in codes
        ]
        if session.status != SessionStatus.DRAFT:
            for result in results:
                email = _mail_to(result, existing.get(result.code), emails.get(result.code))
                if email:
                    await _mail_link(session, result, email)
        invited = [result.code for result in results if result.link is not None]
        if invited:
            await trail.record(
                actor(organizer),
                "municipalities_invited",
                session_id=session_id,
                details={"codes": invited},
            )
    return results


def _mail_to(
    result: InvitationLink, existing: dict[str, Any] | None, given: str | None
) -> str | None:
    """Who hears of a link: the contact of a new link, or a newly given contact of an old one."""
    known = (existing or {}).get("contact_email") or None
    if result.status == "invited":
        return given or known
    return given if given and given != known else None


async def _mail_link(session: ExchangeSessionView, result: InvitationLink, email: str) -> None:
    await coordinator_mail.invited(
        session, code=result.code, municipality=result.name, email=email, link=result.link
    )


async def mail_waiting_links(session: ExchangeSessionView) -> int:
    """On publication, every coordinator invited while the session was a draft gets their link;
    how many were mailed."""
    rows = await Invitation.select(
        Invitation.municipality,
        Invitation.municipality.display_name.as_alias("name"),
        Invitation.contact_email,
        Invitation.link_nonce,
    ).where(
        Invitation.exchange_session == session.id,
        Invitation.status == InvitationStatus.INVITED,
        Invitation.contact_email != "",
    )
    for row in rows:
        link = link_of(row["link_nonce"])
        result = InvitationLink(row["municipality"], row["name"], "invited", link)
        await _mail_link(session, result, row["contact_email"])
    return len(rows)


@dataclass(frozen=True)
class InvitedContacts:
    """Municipalities invited by link, and how many of them have an address to be mailed at."""

    invited: int
    with_email: int


async def invited_contacts(session_id: int) -> InvitedContacts:
    """What publishing would mail: the links of invitations that have a contact address."""
    rows = await Invitation.select(Invitation.contact_email).where(
        Invitation.exchange_session == session_id,
        Invitation.status == InvitationStatus.INVITED,
    )
    return InvitedContacts(len(rows), sum(1 for row in rows if row["contact_email"]))


def checked_contact_emails(
    codes: Sequence[str], contact_emails: Mapping[str, str], problems: Problems
) -> dict[str, str]:
    """Normalized contact addresses by code; each unusable one is added to `problems`."""
    emails: dict[str, str] = {}
    for code, email in contact_emails.items():
        email = normalize_email(email)
        if not email:
            continue
        if code not in codes:
            problems.add(
                "contact_emails",
                N_("招待しない団体（%(code)s）の連絡先が指定されています。"),
                code=code,
            )
        elif not is_valid_email(email):
            problems.add(
                "contact_emails",
                N_("%(code)s の連絡先メールアドレスの形式が正しくありません。"),
                code=code,
            )
        else:
            emails[code] = email
    return emails


async def _existing(session_id: int, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not codes:
        return {}
    rows = await Invitation.select().where(
        Invitation.exchange_session == session_id, Invitation.municipality.is_in(list(codes))
    )
    return {row["municipality"]: row for row in rows}


async def _invite_one(
    session_id: int,
    code: str,
    municipality: dict[str, Any],
    existing: dict[str, Any] | None,
    email: str | None,
    position: int,
) -> InvitationLink:
    if existing is not None and existing["status"] == InvitationStatus.INVITED:
        if email and email != existing["contact_email"]:
            await Invitation.update({Invitation.contact_email: email}).where(
                Invitation.id == existing["id"]
            )
        return InvitationLink(
            code,
            municipality["display_name"],
            "already_invited",
            link_of(existing["link_nonce"]),
            email or existing["contact_email"],
        )
    link = new_personal_link(LinkKind.INVITATION)
    values: dict[str, Any] = {
        "token_hash": link.token_hash,
        "link_nonce": link.nonce,
        "status": InvitationStatus.INVITED,
        "contact_email": email or (existing or {}).get("contact_email", ""),
    }
    if existing is None:
        await Invitation.insert(
            Invitation(exchange_session=session_id, municipality=code, position=position, **values)
        )
    else:  # revoked, declined or requested before: (re)issue a link, keeping its place
        await Invitation.update(**values).where(Invitation.id == existing["id"])
    return InvitationLink(
        code,
        municipality["display_name"],
        "invited",
        personal_link(LinkKind.INVITATION, link.nonce),
        values["contact_email"],
    )


async def reissue_link(organizer: OrganizerIdentity, session_id: int, code: str) -> InvitationLink:
    """A new link for a municipality (the old one stops working at once)."""
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        row = await _invitation(session_id, code)
        link = new_personal_link(LinkKind.INVITATION)
        await Invitation.update(
            {
                Invitation.token_hash: link.token_hash,
                Invitation.link_nonce: link.nonce,
                Invitation.status: InvitationStatus.INVITED,
            }
        ).where(Invitation.id == row["id"])
        await trail.record(
            actor(organizer),
            "invitation_link_reissued",
            session_id=session_id,
            details={"code": code},
        )
        result = InvitationLink(
            code,
            row["municipality.display_name"],
            "invited",
            personal_link(LinkKind.INVITATION, link.nonce),
        )
        if session.status != SessionStatus.DRAFT and row["contact_email"]:
            await _mail_link(session, result, row["contact_email"])
    return result


async def revoke(organizer: OrganizerIdentity, session_id: int, code: str) -> None:
    """The municipality's link stops working; its registration, if any, stays for the organizer."""
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        row = await _invitation(session_id, code)
        await Invitation.update(
            {
                Invitation.status: InvitationStatus.REVOKED,
                Invitation.token_hash: None,
                Invitation.link_nonce: None,
            }
        ).where(Invitation.id == row["id"])
        await coordinator_mail.withdrawn(session_id, code)
        await trail.record(
            actor(organizer), "invitation_revoked", session_id=session_id, details={"code": code}
        )


async def _invitation(session_id: int, code: str) -> dict[str, Any]:
    row = await (
        Invitation.select(*Invitation.all_columns(), Invitation.municipality.display_name)
        .where(Invitation.exchange_session == session_id, Invitation.municipality == code)
        .first()
    )
    if row is None:
        raise NotFoundError(
            N_("この団体は招待されていません。"), field="code", params={"code": code}
        )
    return row


async def list_invitations(session_id: int) -> list[dict[str, Any]]:
    """Invitations of a session with the municipality's name and prefecture, in the organizer's
    order."""
    return await (
        Invitation.select(
            *Invitation.all_columns(),
            Invitation.municipality.display_name.as_alias("municipality_name"),
            Invitation.municipality.prefecture.as_alias("prefecture"),
        )
        .where(Invitation.exchange_session == session_id)
        .order_by(Invitation.position)
        .order_by(Invitation.id)
    )


@dataclass(frozen=True)
class CoordinatorAccess:
    """What a valid coordinator link opens: one municipality's place in one session."""

    invitation_id: int
    municipality_code: str
    municipality_name: str
    contact_email: str
    session: ExchangeSessionView


# Written out: a coordinator's every request opens its link, and the query builder took longer
# to build this join than the database to answer it. token_hash is unique.
_BY_LINK = """
SELECT invitation.*, municipality.display_name AS municipality_name
FROM invitation JOIN municipality ON municipality.code = invitation.municipality
WHERE invitation.token_hash = {} AND invitation.status = {}
"""


async def access_by_token(token: str) -> CoordinatorAccess:
    """The invitation behind a link; one message for unknown, revoked or malformed tokens."""
    rows = []
    if looks_like_token(token):
        rows = await Invitation.raw(_BY_LINK, hash_token(token), InvitationStatus.INVITED)
    row = rows[0] if rows else None
    if row is None:
        raise NotFoundError(INVALID_LINK)
    return CoordinatorAccess(
        invitation_id=row["id"],
        municipality_code=row["municipality"],
        municipality_name=row["municipality_name"],
        contact_email=row["contact_email"],
        session=await get_session(row["exchange_session"]),
    )
