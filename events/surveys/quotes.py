"""Free-text survey answers whose authors agreed to have them quoted in the report.

Only answers of responses ticked for quoting are read. The author's name and municipality come
along so that the report can blank them out of the text itself; they are never quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.enums import QuestionKind
from events.surveys.surveys import survey_of
from events.tables import Attendee, SurveyAnswer, SurveyResponse


@dataclass(frozen=True)
class QuotableAnswer:
    question: str
    text: str
    # Who wrote it, only to keep them out of the quote.
    author: str
    municipality: str


async def quotable_answers(session_id: int) -> tuple[QuotableAnswer, ...]:
    """In question order, then in the order the answers came in."""
    survey = await survey_of(session_id)
    if survey is None:
        return ()
    text_questions = {q.id: q for q in survey.questions.questions if q.kind is QuestionKind.TEXT}
    if not text_questions:
        return ()
    responses = await SurveyResponse.select(SurveyResponse.id, SurveyResponse.attendee).where(
        SurveyResponse.survey == survey.id, SurveyResponse.quote_consent.eq(True)
    )
    if not responses:
        return ()
    # Read apart: one query joining all the way to the municipality gives PostgreSQL a table
    # alias longer than it accepts.
    authors = {
        row["id"]: row
        for row in await Attendee.select(
            Attendee.id,
            Attendee.name,
            Attendee.registration._.municipality._.name.as_alias("municipality"),
        ).where(Attendee.id.is_in([r["attendee"] for r in responses]))
    }
    author_of = {r["id"]: authors[r["attendee"]] for r in responses}
    rows = await (
        SurveyAnswer.select(SurveyAnswer.response, SurveyAnswer.question, SurveyAnswer.text)
        .where(
            SurveyAnswer.response.is_in(list(author_of)),
            SurveyAnswer.question.is_in(list(text_questions)),
        )
        .order_by(SurveyAnswer.response._.submitted_at)
        .order_by(SurveyAnswer.id)
    )
    # Stable: within a question, answers stay in the order they came in.
    ordered = sorted(
        (row for row in rows if row["text"].strip()),
        key=lambda row: text_questions[row["question"]].position,
    )
    return tuple(
        QuotableAnswer(
            text_questions[row["question"]].label,
            row["text"],
            author_of[row["response"]]["name"],
            author_of[row["response"]]["municipality"],
        )
        for row in ordered
    )
