"""Join requests as the organizer answers them: approve or decline, each with a mail."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ControllerRouterHandler

from events.accounts.organizers import OrganizerIdentity
from events.invitations import join_requests
from events.lib.errors import DomainError
from events.sessions.exchange_sessions import session_for_editing
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import FormErrors, form_errors, form_fields


class OrganizerJoinRequests(Controller):
    path = "/organizer/sessions/{session_id:int}/join-requests"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    async def _page(
        self,
        organizer: OrganizerIdentity,
        session_id: int,
        *,
        done: str = "",
        errors: FormErrors | None = None,
    ) -> Template:
        errors = errors or FormErrors()
        return Template(
            "organizer/join_requests/list.html.jinja2",
            context={
                "organizer": organizer,
                "session": await session_for_editing(organizer, session_id),
                "requests": await join_requests.pending_requests(organizer, session_id),
                "done": done,
                "errors": errors,
            },
            status_code=errors.status_code,
        )

    @get("/", name="organizer_join_requests")
    async def index(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        done: FromQuery[str] = "",
    ) -> Template:
        return await self._page(organizer, session_id, done=done)

    @post("/{code:str}/approve", name="organizer_join_request_approve")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        code: FromPath[str],
    ) -> Response[Any]:
        answer = join_requests.approve(organizer, session_id, code)
        return await self._answered(request, organizer, session_id, answer, "approved")

    @post("/{code:str}/decline", name="organizer_join_request_decline")
    async def decline(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        code: FromPath[str],
    ) -> Response[Any]:
        reason = (await form_fields(request)).get("reason", "")
        answer = join_requests.decline(organizer, session_id, code, reason)
        return await self._answered(request, organizer, session_id, answer, "declined")

    async def _answered(
        self,
        request: Request[Any, Any, Any],
        organizer: OrganizerIdentity,
        session_id: int,
        answer: Awaitable[object],
        done: str,
    ) -> Response[Any]:
        """Give the answer, then back to the list; a refusal is shown on the list itself."""
        try:
            await answer
        except DomainError as error:
            return await self._page(organizer, session_id, errors=form_errors(error))
        path = request.app.route_reverse("organizer_join_requests", session_id=session_id)
        return Redirect(f"{path}?done={done}", status_code=HTTP_303_SEE_OTHER)


ROUTES: list[ControllerRouterHandler] = [OrganizerJoinRequests]
