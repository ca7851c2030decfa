"""JSON API for organizers' scripts: a session's registrations, as JSON or as the CSV export."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from events.accounts.organizers import OrganizerIdentity
from events.lib.csv_export import MEDIA_TYPE
from events.lib.spreadsheet import XLSX_MEDIA_TYPE, Table
from events.registrations.overview import (
    RegistrationLine,
    SessionRegistrations,
    session_registrations,
)
from events.web.api.schemas.sessions import (
    RegisteredAttendeeOut,
    RegistrationList,
    RegistrationOut,
    RegistrationTotals,
    SharingAnswerOut,
)
from events.web.attendee_lists import ATTENDEE_LIST
from events.web.auth import NO_STORE, api_organizer
from events.web.requests import csv_response, xlsx_response


def registration_list(report: SessionRegistrations) -> RegistrationList:
    totals = report.totals
    return RegistrationList(
        session=report.session.id,
        totals=RegistrationTotals(
            confirmed=totals.confirmed,
            capacity=totals.capacity,
            waitlisted=totals.waitlisted,
            registered=totals.registered,
            invited=totals.invited,
        ),
        items=[registration_out(report, line) for line in report.registrations],
    )


def registration_out(report: SessionRegistrations, line: RegistrationLine) -> RegistrationOut:
    return RegistrationOut(
        id=line.id,
        municipality_code=line.municipality_code,
        municipality_name=line.municipality_name,
        prefecture=line.prefecture,
        status=line.status,
        plan_status=line.plan_status,
        sharing_answers=[
            SharingAnswerOut(item_id=item_id, item=text, text=line.answers[item_id])
            for item_id, text in report.session.sharing_items
            if item_id in line.answers
        ],
        attendees=[
            RegisteredAttendeeOut(
                id=a.id,
                name=a.name,
                department=a.department,
                position=a.position,
                is_digital_department=a.is_digital_department,
                email=a.email,
                share_contact=a.share_contact,
                status=a.status,
                waitlist_position=a.waitlist_position,
                topic_preferences=list(a.topic_preferences),
            )
            for a in line.attendees
        ],
    )


class RegistrationApi(Controller):
    path = "/api/sessions/{session_id:int}"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["registrations"]  # noqa: RUF012
    cache_control = NO_STORE

    @get(
        "/registrations",
        operation_id="listRegistrations",
        summary="Every registration of a session, cancelled ones included, with its attendees",
    )
    async def list_registrations(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> RegistrationList:
        return registration_list(await session_registrations(organizer, session_id))

    @get(
        "/registrations.csv",
        operation_id="exportRegistrations",
        summary="The attendee list as CSV (UTF-8 with BOM) for Excel",
        media_type=MEDIA_TYPE,
        dependencies=ATTENDEE_LIST,
    )
    async def export_registrations(self, attendee_list: NamedDependency[Table]) -> Response[bytes]:
        return csv_response(attendee_list.csv())

    @get(
        "/registrations.xlsx",
        operation_id="exportRegistrationsXlsx",
        summary="The attendee list as an Excel workbook: codes and other identifiers as text",
        media_type=XLSX_MEDIA_TYPE,
        dependencies=ATTENDEE_LIST,
    )
    async def export_registrations_xlsx(
        self, attendee_list: NamedDependency[Table]
    ) -> Response[bytes]:
        return xlsx_response(attendee_list.xlsx())


ROUTES = [RegistrationApi]
