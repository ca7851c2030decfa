"""参加者の声: free-text survey answers quoted in the report, where their authors agreed.

A quote names nobody: the author's own name and municipality are blanked out of the text
(「〇〇」), and nothing else about them is shown. Like every block, the quotes are plain text
the organizer may edit or delete line by line in the draft; a published version keeps them
as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby

from events.enums import BlockKind
from events.lib.i18n import gettext
from events.reports.blocks import Block
from events.surveys.quotes import QuotableAnswer, quotable_answers
from events.templating import render

BLANK = "〇〇"
# Longest quote; the organizer sees the whole answer in the survey results.
QUOTE_LENGTH = 200


def _blanked(text: str, names: Iterable[str]) -> str:
    # Longest first, so that 「山田 太郎」 goes whole before 「山田太郎」 could split it.
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        text = text.replace(name, BLANK)
    return text


def quote(answer: QuotableAnswer) -> str:
    """The answer on one line, without its author's name or municipality, at most
    QUOTE_LENGTH characters."""
    flat = " ".join(answer.text.split())
    names = (answer.author, "".join(answer.author.split()), answer.municipality)
    blanked = _blanked(flat, names)
    return blanked if len(blanked) <= QUOTE_LENGTH else blanked[: QUOTE_LENGTH - 1] + "…"


def voices_of(answers: Sequence[QuotableAnswer]) -> Block | None:
    """The block for these answers; None when there are none to quote."""
    if not answers:
        return None
    questions = [
        (question, [quote(answer) for answer in group])
        for question, group in groupby(answers, key=lambda answer: answer.question)
    ]
    return Block(
        "voices",
        BlockKind.VOICES,
        gettext("参加者の声"),
        render("reports/blocks/voices.txt.jinja2", questions=questions).strip(),
    )


async def voices_block(session_id: int) -> Block | None:
    return voices_of(await quotable_answers(session_id))
