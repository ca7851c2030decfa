"""The participation record of a municipality, printable and as CSV, for its HR department."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from events.accounts.organizers import OrganizerIdentity
from events.lib.clock import utcnow
from events.registrations.participation import (
    participation_record,
    participation_summary_table,
    participation_table,
)
from events.web.auth import NO_STORE, page_organizer
from events.web.requests import csv_response, xlsx_response


class OrganizerParticipation(Controller):
    path = "/organizer/municipalities/{code:str}"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/participation", name="organizer_participation")
    async def record(
        self, organizer: NamedDependency[OrganizerIdentity], code: FromPath[str]
    ) -> Template:
        record = await participation_record(organizer, code)
        return Template(
            "organizer/participation/show.html.jinja2",
            context={"organizer": organizer, "record": record, "issued_at": utcnow()},
        )

    @get("/participation.csv", name="organizer_participation_csv")
    async def detail_csv(
        self, organizer: NamedDependency[OrganizerIdentity], code: FromPath[str]
    ) -> Response[bytes]:
        return csv_response(participation_table(await participation_record(organizer, code)).csv())

    @get("/participation.xlsx", name="organizer_participation_xlsx")
    async def detail_xlsx(
        self, organizer: NamedDependency[OrganizerIdentity], code: FromPath[str]
    ) -> Response[bytes]:
        table = participation_table(await participation_record(organizer, code))
        return xlsx_response(table.xlsx())

    @get("/participation-summary.csv", name="organizer_participation_summary_csv")
    async def summary_csv(
        self, organizer: NamedDependency[OrganizerIdentity], code: FromPath[str]
    ) -> Response[bytes]:
        table = participation_summary_table(await participation_record(organizer, code))
        return csv_response(table.csv())

    @get("/participation-summary.xlsx", name="organizer_participation_summary_xlsx")
    async def summary_xlsx(
        self, organizer: NamedDependency[OrganizerIdentity], code: FromPath[str]
    ) -> Response[bytes]:
        table = participation_summary_table(await participation_record(organizer, code))
        return xlsx_response(table.xlsx())


ROUTES = [OrganizerParticipation]
