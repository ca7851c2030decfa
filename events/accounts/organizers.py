"""Organizer accounts and their API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from email_validator import EmailNotValidError, validate_email

from events.accounts.passwords import (
    hash_password,
    needs_rehash,
    validate_password,
    verify_password,
)
from events.lib.clock import utcnow
from events.lib.database import is_unique_violation, write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problems
from events.lib.i18n import N_
from events.lib.settings import Environment, load_settings
from events.lib.tokens import hash_token, looks_like_token, new_token
from events.tables import ApiToken, Organizer

MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True)
class OrganizerIdentity:
    """Who is acting, as handlers and domain functions see it."""

    id: int
    email: str
    display_name: str
    is_admin: bool


def _checked(email: str) -> str:
    """The address as stored and sent, or EmailNotValidError.

    A domain in Japanese (例え.jp) is kept in its ASCII form (xn--r8jz45g.jp), which every
    mail server accepts; a local part outside ASCII is refused, as few servers take it.
    No DNS look-up: LGWAN addresses need not resolve from here.
    """
    return _checked_in(email, load_settings().environment is Environment.TEST)


# An address is normalized, then checked in its normalized form: the second answer is kept
# from the first. Only valid addresses are kept (an exception is never cached).
@lru_cache(maxsize=1024)
def _checked_in(email: str, test_environment: bool) -> str:
    checked = validate_email(
        email,
        check_deliverability=False,
        allow_smtputf8=False,
        test_environment=test_environment,
    )
    return (checked.ascii_email or checked.normalized).lower()


def normalize_email(email: str) -> str:
    try:
        return _checked(email.strip())
    except EmailNotValidError:
        return email.strip().lower()  # is_valid_email then says no


def is_valid_email(email: str) -> bool:
    if len(email) > MAX_EMAIL_LENGTH:
        return False
    try:
        return _checked(email) == email
    except EmailNotValidError:
        return False


def _identity(row: dict[str, object]) -> OrganizerIdentity:
    return OrganizerIdentity(
        id=int(row["id"]),  # type: ignore[call-overload]
        email=str(row["email"]),
        display_name=str(row["display_name"]),
        is_admin=bool(row["is_admin"]),
    )


async def create_organizer(
    email: str,
    password: str,
    *,
    display_name: str = "",
    is_admin: bool = False,
    organization: str = "",
) -> OrganizerIdentity:
    email = normalize_email(email)
    problems = Problems()
    if not is_valid_email(email):
        problems.add("email", N_("メールアドレスの形式が正しくありません。"))
    problems.raise_if_any()
    validate_password(password, email)
    row = Organizer(
        email=email,
        display_name=display_name.strip() or email.split("@")[0],
        password_hash=hash_password(password),
        is_admin=is_admin,
        # Named as the host in report leads (「…事務局は、…開催し」).
        organization=organization.strip(),
    )
    try:
        async with write_transaction(public=False):
            await row.save()
    except Exception as error:
        if is_unique_violation(error):
            raise ConflictError(
                N_("%(email)s の主催者はすでに登録されています。"),
                field="email",
                params={"email": email},
            ) from None
        raise
    return _identity(row.to_dict())


async def authenticate(email: str, password: str) -> OrganizerIdentity | None:
    """The organizer when the password matches, else None (same work either way)."""
    row = await Organizer.select().where(Organizer.email == normalize_email(email)).first()
    if not verify_password(row["password_hash"] if row else None, password) or row is None:
        return None
    if needs_rehash(row["password_hash"]):
        async with write_transaction(public=False):
            await Organizer.update({Organizer.password_hash: hash_password(password)}).where(
                Organizer.id == row["id"]
            )
    return _identity(row)


async def organizer_by_id(organizer_id: int) -> OrganizerIdentity:
    row = await Organizer.select().where(Organizer.id == organizer_id).first()
    if row is None:
        raise NotFoundError(N_("主催者が見つかりません。"))
    return _identity(row)


async def display_names(organizer_ids: Sequence[int]) -> dict[int, str]:
    """Names of several organizers in one query, for pages that list who did what."""
    if not organizer_ids:
        return {}
    rows = await Organizer.select(Organizer.id, Organizer.display_name).where(
        Organizer.id.is_in(list(organizer_ids))
    )
    return {row["id"]: row["display_name"] for row in rows}


async def organizer_by_email(email: str) -> OrganizerIdentity:
    row = await Organizer.select().where(Organizer.email == normalize_email(email)).first()
    if row is None:
        raise NotFoundError(
            N_("%(email)s の主催者はいません。"),
            field="email",
            params={"email": normalize_email(email)},
        )
    return _identity(row)


async def create_api_token(email: str, label: str = "") -> tuple[int, str]:
    """Issue a bearer token for the organizer: its number (for listing and revoking) and the
    token itself, which is shown once; only its hash is kept."""
    organizer = await organizer_by_email(email)
    token, token_hash = new_token()
    async with write_transaction(public=False):
        [row] = await ApiToken.insert(
            ApiToken(token_hash=token_hash, organizer=organizer.id, label=label[:100])
        ).returning(ApiToken.id)
    return row["id"], token


async def organizer_for_api_token(token: str) -> OrganizerIdentity | None:
    if not looks_like_token(token):
        return None
    row = await (
        ApiToken.select(ApiToken.id, ApiToken.organizer)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        return None
    return await organizer_by_id(row["organizer"])


@dataclass(frozen=True)
class ApiTokenInfo:
    """An issued API token as operators list it: never the token itself, which is not stored."""

    id: int
    organizer_email: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


_TOKEN_COLUMNS = (
    ApiToken.id,
    ApiToken.organizer._.email,
    ApiToken.label,
    ApiToken.created_at,
    ApiToken.revoked_at,
)


def _token_info(row: dict[str, Any]) -> ApiTokenInfo:
    return ApiTokenInfo(
        id=row["id"],
        organizer_email=row["organizer.email"],
        label=row["label"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


async def api_tokens(email: str | None = None) -> list[ApiTokenInfo]:
    """Every token issued (to one organizer, when `email` is given), oldest first."""
    query = ApiToken.select(*_TOKEN_COLUMNS).order_by(ApiToken.id)
    if email is not None:
        query = query.where(ApiToken.organizer == (await organizer_by_email(email)).id)
    return [_token_info(row) for row in await query]


async def revoke_api_token(token_id: int, *, now: dt.datetime | None = None) -> ApiTokenInfo:
    """The token stops working at once; revoking it again keeps the first revocation time."""
    async with write_transaction(public=False):
        await ApiToken.update({ApiToken.revoked_at: now or utcnow()}).where(
            ApiToken.id == token_id, ApiToken.revoked_at.is_null()
        )
        row = await ApiToken.select(*_TOKEN_COLUMNS).where(ApiToken.id == token_id).first()
    if row is None:
        raise NotFoundError(N_("番号 %(id)s のAPIトークンはありません。"), params={"id": token_id})
    return _token_info(row)
