"""Organizer pages of date polls: the list, a new poll, the result table, and its actions."""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.accounts.organizers import OrganizerIdentity
from events.date_polls import polls as date_polls
from events.date_polls.results import poll_results, results_table
from events.lib.errors import Problems, ValidationError
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.organizing.date_poll_decision import decide
from events.sessions.exchange_sessions import get_session
from events.sessions.series import list_series
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import FormErrors, form_errors, form_fields
from events.web.organizer.date_poll_forms import (
    DEFAULT_ROWS,
    PollForm,
    SlotRow,
    poll_input,
    read_form,
)
from events.web.requests import csv_response, xlsx_response

NOTICES = frozenset({"created", "closed", "decided", "reminded"})


# The recipient list is one text box on the form, whichever part of it a refusal names.
RECIPIENT_FIELDS = frozenset({"codes", "contact_emails"})


def errors_on_form(error: ValidationError) -> FormErrors:
    return form_errors(
        ValidationError.of(
            dataclasses.replace(problem, field="recipients")
            if problem.field in RECIPIENT_FIELDS
            else problem
            for problem in error.problems
        )
    )


def _path(poll_id: int, notice: str = "") -> str:
    return f"/organizer/polls/{poll_id}" + (f"?notice={notice}" if notice else "")


class OrganizerPolls(Controller):
    path = "/organizer/polls"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_polls")
    async def index(self, organizer: NamedDependency[OrganizerIdentity]) -> Template:
        polls = await date_polls.list_polls(organizer)
        return Template(
            "organizer/polls/list.html.jinja2", context={"organizer": organizer, "polls": polls}
        )

    @get("/new", name="organizer_poll_new")
    async def new(self, organizer: NamedDependency[OrganizerIdentity]) -> Template:
        form = PollForm()
        return await self._form_page(organizer, form, form.with_rows(DEFAULT_ROWS), FormErrors())

    @post("/new", name="organizer_poll_create")
    async def create(
        self, request: Request[Any, Any, Any], organizer: NamedDependency[OrganizerIdentity]
    ) -> Response[Any]:
        submitted = await form_fields(request)
        form = read_form(submitted)
        if submitted.get("action") == "add_row":
            return await self._form_page(
                organizer, form, form.with_rows(len(form.rows) + 1), FormErrors()
            )
        problems = Problems()
        data = poll_input(form, problems)
        try:
            problems.raise_if_any()
            poll, _ = await date_polls.create_poll(organizer, data)
        except ValidationError as error:
            rows = form.with_rows(len(form.rows))
            return await self._form_page(organizer, form, rows, errors_on_form(error))
        return Redirect(_path(poll.id, "created"), status_code=HTTP_303_SEE_OTHER)

    async def _form_page(
        self,
        organizer: OrganizerIdentity,
        form: PollForm,
        rows: tuple[SlotRow, ...],
        errors: FormErrors,
    ) -> Template:
        return Template(
            "organizer/polls/new.html.jinja2",
            context={
                "organizer": organizer,
                "form": form,
                "rows": rows,
                "errors": errors,
                "series_options": await list_series(organizer),
                "session_options": await date_polls.sessions_to_decide(organizer),
            },
            status_code=errors.status_code,
        )

    @get("/{poll_id:int}", name="organizer_poll")
    async def detail(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        poll_id: FromPath[int],
        notice: FromQuery[str] = "",
    ) -> Template:
        results = await poll_results(organizer, poll_id)
        session = None
        if results.poll.session_id is not None:
            session = await get_session(results.poll.session_id)
        return Template(
            "organizer/polls/detail.html.jinja2",
            context={
                "organizer": organizer,
                "results": results,
                "poll": results.poll,
                "session": session,
                "notice": notice if notice in NOTICES else "",
            },
        )

    @get("/{poll_id:int}/results.csv", name="organizer_poll_csv")
    async def csv(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> Response[bytes]:
        return csv_response(results_table(await poll_results(organizer, poll_id)).csv())

    @get("/{poll_id:int}/results.xlsx", name="organizer_poll_xlsx")
    async def xlsx(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> Response[bytes]:
        return xlsx_response(results_table(await poll_results(organizer, poll_id)).xlsx())

    @post("/{poll_id:int}/close", name="organizer_poll_close")
    async def close(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> Redirect:
        await date_polls.close_poll(organizer, poll_id)
        return Redirect(_path(poll_id, "closed"), status_code=HTTP_303_SEE_OTHER)

    @post("/{poll_id:int}/remind", name="organizer_poll_remind")
    async def remind(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> Redirect:
        await date_polls.remind(organizer, poll_id)
        return Redirect(_path(poll_id, "reminded"), status_code=HTTP_303_SEE_OTHER)

    @post("/{poll_id:int}/decide", name="organizer_poll_decide")
    async def decide(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        poll_id: FromPath[int],
    ) -> Redirect:
        slot = parse_int((await form_fields(request)).get("slot"))
        if slot is None:
            # Someone else's poll is refused as such, not with a hint about its form.
            await date_polls.poll_for_editing(organizer, poll_id)
            raise ValidationError(N_("決定する候補日時を選んでください。"), field="slot")
        await decide(organizer, poll_id, slot)
        return Redirect(_path(poll_id, "decided"), status_code=HTTP_303_SEE_OTHER)


ROUTES = [OrganizerPolls]
