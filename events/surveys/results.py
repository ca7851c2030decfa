"""A session's survey results: the stable interface reports, pages, CSV and the API read.

    summary = await survey_summary(session_id)   # None when no survey was opened

Every count is of stored answers; nothing names a respondent. Scores: a question's level at
index i (display order) of n scores n - i, so the first listed level ("とても役に立った") scores
highest and a mean is on that 1..n scale. For a before/after question, "decreased" means the
after score is lower than the before score (e.g. less reluctance), for each respondent.
templates/survey/_results.html.jinja2 renders a summary with charts and text tables.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity
from events.enums import QuestionKind, RegistrationStatus
from events.sessions.exchange_sessions import session_for_editing
from events.surveys.questions import QuestionView
from events.surveys.summary import BeforeAfterResult, LevelCount, QuestionResult, SurveySummary
from events.surveys.surveys import SurveyView, survey_of
from events.tables import Attendee, SurveyAnswer, SurveyResponse


@dataclass(frozen=True)
class StoredAnswer:
    question_id: int
    score: int | None
    after_score: int | None
    text: str


async def survey_summary(session_id: int) -> SurveySummary | None:
    """The results of a session's survey, or None when the organizer never opened one.

    No permission check: callers (report generation, organizer pages) decide who sees it.
    """
    survey = await survey_of(session_id)
    if survey is None:
        return None
    responses = await SurveyResponse.select(SurveyResponse.id).where(
        SurveyResponse.survey == survey.id
    )
    rows = await (
        SurveyAnswer.select(
            SurveyAnswer.question, SurveyAnswer.score, SurveyAnswer.after_score, SurveyAnswer.text
        )
        .where(SurveyAnswer.response.survey == survey.id)
        .order_by(SurveyAnswer.response.submitted_at)
        .order_by(SurveyAnswer.id)
    )
    answers = [
        StoredAnswer(row["question"], row["score"], row["after_score"], row["text"]) for row in rows
    ]
    asked = await Attendee.count().where(
        Attendee.exchange_session == session_id,
        Attendee.status == RegistrationStatus.CONFIRMED,
    )
    return summarize(survey, len(responses), asked, answers)


async def summary_for_organizer(
    organizer: OrganizerIdentity, session_id: int
) -> tuple[SurveyView | None, SurveySummary | None]:
    """The survey and its results, for the organizer of the session's series (or an admin)."""
    await session_for_editing(organizer, session_id)
    return await survey_of(session_id), await survey_summary(session_id)


def summarize(
    survey: SurveyView, respondents: int, asked: int, answers: Sequence[StoredAnswer]
) -> SurveySummary:
    """Pure arithmetic over stored answers (kept apart from the queries to test it directly)."""
    by_question: dict[int, list[StoredAnswer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    return SurveySummary(
        session_id=survey.session_id,
        status=survey.status,
        opened_at=survey.opened_at,
        closed_at=survey.closed_at,
        question_set_version=survey.questions.version,
        respondents=respondents,
        attendees_asked=asked,
        questions=tuple(
            question_result(question, by_question.get(question.id, []))
            for question in survey.questions.questions
        ),
    )


def question_result(question: QuestionView, answers: Sequence[StoredAnswer]) -> QuestionResult:
    base = QuestionResult(
        question_id=question.id,
        position=question.position,
        label=question.label,
        kind=question.kind,
        answered=0,
    )
    if question.kind is QuestionKind.TEXT:
        texts = tuple(a.text for a in answers if a.text)
        return dataclasses.replace(base, answered=len(texts), texts=texts)
    if question.kind is QuestionKind.SCALE:
        scores = [a.score for a in answers if a.score is not None]
        return dataclasses.replace(
            base, answered=len(scores), levels=level_counts(question, scores), mean=mean(scores)
        )
    pairs = [
        (a.score, a.after_score)
        for a in answers
        if a.score is not None and a.after_score is not None
    ]
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    return dataclasses.replace(
        base,
        answered=len(pairs),
        before_after=BeforeAfterResult(
            before=level_counts(question, before),
            after=level_counts(question, after),
            mean_before=mean(before),
            mean_after=mean(after),
            decreased=sum(1 for b, a in pairs if a < b),
            unchanged=sum(1 for b, a in pairs if a == b),
            increased=sum(1 for b, a in pairs if a > b),
        ),
    )


def level_counts(question: QuestionView, scores: Iterable[int]) -> tuple[LevelCount, ...]:
    tally = Counter(scores)
    total = sum(tally.values())
    return tuple(
        LevelCount(
            score=score,
            label=label,
            count=tally[score],
            share=tally[score] / total if total else 0.0,
        )
        for score, label in question.scored_levels
    )


def mean(scores: Sequence[int]) -> float | None:
    """Rounded to two decimals, as reports print it."""
    return round(sum(scores) / len(scores), 2) if scores else None
