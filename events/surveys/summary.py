"""What a survey's results are, as plain values: what pages, charts, schemas and published
reports hold, and how a report version keeps them as JSON (summary_data / summary_from_data).

Kept apart from events.surveys.results, which reads them from the database: templates render a
summary frozen into a report without reaching the mail and database modules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from events.enums import QuestionKind, SurveyStatus
from events.surveys.charts import question_chart


@dataclass(frozen=True)
class LevelCount:
    """How many chose one level; `share` of those who answered the question (0.0 when none)."""

    score: int
    label: str
    count: int
    share: float


@dataclass(frozen=True)
class BeforeAfterResult:
    """The same scale asked before and after the session, and how each respondent moved."""

    before: tuple[LevelCount, ...]
    after: tuple[LevelCount, ...]
    mean_before: float | None
    mean_after: float | None
    decreased: int
    unchanged: int
    increased: int

    @property
    def paired(self) -> int:
        return self.decreased + self.unchanged + self.increased

    @property
    def decreased_share(self) -> float | None:
        """Share of respondents whose after score is lower than their before score."""
        return self.decreased / self.paired if self.paired else None


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    position: int
    label: str
    kind: QuestionKind
    # How many respondents answered it (both parts, for before/after).
    answered: int
    # Scale: per level in display order (before/after: see before_after); else ().
    levels: tuple[LevelCount, ...] = ()
    mean: float | None = None
    before_after: BeforeAfterResult | None = None
    # Free text, oldest first, without who wrote it.
    texts: tuple[str, ...] = ()

    def chart(self, chart_id: str) -> Markup:
        """The question's results as an SVG bar chart (scales only)."""
        return question_chart(self, chart_id)


@dataclass(frozen=True)
class SurveySummary:
    session_id: int
    status: SurveyStatus
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    question_set_version: int
    respondents: int
    # Attendees who held a place in the session: everyone the survey asked.
    attendees_asked: int
    questions: tuple[QuestionResult, ...]

    @property
    def response_rate(self) -> float | None:
        return self.respondents / self.attendees_asked if self.attendees_asked else None


def summary_data(summary: SurveySummary) -> dict[str, Any]:
    """The summary as JSON-ready data, e.g. frozen into a published report."""
    data = dataclasses.asdict(summary)
    data["opened_at"] = summary.opened_at.isoformat()
    data["closed_at"] = summary.closed_at.isoformat() if summary.closed_at else None
    return data


def summary_from_data(data: dict[str, Any]) -> SurveySummary:
    """The SurveySummary that `summary_data` gave."""
    closed_at = data.get("closed_at")
    return SurveySummary(
        session_id=data["session_id"],
        status=SurveyStatus(data["status"]),
        opened_at=dt.datetime.fromisoformat(data["opened_at"]),
        closed_at=dt.datetime.fromisoformat(closed_at) if closed_at else None,
        question_set_version=data["question_set_version"],
        respondents=data["respondents"],
        attendees_asked=data["attendees_asked"],
        questions=tuple(_question(item) for item in data["questions"]),
    )


def _levels(items: list[dict[str, Any]]) -> tuple[LevelCount, ...]:
    return tuple(LevelCount(**item) for item in items)


def _question(item: dict[str, Any]) -> QuestionResult:
    before_after = item.get("before_after")
    return QuestionResult(
        question_id=item["question_id"],
        position=item["position"],
        label=item["label"],
        kind=QuestionKind(item["kind"]),
        answered=item["answered"],
        levels=_levels(item.get("levels", [])),
        mean=item.get("mean"),
        before_after=(
            BeforeAfterResult(
                before=_levels(before_after["before"]),
                after=_levels(before_after["after"]),
                mean_before=before_after["mean_before"],
                mean_after=before_after["mean_after"],
                decreased=before_after["decreased"],
                unchanged=before_after["unchanged"],
                increased=before_after["increased"],
            )
            if before_after
            else None
        ),
        texts=tuple(item.get("texts", ())),
    )
