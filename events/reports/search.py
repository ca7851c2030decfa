"""Substring search over archived reports through an index of character pairs (bigrams).

Reading every report's text for each query (instr / strpos) took several hundred ms for
10,000 reports, so publishing stores the distinct character pairs of the folded text. A
2-character word such as 人事 is one pair: its posting list is the exact answer. A longer
word keeps the reports that have its rarest pair; when those are few, the word itself is
checked in their text, otherwise its three rarest pairs decide (pairs that nearly every
report has are skipped). A single character
is looked up in the text directly. `%`, `_` and `\\` are ordinary characters throughout:
no LIKE pattern is ever built from what a visitor typed.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from events.lib.database import is_sqlite
from events.tables import ReportArchiveEntry, ReportSearchTerm

# Candidates up to this many are checked against their text; beyond it the pairs decide.
VERIFY_LIMIT = 500
INSERT_BATCH = 1000
PAIRS_DECIDING = 3
# A pair in this share of the reports or more does not decide a search of many candidates.
UBIQUITOUS = 0.9


def pairs_of(word: str) -> list[str]:
    return list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))


def terms_of(folded_text: str) -> set[str]:
    """Every pair of adjacent characters within whitespace-separated runs of the text."""
    terms: set[str] = set()
    for run in folded_text.split():
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    return terms


async def store_terms(entry_id: int, folded_text: str) -> None:
    """Replace the entry's pairs; call inside the publishing transaction."""
    await ReportSearchTerm.delete().where(ReportSearchTerm.entry == entry_id)
    rows = [ReportSearchTerm(entry=entry_id, term=term) for term in sorted(terms_of(folded_text))]
    for start in range(0, len(rows), INSERT_BATCH):
        await ReportSearchTerm.insert(*rows[start : start + INSERT_BATCH])


def _contains(column: str, value: str) -> WhereRaw:
    function = "instr({}, {{}}) > 0" if is_sqlite() else "strpos({}, {{}}) > 0"
    return WhereRaw(function.format(column), value)


# "+id" keeps SQLite from driving the query by the posting list and sorting every match: it
# walks the (starts_at, id) index instead, probing the list, and stops after one page.
_VERIFIED = (
    "+id IN (SELECT c.id FROM report_archive_entry c WHERE c.id IN "
    "(SELECT entry FROM report_search_term WHERE term = {{}}) "
    "AND {function}(c.search_text, {{}}) > 0)"
)
_VERIFIED_SQLITE = _VERIFIED.format(function="instr")
_VERIFIED_POSTGRES = _VERIFIED.format(function="strpos")


def _has_pair(term: str) -> WhereRaw:
    return WhereRaw("+id IN (SELECT entry FROM report_search_term WHERE term = {})", term)


async def _posting_sizes(pairs: list[str]) -> dict[str, int]:
    rows = await (
        ReportSearchTerm.select(ReportSearchTerm.term, Count(alias="n"))
        .where(ReportSearchTerm.term.is_in(pairs))
        .group_by(ReportSearchTerm.term)
    )
    return {row["term"]: row["n"] for row in rows}


async def word_conditions(word: str) -> list[Any]:
    """Conditions on report_archive_entry that keep exactly the reports containing `word`."""
    if len(word) == 1:
        return [_contains("search_text", word)]
    pairs = pairs_of(word)
    sizes = await _posting_sizes(pairs)
    if len(sizes) < len(pairs):
        # A pair no report has: nothing can match.
        return [ReportArchiveEntry.id == -1]
    rarest = min(pairs, key=lambda pair: sizes[pair])
    total = await ReportArchiveEntry.count()
    if len(word) == 2:
        # A pair every report has filters nothing: leave the posting list unread.
        return [] if sizes[rarest] >= total else [_has_pair(rarest)]
    if sizes[rarest] <= VERIFY_LIMIT:
        # Inside the subquery, so that only the candidates' texts are read.
        return [WhereRaw(_VERIFIED_SQLITE if is_sqlite() else _VERIFIED_POSTGRES, rarest, word)]
    # Many candidates: reading their texts would cost what the index saves, so the rarest
    # pairs decide (a report with them apart, not in a row, may be listed too); pairs that
    # nearly every report has are left out, as they would only cost time.
    deciding = [
        pair
        for pair in sorted(pairs, key=lambda pair: sizes[pair])
        if sizes[pair] < total * UBIQUITOUS
    ]
    return [_has_pair(pair) for pair in deciding[:PAIRS_DECIDING]]
