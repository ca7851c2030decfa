"""Log redaction: link tokens in paths and e-mail addresses, plain or percent-encoded, go."""

from __future__ import annotations

from events.lib.log_redaction import redact
from events.lib.tokens import TOKEN_LENGTH

TOKEN = "A" * TOKEN_LENGTH


def test_a_token_in_a_path_is_redacted() -> None:
    assert redact(f"GET /a/{TOKEN}/calendar.ics") == "GET /a/[redacted]/calendar.ics"
    assert redact(f"/i/{TOKEN}?x=1") == "/i/[redacted]?x=1"


def test_addresses_plain_and_percent_encoded_are_redacted() -> None:
    assert redact("550 yamada.taro@city.example.lg.jp refused") == "550 [email] refused"
    assert redact("GET /search yamada%40city.example.jp") == "GET /search [email]"


def test_text_without_a_token_or_an_address_is_unchanged() -> None:
    for text in ("127.0.0.1:5555", "GET", "/sessions/12?page=2", "1.1", TOKEN):
        assert redact(text) == text
