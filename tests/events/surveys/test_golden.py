"""Survey results rendered from fixed answers, checked against golden files (no database)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from events.enums import QuestionKind, SurveyStatus
from events.surveys.charts import question_chart
from events.surveys.questions import DEFAULT_QUESTIONS, QuestionSetView, QuestionView
from events.surveys.results import StoredAnswer, summarize
from events.surveys.summary import SurveySummary
from events.surveys.surveys import SurveyView
from events.templating import render
from tests.helpers import GOLDEN as GOLDEN_FILES

GOLDEN = GOLDEN_FILES / "survey"
OPENED = dt.datetime(2023, 12, 15, 8, 0, tzinfo=dt.UTC)
# usefulness, understanding, reluctance before/after, what next, comment: as in the 2023-12-15
# meeting's survey, for seven respondents of nine attendees.
ANSWERS = (
    (5, 5, (4, 2), "人事課と研修受講歴の共有を始めたい", ""),
    (5, 4, (3, 2), "", "他県の育成計画が参考になりました。"),
    (4, 4, (4, 3), "ITパスポート受験補助の検討", ""),
    (4, 3, (2, 2), "", ""),
    (5, 4, (5, 3), "管理職向け研修の企画", "次回は評価への反映を深掘りしたい"),
    (3, 3, (3, 3), "", ""),
    (4, 4, (2, 1), "", ""),
)


def questions() -> QuestionSetView:
    return QuestionSetView(
        id=1,
        series_id=1,
        version=1,
        in_use=True,
        questions=tuple(
            QuestionView(
                id=10 + position,
                position=position,
                kind=QuestionKind(question.kind),
                label=question.label,
                levels=question.levels,
            )
            for position, question in enumerate(DEFAULT_QUESTIONS, start=1)
        ),
    )


def summary() -> SurveySummary:
    survey = SurveyView(
        id=1,
        session_id=7,
        status=SurveyStatus.CLOSED,
        questions=questions(),
        opened_at=OPENED,
        closed_at=OPENED + dt.timedelta(days=7),
    )
    stored = [
        answer
        for usefulness, understanding, (before, after), next_step, comment in ANSWERS
        for answer in (
            StoredAnswer(11, usefulness, None, ""),
            StoredAnswer(12, understanding, None, ""),
            StoredAnswer(13, before, after, ""),
            StoredAnswer(14, None, None, next_step),
            StoredAnswer(15, None, None, comment),
        )
    ]
    return summarize(survey, len(ANSWERS), 9, stored)


def assert_golden(name: str, text: str) -> None:
    """UPDATE_GOLDEN=1 rewrites the file; inspect the diff before committing it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_summary_of_the_design_meeting() -> None:
    result = summary()
    usefulness, understanding, reluctance, next_step, comment = result.questions
    assert [level.count for level in usefulness.levels] == [3, 3, 1, 0, 0]
    assert (usefulness.mean, understanding.mean) == (4.29, 3.86)
    assert reluctance.before_after is not None
    assert (
        reluctance.before_after.mean_before,
        reluctance.before_after.mean_after,
        reluctance.before_after.decreased,
        reluctance.before_after.decreased_share,
    ) == (3.29, 2.29, 5, 5 / 7)
    assert len(next_step.texts) == 3
    assert len(comment.texts) == 2


@pytest.mark.parametrize("position", [1, 3])
def test_chart_matches_golden(position: int) -> None:
    question = summary().questions[position - 1]
    assert_golden(f"chart_q{position}.svg", str(question_chart(question, f"c{position}")) + "\n")


def test_results_partial_matches_golden() -> None:
    assert_golden("results.html", render("survey/_results.html.jinja2", summary=summary()))
