"""Organizer pages of notes and reports: notes, the draft and its edits, fact check, publish."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST

from events.accounts.organizers import OrganizerIdentity
from events.enums import ReportState
from events.lib.errors import NotFoundError, Problem, ValidationError
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.reports import drafts
from events.reports.archive import version_count
from events.reports.blocks import rendered
from events.reports.drafts import BlockEdit, ReportDraft
from events.reports.fact_check import comments_of, fact_check_contacts, request_fact_check
from events.reports.notes import group_choices, notes_of, record_note
from events.reports.publishing import publish, recipients_of_publication
from events.reports.versions import latest_version
from events.sessions.exchange_sessions import ExchangeSessionView, session_for_editing
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import (
    UNCONFIRMED_PUBLICATION,
    FormErrors,
    form_errors,
    form_fields,
    unconfirmed,
)

NOTICES = frozenset(
    {
        "saved",
        "generated",
        "edited",
        "participants_reordered",
        "participants_unchanged",
        "fact_check",
        "published",
    }
)


def _to(
    session_id: int, page: str, notice: str, anchor: str = "", mailed: int | None = None
) -> Redirect:
    path = f"/organizer/sessions/{session_id}/{page}?notice={notice}"
    if mailed is not None:
        path += f"&mailed={mailed}"
    return Redirect(path + (f"#{anchor}" if anchor else ""), status_code=HTTP_303_SEE_OTHER)


def _group(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    number = parse_int(value)
    if number is None or number > 9999:
        raise ValidationError(N_("グループ番号は半角数字で入力してください。"), field="group")
    return number


async def _draft(session_id: int) -> ReportDraft:
    draft = await drafts.report_of_session(session_id)
    if draft is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return draft


class OrganizerReports(Controller):
    path = "/organizer/sessions/{session_id:int}"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    async def _notes_page(
        self,
        organizer: OrganizerIdentity,
        session: ExchangeSessionView,
        notice: str = "",
        errors: FormErrors | None = None,
        submitted: Mapping[str, str] | None = None,
    ) -> Template:
        errors = errors or FormErrors()
        return Template(
            "organizer/reports/notes.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "notes": await notes_of(session.id),
                "group_choices": await group_choices(session),
                "notice": notice if notice in NOTICES else "",
                "errors": errors,
                "submitted": submitted or {},
            },
            status_code=errors.status_code,
        )

    @get("/notes", name="organizer_notes")
    async def notes(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        notice: FromQuery[str] = "",
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        return await self._notes_page(organizer, session, notice)

    @post("/notes", name="organizer_notes_save")
    async def save_note(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Template | Redirect:
        fields = await form_fields(request)
        topic = fields.get("topic", "").strip() or None
        try:
            await record_note(
                organizer,
                session_id,
                topic,
                fields.get("text", ""),
                group=_group(fields.get("group", "")),
            )
        except ValidationError as error:
            session = await session_for_editing(organizer, session_id)
            return await self._notes_page(organizer, session, "", form_errors(error), fields)
        return _to(session_id, "notes", "saved")

    @get("/report", name="organizer_report")
    async def report(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        notice: FromQuery[str] = "",
        mailed: FromQuery[str] = "",
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        draft = await drafts.report_of_session(session_id)
        return Template(
            "organizer/reports/draft.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "draft": draft,
                "blocks": rendered(draft.blocks) if draft else [],
                "comments": await comments_of(draft.id) if draft else [],
                "contacts": await fact_check_contacts(session_id)
                if draft and draft.state == ReportState.FACT_CHECK
                else [],
                "versions": await version_count(draft.id) if draft else 0,
                "published": (
                    await latest_version(draft.id) if draft and draft.latest_version else None
                ),
                "notice": notice if notice in NOTICES else "",
                # Participants told of the publication (the notice says how many, or why none).
                "mailed": parse_int(mailed) or 0,
            },
        )

    @post("/report/generate", name="organizer_report_generate")
    async def generate(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Redirect:
        await drafts.generate_report(organizer, session_id)
        return _to(session_id, "report", "generated")

    @post("/report/participants", name="organizer_report_participants")
    async def reorder_participants(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Redirect:
        changed = await drafts.reorder_participants(organizer, (await _draft(session_id)).id)
        notice = "participants_reordered" if changed else "participants_unchanged"
        return _to(session_id, "report", notice, anchor="edit-participants")

    @post("/report/blocks", name="organizer_report_blocks")
    async def edit_blocks(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Redirect:
        """Every block and the tags from the one editing form, saved together."""
        fields = await form_fields(request)
        draft = await _draft(session_id)
        # An optional block's checkbox is sent only when ticked: the form names those it holds.
        optional = fields.getall("optional")
        edits = {
            block.key: BlockEdit(
                heading=fields.get(f"heading:{block.key}"),
                body=fields.get(f"body:{block.key}"),
                shown=f"shown:{block.key}" in fields if block.key in optional else None,
            )
            for block in draft.blocks
            if {f"heading:{block.key}", f"body:{block.key}"} & fields.keys()
            or block.key in optional
        }
        text = fields.get("tags")
        tags = None if text is None else [t for t in text.replace("、", ",").split(",") if t]
        await drafts.update_draft(organizer, draft.id, edits, tags=tags)
        return _to(session_id, "report", "edited")

    @post("/report/fact-check", name="organizer_report_fact_check")
    async def fact_check(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Redirect:
        await request_fact_check(organizer, (await _draft(session_id)).id)
        return _to(session_id, "report", "fact_check")

    async def _publish_page(
        self,
        organizer: OrganizerIdentity,
        session_id: int,
        errors: list[Problem] | None = None,
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        draft = await _draft(session_id)
        return Template(
            "organizer/reports/publish.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "draft": draft,
                "recipients": await recipients_of_publication(draft),
                "errors": errors or [],
            },
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
        )

    @get("/report/publish", name="organizer_report_publish_confirm")
    async def confirm_publish(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        """Asks first: a published version is fixed for good and may mail every participant."""
        return await self._publish_page(organizer, session_id)

    @post("/report/publish", name="organizer_report_publish")
    async def publish(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Response[Any]:
        if refusal := await unconfirmed(request, UNCONFIRMED_PUBLICATION):
            return await self._publish_page(organizer, session_id, refusal)
        version = await publish(organizer, (await _draft(session_id)).id)
        return _to(session_id, "report", "published", mailed=version.mailed)


ROUTES = [OrganizerReports]
