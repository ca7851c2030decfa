"""The draft report of a session, generated from structured facts through templates/reports/blocks.

A pure function of its input (no queries, no clock): the same facts give the same blocks,
which is what the golden-file tests rely on. Nothing is guessed from free text; notes and
sharing answers are quoted as the organizer and the municipalities wrote them.
"""

from __future__ import annotations

from typing import Any

from events.enums import BlockKind, PlanStatus
from events.lib.i18n import DEFAULT_LOCALE, gettext, use_locale
from events.reports.blocks import Block
from events.reports.facts import ReportFacts
from events.templating import render

# Longest quote of one sharing answer among the highlights; the organizer sees the full answers.
HIGHLIGHT_LENGTH = 80


def _body(kind: str, **context: Any) -> str:
    return render(f"reports/blocks/{kind}.txt.jinja2", **context).strip()


def circled(number: int) -> str:
    """①, ②, ... as Japanese reports number their discussions (plain digits after ⑳)."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else str(number)


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= HIGHLIGHT_LENGTH else flat[: HIGHLIGHT_LENGTH - 1] + "…"


def _sharing(facts: ReportFacts) -> Block | None:
    sharing = facts.sharing
    if sharing is None:
        return None
    highlights = [
        (participant.name, item, _quote(participant.answers[item_id]))
        for item_id, item in zip(sharing.item_ids, sharing.items, strict=False)
        for participant in facts.participants
        if participant.answers.get(item_id, "").strip()
    ]
    body = _body(
        "sharing",
        sharing=sharing,
        adopted=facts.plan_count(PlanStatus.ADOPTED),
        drafting=facts.plan_count(PlanStatus.DRAFTING),
        not_started=facts.plan_count(PlanStatus.NOT_STARTED),
        highlights=highlights,
    )
    return Block("sharing", BlockKind.SHARING, sharing.title, body)


def _discussions(facts: ReportFacts) -> list[Block]:
    return [
        Block(
            f"discussion:{segment.id}",
            BlockKind.DISCUSSION,
            gettext("意見交換%(number)s：%(title)s", number=circled(number), title=segment.title),
            _body(
                "discussion",
                segment=segment,
                summary=facts.notes.of_topic(segment.id),
                groups=facts.notes.of_groups(segment.id),
            ),
        )
        for number, segment in enumerate(facts.discussions, start=1)
    ]


def generate(facts: ReportFacts, *, survey: Block | None = None) -> tuple[Block, ...]:
    """Every block of the report, in the order the report reads.

    `survey` is the survey results block (events.surveys.results); it sits after the
    discussions, and is left out when the session had no survey.
    """
    with use_locale(DEFAULT_LOCALE):
        blocks: list[Block | None] = [
            Block(
                "title",
                BlockKind.TITLE,
                gettext(
                    "%(series)s %(title)s 開催レポート",
                    series=facts.series_title,
                    title=facts.title,
                ),
                "",
            ),
            Block("lead", BlockKind.LEAD, "", _body("lead", facts=facts)),
            Block("background", BlockKind.BACKGROUND, gettext("開催の背景"), facts.background),
            Block(
                "participants",
                BlockKind.PARTICIPANTS,
                gettext("参加自治体"),
                _body("participants", facts=facts),
            ),
            _sharing(facts),
            *_discussions(facts),
            survey,
            Block(
                "closing",
                BlockKind.CLOSING,
                gettext("おわりに"),
                _body("closing", facts=facts, takeaways=facts.notes.takeaways),
            ),
            Block(
                "next_sessions",
                BlockKind.NEXT_SESSIONS,
                gettext("今後の開催予定"),
                _body("next_sessions", facts=facts),
            ),
        ]
    return tuple(block for block in blocks if block is not None)
