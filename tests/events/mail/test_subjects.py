"""Every kind of mail, in both languages: its Subject is folded by the email package into
RFC 2047 encoded words of at most 75 characters, and reads back exactly."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default

import pytest

from events.mail.compose import compose
from events.mail.mime import build_message
from tests.events.web.test_english_ui import mail_contexts
from tests.factories import make_organizer

ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")


def subject_header(raw: bytes) -> str:
    """The Subject header as written, continuation lines included."""
    found = re.search(rb"^Subject:.*?\r\n(?! )", raw, flags=re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.group(0).decode("ascii")


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_every_subject_is_folded_into_encoded_words_of_at_most_75(language: str) -> None:
    contexts = await mail_contexts(await make_organizer())
    longest = 0
    for kind, context in contexts.items():
        mail = compose(kind, language, **context)
        message = build_message(
            sender="つなぐ事務局 <noreply@tsunagu.test>",
            recipient="佐藤 花子 <hanako@city.example.lg.jp>",
            reply_to=None,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            calendar=None,
            calendar_method=None,
            message_id="<subject-test@tsunagu.test>",
        )
        raw = bytes(message)
        header = subject_header(raw)
        words = ENCODED_WORD.findall(header)
        assert all(len(word) <= 75 for word in words), (kind, header)
        assert all(len(line) <= 78 for line in header.split("\r\n")), (kind, header)
        # The folder may break right after "Subject:"; the space it leaves carries no meaning.
        read_back = message_from_bytes(raw, policy=default)["Subject"]
        assert read_back.lstrip() == mail.subject, kind
        longest = max([longest, *map(len, words)])
    if language == "ja":
        # Japanese subjects are long enough to need several words: the limit is really met.
        assert longest > 60
