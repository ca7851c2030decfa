"""The survey's tick for quoting free-text answers in the report: form and API."""

from __future__ import annotations

from typing import Any

import httpx

from events.surveys.surveys import open_survey
from events.tables import SurveyResponse
from tests.events.web.api.test_surveys import body, survey_url
from tests.factories import attendee_token, held_session_with_people, make_organizer
from tests.helpers import form_fields, post_form

LABEL = "自由記述の回答を、氏名・自治体名を伏せて開催レポートに掲載してよい"


async def consents() -> list[bool]:
    rows = await SurveyResponse.select(SurveyResponse.quote_consent).order_by(SurveyResponse.id)
    return [row["quote_consent"] for row in rows]


async def test_the_tick_is_optional_off_by_default_and_kept_when_the_form_comes_back(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    path = f"/a/{attendee_token(people[0])}/survey"
    page = (await client.get(path)).text
    assert f'<label for="quote_consent">{LABEL}</label>' in page
    fields = form_fields(page, path)
    assert "quote_consent" not in fields

    usefulness, understanding, reluctance, next_step, _ = survey.questions.questions
    answers: dict[str, Any] = {
        usefulness.field: "5",
        understanding.field: "4",
        f"{reluctance.field}-before": "4",
        f"{reluctance.field}-after": "2",
        next_step.field: "研修履歴を人事と共有したい",
        "quote_consent": "on",
    }
    refused = await post_form(client, path, {**answers, usefulness.field: ""})
    assert refused.status_code == 422
    assert form_fields(refused.text, path)["quote_consent"] == "on"
    assert await consents() == []

    sent = await post_form(client, path, answers)
    assert sent.status_code == 303
    assert await consents() == [True]

    other = f"/a/{attendee_token(people[1])}/survey"
    without = {key: value for key, value in answers.items() if key != "quote_consent"}
    assert (await post_form(client, other, without)).status_code == 303
    assert await consents() == [True, False]


async def test_the_api_takes_the_tick_and_refuses_a_non_boolean(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    refused = await client.post(
        survey_url(people[0]), json={**body(survey), "quote_consent": "yes"}
    )
    assert refused.status_code == 400
    assert await consents() == []
    given = await client.post(survey_url(people[0]), json={**body(survey), "quote_consent": True})
    assert given.status_code == 201
    assert (await client.post(survey_url(people[1]), json=body(survey))).status_code == 201
    assert await consents() == [True, False]
    schema = (await client.get("/schema/openapi.json")).json()
    field = schema["components"]["schemas"]["SurveySubmitBody"]["properties"]["quote_consent"]
    assert field["type"] == "boolean" and "quoted" in field["description"]
