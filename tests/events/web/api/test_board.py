"""The board's JSON API: attendee tokens, organizer bearer tokens, structured refusals."""

from __future__ import annotations

import httpx
import pytest

from events.board.posts import BURST_POSTS
from events.sessions.exchange_sessions import get_session
from events.tables import BoardAnswer, BoardModeration, BoardQuestion
from tests.factories import BOARD_CODES, BoardWorld, board_world, make_organizer
from tests.helpers import bearer

OKAYAMA, OKAYAMA_CITY, HIROSHIMA_CITY = BOARD_CODES
QUESTION = {"title": "KPIの測り方", "body": "知識の定着度をどう測っていますか", "themes": ["KPI"]}


@pytest.fixture
async def world() -> BoardWorld:
    return await board_world()


def api(world: BoardWorld, code: str, suffix: str = "/questions") -> str:
    return f"/api/board/{world.tokens[code]}{suffix}"


async def asked(client: httpx.AsyncClient, world: BoardWorld, code: str = OKAYAMA_CITY) -> int:
    response = await client.post(api(world, code), json=QUESTION)
    assert response.status_code == 201
    return int(response.json()["id"])


async def test_operation_ids_are_published(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "listQuestions",
        "askQuestion",
        "answerQuestion",
        "markHelpful",
        "moderatePost",
        "promoteQuestionToTopic",
    } <= ids


async def test_ask_list_answer_and_mark_helpful(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    created = await client.post(api(world, OKAYAMA_CITY), json=QUESTION)
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["status"], body["themes"], body["author"]) == (
        "KPIの測り方",
        "open",
        ["KPI"],
        "岡山県岡山市 デジタル推進課",
    )
    question_id = body["id"]
    answered = await client.post(
        api(world, OKAYAMA, f"/questions/{question_id}/answers"), json={"body": "テストで測定"}
    )
    assert answered.status_code == 201
    assert answered.json()["author"] == "岡山県 デジタル推進課 参加者330001の1"
    listing = await client.get(api(world, HIROSHIMA_CITY), params={"q": "定着"})
    assert listing.status_code == 200
    assert [(q["id"], q["answers"]) for q in listing.json()["questions"]] == [(question_id, 1)]
    path = api(world, OKAYAMA_CITY, f"/answers/{answered.json()['id']}/helpful")
    marked = await client.put(path, json={"resolved": True})
    assert marked.status_code == 200
    assert marked.json() == {"answer": answered.json()["id"], "helpful": True, "status": "resolved"}
    not_asker = await client.put(
        api(world, HIROSHIMA_CITY, f"/answers/{answered.json()['id']}/helpful"), json={}
    )
    assert not_asker.status_code == 403
    assert not_asker.json()["error"] == "forbidden"


async def test_foreign_revoked_and_coordinator_tokens_are_refused_and_change_nothing(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(client, world)
    foreign = await client.post(
        f"/api/board/{world.outsider_token}/questions/{question_id}/answers", json={"body": "x"}
    )
    assert foreign.status_code == 404
    assert foreign.json()["error"] == "not_found"
    assert (await client.get(f"/api/board/{world.outsider_token}/questions")).json()[
        "questions"
    ] == []
    never_attended = await client.post(
        f"/api/board/{world.outsider_token}/questions", json={**QUESTION, "series": world.series_id}
    )
    assert never_attended.status_code == 403
    assert never_attended.json()["fields"][0]["field"] == "series"
    for token in (world.coordinator_tokens[OKAYAMA], "A" * 32, "revoked"):
        refused = await client.get(f"/api/board/{token}/questions")
        assert refused.status_code == 404
    assert (await BoardQuestion.count(), await BoardAnswer.count()) == (1, 0)


async def test_empty_oversized_and_flooding_posts_are_refused(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    empty = await client.post(api(world, OKAYAMA), json={"title": "", "body": " "})
    assert empty.status_code == 422
    assert [f["field"] for f in empty.json()["fields"]] == ["title", "body"]
    oversized = await client.post(api(world, OKAYAMA), json={"title": "件名", "body": "あ" * 4001})
    assert oversized.status_code == 422
    assert await BoardQuestion.count() == 0
    for _ in range(BURST_POSTS):
        await asked(client, world, OKAYAMA)
    flooded = await client.post(api(world, OKAYAMA), json=QUESTION)
    assert flooded.status_code == 429
    assert flooded.json()["error"] == "rate_limited"
    assert await BoardQuestion.count() == BURST_POSTS


async def test_moderation_needs_the_series_organizers_bearer_token(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(client, world)
    path = f"/api/series/{world.series_id}/board/moderation"
    hide = {"question": question_id, "action": "hide", "reason": "重複"}
    assert (await client.post(path, json=hide)).status_code == 401
    stranger = await client.post(path, json=hide, headers=await bearer(await make_organizer()))
    assert stranger.status_code == 403
    assert await BoardModeration.count() == 0
    headers = await bearer(world.organizer)
    bad = await client.post(
        path, json={"question": question_id, "action": "delete"}, headers=headers
    )
    assert bad.status_code == 422
    done = await client.post(path, json=hide, headers=headers)
    assert done.status_code == 200
    assert done.json() == {"question": question_id, "answer": None, "action": "hide"}
    assert (await client.get(api(world, OKAYAMA))).json()["questions"] == []
    again = await client.post(path, json=hide, headers=headers)
    assert again.status_code == 409


async def test_promote_question_to_topic_of_the_next_session(
    client: httpx.AsyncClient, world: BoardWorld
) -> None:
    question_id = await asked(client, world)
    path = f"/api/series/{world.series_id}/board/questions/{question_id}/promote"
    headers = await bearer(world.organizer)
    response = await client.post(path, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["session"] == world.next_session_id
    agenda = (await get_session(world.next_session_id)).agenda
    assert (agenda[-1].id, agenda[-1].title, agenda[-1].kind) == (
        body["segment"],
        "KPIの測り方",
        "discussion",
    )
    twice = await client.post(path, headers=headers)
    assert twice.status_code == 409
    assert twice.json()["error"] == "conflict"
