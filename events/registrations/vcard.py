"""vCard 3.0 (RFC 2426) for the contact exchange: one card per person, escaped and folded.

3.0 rather than 4.0: it is the version every address book imports (Outlook, older Android and
Thunderbird read 4.0 badly or not at all). The name's reading (よみがな) goes in SORT-STRING,
which RFC 2426 defines, and in X-PHONETIC-LAST-NAME / X-PHONETIC-FIRST-NAME, which Apple
Contacts and Google Contacts read to show and sort Japanese names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_LINE_OCTETS = 75  # RFC 6350 3.2, without the CRLF
_NAME_SPLIT = re.compile(r"[ \u3000]+")  # ASCII or ideographic space between family and given


@dataclass(frozen=True)
class Card:
    uid: str  # the same person always gets the same UID, so a second import updates the card
    name: str
    organization: str
    department: str
    title: str
    email: str
    # よみがな, family and given name apart by a space; "" when not given.
    reading: str = ""


def escape(value: str) -> str:
    """A component of a structured value (N, ORG): backslash, comma, semicolon and line breaks
    escaped (RFC 2426 4)."""
    return escape_text(value).replace(";", "\\;")


def escape_text(value: str) -> str:
    """A single text value (FN, TITLE): a semicolon is no separator there and stays as typed,
    since Thunderbird shows an escaped one with its backslash."""
    value = value.replace("\\", "\\\\").replace(",", "\\,")
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


def _family_and_given(name: str) -> tuple[str, str]:
    """Split on the first space; without one, all of it is the family part."""
    parts = _NAME_SPLIT.split(name.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _reading_lines(reading: str) -> list[str]:
    if not reading.strip():
        return []
    family, given = _family_and_given(reading)
    lines = [
        f"SORT-STRING:{escape_text(reading.strip())}",
        f"X-PHONETIC-LAST-NAME:{escape_text(family)}",
    ]
    if given:
        lines.append(f"X-PHONETIC-FIRST-NAME:{escape_text(given)}")
    return lines


def card_lines(card: Card) -> list[str]:
    family, given = _family_and_given(card.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{escape_text(card.uid)}",
        f"FN:{escape_text(card.name)}",
        f"N:{_compound(family, given, '', '', '')}",
        *_reading_lines(card.reading),
        f"ORG:{_compound(card.organization, card.department)}",
        f"EMAIL;TYPE=INTERNET,WORK:{escape_text(card.email)}",
    ]
    if card.title:
        lines.append(f"TITLE:{escape_text(card.title)}")
    lines.append("END:VCARD")
    return lines


def vcards(cards: Iterable[Card]) -> str:
    """Every card in one text, CRLF line ends."""
    return "".join(fold(line) + "\r\n" for card in cards for line in card_lines(card))
