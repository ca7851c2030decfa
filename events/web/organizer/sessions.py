"""The organizer's session pages: create, edit with the agenda editor, manage, change status."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST, HTTP_409_CONFLICT

from events.accounts.organizers import OrganizerIdentity
from events.enums import SegmentKind
from events.lib.errors import ConflictError, Problem, ValidationError
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
    refusal: list[Problem] | None = None,
) -> Template:
    return Template(
        "organizer/sessions/detail.html.jinja2",
        context={
            "organizer": organizer,
            "overview": overview,
            "session": overview.session,
            "notice": notice,
            "refusal": refusal or [],
        },
        status_code=HTTP_409_CONFLICT if refusal else 200,
    )


def _cancel_page(
    organizer: OrganizerIdentity,
    session: ExchangeSessionView,
    reason: str = "",
    errors: list[Problem] | None = None,
) -> Template:
    return Template(
        "organizer/sessions/cancel.html.jinja2",
        context={
            "organizer": organizer,
            "session": session,
            "reason": reason,
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


def _session_url(request: Request[Any, Any, Any], session_id: int, notice: str) -> Redirect:
    url = request.app.route_reverse("organizer_session", session_id=session_id)
    return Redirect(f"{url}?notice={notice}", status_code=HTTP_303_SEE_OTHER)


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
    ) -> Template:
        return _overview_page(
            organizer, await session_overview(organizer, session_id), notice=notice
        )

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

    @get("/{session_id:int}/cancel", name="organizer_session_cancel")
    async def confirm_cancel(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        next_status(session.status, Transition.CANCEL)  # refuses at once when it is too late
        return _cancel_page(organizer, session)

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
        reason = form.get("reason", "")
        try:
            if transition is Transition.CANCEL:
                reason = session_forms.cancel_reason(reason, confirmed=bool(form.get("confirm")))
            await session_actions.transition(organizer, session_id, transition, reason=reason)
        except ValidationError as error:
            session = await session_for_editing(organizer, session_id)
            return _cancel_page(organizer, session, reason, list(error.problems))
        except ConflictError as error:
            overview = await session_overview(organizer, session_id)
            return _overview_page(organizer, overview, refusal=list(error.problems))
        return _session_url(request, session_id, transition.value)


ROUTES = [OrganizerSessions]
