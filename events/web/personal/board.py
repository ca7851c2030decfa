"""The board from an attendee's personal link (/a/{token}/board): list, question, ask, answer, edit.

The link is checked again on every request (events.board.access), so nobody without a current
place in the series reads or writes. Forms work without JavaScript; refusals are shown on the
form, tied to their fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.board import mail as board_mail
from events.board import posts
from events.board.access import BoardMember, member_by_token
from events.board.posts import QuestionInput
from events.board.practices import municipalities_to_ask, practices_for
from events.board.queries import (
    BoardFilter,
    get_question,
    list_questions,
    parse_related,
    related_choices,
    related_value,
    theme_counts,
)
from events.board.text import parse_themes
from events.enums import BoardMailMode, QuestionStatus
from events.lib.errors import DomainError
from events.web.auth import NO_STORE
from events.web.forms import FormErrors, form_errors, form_fields

BOARD = "/a/{token:str}/board"


def _board_path(token: str, suffix: str = "") -> str:
    return f"/a/{token}/board{suffix}"


@get(BOARD, name="board_index", include_in_schema=False, cache_control=NO_STORE)
async def board_index(
    token: FromPath[str],
    q: FromQuery[str] = "",
    theme: FromQuery[str] = "",
    status: FromQuery[str] = "",
    done: FromQuery[str] = "",
) -> Template:
    member = await member_by_token(token)
    board_filter = BoardFilter(query=q, theme=theme, status=status)
    setting = await board_mail.subscription(member.email)
    return Template(
        "personal/board/index.html.jinja2",
        context={
            "token": token,
            "member": member,
            "filter": board_filter,
            "questions": await list_questions(member.series_id, board_filter),
            "themes": await theme_counts(member.series_id),
            "statuses": list(QuestionStatus),
            "modes": list(BoardMailMode),
            "mode": setting["mode"],
            "done": done,
        },
    )


async def _question_page(
    token: str,
    member: BoardMember,
    question_id: int,
    *,
    answer_text: str = "",
    errors: FormErrors | None = None,
    done: str = "",
) -> Template:
    errors = errors or FormErrors()
    question = await get_question(member.series_id, question_id)
    practices = await practices_for(question)
    return Template(
        "personal/board/question.html.jinja2",
        context={
            "token": token,
            "member": member,
            "question": question,
            "practices": practices,
            "suggestions": await municipalities_to_ask(question, practices),
            "answer_text": answer_text,
            "errors": errors,
            "done": done,
        },
        status_code=errors.status_code,
    )


@get(
    f"{BOARD}/questions/{{question_id:int}}",
    name="board_question",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_question(
    token: FromPath[str], question_id: FromPath[int], done: FromQuery[str] = ""
) -> Template:
    member = await member_by_token(token)
    return await _question_page(token, member, question_id, done=done)


@post(
    f"{BOARD}/questions/{{question_id:int}}/answers",
    name="board_answer_submit",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_answer_submit(
    request: Request[Any, Any, Any], token: FromPath[str], question_id: FromPath[int]
) -> Response[Any]:
    member = await member_by_token(token)
    text = (await form_fields(request)).get("body", "")
    try:
        answer_id = await posts.answer(member, question_id, text)
    except DomainError as error:
        if error.kind == "not_found":
            raise
        return await _question_page(
            token, member, question_id, answer_text=text, errors=form_errors(error)
        )
    path = _board_path(token, f"/questions/{question_id}?done=answered#answer-{answer_id}")
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


async def _ask_page(
    token: str,
    member: BoardMember,
    fields: Mapping[str, str],
    *,
    question_id: int | None = None,
    errors: FormErrors | None = None,
) -> Template:
    errors = errors or FormErrors()
    return Template(
        "personal/board/ask.html.jinja2",
        context={
            "token": token,
            "member": member,
            "fields": fields,
            "question_id": question_id,
            "choices": await related_choices(member.series_id),
            "errors": errors,
        },
        status_code=errors.status_code,
    )


def _question_input(fields: Mapping[str, str]) -> QuestionInput:
    segment_id, item_id = parse_related(fields.get("related", ""))
    return QuestionInput(
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        themes=parse_themes(fields.get("themes", "")),
        segment_id=segment_id,
        item_id=item_id,
    )


@get(f"{BOARD}/ask", name="board_ask", include_in_schema=False, cache_control=NO_STORE)
async def board_ask(token: FromPath[str]) -> Template:
    member = await member_by_token(token)
    return await _ask_page(token, member, {})


@post(f"{BOARD}/ask", name="board_ask_submit", include_in_schema=False, cache_control=NO_STORE)
async def board_ask_submit(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
    member = await member_by_token(token)
    fields = await form_fields(request)
    try:
        question_id = await posts.ask(member, _question_input(fields))
    except DomainError as error:
        return await _ask_page(token, member, fields, errors=form_errors(error))
    path = _board_path(token, f"/questions/{question_id}?done=asked")
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


@get(
    f"{BOARD}/questions/{{question_id:int}}/edit",
    name="board_question_edit",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_question_edit(token: FromPath[str], question_id: FromPath[int]) -> Template:
    member = await member_by_token(token)
    question = await get_question(member.series_id, question_id)
    fields = {
        "title": question.title,
        "body": question.body,
        "themes": ", ".join(question.themes),
        "related": related_value(question.segment_id, question.item_id),
    }
    return await _ask_page(token, member, fields, question_id=question_id)


@post(
    f"{BOARD}/questions/{{question_id:int}}/edit",
    name="board_question_edit_submit",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_question_edit_submit(
    request: Request[Any, Any, Any], token: FromPath[str], question_id: FromPath[int]
) -> Response[Any]:
    member = await member_by_token(token)
    fields = await form_fields(request)
    try:
        await posts.edit_question(member, question_id, _question_input(fields))
    except DomainError as error:
        if error.kind == "not_found":
            raise
        page = await _ask_page(
            token, member, fields, question_id=question_id, errors=form_errors(error)
        )
        return page
    path = _board_path(token, f"/questions/{question_id}?done=edited")
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


async def _answer_edit_page(
    token: str, answer_id: int, question_id: int, body: str, errors: FormErrors | None = None
) -> Template:
    errors = errors or FormErrors()
    return Template(
        "personal/board/edit_answer.html.jinja2",
        context={
            "token": token,
            "answer_id": answer_id,
            "question_id": question_id,
            "body": body,
            "errors": errors,
        },
        status_code=errors.status_code,
    )


@get(
    f"{BOARD}/answers/{{answer_id:int}}/edit",
    name="board_answer_edit",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_answer_edit(token: FromPath[str], answer_id: FromPath[int]) -> Template:
    member = await member_by_token(token)
    row = await posts.visible_answer(member, answer_id)
    return await _answer_edit_page(token, answer_id, row["question"], row["body"])


@post(
    f"{BOARD}/answers/{{answer_id:int}}/edit",
    name="board_answer_edit_submit",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_answer_edit_submit(
    request: Request[Any, Any, Any], token: FromPath[str], answer_id: FromPath[int]
) -> Response[Any]:
    member = await member_by_token(token)
    row = await posts.visible_answer(member, answer_id)
    body = (await form_fields(request)).get("body", "")
    try:
        question_id = await posts.edit_answer(member, answer_id, body)
    except DomainError as error:
        if error.kind == "not_found":
            raise
        return await _answer_edit_page(
            token, answer_id, row["question"], body, errors=form_errors(error)
        )
    path = _board_path(token, f"/questions/{question_id}?done=edited#answer-{answer_id}")
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


@post(
    f"{BOARD}/answers/{{answer_id:int}}/helpful",
    name="board_helpful",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_helpful(
    request: Request[Any, Any, Any], token: FromPath[str], answer_id: FromPath[int]
) -> Redirect:
    member = await member_by_token(token)
    fields = await form_fields(request)
    resolved = {"yes": True, "no": False}.get(fields.get("resolved", ""))
    row = await posts.visible_answer(member, answer_id)
    await posts.mark_helpful(
        member, answer_id, helpful=fields.get("helpful") != "no", resolved=resolved
    )
    path = _board_path(token, f"/questions/{row['question']}?done=marked#answer-{answer_id}")
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


@post(f"{BOARD}/mail", name="board_mail_mode", include_in_schema=False, cache_control=NO_STORE)
async def board_mail_mode(request: Request[Any, Any, Any], token: FromPath[str]) -> Redirect:
    member = await member_by_token(token)
    chosen = (await form_fields(request)).get("mode", "")
    if chosen in set(BoardMailMode):
        await board_mail.set_mode(member.email, BoardMailMode(chosen))
    return Redirect(_board_path(token, "?done=mail"), status_code=HTTP_303_SEE_OTHER)


@get(
    "/board/unsubscribe/{token:str}",
    name="board_unsubscribe",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def board_unsubscribe(token: FromPath[str]) -> Template:
    row = await board_mail.subscription_by_token(token)
    return Template(
        "personal/board/unsubscribe.html.jinja2",
        context={"token": token, "done": row["mode"] == BoardMailMode.OFF},
    )


@post(
    "/board/unsubscribe/{token:str}",
    name="board_unsubscribe_submit",
    include_in_schema=False,
    cache_control=NO_STORE,
    status_code=200,
)
async def board_unsubscribe_submit(token: FromPath[str]) -> Template:
    """The page's button and mail clients' one-click POST (RFC 8058) alike: no CSRF token."""
    await board_mail.unsubscribe(token)
    return Template(
        "personal/board/unsubscribe.html.jinja2", context={"token": token, "done": True}
    )


ROUTES = [
    board_index,
    board_question,
    board_answer_submit,
    board_ask,
    board_ask_submit,
    board_question_edit,
    board_question_edit_submit,
    board_answer_edit,
    board_answer_edit_submit,
    board_helpful,
    board_mail_mode,
    board_unsubscribe,
    board_unsubscribe_submit,
]
