"""Organizer passwords, hashed with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from events.lib.errors import Problems
from events.lib.i18n import N_

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps the timing of both cases alike.
_DUMMY_HASH = _hasher.hash("tsunagu-timing-equaliser")


def validate_password(password: str) -> None:
    problems = Problems()
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.add(
            "password", N_("パスワードは%(min)d文字以上にしてください。"), min=MIN_PASSWORD_LENGTH
        )
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.add(
            "password", N_("パスワードは%(max)d文字以内にしてください。"), max=MAX_PASSWORD_LENGTH
        )
    problems.raise_if_any()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
