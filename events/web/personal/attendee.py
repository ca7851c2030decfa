"""An attendee's personal page (/a/{token}): their registration, join details, calendar, consent."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.groups.placement import group_of
from events.registrations.attendee_access import (
    attendee_by_token,
    calendar_by_token,
    change_consent,
)
from events.web.auth import NO_STORE
from events.web.calendar_download import calendar_download
from events.web.forms import form_fields
from events.web.personal.delegation_form import CHECKED

PAGE = "/a/{token:str}"


@get(PAGE, name="attendee_page", include_in_schema=False, cache_control=NO_STORE)
async def attendee_page(token: FromPath[str], done: FromQuery[str] = "") -> Template:
    access = await attendee_by_token(token)
    return Template(
        "personal/attendee/show.html.jinja2",
        context={
            "token": token,
            "access": access,
            "attendee": access.view,
            "session": access.session,
            "done": done,
            "group": await group_of(access.attendee["id"]) if access.is_confirmed else None,
        },
    )


# A download with no form to protect: no CSRF cookie to make and set on every calendar fetch.
@get(
    f"{PAGE}/calendar.ics",
    name="attendee_calendar",
    include_in_schema=False,
    opt={"exclude_from_csrf": True},
)
async def attendee_calendar(
    request: Request[Any, Any, Any], token: FromPath[str]
) -> Response[bytes]:
    """The attendee's own invitation, with the join link; only while they hold a place."""
    calendar = await calendar_by_token(token)
    filename = f"tsunagu-session-{calendar.session_id}.ics"
    return calendar_download(request, calendar.content, filename)


@post(f"{PAGE}/consent", name="attendee_consent", include_in_schema=False, cache_control=NO_STORE)
async def attendee_consent(request: Request[Any, Any, Any], token: FromPath[str]) -> Redirect:
    access = await attendee_by_token(token)
    fields = await form_fields(request)
    await change_consent(access, fields.get("share_contact") == CHECKED)
    path = request.app.route_reverse("attendee_page", token=token)
    return Redirect(f"{path}?done=consent", status_code=HTTP_303_SEE_OTHER)


ROUTES = [attendee_page, attendee_calendar, attendee_consent]
