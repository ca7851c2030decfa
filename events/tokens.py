"""Secret tokens for links and API access: random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 24  # 192 bits
TOKEN_LENGTH = 32  # characters of its URL-safe base64 form


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
