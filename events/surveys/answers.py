"""Answering a session's survey from an attendee's personal link: once, while it is open.

Answers are keyed by question id. A scale answer is the level's score (the first listed level
scores highest), a before/after answer is two such scores, a free-text answer is text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from events.audit import trail
from events.enums import QuestionKind
from events.lib.clock import utcnow
from events.lib.database import is_unique_violation, write_transaction
from events.lib.errors import ConflictError, ForbiddenError, Problems
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.registrations.attendee_access import AttendeeAccess
from events.surveys.questions import QuestionView
from events.surveys.surveys import SurveyView, locked_survey, survey_of
from events.tables import SurveyAnswer, SurveyResponse

MAX_TEXT = 2000
ALREADY_ANSWERED = N_("アンケートにはすでにご回答いただいています。回答は1人1回です。")
CLOSED = N_("このアンケートは締め切られました。回答の送信はできません。")
NOT_ATTENDED = N_(
    "アンケートにお答えいただけるのは、参加が確定していた方だけです。"
    "キャンセル待ちのままだった方・参加を取り消した方はお答えいただけません。"
)

Raw = int | str | None


@dataclass(frozen=True)
class AnswerInput:
    """One answer as submitted: a score, a before and after score, or a text (forms send str)."""

    score: Raw = None
    before: Raw = None
    after: Raw = None
    text: str | None = None


@dataclass(frozen=True)
class CheckedAnswer:
    question_id: int
    score: int | None = None
    after_score: int | None = None
    text: str = ""


@dataclass(frozen=True)
class SurveyForAttendee:
    """What the attendee's survey page shows: the survey, and when they answered (or None)."""

    survey: SurveyView | None
    answered_at: dt.datetime | None

    @property
    def can_answer(self) -> bool:
        return self.survey is not None and self.survey.is_open and self.answered_at is None


async def survey_for_attendee(access: AttendeeAccess) -> SurveyForAttendee:
    survey = await survey_of(access.session.id)
    answered_at = None
    if survey is not None:
        row = await (
            SurveyResponse.select(SurveyResponse.submitted_at)
            .where(SurveyResponse.survey == survey.id, SurveyResponse.attendee == access.view.id)
            .first()
        )
        answered_at = row["submitted_at"] if row else None
    return SurveyForAttendee(survey=survey, answered_at=answered_at)


async def submit_survey(
    access: AttendeeAccess,
    answers: Mapping[str, AnswerInput],
    *,
    quote_consent: bool = False,
    now: dt.datetime | None = None,
) -> SurveyView:
    """Store the attendee's one response; every refusal leaves everything as it was.

    `quote_consent`: the free-text answers may be quoted in the report without the
    respondent's name or municipality.
    """
    now = now or utcnow()
    if not access.is_confirmed:
        raise ForbiddenError(NOT_ATTENDED, field="status")
    try:
        async with write_transaction(public=False):
            survey = await locked_survey(access.session.id)
            if not survey.is_open:
                raise ConflictError(CLOSED, field="status")
            if await _has_answered(survey.id, access.view.id):
                raise ConflictError(ALREADY_ANSWERED, field="status")
            checked = checked_answers(survey, answers)
            await _store(survey.id, access.view.id, checked, quote_consent, now)
            await trail.record(
                f"attendee:{access.view.id}",
                "survey_answered",
                session_id=access.session.id,
                details={"survey": survey.id},
            )
    except Exception as error:
        # Two submissions at once: the unique index refuses the second.
        if is_unique_violation(error):
            raise ConflictError(ALREADY_ANSWERED, field="status") from error
        raise
    return survey


async def _has_answered(survey_id: int, attendee_id: int) -> bool:
    return await SurveyResponse.exists().where(
        SurveyResponse.survey == survey_id, SurveyResponse.attendee == attendee_id
    )


async def _store(
    survey_id: int,
    attendee_id: int,
    checked: list[CheckedAnswer],
    quote_consent: bool,
    now: dt.datetime,
) -> None:
    response = SurveyResponse(
        survey=survey_id, attendee=attendee_id, quote_consent=quote_consent, submitted_at=now
    )
    await response.save()
    if checked:
        await SurveyAnswer.insert(
            *(
                SurveyAnswer(
                    response=response.id,
                    question=answer.question_id,
                    score=answer.score,
                    after_score=answer.after_score,
                    text=answer.text,
                )
                for answer in checked
            )
        )


def checked_answers(survey: SurveyView, answers: Mapping[str, AnswerInput]) -> list[CheckedAnswer]:
    """The answers to store; ValidationError naming every problem (field `q-<id>` per question)."""
    problems = Problems()
    known = {str(q.id) for q in survey.questions.questions}
    for key in answers:
        if key not in known:
            problems.add(
                "answers", N_("質問 %(question)s はこのアンケートにありません。"), question=key[:20]
            )
    checked = [
        answer
        for question in survey.questions.questions
        if (answer := _check(question, answers.get(str(question.id), AnswerInput()), problems))
    ]
    problems.raise_if_any()
    return checked


def _check(question: QuestionView, given: AnswerInput, problems: Problems) -> CheckedAnswer | None:
    if question.kind is QuestionKind.TEXT:
        text = (given.text or "").strip()
        if len(text) > MAX_TEXT:
            problems.add(
                question.field,
                N_("「%(label)s」は%(max)d文字以内にしてください。"),
                label=question.label,
                max=MAX_TEXT,
            )
        return CheckedAnswer(question.id, text=text) if text else None
    if question.kind is QuestionKind.SCALE:
        score = _score(question, given.score, question.field, problems)
        return CheckedAnswer(question.id, score=score) if score is not None else None
    before = _score(question, given.before, f"{question.field}-before", problems, _BEFORE)
    after = _score(question, given.after, f"{question.field}-after", problems, _AFTER)
    if before is None or after is None:
        return None
    return CheckedAnswer(question.id, score=before, after_score=after)


@dataclass(frozen=True)
class _ScoreMessages:
    """What a missing or unknown score is called: a question's answer, or one of its two parts
    (before and after the session) so that the person sees which one to fix."""

    missing: str
    unknown: str


_ANSWER = _ScoreMessages(
    N_("「%(label)s」の回答を選んでください。"),
    N_(
        "「%(label)s」の回答「%(value)s」は選択肢にありません（1〜%(max)dの番号で答えてください）。"
    ),
)
_BEFORE = _ScoreMessages(
    N_("「%(label)s」の参加前の評価を選んでください。"),
    N_(
        "「%(label)s」の参加前の評価「%(value)s」は選択肢にありません（1〜%(max)dの番号で答えてください）。"
    ),
)
_AFTER = _ScoreMessages(
    N_("「%(label)s」の参加後の評価を選んでください。"),
    N_(
        "「%(label)s」の参加後の評価「%(value)s」は選択肢にありません（1〜%(max)dの番号で答えてください）。"
    ),
)


def _score(
    question: QuestionView,
    raw: Raw,
    field: str,
    problems: Problems,
    messages: _ScoreMessages = _ANSWER,
) -> int | None:
    """A level's score; every scale question must be answered."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.add(field, messages.missing, label=question.label)
        return None
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    else:
        value = parse_int(raw)
    if value is None or not 1 <= value <= len(question.levels):
        problems.add(
            field,
            messages.unknown,
            label=question.label,
            value=str(raw)[:20],
            max=len(question.levels),
        )
        return None
    return value
