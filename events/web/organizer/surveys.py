"""Organizer pages of surveys: a series' questions, and a held session's survey and results."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST

from events.accounts.organizers import OrganizerIdentity
from events.enums import QuestionKind
from events.lib.errors import NotFoundError, Problem, ValidationError
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.lib.spreadsheet import Table
from events.sessions.exchange_sessions import session_for_editing
from events.sessions.series import series_for_editing
from events.surveys import questions as survey_questions
from events.surveys import surveys
from events.surveys.results import summary_for_organizer
from events.surveys.results_csv import responses_table
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import FormErrors, form_errors, form_fields, unconfirmed
from events.web.organizer.survey_question_forms import (
    QuestionRow,
    inputs_of,
    on_rows,
    read_rows,
    rows_of,
)
from events.web.requests import csv_response, xlsx_response

QUESTION_NOTICES = frozenset({"saved", "new_version", "unchanged"})
SURVEY_NOTICES = frozenset({"opened", "closed"})


class OrganizerSurveyQuestions(Controller):
    path = "/organizer/series/{series_id:int}/survey"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_survey_questions")
    async def edit(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
        notice: FromQuery[str] = "",
    ) -> Template:
        questions = await survey_questions.questions_for_editing(organizer, series_id)
        return await _questions_page(
            organizer,
            series_id,
            rows_of(questions),
            FormErrors(),
            notice=notice if notice in QUESTION_NOTICES else "",
        )

    @post("/", name="organizer_survey_questions_save")
    async def save(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        series_id: FromPath[int],
    ) -> Response[Any]:
        await series_for_editing(organizer, series_id)
        submitted = await form_fields(request)
        rows = read_rows(submitted)
        if submitted.get("action") == "add_row":
            return await _questions_page(organizer, series_id, (*rows, QuestionRow()), FormErrors())
        inputs, indexes = inputs_of(rows)
        try:
            _, new_version = await survey_questions.save_questions(organizer, series_id, inputs)
        except ValidationError as error:
            return await _questions_page(
                organizer, series_id, rows, form_errors(on_rows(error, indexes))
            )
        notice = "new_version" if new_version else "saved"
        path = request.app.route_reverse("organizer_survey_questions", series_id=series_id)
        return Redirect(f"{path}?notice={notice}", status_code=HTTP_303_SEE_OTHER)


async def _questions_page(
    organizer: OrganizerIdentity,
    series_id: int,
    rows: tuple[QuestionRow, ...],
    errors: FormErrors,
    *,
    notice: str = "",
) -> Template:
    series = await series_for_editing(organizer, series_id)
    return Template(
        "organizer/surveys/questions.html.jinja2",
        context={
            "organizer": organizer,
            "series": series,
            "questions": await survey_questions.ensure_question_set(series_id),
            "rows": rows,
            "kinds": list(QuestionKind),
            "errors": errors,
            "notice": notice,
        },
        status_code=errors.status_code,
    )


class OrganizerSessionSurvey(Controller):
    path = "/organizer/sessions/{session_id:int}/survey"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_session_survey")
    async def show(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        notice: FromQuery[str] = "",
        mailed: FromQuery[str] = "",
    ) -> Template:
        survey, summary = await summary_for_organizer(organizer, session_id)
        session = await session_for_editing(organizer, session_id)
        return Template(
            "organizer/surveys/session.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "survey": survey,
                "summary": summary,
                "can_open": survey is None and session.status in surveys.SURVEYABLE,
                "notice": notice if notice in SURVEY_NOTICES else "",
                # Participants mailed their survey link on opening (the notice says how many).
                "mailed": parse_int(mailed) or 0,
            },
        )

    async def _open_page(
        self, organizer: OrganizerIdentity, session_id: int, errors: list[Problem] | None = None
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        return Template(
            "organizer/surveys/open.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "recipients": len(await surveys.confirmed_attendees(session_id)),
                "errors": errors or [],
            },
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
        )

    @get("/open", name="organizer_survey_open_confirm")
    async def confirm_open(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        """Asks first: opening mails every confirmed participant, which cannot be taken back."""
        return await self._open_page(organizer, session_id)

    @post("/open", name="organizer_survey_open")
    async def open(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Response[Any]:
        message = N_("アンケートを開始してよいか確認のうえ、チェックを入れてください。")
        if refusal := await unconfirmed(request, message):
            return await self._open_page(organizer, session_id, refusal)
        await surveys.open_survey(organizer, session_id)
        # A held session's registrations no longer change: these are the people just mailed.
        mailed = len(await surveys.confirmed_attendees(session_id))
        return _back(request, session_id, "opened", mailed)

    @post("/close", name="organizer_survey_close")
    async def close(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Redirect:
        await surveys.close_survey(organizer, session_id)
        return _back(request, session_id, "closed")

    @get("/results.csv", name="organizer_survey_csv")
    async def csv(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Response[bytes]:
        return csv_response((await _responses(organizer, session_id)).csv())

    @get("/results.xlsx", name="organizer_survey_xlsx")
    async def xlsx(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Response[bytes]:
        return xlsx_response((await _responses(organizer, session_id)).xlsx())


async def _responses(organizer: OrganizerIdentity, session_id: int) -> Table:
    survey, _ = await summary_for_organizer(organizer, session_id)
    if survey is None:
        raise NotFoundError(surveys.NOT_OPENED, field="survey")
    session = await session_for_editing(organizer, session_id)
    return await responses_table(session, survey)


def _back(
    request: Request[Any, Any, Any], session_id: int, notice: str, mailed: int | None = None
) -> Redirect:
    path = request.app.route_reverse("organizer_session_survey", session_id=session_id)
    query = f"notice={notice}" + ("" if mailed is None else f"&mailed={mailed}")
    return Redirect(f"{path}?{query}", status_code=HTTP_303_SEE_OTHER)


ROUTES = [OrganizerSurveyQuestions, OrganizerSessionSurvey]
