"""JSON API of notes and reports: organizers by bearer token; the archive is public."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody

from events.accounts.organizers import OrganizerIdentity
from events.lib.links import absolute
from events.reports import drafts
from events.reports.archive import PAGE_SIZE, ArchiveQuery, search
from events.reports.drafts import BlockEdit
from events.reports.fact_check import request_fact_check
from events.reports.notes import record_note
from events.reports.publishing import publish
from events.web.api.schemas.reports import (
    DraftUpdateBody,
    FactCheckOut,
    NoteOut,
    NotesBody,
    PublishedOut,
    ReportDraftOut,
    ReportListOut,
    draft_out,
    list_out,
    note_out,
)
from events.web.auth import api_organizer
from events.web.page_cache import PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT


class SessionReportApi(Controller):
    path = "/api/sessions/{session_id:int}"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["reports"]  # noqa: RUF012

    @post("/notes", operation_id="recordNotes", summary="Record notes on a topic, group or all")
    async def notes(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        data: JSONBody[NotesBody],
    ) -> NoteOut:
        note = await record_note(organizer, session_id, data.topic, data.text, group=data.group)
        return note_out(note)

    @post("/report", operation_id="generateReport", summary="Generate the draft report")
    async def generate(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> ReportDraftOut:
        return draft_out(await drafts.generate_report(organizer, session_id))


class ReportApi(Controller):
    path = "/api/reports/{report_id:int}"
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["reports"]  # noqa: RUF012

    @patch("/", operation_id="updateReportDraft", summary="Edit blocks and tags of the draft")
    async def update(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        report_id: FromPath[int],
        data: JSONBody[DraftUpdateBody],
    ) -> ReportDraftOut:
        edits = {key: BlockEdit(edit.heading, edit.body) for key, edit in data.blocks.items()}
        draft = await drafts.update_draft(organizer, report_id, edits, tags=data.tags)
        return draft_out(draft)

    @post("/fact-check", operation_id="requestFactCheck", status_code=200)
    async def fact_check(
        self, organizer: NamedDependency[OrganizerIdentity], report_id: FromPath[int]
    ) -> FactCheckOut:
        request = await request_fact_check(organizer, report_id)
        return FactCheckOut(list(request.mailed), list(request.without_contact))

    @post("/publish", operation_id="publishReport", status_code=200)
    async def publish(
        self, organizer: NamedDependency[OrganizerIdentity], report_id: FromPath[int]
    ) -> PublishedOut:
        version = await publish(organizer, report_id)
        return PublishedOut(version.report_id, version.number, version.url)


def _query(
    q: str,
    fiscal_year: int | None,
    region: str,
    series: int | None,
    tag: str,
    municipality: str,
    page: int,
    per_page: int,
) -> ArchiveQuery:
    return ArchiveQuery(q, fiscal_year, region, series, tag, municipality, page, per_page)


class ReportArchiveApi(Controller):
    """Published reports only: no token needed, no personal data."""

    path = "/api/reports"
    tags = ["reports"]  # noqa: RUF012
    # The archive's public data, kept per query and language like the /reports pages.
    opt = PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT

    @get("/", operation_id="listReports", summary="Published reports, latest sessions first")
    async def list(
        self,
        fiscal_year: FromQuery[int | None] = None,
        region: FromQuery[str] = "",
        series: FromQuery[int | None] = None,
        tag: FromQuery[str] = "",
        municipality: FromQuery[str] = "",
        page: FromQuery[int] = 1,
        per_page: FromQuery[int] = PAGE_SIZE,
    ) -> ReportListOut:
        query = _query("", fiscal_year, region, series, tag, municipality, page, per_page)
        return list_out(await search(query), absolute(""))

    @get("/search", operation_id="searchReports", summary="Substring search in published reports")
    async def search(
        self,
        q: FromQuery[str] = "",
        fiscal_year: FromQuery[int | None] = None,
        region: FromQuery[str] = "",
        series: FromQuery[int | None] = None,
        tag: FromQuery[str] = "",
        municipality: FromQuery[str] = "",
        page: FromQuery[int] = 1,
        per_page: FromQuery[int] = PAGE_SIZE,
    ) -> ReportListOut:
        query = _query(q, fiscal_year, region, series, tag, municipality, page, per_page)
        return list_out(await search(query), absolute(""))


ROUTES = [SessionReportApi, ReportApi, ReportArchiveApi]
