"""JSON API of surveys: attendees answer by their personal link token, organizers read results."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from events.accounts.organizers import OrganizerIdentity
from events.lib.errors import NotFoundError
from events.registrations.attendee_access import attendee_by_token
from events.surveys import surveys
from events.surveys.answers import submit_survey, survey_for_attendee
from events.surveys.results import summary_for_organizer
from events.web.api.schemas.surveys import (
    SurveyOut,
    SurveyResultsOut,
    SurveySubmitBody,
    answer_inputs,
    results_out,
    survey_out,
)
from events.web.auth import NO_STORE, api_organizer


class AttendeeSurveyApi(Controller):
    """No bearer token here: the attendee's personal link token is the credential."""

    path = "/api/attendees/{token:str}/survey"
    tags = ["surveys"]  # noqa: RUF012
    cache_control = NO_STORE

    @get("/", operation_id="getSurvey", summary="The survey's questions and my answer state")
    async def get(self, token: FromPath[str]) -> SurveyOut:
        state = await survey_for_attendee(await attendee_by_token(token))
        if state.survey is None:
            raise NotFoundError(surveys.NOT_OPENED, field="survey")
        return survey_out(state.survey, state.answered_at)

    @post(
        "/",
        operation_id="submitSurvey",
        summary="Answer the survey once (answers keyed by question id)",
        status_code=201,
    )
    async def submit(self, token: FromPath[str], data: JSONBody[SurveySubmitBody]) -> SurveyOut:
        access = await attendee_by_token(token)
        await submit_survey(access, answer_inputs(data), quote_consent=data.quote_consent)
        state = await survey_for_attendee(access)
        if state.survey is None:
            raise NotFoundError(surveys.NOT_OPENED, field="survey")
        return survey_out(state.survey, state.answered_at)


class SurveyResultsApi(Controller):
    path = "/api/sessions/{session_id:int}/survey"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["surveys"]  # noqa: RUF012
    cache_control = NO_STORE

    @get("/", operation_id="getSurveyResults", summary="Counts, means, before/after and texts")
    async def results(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SurveyResultsOut:
        return await _results(organizer, session_id)

    @post(
        "/open", operation_id="openSurvey", summary="Open and mail every attendee", status_code=200
    )
    async def open(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SurveyResultsOut:
        await surveys.open_survey(organizer, session_id)
        return await _results(organizer, session_id)

    @post("/close", operation_id="closeSurvey", summary="Take no more answers", status_code=200)
    async def close(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> SurveyResultsOut:
        await surveys.close_survey(organizer, session_id)
        return await _results(organizer, session_id)


async def _results(organizer: OrganizerIdentity, session_id: int) -> SurveyResultsOut:
    _, summary = await summary_for_organizer(organizer, session_id)
    if summary is None:
        raise NotFoundError(surveys.NOT_OPENED, field="survey")
    return results_out(summary)


ROUTES = [AttendeeSurveyApi, SurveyResultsApi]
