"""The sharing round told as a synthesis: how many answered, what recurred, a few practices.

A published article does not list who said what: per item it gives counts, the threads
several municipalities had in common and some representative practices. A practice names its
municipality (「〇〇市では、…」) only where the municipality's coordinator consented to it;
the others stay anonymous. The words counted are runs of kanji, katakana or Latin letters
found in the answers of at least three municipalities and not part of the item itself;
nothing is invented, every practice quoted is one municipality's own first sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from events.lib.i18n import DEFAULT_LOCALE, gettext, use_locale
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
class SharedAnswer:
    text: str
    # The municipality's name where it consented to be named; "" keeps the answer anonymous.
    named: str = ""


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


def _quoted(practice: str, named: str) -> str:
    if not named:
        return practice
    return gettext("%(name)sでは、%(practice)s", name=named, practice=practice)


def named_without_consent(sharing_body: str, participants: Sequence[Participant]) -> list[str]:
    """Municipalities a sharing text names as a practice's author though they did not consent
    (or withdrew after the draft was made), in the report's own wording of a named practice."""
    with use_locale(DEFAULT_LOCALE):
        return [
            p.name
            for p in participants
            if not p.may_be_named and _quoted("", p.name) in sharing_body
        ]


def synthesize(item: str, answers: Sequence[SharedAnswer]) -> ItemSynthesis:
    """One sharing item over every municipality's answer to it (empty answers left out)."""
    given = [answer for answer in answers if answer.text.strip()]
    counts = Counter(term for answer in given for term in _terms(answer.text) if term not in item)
    common = [term for term, count in counts.most_common() if count >= COMMON_AMONG]
    # The same first sentence only once, named when one of those who wrote it consented.
    practices: dict[str, str] = {}
    for answer in given:
        practice = _practice(answer.text)
        practices[practice] = practices.get(practice) or answer.named
    # The most detailed practices first.
    chosen = sorted(practices, key=len, reverse=True)[:PRACTICES]
    return ItemSynthesis(
        item,
        len(given),
        tuple(common[:COMMON_TERMS]),
        tuple(_quoted(practice, practices[practice]) for practice in chosen),
    )


def synthesize_items(
    items: Sequence[str], item_ids: Sequence[int], participants: Sequence[Participant]
) -> tuple[ItemSynthesis, ...]:
    return tuple(
        synthesize(
            item,
            [
                SharedAnswer(p.answers.get(item_id, ""), p.name if p.may_be_named else "")
                for p in participants
            ],
        )
        for item_id, item in zip(item_ids, items, strict=False)
    )
