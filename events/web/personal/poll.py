"""A municipality's answer page of a date poll, opened by its personal link `/p/<token>`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.date_polls.answers import PollAccess, access_by_token, answer
from events.enums import PollMark
from events.lib.errors import ValidationError
from events.web.auth import NO_STORE
from events.web.forms import FormErrors, form_errors, form_fields

# Each slot's radio group is named slot-<slot id>; a refusal about it has that field too.
SLOT_FIELD = "slot-"


def _page(
    token: str,
    access: PollAccess,
    marks: Mapping[str, str],
    comment: str,
    *,
    errors: FormErrors | None = None,
    saved: bool = False,
) -> Template:
    errors = errors or FormErrors()
    return Template(
        "personal/poll/answer.html.jinja2",
        context={
            "token": token,
            "choices": list(PollMark),
            "poll": access.poll,
            "recipient": access.recipient,
            "marks": marks,
            "comment": comment,
            "errors": errors,
            "saved": saved,
        },
        status_code=errors.status_code,
    )


@get("/p/{token:str}", name="poll_answer", include_in_schema=False, cache_control=NO_STORE)
async def answer_page(token: FromPath[str], saved: FromQuery[str] = "") -> Template:
    access = await access_by_token(token)
    marks = {str(slot_id): mark.value for slot_id, mark in access.recipient.answers.items()}
    return _page(token, access, marks, access.recipient.comment, saved=saved == "1")


@post("/p/{token:str}", name="poll_answer_submit", include_in_schema=False, cache_control=NO_STORE)
async def answer_submit(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
    access = await access_by_token(token)
    fields = await form_fields(request)
    marks = {
        name.removeprefix(SLOT_FIELD): value
        for name, value in fields.items()
        if name.startswith(SLOT_FIELD)
    }
    comment = fields.get("comment", "")
    try:
        await answer(access, marks, comment)
    except ValidationError as error:
        return _page(token, access, marks, comment, errors=form_errors(error))
    return Redirect(f"/p/{token}?saved=1", status_code=HTTP_303_SEE_OTHER)


ROUTES = [answer_page, answer_submit]
