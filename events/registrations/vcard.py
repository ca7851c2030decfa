"""vCard 4.0 (RFC 6350) for the contact exchange: one card per person, escaped and folded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_LINE_OCTETS = 75  # RFC 6350 3.2, without the CRLF
_NAME_SPLIT = re.compile(r"[ \u3000]+")  # ASCII or ideographic space between family and given


@dataclass(frozen=True)
class Card:
    name: str
    organization: str
    department: str
    title: str
    email: str


def escape(value: str) -> str:
    """A text value: backslash, comma, semicolon and line breaks escaped (RFC 6350 3.4)."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines over 75 octets continue after CRLF and a space, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not parts else MAX_LINE_OCTETS - 1  # the space counts
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _compound(*fields: str) -> str:
    return ";".join(escape(field) for field in fields)


def card_lines(card: Card) -> list[str]:
    parts = _NAME_SPLIT.split(card.name.strip(), maxsplit=1)
    family, given = parts[0], parts[1] if len(parts) > 1 else ""
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{escape(card.name)}",
        f"N:{_compound(family, given, '', '', '')}",
        f"ORG:{_compound(card.organization, card.department)}",
        f"EMAIL;TYPE=work:{escape(card.email)}",
    ]
    if card.title:
        lines.append(f"TITLE:{escape(card.title)}")
    lines.append("END:VCARD")
    return lines


def vcards(cards: Iterable[Card]) -> str:
    """Every card in one text, CRLF line ends."""
    return "".join(fold(line) + "\r\n" for card in cards for line in card_lines(card))
