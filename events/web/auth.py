"""Who is acting: the signed-in organizer of a page (login cookie) or of an API call (bearer token).

A router, controller or handler of organizer pages declares the dependency; its handlers then take
`organizer`, and a visitor who is not signed in is sent (303) to `/login?next=<the page>`:

    class OrganizerSessions(Controller):
        path = "/organizer/sessions"
        dependencies = {"organizer": Provide(page_organizer)}
        cache_control = NO_STORE

        @get("/", name="organizer_sessions")
        async def index(self, organizer: NamedDependency[OrganizerIdentity]) -> Template:
            return Template("organizer/sessions.html.jinja2", context={"organizer": organizer})

Templates of organizer pages extend layout/organizer.html.jinja2, which needs `organizer`.

The JSON API declares `{"organizer": Provide(api_organizer)}` instead: the organizer comes from an
`Authorization: Bearer <token>` header only, never from the cookie (CSRF checks skip /api/), and a
call without a valid token gets a 401 JSON error body with `WWW-Authenticate: Bearer`.
The app maps both refusals with AUTH_EXCEPTION_HANDLERS.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_401_UNAUTHORIZED

from events.accounts import login_sessions
from events.accounts.organizers import OrganizerIdentity, organizer_for_api_token
from events.lib.i18n import gettext
from events.lib.settings import load_settings
from events.web.errors import error_body
from events.web.requests import safe_next_path, set_request_locale

SESSION_COOKIE = "tsunagu_session"
SIGN_IN_PATH = "/login"
# Pages and answers about one organizer must never be kept by a browser or a proxy.
NO_STORE = CacheControlHeader(no_store=True)


class SignInRequired(NotAuthorizedException):
    """An organizer page without a valid login session."""


class BearerTokenRequired(NotAuthorizedException):
    """An organizer API call without a valid bearer token."""

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


def session_token(request: Request[Any, Any, Any]) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


async def signed_in_organizer(request: Request[Any, Any, Any]) -> OrganizerIdentity | None:
    """The organizer signed in on this browser, or None; for pages that anyone may see."""
    token = session_token(request)
    return await login_sessions.organizer_for(token) if token else None


async def page_organizer(request: Request[Any, Any, Any]) -> OrganizerIdentity:
    """Dependency of organizer pages: the organizer of the login cookie."""
    organizer = await signed_in_organizer(request)
    if organizer is None:
        raise SignInRequired
    return organizer


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value, else None."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def organizer_from_bearer(authorization: str | None) -> OrganizerIdentity | None:
    token = bearer_token(authorization)
    return await organizer_for_api_token(token) if token else None


async def api_organizer(request: Request[Any, Any, Any]) -> OrganizerIdentity:
    """Dependency of the organizer API: the organizer of the bearer token; cookies do not count."""
    known = request.scope["state"].get(_API_ORGANIZER)
    if isinstance(known, OrganizerIdentity):
        return known
    organizer = await organizer_from_bearer(request.headers.get("authorization"))
    if organizer is None:
        raise BearerTokenRequired
    return organizer


_API_ORGANIZER = "tsunagu_api_organizer"


async def api_credentials_first(
    connection: ASGIConnection[Any, Any, Any, Any], handler: Any
) -> None:
    """App guard: a route that needs an API organizer checks the token before its body is read,
    so that a caller without credentials gets 401 rather than a validation error."""
    provider = handler.resolve_dependencies().get("organizer")
    if provider is None or provider.dependency is not api_organizer:
        return
    organizer = await organizer_from_bearer(connection.headers.get("authorization"))
    if organizer is None:
        raise BearerTokenRequired
    connection.scope["state"][_API_ORGANIZER] = organizer


def set_session_cookie(
    request: Request[Any, Any, Any], response: Response[Any], token: str
) -> None:
    # No max-age: the cookie goes when the browser closes; the server ends it after 12 hours.
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        secure=load_settings().uses_https,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response[Any]) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def sign_in_url(next_path: str | None = None) -> str:
    return f"{SIGN_IN_PATH}?{urlencode({'next': next_path})}" if next_path else SIGN_IN_PATH


def redirect_to_sign_in(request: Request[Any, Any, Any], error: SignInRequired) -> Response[Any]:
    # Only a GET can be repeated after sign-in; a form posted without a session is lost anyway.
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = Redirect(
        sign_in_url(safe_next_path(here) if request.method == "GET" else None),
        status_code=HTTP_303_SEE_OTHER,
    )
    if session_token(request):
        clear_session_cookie(response)
    return response


def bearer_token_refused(
    request: Request[Any, Any, Any], error: BearerTokenRequired
) -> Response[Any]:
    set_request_locale(request)
    body = error_body("unauthorized", gettext("有効なAPIトークンが必要です。"), [])
    return Response(
        body,
        status_code=HTTP_401_UNAUTHORIZED,
        media_type=MediaType.JSON,
        headers={"WWW-Authenticate": "Bearer"},
    )


# Registered on the app, so that any layer declaring one of the dependencies answers alike.
AUTH_EXCEPTION_HANDLERS: dict[Any, Any] = {
    SignInRequired: redirect_to_sign_in,
    BearerTokenRequired: bearer_token_refused,
}
