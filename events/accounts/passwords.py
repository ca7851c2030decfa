"""Organizer passwords, hashed with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from events.lib.errors import Problems
from events.lib.i18n import N_

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# zxcvbn scores 0-4; 2 means at least 10^6 guesses. It refuses input beyond 72 characters.
MIN_ZXCVBN_SCORE = 2
ZXCVBN_MAX_LENGTH = 72

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps the timing of both cases alike.
_DUMMY_HASH = _hasher.hash("tsunagu-timing-equaliser")


def validate_password(password: str, email: str) -> None:
    """At least 12 characters, not blank, not the e-mail address, and not easy to guess."""
    problems = Problems()
    if not password.strip():
        problems.add("password", N_("パスワードに空白以外の文字を入れてください。"))
    elif len(password) < MIN_PASSWORD_LENGTH:
        problems.add(
            "password", N_("パスワードは%(min)d文字以上にしてください。"), min=MIN_PASSWORD_LENGTH
        )
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.add(
            "password", N_("パスワードは%(max)d文字以内にしてください。"), max=MAX_PASSWORD_LENGTH
        )
    elif email.lower() in password.lower():
        problems.add("password", N_("パスワードにメールアドレスを使わないでください。"))
    elif _guessable(password, email):
        problems.add(
            "password",
            N_(
                "よく使われるパスワードや、推測しやすい並びは使えません。別のパスワードにしてください。"
            ),
        )
    problems.raise_if_any()


def _guessable(password: str, email: str) -> bool:
    """zxcvbn's estimate (lists of common passwords, words, names, keyboard runs, repeats,
    and the account's own address): fewer than a million guesses is too few."""
    local_part = email.partition("@")[0]
    estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[email, local_part])
    return int(estimate["score"]) < MIN_ZXCVBN_SCORE


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
