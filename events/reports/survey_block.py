"""The survey results as a report block, frozen with the report's version.

A published version must read the same forever, so the block keeps the numbers themselves
(`Block.data`), not a reference to the survey: answers that arrive later, or edited
questions, never change a published report. Free-text answers stay out of the block: they may
name people, and the report is public; those whose authors agreed are quoted, unnamed, in the
参加者の声 block (events.reports.voices_block).
"""

from __future__ import annotations

import dataclasses

from events.enums import BlockKind, QuestionKind
from events.lib.i18n import gettext
from events.reports.blocks import Block
from events.surveys.results import survey_summary
from events.surveys.summary import summary_data
from events.templating import render


async def survey_block(session_id: int) -> Block | None:
    """The block of the session's survey results; None when no survey was sent."""
    summary = await survey_summary(session_id)
    if summary is None:
        return None
    public = dataclasses.replace(
        summary,
        questions=tuple(q for q in summary.questions if q.kind != QuestionKind.TEXT),
    )
    return Block(
        "survey",
        BlockKind.SURVEY,
        gettext("アンケート結果"),
        render("reports/blocks/survey.txt.jinja2", summary=public).strip(),
        data=summary_data(public),
    )
