"""The organizer's view of a series' board: themes, open questions, moderation and promotion."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.accounts.organizers import OrganizerIdentity
from events.board.access import moderated_series
from events.board.moderation import (
    ModerationTarget,
    moderate,
    moderation_log,
    next_session,
    promote,
)
from events.board.queries import BoardFilter, get_question, list_questions, revisions, theme_counts
from events.enums import ModerationAction, QuestionStatus
from events.lib.clock import utcnow
from events.lib.errors import ConflictError
from events.lib.numbers import parse_int
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import form_fields


class OrganizerBoard(Controller):
    path = "/organizer/series/{series_id:int}/board"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_board")
    async def index(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
        q: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        status: FromQuery[str] = "",
    ) -> Template:
        series = await moderated_series(organizer, series_id)
        board_filter = BoardFilter(query=q, theme=theme, status=status)
        return Template(
            "organizer/board/index.html.jinja2",
            context={
                "organizer": organizer,
                "series": series,
                "filter": board_filter,
                "statuses": list(QuestionStatus),
                "themes": await theme_counts(series_id),
                "open_questions": await list_questions(
                    series_id, BoardFilter(status=QuestionStatus.OPEN)
                ),
                "questions": await list_questions(series_id, board_filter, moderate=True),
                "log": await moderation_log(series_id, limit=20),
                "action_labels": {action.value: action.label for action in ModerationAction},
            },
        )

    @get("/questions/{question_id:int}", name="organizer_board_question")
    async def question(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
        question_id: FromPath[int],
        done: FromQuery[str] = "",
        error: FromQuery[str] = "",
    ) -> Template:
        series = await moderated_series(organizer, series_id)
        question = await get_question(series_id, question_id, moderate=True)
        try:
            upcoming: dict[str, Any] | None = await next_session(series_id, utcnow())
        except ConflictError:
            upcoming = None
        return Template(
            "organizer/board/question.html.jinja2",
            context={
                "organizer": organizer,
                "series": series,
                "question": question,
                "upcoming": upcoming,
                "revisions": await revisions(question_id),
                "actions": ModerationAction,
                "done": done,
            },
        )

    @post("/moderate", name="organizer_board_moderate")
    async def moderate_post(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
    ) -> Redirect:
        fields = await form_fields(request)
        target = ModerationTarget(
            question_id=parse_int(fields.get("question")) if "answer" not in fields else None,
            answer_id=parse_int(fields.get("answer")),
        )
        question_id = await moderate(
            organizer, series_id, target, fields.get("action", ""), fields.get("reason", "")
        )
        path = f"/organizer/series/{series_id}/board/questions/{question_id}?done=moderated"
        return Redirect(path, status_code=HTTP_303_SEE_OTHER)

    @post("/questions/{question_id:int}/promote", name="organizer_board_promote")
    async def promote_question(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
        question_id: FromPath[int],
    ) -> Redirect:
        await promote(organizer, series_id, question_id)
        path = f"/organizer/series/{series_id}/board/questions/{question_id}?done=promoted"
        return Redirect(path, status_code=HTTP_303_SEE_OTHER)


ROUTES = [OrganizerBoard]
