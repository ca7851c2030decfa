"""Organizer pages of a session's registrations: the overview and the attendee list as CSV."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from events.accounts.organizers import OrganizerIdentity
from events.lib.spreadsheet import Table
from events.registrations.overview import session_registrations
from events.web.attendee_lists import ATTENDEE_LIST
from events.web.auth import NO_STORE, page_organizer
from events.web.requests import csv_response, xlsx_response


class OrganizerRegistrations(Controller):
    path = "/organizer/sessions/{session_id:int}"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/registrations", name="organizer_registrations")
    async def overview(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        report = await session_registrations(organizer, session_id)
        return Template(
            "organizer/registrations/index.html.jinja2",
            context={"organizer": organizer, "report": report},
        )

    @get("/registrations.csv", name="organizer_registrations_csv", dependencies=ATTENDEE_LIST)
    async def export(self, attendee_list: NamedDependency[Table]) -> Response[bytes]:
        return csv_response(attendee_list.csv())

    @get("/registrations.xlsx", name="organizer_registrations_xlsx", dependencies=ATTENDEE_LIST)
    async def export_xlsx(self, attendee_list: NamedDependency[Table]) -> Response[bytes]:
        return xlsx_response(attendee_list.xlsx())


ROUTES = [OrganizerRegistrations]
