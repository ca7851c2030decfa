"""The sharing round told as a synthesis: how many answered, what recurred, a few practices.

A published article does not list who said what: per item it gives counts, the threads
several municipalities had in common and some representative practices, without names. The
words counted are runs of kanji, katakana or Latin letters found in the answers of at least
three municipalities and not part of the item itself; nothing is invented, every practice
quoted is one municipality's own first sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from events.reports.facts import Participant
from events.reports.wording import sentence

COMMON_TERMS = 3
# A thread is common when this many municipalities mention it.
COMMON_AMONG = 3
PRACTICES = 3
# Longest practice quoted; the organizer sees every answer in full and can edit the draft.
PRACTICE_LENGTH = 80
_TERM = re.compile(r"[一-龥々]{2,}|[ァ-ヴー]{3,}|[A-Za-z][A-Za-z0-9]{1,}")
_FIRST_SENTENCE = re.compile(r"^.*?[。！？!?](?=.)|^.*$", re.DOTALL)


@dataclass(frozen=True)
class ItemSynthesis:
    item: str
    answered: int
    common_terms: tuple[str, ...]
    practices: tuple[str, ...]


def _terms(text: str) -> set[str]:
    return set(_TERM.findall(text))


def _practice(answer: str) -> str:
    match = _FIRST_SENTENCE.match(" ".join(answer.split()))
    first = sentence(match.group(0) if match else answer)
    return first if len(first) <= PRACTICE_LENGTH else first[: PRACTICE_LENGTH - 1] + "…"


def synthesize(item: str, answers: Sequence[str]) -> ItemSynthesis:
    """One sharing item over every municipality's answer to it (empty answers left out)."""
    given = [answer for answer in answers if answer.strip()]
    counts = Counter(term for answer in given for term in _terms(answer) if term not in item)
    common = [term for term, count in counts.most_common() if count >= COMMON_AMONG]
    # The most detailed practices first; the same first sentence only once.
    practices = sorted(dict.fromkeys(map(_practice, given)), key=len, reverse=True)
    return ItemSynthesis(
        item, len(given), tuple(common[:COMMON_TERMS]), tuple(practices[:PRACTICES])
    )


def synthesize_items(
    items: Sequence[str], item_ids: Sequence[int], participants: Sequence[Participant]
) -> tuple[ItemSynthesis, ...]:
    return tuple(
        synthesize(item, [p.answers.get(item_id, "") for p in participants])
        for item_id, item in zip(item_ids, items, strict=False)
    )
