"""The password policy: 12 characters or more, not blank, not the address, not easy to guess."""

from __future__ import annotations

import pytest

from events.accounts.organizers import create_organizer
from events.lib.errors import ValidationError
from events.tables import Organizer

EMAIL = "yamada.taro@pref.okayama.example.lg.jp"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "パスワードは12文字以上にしてください。"),
        (" " * 12, "パスワードに空白以外の文字を入れてください。"),
        ("\u3000" * 12, "パスワードに空白以外の文字を入れてください。"),
        ("x" * 257, "パスワードは256文字以内にしてください。"),
        (EMAIL, "パスワードにメールアドレスを使わないでください。"),
        (EMAIL.upper() + "!", "パスワードにメールアドレスを使わないでください。"),
        (
            "password1234",
            "よく使われるパスワードや、推測しやすい並びは使えません。別のパスワードにしてください。",
        ),
        (
            "qwertyuiop12",
            "よく使われるパスワードや、推測しやすい並びは使えません。別のパスワードにしてください。",
        ),
        (
            "aaaaaaaaaaaa",
            "よく使われるパスワードや、推測しやすい並びは使えません。別のパスワードにしてください。",
        ),
        (
            "yamada.taro1",
            "よく使われるパスワードや、推測しやすい並びは使えません。別のパスワードにしてください。",
        ),
    ],
)
async def test_weak_password_is_refused_and_no_account_made(password: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        await create_organizer(EMAIL, password)

    assert [(p.field, p.message % p.params) for p in raised.value.problems] == [
        ("password", message)
    ]
    assert await Organizer.count() == 0


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "デジタル推進課の合言葉です", ("水曜の朝は岡山駅で" * 30)[:256]],
)
async def test_long_unusual_password_is_accepted(password: str) -> None:
    created = await create_organizer(EMAIL, password)

    assert created.email == EMAIL
