"""JSON shapes of the survey API, written by hand, and their mapping from the domain's results."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import Meta, Struct

from events.surveys.answers import AnswerInput
from events.surveys.questions import QuestionView
from events.surveys.summary import BeforeAfterResult, LevelCount, QuestionResult, SurveySummary
from events.surveys.surveys import SurveyView


class BeforeAfterBody(Struct, forbid_unknown_fields=True):
    before: int
    after: int


AnswerValue = Annotated[
    int | str | BeforeAfterBody,
    Meta(
        description="a scale question: the level's score (1 = last level listed); "
        'a before/after question: {"before": score, "after": score}; free text: the text'
    ),
]


class SurveySubmitBody(Struct, forbid_unknown_fields=True):
    answers: Annotated[dict[str, AnswerValue], Meta(description="answers keyed by question id")]
    quote_consent: Annotated[
        bool,
        Meta(
            description="the free-text answers may be quoted in the session report, "
            "without the respondent's name or municipality"
        ),
    ] = False


def answer_inputs(body: SurveySubmitBody) -> dict[str, AnswerInput]:
    """The body as the domain reads it; a value of the wrong kind is refused there."""
    inputs: dict[str, AnswerInput] = {}
    for key, value in body.answers.items():
        if isinstance(value, BeforeAfterBody):
            inputs[key] = AnswerInput(before=value.before, after=value.after)
        elif isinstance(value, int):
            inputs[key] = AnswerInput(score=value)
        else:
            inputs[key] = AnswerInput(text=value)
    return inputs


class LevelOut(Struct):
    score: int
    label: str


class SurveyQuestionOut(Struct):
    id: int
    position: int
    kind: Annotated[str, Meta(description="scale, before_after or text")]
    label: str
    levels: list[LevelOut]


class SurveyOut(Struct):
    """An attendee's survey: its questions, and whether this attendee may still answer."""

    session: int
    status: Annotated[str, Meta(description="open or closed")]
    questions: list[SurveyQuestionOut]
    answered_at: dt.datetime | None
    can_answer: bool


def question_out(question: QuestionView) -> SurveyQuestionOut:
    return SurveyQuestionOut(
        id=question.id,
        position=question.position,
        kind=question.kind.value,
        label=question.label,
        levels=[LevelOut(score, label) for score, label in question.scored_levels],
    )


def survey_out(survey: SurveyView, answered_at: dt.datetime | None) -> SurveyOut:
    return SurveyOut(
        session=survey.session_id,
        status=survey.status.value,
        questions=[question_out(q) for q in survey.questions.questions],
        answered_at=answered_at,
        can_answer=survey.is_open and answered_at is None,
    )


class LevelCountOut(Struct):
    score: int
    label: str
    count: int
    share: float


class BeforeAfterOut(Struct):
    before: list[LevelCountOut]
    after: list[LevelCountOut]
    mean_before: float | None
    mean_after: float | None
    decreased: int
    unchanged: int
    increased: int
    decreased_share: Annotated[
        float | None, Meta(description="share of respondents whose after score is lower")
    ]


class QuestionResultOut(Struct):
    id: int
    position: int
    kind: str
    label: str
    answered: int
    levels: list[LevelCountOut]
    mean: float | None
    before_after: BeforeAfterOut | None
    texts: list[str]


class SurveyResultsOut(Struct):
    session: int
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    question_set_version: int
    respondents: int
    attendees_asked: int
    response_rate: float | None
    questions: list[QuestionResultOut]


def _levels(levels: tuple[LevelCount, ...]) -> list[LevelCountOut]:
    return [LevelCountOut(lc.score, lc.label, lc.count, lc.share) for lc in levels]


def _before_after(result: BeforeAfterResult | None) -> BeforeAfterOut | None:
    if result is None:
        return None
    return BeforeAfterOut(
        before=_levels(result.before),
        after=_levels(result.after),
        mean_before=result.mean_before,
        mean_after=result.mean_after,
        decreased=result.decreased,
        unchanged=result.unchanged,
        increased=result.increased,
        decreased_share=result.decreased_share,
    )


def _question(result: QuestionResult) -> QuestionResultOut:
    return QuestionResultOut(
        id=result.question_id,
        position=result.position,
        kind=result.kind.value,
        label=result.label,
        answered=result.answered,
        levels=_levels(result.levels),
        mean=result.mean,
        before_after=_before_after(result.before_after),
        texts=list(result.texts),
    )


def results_out(summary: SurveySummary) -> SurveyResultsOut:
    return SurveyResultsOut(
        session=summary.session_id,
        status=summary.status.value,
        opened_at=summary.opened_at,
        closed_at=summary.closed_at,
        question_set_version=summary.question_set_version,
        respondents=summary.respondents,
        attendees_asked=summary.attendees_asked,
        response_rate=summary.response_rate,
        questions=[_question(q) for q in summary.questions],
    )
