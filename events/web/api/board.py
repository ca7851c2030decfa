"""JSON API of the board: attendees by their personal link token, organizers by bearer token."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody

from events.accounts.organizers import OrganizerIdentity
from events.board import posts
from events.board.access import member_by_token
from events.board.moderation import ModerationTarget, moderate, promote
from events.board.posts import QuestionInput
from events.board.queries import BoardFilter, get_question, list_questions
from events.board.text import normalize_theme
from events.web.api.documentation import refusals
from events.web.api.schemas.board import (
    AnswerBody,
    AnswerOut,
    AskBody,
    BoardQuestionOut,
    HelpfulBody,
    HelpfulOut,
    ModerateBody,
    ModerationOut,
    PromotionOut,
    QuestionListOut,
    answer_out,
    question_out,
    summary_out,
)
from events.web.auth import NO_STORE, api_organizer


class BoardApi(Controller):
    """No bearer token here: the attendee's personal link token is the credential."""

    path = "/api/board/{token:str}"
    tags = ["board"]  # noqa: RUF012
    cache_control = NO_STORE

    @get("/questions", operation_id="listQuestions", summary="Questions of my series' board")
    async def list(
        self,
        token: FromPath[str],
        q: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        status: FromQuery[str] = "",
    ) -> QuestionListOut:
        member = await member_by_token(token)
        found = await list_questions(member.series_id, BoardFilter(q, theme, status))
        return QuestionListOut(
            series=member.series_id, questions=[summary_out(item) for item in found]
        )

    @get("/questions/{question_id:int}", operation_id="getQuestion", summary="One question")
    async def get(self, token: FromPath[str], question_id: FromPath[int]) -> BoardQuestionOut:
        member = await member_by_token(token)
        return question_out(await get_question(member.series_id, question_id))

    @post(
        "/questions",
        operation_id="askQuestion",
        summary="Ask the series' network",
        responses=refusals(429),
    )
    async def ask(self, token: FromPath[str], data: JSONBody[AskBody]) -> BoardQuestionOut:
        member = await member_by_token(token)
        question_id = await posts.ask(
            member,
            QuestionInput(
                title=data.title,
                body=data.body,
                themes=tuple(dict.fromkeys(t for t in map(normalize_theme, data.themes) if t)),
                segment_id=data.segment,
                item_id=data.item,
                series_id=data.series,
            ),
        )
        return question_out(await get_question(member.series_id, question_id))

    @post(
        "/questions/{question_id:int}/answers",
        operation_id="answerQuestion",
        summary="Answer a question",
        responses=refusals(429),
    )
    async def answer(
        self, token: FromPath[str], question_id: FromPath[int], data: JSONBody[AnswerBody]
    ) -> AnswerOut:
        member = await member_by_token(token)
        answer_id = await posts.answer(member, question_id, data.body)
        question = await get_question(member.series_id, question_id)
        return answer_out(next(a for a in question.answers if a.id == answer_id))

    @put(
        "/answers/{answer_id:int}/helpful",
        operation_id="markHelpful",
        summary="The asker marks an answer helpful (and may resolve the question)",
    )
    async def helpful(
        self, token: FromPath[str], answer_id: FromPath[int], data: JSONBody[HelpfulBody]
    ) -> HelpfulOut:
        member = await member_by_token(token)
        status = await posts.mark_helpful(
            member, answer_id, helpful=data.helpful, resolved=data.resolved
        )
        return HelpfulOut(answer=answer_id, helpful=data.helpful, status=status)


class BoardModerationApi(Controller):
    path = "/api/series/{series_id:int}/board"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["board"]  # noqa: RUF012
    cache_control = NO_STORE

    @post(
        "/moderation",
        operation_id="moderatePost",
        summary="Hide, restore, lock or unlock a post",
        status_code=200,
    )
    async def moderate(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
        data: JSONBody[ModerateBody],
    ) -> ModerationOut:
        target = ModerationTarget(question_id=data.question, answer_id=data.answer)
        question_id = await moderate(organizer, series_id, target, data.action, data.reason)
        return ModerationOut(question=question_id, answer=data.answer, action=data.action)

    @post(
        "/questions/{question_id:int}/promote",
        operation_id="promoteQuestionToTopic",
        summary="Append the question to the next session's agenda as a discussion topic",
        status_code=200,
    )
    async def promote(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
        question_id: FromPath[int],
    ) -> PromotionOut:
        done = await promote(organizer, series_id, question_id)
        return PromotionOut(
            question=question_id,
            session=done.session_id,
            session_title=done.session_title,
            segment=done.segment_id,
        )


ROUTES = [BoardApi, BoardModerationApi]
