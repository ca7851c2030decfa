"""An attendee's survey page (/a/{token}/survey): the questions of a held session, answered once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.lib.errors import DomainError
from events.registrations.attendee_access import AttendeeAccess, attendee_by_token
from events.surveys.answers import AnswerInput, submit_survey, survey_for_attendee
from events.web.auth import NO_STORE
from events.web.forms import FormErrors, form_errors, form_fields
from events.web.personal.delegation_form import CHECKED

PAGE = "/a/{token:str}/survey"
# Inputs are named q-<question id>, and q-<id>-before / q-<id>-after for before/after scales.
PREFIX = "q-"
PARTS = ("before", "after")
QUOTE_CONSENT = "quote_consent"


def answers_from_form(fields: Mapping[str, str]) -> dict[str, AnswerInput]:
    """Every q-… field by question id; a question of another survey is refused by the domain."""
    parts: dict[str, dict[str, str]] = {}
    for name, value in fields.items():
        if not name.startswith(PREFIX):
            continue
        key, _, part = name.removeprefix(PREFIX).partition("-")
        parts.setdefault(key, {})[part if part in PARTS else "value"] = value
    return {
        key: AnswerInput(
            score=given.get("value"),
            before=given.get("before"),
            after=given.get("after"),
            text=given.get("value"),
        )
        for key, given in parts.items()
    }


async def _page(
    token: str,
    access: AttendeeAccess,
    *,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    done: bool = False,
) -> Template:
    errors = errors or FormErrors()
    state = await survey_for_attendee(access)
    return Template(
        "personal/survey/answer.html.jinja2",
        context={
            "token": token,
            "access": access,
            "session": access.session,
            "state": state,
            "survey": state.survey,
            "values": values or {},
            "errors": errors,
            "done": done,
        },
        status_code=errors.status_code,
    )


@get(PAGE, name="attendee_survey", include_in_schema=False, cache_control=NO_STORE)
async def survey_page(token: FromPath[str], done: FromQuery[str] = "") -> Template:
    access = await attendee_by_token(token)
    return await _page(token, access, done=done == "1")


@post(PAGE, name="attendee_survey_submit", include_in_schema=False, cache_control=NO_STORE)
async def survey_submit(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
    access = await attendee_by_token(token)
    fields = await form_fields(request)
    try:
        await submit_survey(
            access, answers_from_form(fields), quote_consent=fields.get(QUOTE_CONSENT) == CHECKED
        )
    except DomainError as error:
        return await _page(token, access, values=fields, errors=form_errors(error))
    path = request.app.route_reverse("attendee_survey", token=token)
    return Redirect(f"{path}?done=1", status_code=HTTP_303_SEE_OTHER)


ROUTES = [survey_page, survey_submit]
