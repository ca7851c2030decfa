"""The coordinator's personal page (/r/{token}): the session, the delegation form, cancellation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.enums import PlanStatus, Position
from events.invitations.invitations import CoordinatorAccess, access_by_token
from events.lib.clock import utcnow
from events.lib.errors import DomainError, NotFoundError
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.registrations import attendee_removal, registrations
from events.registrations.actors import closed_reason
from events.registrations.coordinator_consent import change_report_consent
from events.registrations.queries import delegation_of
from events.reports.fact_check import fact_check_open
from events.web.auth import NO_STORE
from events.web.forms import FormErrors, form_errors, form_fields
from events.web.personal.delegation_form import (
    CHECKED,
    DelegationForm,
    from_submission,
    from_view,
    to_input,
)

PAGE = "/r/{token:str}"


async def _page(
    token: str,
    access: CoordinatorAccess,
    *,
    form: DelegationForm | None = None,
    errors: FormErrors | None = None,
    done: str = "",
    mailed: registrations.Mailed | None = None,
    template: str = "personal/coordinator/show.html.jinja2",
) -> Template:
    session = access.session
    delegation = await delegation_of(session.id, access.municipality_code)
    errors = errors or FormErrors()
    return Template(
        template,
        context={
            "token": token,
            "access": access,
            "session": session,
            "delegation": delegation if delegation is not None and delegation.is_active else None,
            "form": form or from_view(delegation, session),
            "errors": errors,
            "closed": closed_reason(session, utcnow()),
            "done": done,
            "fact_check_open": await fact_check_open(access),
            "mailed": mailed or registrations.Mailed(),
            "topic_titles": {segment.id: segment.title for segment in session.discussions},
            "positions": list(Position),
            "plan_statuses": list(PlanStatus),
        },
        status_code=errors.status_code,
    )


def _back(
    request: Request[Any, Any, Any], token: str, done: str, mailed: registrations.Mailed
) -> Redirect:
    """Back to the page, which then says what was done and who is being mailed."""
    path = request.app.route_reverse("coordinator_page", token=token)
    query = urlencode({"done": done, "links": mailed.links, "cancellations": mailed.cancellations})
    return Redirect(f"{path}?{query}", status_code=HTTP_303_SEE_OTHER)


@get(PAGE, name="coordinator_page", include_in_schema=False, cache_control=NO_STORE)
async def coordinator_page(
    token: FromPath[str],
    done: FromQuery[str] = "",
    links: FromQuery[str] = "",
    cancellations: FromQuery[str] = "",
) -> Template:
    mailed = registrations.Mailed(
        links=parse_int(links) or 0, cancellations=parse_int(cancellations) or 0
    )
    return await _page(token, await access_by_token(token), done=done, mailed=mailed)


@post(PAGE, name="coordinator_save", include_in_schema=False, cache_control=NO_STORE)
async def coordinator_save(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
    access = await access_by_token(token)
    form = from_submission(await form_fields(request), access.session)
    try:
        saved = await registrations.save(access, to_input(form, access.session))
    except DomainError as error:
        return await _page(token, access, form=form, errors=form_errors(error))
    done = "repeated" if saved.repeated else "registered" if saved.registered else "changed"
    return _back(request, token, done, saved.mailed)


@get(
    f"{PAGE}/cancel",
    name="coordinator_cancel_confirm",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def coordinator_cancel_confirm(token: FromPath[str]) -> Template:
    access = await access_by_token(token)
    return await _page(token, access, template="personal/coordinator/cancel.html.jinja2")


@post(f"{PAGE}/cancel", name="coordinator_cancel", include_in_schema=False, cache_control=NO_STORE)
async def coordinator_cancel(
    request: Request[Any, Any, Any], token: FromPath[str]
) -> Response[Any]:
    access = await access_by_token(token)
    try:
        mailed = await registrations.cancel(access)
    except DomainError as error:
        return await _page(
            token,
            access,
            errors=form_errors(error),
            template="personal/coordinator/cancel.html.jinja2",
        )
    return _back(request, token, "cancelled", mailed)


ATTENDEE = f"{PAGE}/attendees/{{attendee_id:int}}"


@get(
    f"{ATTENDEE}/remove",
    name="coordinator_remove_confirm",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def coordinator_remove_confirm(token: FromPath[str], attendee_id: FromPath[int]) -> Template:
    """Asks first: removing mails the person and may give their place to someone waiting."""
    access = await access_by_token(token)
    page = await _page(token, access, template="personal/coordinator/remove.html.jinja2")
    delegation = page.context["delegation"]
    attendees = delegation.attendees if delegation else ()
    person = next((a for a in attendees if a.id == attendee_id), None)
    if person is None:
        raise NotFoundError(N_("この参加者は登録されていません。"), field="attendee")
    page.context["person"] = person
    return page


@post(
    f"{ATTENDEE}/remove", name="coordinator_remove", include_in_schema=False, cache_control=NO_STORE
)
async def coordinator_remove(
    request: Request[Any, Any, Any], token: FromPath[str], attendee_id: FromPath[int]
) -> Response[Any]:
    access = await access_by_token(token)
    try:
        await attendee_removal.remove_attendee(access, attendee_id)
    except DomainError as error:
        return await _page(token, access, errors=form_errors(error))
    return _back(request, token, "removed", registrations.Mailed(cancellations=1))


@post(
    f"{ATTENDEE}/restore",
    name="coordinator_restore",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def coordinator_restore(
    request: Request[Any, Any, Any], token: FromPath[str], attendee_id: FromPath[int]
) -> Response[Any]:
    access = await access_by_token(token)
    try:
        await attendee_removal.restore_attendee(access, attendee_id)
    except DomainError as error:
        return await _page(token, access, errors=form_errors(error))
    return _back(request, token, "restored", registrations.Mailed(links=1))


@post(
    f"{PAGE}/report-consent",
    name="coordinator_report_consent",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def coordinator_report_consent(
    request: Request[Any, Any, Any], token: FromPath[str]
) -> Response[Any]:
    """The report consent on its own, for after the deadline, when the form is closed."""
    access = await access_by_token(token)
    fields = await form_fields(request)
    try:
        changed = await change_report_consent(access, fields.get("report_consent") == CHECKED)
    except DomainError as error:
        return await _page(token, access, errors=form_errors(error))
    done = "report_consent" if changed else "report_consent_unchanged"
    return _back(request, token, done, registrations.Mailed())


ROUTES = [
    coordinator_page,
    coordinator_save,
    coordinator_cancel_confirm,
    coordinator_cancel,
    coordinator_remove_confirm,
    coordinator_remove,
    coordinator_restore,
    coordinator_report_consent,
]
