"""Substring search that treats user input literally, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

from piccolo.columns import Column
from piccolo.query import WhereRaw

_HIRAGANA = "".join(chr(code) for code in range(ord("ぁ"), ord("ゖ") + 1))
_KATAKANA = "".join(chr(code + 0x60) for code in range(ord("ぁ"), ord("ゖ") + 1))
_SMALL_KANA = "ァィゥェォッャュョヮヵヶ"
_LARGE_KANA = "アイウエオツヤユヨワカケ"
_TO_KATAKANA = str.maketrans(_HIRAGANA, _KATAKANA)
_TO_LARGE_KANA = str.maketrans(_SMALL_KANA, _LARGE_KANA)

MAX_QUERY_LENGTH = 100


def fold(text: str) -> str:
    """Fold width, case, hiragana/katakana and small kana so that いわくに finds イワクニシ."""
    normalized = unicodedata.normalize("NFKC", text).casefold()
    normalized = normalized.translate(_TO_KATAKANA).translate(_TO_LARGE_KANA)
    return "".join(normalized.split())


def contains(column: Column, needle: str) -> WhereRaw:
    """A WHERE clause true when the column holds `needle` as a substring.

    strpos/instr instead of LIKE: what the user typed (%, _, \\) is matched as text, with no
    escaping rules that differ between the two engines.
    """
    engine_type = column._meta.engine_type
    function = "strpos" if engine_type in {"postgres", "cockroach"} else "instr"
    return WhereRaw(f"{function}({column._meta.get_full_name(with_alias=False)}, {{}}) > 0", needle)
