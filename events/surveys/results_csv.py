"""A survey's responses as a table (CSV or .xlsx): one row per response, nobody's name in it."""

from __future__ import annotations

from events.enums import QuestionKind
from events.lib.csv_export import Cell
from events.lib.formatting import format_moment
from events.lib.i18n import gettext
from events.lib.spreadsheet import Table
from events.sessions.exchange_sessions import ExchangeSessionView
from events.surveys.surveys import SurveyView
from events.tables import SurveyAnswer, SurveyResponse


async def responses_table(session: ExchangeSessionView, survey: SurveyView) -> Table:
    """Scales as the chosen level's label, before/after as two columns, texts as typed."""
    questions = survey.questions.questions
    header = [gettext("回答番号"), gettext("回答日時")]
    for question in questions:
        if question.kind is QuestionKind.BEFORE_AFTER:
            header.append(gettext("%(label)s（参加前）", label=question.label))
            header.append(gettext("%(label)s（参加後）", label=question.label))
        else:
            header.append(question.label)
    responses = await (
        SurveyResponse.select(SurveyResponse.id, SurveyResponse.submitted_at)
        .where(SurveyResponse.survey == survey.id)
        .order_by(SurveyResponse.submitted_at)
        .order_by(SurveyResponse.id)
    )
    answers = await SurveyAnswer.select().where(SurveyAnswer.response.survey == survey.id)
    by_response: dict[int, dict[int, dict[str, object]]] = {}
    for answer in answers:
        by_response.setdefault(answer["response"], {})[answer["question"]] = answer
    rows: list[list[Cell]] = []
    for number, response in enumerate(responses, start=1):
        given = by_response.get(response["id"], {})
        row: list[Cell] = [number, format_moment(response["submitted_at"])]
        for question in questions:
            answer = given.get(question.id, {})
            if question.kind is QuestionKind.TEXT:
                row.append(str(answer.get("text") or ""))
                continue
            row.append(question.level_label(_score(answer.get("score"))))
            if question.kind is QuestionKind.BEFORE_AFTER:
                row.append(question.level_label(_score(answer.get("after_score"))))
        rows.append(row)
    return Table(
        header=header,
        rows=rows,
        ascii_name=f"survey-session-{session.id}",
        name=gettext("アンケート結果_%(title)s", title=session.title),
    )


def _score(value: object) -> int | None:
    return value if isinstance(value, int) else None
