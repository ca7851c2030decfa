"""Whole numbers typed by people or sent by clients: the one parser for query strings and forms.

`str.isdigit()` accepts "²", which `int()` refuses, and `int()` accepts "٣", " 1_000" and
"+5": a number from a request is ASCII digits, optionally after a minus sign, of a bounded
length, or it is not a number at all.
"""

from __future__ import annotations

# Enough for any id, count or year; more digits only make int() slower on hostile input.
MAX_DIGITS = 18


def parse_int(text: str | None, *, negative: bool = False) -> int | None:
    """The number `text` spells (surrounding spaces ignored), or None when it is not one."""
    if text is None:
        return None
    text = text.strip()
    digits = text[1:] if negative and text.startswith("-") else text
    if not is_digits(digits) or len(digits) > MAX_DIGITS:
        return None
    return int(text)


def is_digits(text: str, length: int | None = None) -> bool:
    """ASCII digits only (a code such as 330001), of exactly `length` characters if given."""
    return text.isascii() and text.isdecimal() and (length is None or len(text) == length)
