"""JSON API for organizers' scripts: series, sessions, invitations and status changes."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody

from events.accounts.organizers import OrganizerIdentity
from events.invitations import invitations
from events.lib.errors import Problem
from events.lib.i18n import gettext
from events.lib.links import session_calendar, session_page
from events.organizing import session_actions
from events.sessions.agenda import Segment
from events.sessions.checks import SessionInput
from events.sessions.exchange_sessions import (
    ExchangeSessionView,
    SessionQuery,
    create_session,
    list_sessions,
    session_for_editing,
)
from events.sessions.lifecycle import Transition
from events.sessions.series import SeriesInput, create_series
from events.web.api.schemas.sessions import (
    InvitationList,
    InvitationOut,
    InviteBody,
    SegmentBody,
    SegmentOut,
    SeriesCreate,
    SeriesOut,
    SessionCreate,
    SessionLinks,
    SessionList,
    SessionOut,
    SessionUpdate,
    TransitionBody,
    WarningOut,
)
from events.web.auth import api_organizer


def session_out(view: ExchangeSessionView, warnings: list[Problem] | None = None) -> SessionOut:
    return SessionOut(
        id=view.id,
        title=view.title,
        series=view.series_id,
        series_title=view.series_title,
        region=view.region,
        starts_at=view.starts_at,
        ends_at=view.ends_at,
        registration_deadline=view.registration_deadline,
        capacity=view.capacity,
        per_municipality_limit=view.per_municipality_limit,
        meeting_url=view.meeting_url,
        meeting_passcode=view.meeting_passcode,
        background=view.background,
        status=view.status,
        sequence=view.sequence,
        agenda=[
            SegmentOut(id=s.id, kind=s.kind, title=s.title, minutes=s.minutes, items=list(s.items))
            for s in view.agenda
        ],
        links=SessionLinks(page=session_page(view.id), calendar=session_calendar(view.id)),
        warnings=[
            WarningOut(field=w.field, message=gettext(w.message, **w.params))
            for w in warnings or []
        ],
    )


def segments(bodies: list[SegmentBody]) -> tuple[Segment, ...]:
    return tuple(
        Segment(kind=b.kind, title=b.title, minutes=b.minutes, items=tuple(b.items), id=b.id)
        for b in bodies
    )


def changes_from(data: SessionUpdate) -> dict[str, Any]:
    """The fields a PATCH body sets, named as the domain names them."""
    sent = {
        field: value
        for field in data.__struct_fields__
        if (value := getattr(data, field)) is not msgspec.UNSET
    }
    if "series" in sent:
        sent["series_id"] = sent.pop("series")
    if "agenda" in sent:
        sent["agenda"] = segments(sent["agenda"])
    return sent


class SessionApi(Controller):
    path = "/api"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["sessions"]  # noqa: RUF012

    @post("/series", operation_id="createSeries", summary="Create a series")
    async def create_series(
        self, organizer: NamedDependency[OrganizerIdentity], data: JSONBody[SeriesCreate]
    ) -> SeriesOut:
        row = await create_series(
            organizer,
            SeriesInput(title=data.title, region=data.region, description=data.description),
        )
        return SeriesOut(
            id=row["id"], title=row["title"], region=row["region"], description=row["description"]
        )

    @post("/sessions", operation_id="createSession", summary="Schedule a session (as a draft)")
    async def create_session(
        self, organizer: NamedDependency[OrganizerIdentity], data: JSONBody[SessionCreate]
    ) -> SessionOut:
        fields = msgspec.structs.asdict(data)
        fields["series_id"] = fields.pop("series")
        fields["agenda"] = segments(data.agenda)
        view, warnings = await create_session(organizer, SessionInput(**fields))
        return session_out(view, warnings)

    @get("/sessions", operation_id="listSessions", summary="Sessions of my series")
    async def list_sessions(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        status: FromQuery[str | None] = None,
        series: FromQuery[int | None] = None,
        region: FromQuery[str | None] = None,
        upcoming: FromQuery[bool | None] = None,
    ) -> SessionList:
        query = SessionQuery(
            statuses=(status,) if status else (),
            series_id=series,
            region=region,
            upcoming=upcoming,
            owner_id=None if organizer.is_admin else organizer.id,
            limit=500,
        )
        return SessionList(items=[session_out(view) for view in await list_sessions(query)])

    @get("/sessions/{session_id:int}", operation_id="getSession", summary="One session")
    async def get_session(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SessionOut:
        return session_out(await session_for_editing(organizer, session_id))

    @patch("/sessions/{session_id:int}", operation_id="updateSession", summary="Change some fields")
    async def update_session(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        data: JSONBody[SessionUpdate],
    ) -> SessionOut:
        view, warnings = await session_actions.update_session(
            organizer, session_id, changes_from(data)
        )
        return session_out(view, warnings)

    @post(
        "/sessions/{session_id:int}/invitations",
        operation_id="inviteMunicipalities",
        summary="Invite municipalities; returns each one's registration link",
    )
    async def invite(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        data: JSONBody[InviteBody],
    ) -> InvitationList:
        results = await invitations.invite(organizer, session_id, data.codes, data.contact_emails)
        return InvitationList(
            invitations=[
                InvitationOut(
                    code=result.code, name=result.name, status=result.status, link=result.link
                )
                for result in results
            ]
        )

    async def _transition(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: int,
        transition: Transition,
        reason: str = "",
    ) -> SessionOut:
        done = await session_actions.transition(organizer, session_id, transition, reason=reason)
        return session_out(done.session)

    @post("/sessions/{session_id:int}/publish", operation_id="publishSession", status_code=200)
    async def publish(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SessionOut:
        return await self._transition(organizer, session_id, Transition.PUBLISH)

    @post("/sessions/{session_id:int}/close", operation_id="closeRegistration", status_code=200)
    async def close(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SessionOut:
        return await self._transition(organizer, session_id, Transition.CLOSE_REGISTRATION)

    @post("/sessions/{session_id:int}/held", operation_id="markSessionHeld", status_code=200)
    async def held(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SessionOut:
        return await self._transition(organizer, session_id, Transition.MARK_HELD)

    @post("/sessions/{session_id:int}/cancel", operation_id="cancelSession", status_code=200)
    async def cancel(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        data: JSONBody[TransitionBody | None] = None,
    ) -> SessionOut:
        reason = data.reason if data is not None else ""
        return await self._transition(organizer, session_id, Transition.CANCEL, reason)


ROUTES = [SessionApi]
