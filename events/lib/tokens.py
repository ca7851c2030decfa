"""Secret tokens for personal links and API access; the database keeps only their hashes."""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from events.lib.i18n import N_
from events.lib.settings import load_settings

TOKEN_BYTES = 24  # 192 bits
TOKEN_LENGTH = 32  # characters of its URL-safe base64 form
# One answer for every personal link that opens nothing (unknown, revoked, cancelled or
# malformed), so that nobody can learn whether a token ever existed.
INVALID_LINK = N_(
    "このリンクは無効です。メールに記載のリンクをもう一度ご確認いただくか、主催者にお問い合わせください。"
)


class LinkKind(enum.StrEnum):
    """What a personal link opens. The kind is part of each link's secret (link_token below):
    these values never change, or every link sent so far would stop working."""

    INVITATION = "invitation"  # a municipality's coordinator page, /r/
    ATTENDEE = "attendee"  # an attendee's own page, /a/
    DATE_POLL = "date_poll"  # a municipality's answer to a date poll, /p/
    BOARD_UNSUBSCRIBE = "board-unsubscribe"  # one-click unsubscribe from board mail


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store; the token itself is never stored or logged."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # A plain digest is enough: the token has 192 random bits, unlike a password.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(candidate: str) -> bool:
    """Cheap shape check before any database lookup (URL-safe base64 of TOKEN_BYTES)."""
    return len(candidate) == TOKEN_LENGTH and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in candidate
    )


@dataclass(frozen=True)
class PersonalLink:
    """A personal link's secret: store `nonce` and `token_hash`, never `token`."""

    nonce: str
    token: str
    token_hash: str


def link_token(kind: LinkKind, nonce: str) -> str:
    """The token of a personal link, derived from SECRET_KEY and the row's random nonce.

    Later mails (updates, reminders, promotions) must carry the same link again, so the
    server has to be able to rebuild it; the database alone (nonce and hash) cannot. Changing
    SECRET_KEY therefore invalidates every personal link.
    """
    key = load_settings().secret_key.encode("utf-8")
    digest = hmac.new(key, f"{kind}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode("ascii")


def new_personal_link(kind: LinkKind) -> PersonalLink:
    nonce = secrets.token_hex(16)
    token = link_token(kind, nonce)
    return PersonalLink(nonce=nonce, token=token, token_hash=hash_token(token))
