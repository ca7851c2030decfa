"""Organizer sign-in and sign-out."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST

from events.accounts import login_sessions
from events.accounts.organizers import MAX_EMAIL_LENGTH, authenticate
from events.accounts.passwords import MAX_PASSWORD_LENGTH
from events.web import sign_in_backoff
from events.web.auth import (
    NO_STORE,
    SIGN_IN_PATH,
    clear_session_cookie,
    session_token,
    set_session_cookie,
    signed_in_organizer,
)
from events.web.forms import form_fields
from events.web.rate_limits import RATE_LIMIT_STORE, rate_limit, too_many_requests
from events.web.requests import safe_next_path

DASHBOARD_PATH = "/organizer"
SIGN_IN_RATE_LIMIT = rate_limit("sign-in", "minute", 10)


def destination(candidate: str) -> str:
    """Where to go after sign-in: the page asked for when it is on this site, else the dashboard."""
    return candidate if candidate and safe_next_path(candidate) == candidate else DASHBOARD_PATH


def _form_page(email: str, next_path: str, *, failed: bool) -> Template:
    return Template(
        "auth/login.html.jinja2",
        context={"email": email, "next": next_path, "failed": failed},
        status_code=HTTP_400_BAD_REQUEST if failed else 200,
    )


@get(SIGN_IN_PATH, name="sign_in", include_in_schema=False, cache_control=NO_STORE)
async def sign_in_form(request: Request[Any, Any, Any]) -> Response[Any]:
    next_path = request.query_params.get("next") or ""
    if await signed_in_organizer(request) is not None:
        return Redirect(destination(next_path), status_code=HTTP_303_SEE_OTHER)
    return _form_page("", destination(next_path), failed=False)


@post(
    SIGN_IN_PATH,
    name="sign_in_submit",
    include_in_schema=False,
    cache_control=NO_STORE,
    middleware=[SIGN_IN_RATE_LIMIT.middleware],
    exception_handlers={TooManyRequestsException: too_many_requests},
)
async def sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check the password; on success start a new login session, replacing the browser's old one."""
    form = await form_fields(request)
    email, password = form.get("email", "").strip(), form.get("password", "")
    next_path = destination(form.get("next", ""))
    store = request.app.stores.get(RATE_LIMIT_STORE)
    wait = await sign_in_backoff.seconds_to_wait(store, email)
    if wait:
        raise TooManyRequestsException(headers={"RateLimit-Reset": str(wait)})
    organizer = None
    if 0 < len(email) <= MAX_EMAIL_LENGTH and 0 < len(password) <= MAX_PASSWORD_LENGTH:
        organizer = await authenticate(email, password)
    if organizer is None:
        await sign_in_backoff.record_failure(store, email)
        # One message for an unknown address and a wrong password: which one must not show.
        return _form_page(email, next_path, failed=True)
    await sign_in_backoff.forget(store, email)
    token = await login_sessions.start(organizer.id, session_token(request))
    response = Redirect(next_path, status_code=HTTP_303_SEE_OTHER)
    set_session_cookie(request, response, token)
    return response


@post("/logout", name="sign_out", include_in_schema=False, cache_control=NO_STORE)
async def sign_out(request: Request[Any, Any, Any]) -> Redirect:
    token = session_token(request)
    if token:
        await login_sessions.end(token)
    response = Redirect("/", status_code=HTTP_303_SEE_OTHER)
    clear_session_cookie(response)
    return response


ROUTES = [sign_in_form, sign_in, sign_out]
