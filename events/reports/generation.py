"""The draft report of a session, generated from structured facts through templates/reports/blocks.

A pure function of its input (no queries, no clock): the same facts give the same blocks,
which is what the golden-file tests rely on. It reads like a published 開催レポート, not minutes:
the background in the past tense, the sharing round as a synthesis without names, one
paragraph per discussion merged from every group's notes, the organizer's own closing words.
"""

from __future__ import annotations

from typing import Any

from events.enums import BlockKind, PlanStatus
from events.lib.formatting import circled_number
from events.lib.i18n import DEFAULT_LOCALE, N_, gettext, use_locale
from events.reports.blocks import Block
from events.reports.facts import ReportFacts
from events.reports.synthesis import synthesize_items
from events.reports.wording import paragraph, past_tense
from events.templating import render

# How a report names the stages of the plan, in the order they are counted.
_STAGES = {
    PlanStatus.ADOPTED: N_("策定済"),
    PlanStatus.DRAFTING: N_("策定中"),
    PlanStatus.NOT_STARTED: N_("未着手"),
}


def _body(kind: str, **context: Any) -> str:
    return render(f"reports/blocks/{kind}.txt.jinja2", **context).strip()


def report_title(series_title: str, session_title: str) -> str:
    """【開催レポート】 and the series, then what the session's title adds (第N回 once)."""
    series_words = set(series_title.split())
    extra = [word for word in session_title.split() if word not in series_words]
    return gettext("【開催レポート】") + " ".join([series_title, *extra])


def _sharing(facts: ReportFacts) -> Block | None:
    sharing = facts.sharing
    if sharing is None:
        return None
    body = _body(
        "sharing",
        sharing=sharing,
        count=len(facts.participants),
        # Only the stages someone is at: 「策定済が4自治体、策定中が1自治体」.
        plan_counts=[
            gettext("%(stage)sが%(count)d自治体", stage=gettext(stage), count=count)
            for status, stage in _STAGES.items()
            if (count := facts.plan_count(status))
        ],
        syntheses=synthesize_items(sharing.items, sharing.item_ids, facts.participants),
    )
    return Block("sharing", BlockKind.SHARING, gettext("【情報共有】"), body)


def _discussions(facts: ReportFacts) -> list[Block]:
    return [
        Block(
            f"discussion:{segment.id}",
            BlockKind.DISCUSSION,
            gettext(
                "【ディスカッション%(number)s】%(title)s",
                number=circled_number(number),
                title=segment.title,
            ),
            _body(
                "discussion",
                segment=segment,
                # The topic's own note first, then each group's, by the group's label.
                summary=paragraph(
                    [facts.notes.of_topic(segment.id), *facts.notes.of_groups(segment.id).values()]
                ),
            ),
        )
        for number, segment in enumerate(facts.discussions, start=1)
    ]


def participants_block(facts: ReportFacts) -> Block:
    """参加自治体: the municipalities in the order the organizer set for the session."""
    with use_locale(DEFAULT_LOCALE):
        return Block(
            "participants",
            BlockKind.PARTICIPANTS,
            gettext("参加自治体"),
            _body("participants", facts=facts),
        )


def generate(
    facts: ReportFacts, *, survey: Block | None = None, voices: Block | None = None
) -> tuple[Block, ...]:
    """Every block of the report, in the order the report reads.

    `survey` is the survey results block (events.reports.survey_block); it sits after the
    discussions, and is left out when the session had no survey. `voices` (参加者の声,
    events.reports.voices_block) follows it, left out when nobody agreed to be quoted.
    """
    with use_locale(DEFAULT_LOCALE):
        title = report_title(facts.series_title, facts.title)
        blocks: list[Block | None] = [
            Block("title", BlockKind.TITLE, title, ""),
            Block(
                "lead",
                BlockKind.LEAD,
                "",
                _body("lead", facts=facts, event=title.removeprefix(gettext("【開催レポート】"))),
            ),
            Block(
                "background",
                BlockKind.BACKGROUND,
                gettext("開催の背景"),
                past_tense(facts.background),
            ),
            participants_block(facts),
            _sharing(facts),
            *_discussions(facts),
            survey,
            voices,
            # The organizer's closing words as written, nothing added; left empty, it is not shown.
            Block("closing", BlockKind.CLOSING, gettext("さいごに"), facts.notes.takeaways.strip()),
            Block(
                "next_sessions",
                BlockKind.NEXT_SESSIONS,
                gettext("今後の開催予定"),
                _body("next_sessions", facts=facts),
            ),
        ]
    return tuple(block for block in blocks if block is not None)
