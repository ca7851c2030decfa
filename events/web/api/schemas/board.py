"""JSON shapes of the board API; people appear as municipality and department (name if shared)."""

from __future__ import annotations

import datetime as dt

from msgspec import Struct

from events.board.queries import AnswerView, QuestionSummary, QuestionView


class QuestionSummaryOut(Struct):
    id: int
    title: str
    status: str
    themes: list[str]
    answers: int
    author: str
    created_at: dt.datetime
    locked: bool


class AnswerOut(Struct):
    id: int
    body: str
    author: str
    created_at: dt.datetime
    edited: bool
    helpful: bool


class BoardQuestionOut(Struct):
    id: int
    series: int
    title: str
    body: str
    status: str
    themes: list[str]
    author: str
    created_at: dt.datetime
    edited: bool
    locked: bool
    answers: list[AnswerOut]


class QuestionListOut(Struct):
    series: int
    questions: list[QuestionSummaryOut]


class AskBody(Struct, forbid_unknown_fields=True):
    title: str
    body: str
    themes: list[str] = []
    # The discussion topic or point (論点) it refers to, by id.
    segment: int | None = None
    item: int | None = None
    # Optional: when given it must be the series of the token's session.
    series: int | None = None


class AnswerBody(Struct, forbid_unknown_fields=True):
    body: str


class HelpfulBody(Struct, forbid_unknown_fields=True):
    helpful: bool = True
    # True: the question is resolved; False: reopen; omitted: leave as it is.
    resolved: bool | None = None


class HelpfulOut(Struct):
    answer: int
    helpful: bool
    status: str


class ModerateBody(Struct, forbid_unknown_fields=True):
    # hide, restore (questions and answers); lock, unlock (questions)
    action: str
    question: int | None = None
    answer: int | None = None
    reason: str = ""


class ModerationOut(Struct):
    question: int
    answer: int | None
    action: str


class PromotionOut(Struct):
    question: int
    session: int
    session_title: str
    segment: int


def summary_out(question: QuestionSummary) -> QuestionSummaryOut:
    return QuestionSummaryOut(
        id=question.id,
        title=question.title,
        status=question.status,
        themes=list(question.themes),
        answers=question.answer_count,
        author=question.author,
        created_at=question.created_at,
        locked=question.locked,
    )


def answer_out(answer: AnswerView) -> AnswerOut:
    return AnswerOut(
        id=answer.id,
        body=answer.body,
        author=answer.author,
        created_at=answer.created_at,
        edited=answer.edited,
        helpful=answer.helpful,
    )


def question_out(question: QuestionView) -> BoardQuestionOut:
    return BoardQuestionOut(
        id=question.id,
        series=question.series_id,
        title=question.title,
        body=question.body,
        status=question.status,
        themes=list(question.themes),
        author=question.author,
        created_at=question.created_at,
        edited=question.edited,
        locked=question.locked,
        answers=[answer_out(answer) for answer in question.answers],
    )
