"""A municipality that was not invited asks to join a session: the public form."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromPath
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from events.invitations import join_requests
from events.invitations.join_requests import JoinRequestInput
from events.lib.clock import utcnow
from events.lib.errors import DomainError
from events.sessions.exchange_sessions import ExchangeSessionView
from events.web.auth import NO_STORE
from events.web.forms import FormErrors, form_errors, form_fields
from events.web.public.sessions import public_session
from events.web.rate_limits import rate_limit, too_many_requests

JOIN_PATH = "/sessions/{session_id:int}/join"
JOIN_RATE_LIMIT = rate_limit("join-request", "minute", 5)


async def _join_form(
    session: ExchangeSessionView,
    *,
    values: JoinRequestInput | None = None,
    errors: FormErrors | None = None,
) -> Template:
    errors = errors or FormErrors()
    return Template(
        "public/join_requests/new.html.jinja2",
        context={
            "session": session,
            "accepting": session.accepts_registrations(utcnow()),
            "choices": await join_requests.municipality_choices(session),
            "values": values or JoinRequestInput(code="", contact_email=""),
            "errors": errors,
        },
        status_code=errors.status_code,
    )


@get(JOIN_PATH, name="session_join", include_in_schema=False, cache_control=NO_STORE)
async def join_form(session_id: FromPath[int]) -> Template:
    return await _join_form(await public_session(session_id))


@post(
    JOIN_PATH,
    name="session_join_submit",
    include_in_schema=False,
    cache_control=NO_STORE,
    middleware=[JOIN_RATE_LIMIT.middleware],
    exception_handlers={TooManyRequestsException: too_many_requests},
)
async def join_submit(request: Request[Any, Any, Any], session_id: FromPath[int]) -> Template:
    session = await public_session(session_id)
    fields = await form_fields(request)
    values = JoinRequestInput(
        code=fields.get("code", ""),
        contact_email=fields.get("contact_email", ""),
        message=fields.get("message", ""),
    )
    try:
        await join_requests.request_to_join(session.id, values)
    except DomainError as error:
        return await _join_form(session, values=values, errors=form_errors(error))
    return Template("public/join_requests/sent.html.jinja2", context={"session": session})


ROUTES: list[ControllerRouterHandler] = [join_form, join_submit]
