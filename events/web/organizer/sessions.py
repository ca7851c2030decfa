"""The organizer's session pages: create, edit with the agenda editor, manage, change status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST, HTTP_409_CONFLICT

from events.accounts.organizers import OrganizerIdentity
from events.enums import SegmentKind
from events.lib.errors import ConflictError, Problem, ValidationError
from events.lib.numbers import parse_int
from events.organizing import session_actions
from events.organizing.dashboard import PAGE_TRANSITIONS, SessionOverview, session_overview
from events.sessions.exchange_sessions import (
    ExchangeSessionView,
    create_session,
    session_for_editing,
)
from events.sessions.lifecycle import Transition, next_status, require_editable
from events.sessions.series import series_for_editing
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import form_fields
from events.web.organizer import session_forms
from events.web.organizer.session_forms import ADD_SEGMENT, SessionFields
from networking.regions import AREAS


def _form_page(
    organizer: OrganizerIdentity,
    series: dict[str, Any],
    form: SessionFields,
    *,
    session: ExchangeSessionView | None = None,
    errors: list[Problem] | None = None,
) -> Template:
    return Template(
        "organizer/sessions/form.html.jinja2",
        context={
            "organizer": organizer,
            "series": series,
            "session": session,
            "form": form,
            "errors": errors or [],
            "areas": AREAS,
            "kinds": list(SegmentKind),
        },
        status_code=HTTP_400_BAD_REQUEST if errors else 200,
    )


def _overview_page(
    organizer: OrganizerIdentity,
    overview: SessionOverview,
    *,
    notice: str = "",
    mailed: int | None = None,
    refusal: list[Problem] | None = None,
) -> Template:
    return Template(
        "organizer/sessions/detail.html.jinja2",
        context={
            "organizer": organizer,
            "overview": overview,
            "session": overview.session,
            "notice": notice,
            # Messages the change put in the outbox; the notice says so (None: nothing mailed).
            "mailed": mailed,
            "refusal": refusal or [],
        },
        status_code=HTTP_409_CONFLICT if refusal else 200,
    )


async def _confirm_page(
    organizer: OrganizerIdentity,
    session: ExchangeSessionView,
    transition: Transition,
    form: Mapping[str, str] | None = None,
    errors: list[Problem] | None = None,
) -> Template:
    """Asks before a status change, saying what it will do: none of them can be undone."""
    return Template(
        "organizer/sessions/confirm.html.jinja2",
        context={
            "organizer": organizer,
            "session": session,
            "action": transition.value,
            "preview": await session_actions.preview(session.id, transition),
            "reason": (form or {}).get("reason", ""),
            "errors": errors or [],
        },
        status_code=HTTP_400_BAD_REQUEST if errors else 200,
    )


def _page_transition(action: str) -> Transition:
    for transition in PAGE_TRANSITIONS:
        if transition.value == action:
            return transition
    raise NotFoundException


def _series_of(session: ExchangeSessionView) -> dict[str, Any]:
    return {"id": session.series_id, "title": session.series_title}


async def _editable_session(organizer: OrganizerIdentity, session_id: int) -> ExchangeSessionView:
    session = await session_for_editing(organizer, session_id)
    require_editable(session.status)
    return session


def _session_url(
    request: Request[Any, Any, Any], session_id: int, notice: str, mailed: int | None = None
) -> Redirect:
    """Back to the session page, which says what was done and how many were mailed."""
    url = request.app.route_reverse("organizer_session", session_id=session_id)
    query = {"notice": notice} | ({} if mailed is None else {"mailed": str(mailed)})
    return Redirect(f"{url}?{urlencode(query)}", status_code=HTTP_303_SEE_OTHER)


class OrganizerSessions(Controller):
    path = "/organizer/sessions"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/new", name="organizer_session_new")
    async def new(
        self, organizer: NamedDependency[OrganizerIdentity], series: FromQuery[int]
    ) -> Template:
        row = await series_for_editing(organizer, series)
        return _form_page(organizer, row, session_forms.new_form(row["region"]))

    @post("/new", name="organizer_session_create")
    async def create(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        series: FromQuery[int],
    ) -> Response[Any]:
        row = await series_for_editing(organizer, series)
        form, action = session_forms.read(await form_fields(request))
        if action == ADD_SEGMENT:
            return _form_page(organizer, row, form.with_blank_segment())
        try:
            view, _ = await create_session(
                organizer, session_forms.to_input(form, series, is_new=True)
            )
        except ValidationError as error:
            return _form_page(organizer, row, form, errors=session_forms.input_problems(error))
        return _session_url(request, view.id, "created")

    @get("/{session_id:int}", name="organizer_session")
    async def show(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        notice: FromQuery[str] = "",
        mailed: FromQuery[str] = "",
    ) -> Template:
        overview = await session_overview(organizer, session_id)
        return _overview_page(organizer, overview, notice=notice, mailed=parse_int(mailed))

    @get("/{session_id:int}/edit", name="organizer_session_edit")
    async def edit(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        session = await _editable_session(organizer, session_id)
        form = session_forms.from_session(session)
        return _form_page(organizer, _series_of(session), form, session=session)

    @post("/{session_id:int}/edit", name="organizer_session_update")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Response[Any]:
        session = await _editable_session(organizer, session_id)
        form, action = session_forms.read(await form_fields(request))
        series = _series_of(session)
        if action == ADD_SEGMENT:
            return _form_page(organizer, series, form.with_blank_segment(), session=session)
        try:
            data = session_forms.to_input(form, session.series_id, is_new=False)
            await session_actions.update_session(
                organizer, session_id, session_forms.changes_of(data)
            )
        except ValidationError as error:
            problems = session_forms.input_problems(error)
            return _form_page(organizer, series, form, session=session, errors=problems)
        return _session_url(request, session_id, "saved")

    @get("/{session_id:int}/status/{action:str}", name="organizer_session_confirm")
    async def confirm(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        action: FromPath[str],
    ) -> Template:
        transition = _page_transition(action)
        session = await session_for_editing(organizer, session_id)
        next_status(session.status, transition)  # refuses at once when it is too late
        return await _confirm_page(organizer, session, transition)

    @post("/{session_id:int}/status/{action:str}", name="organizer_session_transition")
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        action: FromPath[str],
    ) -> Response[Any]:
        transition = _page_transition(action)
        form = await form_fields(request)
        try:
            reason = session_forms.confirmed_reason(form, transition)
            done = await session_actions.transition(
                organizer, session_id, transition, reason=reason
            )
        except ValidationError as error:
            session = await session_for_editing(organizer, session_id)
            return await _confirm_page(organizer, session, transition, form, list(error.problems))
        except ConflictError as error:
            overview = await session_overview(organizer, session_id)
            return _overview_page(organizer, overview, refusal=list(error.problems))
        return _session_url(request, session_id, transition.value, done.mailed)


ROUTES = [OrganizerSessions]
