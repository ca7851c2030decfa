"""JSON API of surveys: submitSurvey by the attendee's link token, results by bearer token."""

from __future__ import annotations

from typing import Any

import httpx

from events.lib.tokens import INVALID_LINK
from events.registrations.attendee_access import REMOVED
from events.surveys.surveys import SurveyView, close_survey, open_survey
from events.tables import OutboxMessage, SurveyAnswer, SurveyResponse
from tests.factories import attendee_token, held_session_with_people, make_organizer
from tests.helpers import bearer

ALREADY = "アンケートにはすでにご回答いただいています。回答は1人1回です。"
CLOSED = "このアンケートは締め切られました。回答の送信はできません。"


def survey_url(person: dict[str, Any]) -> str:
    return f"/api/attendees/{attendee_token(person)}/survey"


def body(survey: SurveyView, usefulness: Any = 5, reluctance: Any = None) -> dict[str, Any]:
    ids = [str(q.id) for q in survey.questions.questions]
    return {
        "answers": {
            ids[0]: usefulness,
            ids[1]: 4,
            ids[2]: reluctance or {"before": 4, "after": 2},
            ids[3]: "研修受講歴を人事と共有したい",
        }
    }


async def counts() -> tuple[int, int]:
    return await SurveyResponse.count(), await SurveyAnswer.count()


async def test_schema_names_every_survey_operation(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {
        operation["operationId"]
        for path, methods in schema["paths"].items()
        if path.endswith("/survey") or "/survey/" in path
        for operation in methods.values()
    }
    assert operations == {
        "getSurvey",
        "submitSurvey",
        "getSurveyResults",
        "openSurvey",
        "closeSurvey",
    }


async def test_attendee_reads_the_questions_with_their_scores(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    response = await client.get(survey_url(people[0]))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    got = response.json()
    assert (got["session"], got["status"], got["answered_at"], got["can_answer"]) == (
        session.id,
        "open",
        None,
        True,
    )
    first = got["questions"][0]
    assert (first["id"], first["kind"], first["levels"][0], first["levels"][-1]) == (
        survey.questions.questions[0].id,
        "scale",
        {"score": 5, "label": "とても役に立った"},
        {"score": 1, "label": "役に立たなかった"},
    )


async def test_submit_survey_stores_the_answers_once(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    response = await client.post(survey_url(people[0]), json=body(survey))
    assert response.status_code == 201
    assert (response.json()["can_answer"], response.json()["answered_at"] is not None) == (
        False,
        True,
    )
    assert await counts() == (1, 4)
    again = await client.post(survey_url(people[0]), json=body(survey, usefulness=1))
    assert again.status_code == 409
    assert again.json() == {
        "error": "conflict",
        "message": ALREADY,
        "fields": [{"field": "status", "message": ALREADY}],
    }
    assert await counts() == (1, 4)


async def test_submit_after_close_is_refused(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    await close_survey(organizer, session.id)
    response = await client.post(survey_url(people[0]), json=body(survey))
    assert response.status_code == 409
    assert (
        response.json()["message"] == "このアンケートは締め切られました。回答の送信はできません。"
    )
    assert await counts() == (0, 0)


async def test_unknown_questions_and_out_of_range_values_are_problems(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    sent = body(survey, usefulness="とても", reluctance={"before": 6, "after": 1})
    sent["answers"]["424242"] = 3
    response = await client.post(survey_url(people[0]), json=sent)
    assert response.status_code == 422
    ids = [q.id for q in survey.questions.questions]
    assert [problem["field"] for problem in response.json()["fields"]] == [
        "answers",
        f"q-{ids[0]}",
        f"q-{ids[2]}-before",
    ]
    assert response.json()["message"] == "質問 424242 はこのアンケートにありません。"
    assert await counts() == (0, 0)


async def test_a_body_of_the_wrong_shape_is_refused(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    sent = body(survey, reluctance={"before": 4, "later": 2})
    response = await client.post(survey_url(people[0]), json=sent)
    assert response.status_code == 400
    assert response.json()["message"] == "リクエストの内容が正しくありません。"
    assert (await client.post(survey_url(people[0]), json={})).status_code == 400
    assert await counts() == (0, 0)


async def test_waitlisted_and_cancelled_attendees_are_refused(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer, capacity=3, cancelled_code="341002")
    survey = await open_survey(organizer, session.id)
    waiting = next(p for p in people if p["status"] == "waitlisted")
    refused = await client.post(survey_url(waiting), json=body(survey))
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    cancelled = next(p for p in people if p["status"] == "cancelled")
    gone = await client.post(survey_url(cancelled), json=body(survey))
    assert (gone.status_code, gone.json()["message"]) == (404, REMOVED)
    malformed = await client.post("/api/attendees/not-a-token/survey", json=body(survey))
    assert (malformed.status_code, malformed.json()["message"]) == (404, INVALID_LINK)
    assert await counts() == (0, 0)


async def test_another_sessions_attendee_cannot_answer_this_survey(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    other_session, others = await held_session_with_people(organizer, codes=("350001",))
    not_open = await client.post(survey_url(others[0]), json=body(survey))
    assert (not_open.status_code, not_open.json()["message"]) == (
        409,
        "この情報交換会のアンケートはまだ始まっていません。",
    )
    await open_survey(organizer, other_session.id)
    foreign = await client.post(survey_url(others[0]), json=body(survey))
    assert foreign.status_code == 422
    assert {problem["field"] for problem in foreign.json()["fields"]} >= {"answers"}
    assert await counts() == (0, 0)


async def test_results_need_the_series_owners_bearer_token(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    await client.post(survey_url(people[0]), json=body(survey))
    url = f"/api/sessions/{session.id}/survey"
    anonymous = await client.get(url)
    assert (anonymous.status_code, anonymous.headers["www-authenticate"]) == (401, "Bearer")
    stranger = await client.get(url, headers=await bearer(await make_organizer()))
    assert (stranger.status_code, stranger.json()["error"]) == (403, "forbidden")
    response = await client.get(url, headers=await bearer(organizer))
    assert response.status_code == 200
    results = response.json()
    assert (results["respondents"], results["attendees_asked"], results["status"]) == (
        1,
        6,
        "open",
    )
    usefulness, _, reluctance, next_step, comment = results["questions"]
    assert [level["count"] for level in usefulness["levels"]] == [1, 0, 0, 0, 0]
    assert usefulness["mean"] == 5.0
    assert reluctance["before_after"]["decreased"] == 1
    assert reluctance["before_after"]["decreased_share"] == 1.0
    assert (next_step["texts"], comment["texts"]) == (["研修受講歴を人事と共有したい"], [])
    assert people[0]["name"] not in response.text


async def test_open_and_close_by_api(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    headers = await bearer(organizer)
    url = f"/api/sessions/{session.id}/survey"
    missing = await client.get(url, headers=headers)
    assert (missing.status_code, missing.json()["message"]) == (
        404,
        "この情報交換会のアンケートはまだ始まっていません。",
    )
    opened = await client.post(f"{url}/open", headers=headers)
    assert (opened.status_code, opened.json()["status"], opened.json()["respondents"]) == (
        200,
        "open",
        0,
    )
    assert await OutboxMessage.count().where(OutboxMessage.kind == "survey_invitation") == 6
    closed = await client.post(f"{url}/close", headers=headers)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    twice = await client.post(f"{url}/close", headers=headers)
    assert twice.status_code == 409
    stranger = await client.post(f"{url}/open", headers=await bearer(await make_organizer()))
    assert stranger.status_code == 403
