"""Small rules of Japanese report prose: the past tense, one 「。」 per sentence, joined notes.

A report tells what happened: the session's background was written beforehand in the
future (「意見交換します」), and the report's copy of it starts in the past (「意見交換しました」).
Only polite verb endings change; 「〜ています」 (a state that still holds) and negatives stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# 「ます」 closing a sentence, but not 「ています」「ております」 (still true today).
_FUTURE = re.compile(r"(?<!てい)(?<!てお)ます(?=[。！!\n」]|$)")
_ENDING = "。！？!?」）)"
_REPEATED = re.compile(r"([。、，．！？!?])\1+")


def past_tense(text: str) -> str:
    """「〜します。」 as 「〜しました。」, sentence by sentence."""
    return _FUTURE.sub("ました", text)


def sentence(text: str) -> str:
    """The text on one line, ending with exactly one 「。」 (or its own !, ?, 」)."""
    flat = _REPEATED.sub(r"\1", " ".join(text.split()))
    if not flat:
        return ""
    return flat if flat[-1] in _ENDING else flat + "。"


def paragraph(texts: Iterable[str]) -> str:
    """Several notes as one paragraph: each a sentence, in order, without repeats."""
    return "".join(dict.fromkeys(s for s in map(sentence, texts) if s))
