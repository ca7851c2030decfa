"""Organizer pages and JSON API of group assignment: forms, exports, and who may use them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from events.accounts.organizers import OrganizerIdentity
from events.groups.assignments import assign_groups
from events.organizing.session_actions import publish_groups
from events.sessions.exchange_sessions import ExchangeSessionView
from events.tables import GroupAssignment, GroupSeat, OutboxMessage
from tests.factories import (
    SEED_MUNICIPALITIES,
    attendee_input,
    make_organizer,
    published_session,
    register_delegation,
)
from tests.helpers import bearer, post_form, sign_in


async def setup(
    codes: tuple[str, ...] = SEED_MUNICIPALITIES[:4],
) -> tuple[OrganizerIdentity, ExchangeSessionView, list[dict[str, Any]]]:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, codes)
    people: list[dict[str, Any]] = []
    for code in codes:
        people += await register_delegation(accesses[code])
    return organizer, session, people


def groups_path(session_id: int, tail: str = "") -> str:
    return f"/organizer/sessions/{session_id}/groups{tail}"


async def test_review_page_offers_the_assign_form_before_any_assignment(
    client: httpx.AsyncClient,
) -> None:
    organizer, session, _ = await setup()
    await sign_in(client, organizer.email)
    response = await client.get(groups_path(session.id))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<label for="min_group_size">グループの最小人数</label>' in body
    # The number that repeats a run is for the few who need it: folded away, named in words.
    folded = body[body.index('<details class="field">') : body.index("</details>")]
    assert "<summary>詳細な設定</summary>" in folded
    assert 'id="seed" name="seed" type="number"' in folded
    assert 'aria-describedby="seed-hint"' in folded
    assert "シード" not in body
    assert "割り当て結果" not in body


async def test_assigning_from_the_form_shows_groups_reasons_and_the_score(
    client: httpx.AsyncClient,
) -> None:
    organizer, session, people = await setup()
    await sign_in(client, organizer.email)
    form = {"min_group_size": "2", "max_group_size": "2", "seed": "5", "mode": "tracks"}
    response = await post_form(client, groups_path(session.id, "/assign"), form)
    assert response.status_code == 303
    assert response.headers["location"] == groups_path(session.id)
    body = (await client.get(groups_path(session.id))).text
    assert '<h3 id="group-' in body
    assert "人事部門との連携 – グループA" in body or "期待する効果とKPI – グループA" in body
    assert (
        "これまでの会で同じグループになったことのない自治体どうしの組合せは、"
        "全体の 100% です（くじ引きで分けた場合は 100%）。"
    ) in body
    assert "<summary>詳細</summary>" in body
    assert "新しい組合せ 1</li>" in body
    assert "計画段階: 計画策定済 0・策定中 2・未着手 0" in body
    for person in people:
        assert person["name"] in body
        assert f'<label class="visually-hidden" for="target-{person["id"]}">' in body
    assert await GroupSeat.count() == 4


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"min_group_size": "x", "max_group_size": "4"},
            "min_group_size",
            "半角の整数で入力してください。",
        ),
        (
            {"min_group_size": "5", "max_group_size": "4"},
            "min_group_size",
            "グループの最小人数（5 人）が最大人数（4 人）を超えています。",
        ),
        (
            {"min_group_size": "2", "max_group_size": "4", "seed": "-3"},
            "seed",
            "再現用の番号は 0〜2147483647 の整数にしてください。",
        ),
    ],
)
async def test_bad_form_input_is_shown_with_the_form_and_nothing_is_saved(
    client: httpx.AsyncClient, form: dict[str, str], field: str, message: str
) -> None:
    organizer, session, _ = await setup()
    await sign_in(client, organizer.email)
    response = await post_form(client, groups_path(session.id, "/assign"), form)
    assert response.status_code == 422
    body = response.text
    assert '<div class="error-summary" role="alert">' in body
    assert f'<li id="error-1"><a href="#{field}">{message}</a></li>' in body
    assert f'id="{field}" name="{field}"' in body
    tag = body[body.index(f'id="{field}" name="{field}"') :].split(">", 1)[0]
    assert 'aria-invalid="true"' in tag
    assert "error-1" in tag
    assert (await GroupAssignment.count(), await GroupSeat.count()) == (0, 0)


async def test_moving_locking_and_publishing_from_the_page(client: httpx.AsyncClient) -> None:
    organizer, session, people = await setup()
    view = await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    topic = next(t for t in view.topics if t.groups)
    await sign_in(client, organizer.email)
    mover = topic.groups[0].members[0]
    moved = await post_form(
        client,
        groups_path(session.id, "/moves"),
        {"attendee_id": str(mover.id), "target": f"{topic.id}:{topic.next_group_number}"},
    )
    assert moved.status_code == 303
    page = (await client.get(groups_path(session.id))).text
    assert f'<h3 id="group-{topic.id}-{topic.next_group_number}">' in page
    assert (await post_form(client, groups_path(session.id, "/lock"))).status_code == 303
    page = (await client.get(groups_path(session.id))).text
    assert "確定（未公開）" in page
    assert f'action="/organizer/sessions/{session.id}/groups/assign"' not in page
    published = await post_form(client, groups_path(session.id, "/publish"), {"confirm": "1"})
    assert published.status_code == 303
    kinds = await OutboxMessage.select(OutboxMessage.kind).where(
        OutboxMessage.kind == "group_assigned"
    )
    assert len(kinds) == len(people)
    assert "公開済み" in (await client.get(groups_path(session.id))).text


async def test_a_move_of_a_stranger_is_refused_on_the_page(client: httpx.AsyncClient) -> None:
    organizer, session, _ = await setup()
    _, _, others = await setup(SEED_MUNICIPALITIES[4:6])
    view = await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    topic = next(t for t in view.topics if t.groups)
    await sign_in(client, organizer.email)
    response = await post_form(
        client,
        groups_path(session.id, "/moves"),
        {"attendee_id": str(others[0]["id"]), "target": f"{topic.id}:1"},
    )
    assert response.status_code == 422
    expected = f"参加者 {others[0]['id']} はこの情報交換会の参加者ではありません。"
    assert expected in response.text
    assert await GroupSeat.count() == 4


async def test_zoom_csv_has_exactly_the_two_columns_zoom_reads(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, SEED_MUNICIPALITIES[:2])
    hr = session.discussions[0].id
    assert hr is not None
    for code in SEED_MUNICIPALITIES[:2]:
        await register_delegation(accesses[code], attendee_input(code, topic_preferences=(hr,)))
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await sign_in(client, organizer.email)
    response = await client.get(groups_path(session.id, "/zoom.csv"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="zoom-breakout-rooms-session-{session.id}.csv"'
    )
    assert response.content.decode("utf-8") == (
        "\ufeffPre-assign Room Name,Email Address\r\n"
        "人事部門との連携 – グループA,p1.330001@example.lg.jp\r\n"
        "人事部門との連携 – グループA,p1.331007@example.lg.jp\r\n"
    )


async def test_group_sheet_lists_points_and_members_for_printing(client: httpx.AsyncClient) -> None:
    organizer, session, _ = await setup()
    view = await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    topic = next(t for t in view.topics if t.groups)
    await sign_in(client, organizer.email)
    response = await client.get(groups_path(session.id, f"/{topic.id}/sheet"))
    assert response.status_code == 200
    body = response.text
    assert f"<h1>{topic.title}" in body
    for point in topic.points:
        assert f"<li>{point}</li>" in body
    for group in topic.groups:
        assert f">{group.label}</h2>" in body
        for member in group.members:
            assert f"<tr><td>{member.name}</td><td>{member.municipality_name}</td>" in body
    missing = await client.get(groups_path(session.id, "/999999/sheet"))
    assert missing.status_code == 404


PAGE_ROUTES = [
    ("GET", ""),
    ("POST", "/assign"),
    ("POST", "/moves"),
    ("POST", "/lock"),
    ("POST", "/publish"),
    ("GET", "/zoom.csv"),
    ("GET", "/{topic}/sheet"),
]


@pytest.mark.parametrize(("method", "tail"), PAGE_ROUTES)
async def test_every_organizer_page_needs_the_sessions_organizer(
    client: httpx.AsyncClient, method: str, tail: str
) -> None:
    organizer, session, _ = await setup()
    view = await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    path = groups_path(session.id, tail.format(topic=view.topics[0].id))
    form = {"min_group_size": "2", "max_group_size": "2", "attendee_id": "1", "target": "1:1"}
    anonymous = await (client.get(path) if method == "GET" else post_form(client, path, form))
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    stranger = await make_organizer()
    await sign_in(client, stranger.email)
    refused = await (client.get(path) if method == "GET" else post_form(client, path, form))
    assert refused.status_code == 403
    assert "このシリーズを操作する権限がありません。" in refused.text
    assert await GroupAssignment.select(GroupAssignment.state).first() == {"state": "draft"}
    assert await OutboxMessage.count().where(OutboxMessage.kind == "group_assigned") == 0


async def test_form_posts_need_the_csrf_token(client: httpx.AsyncClient) -> None:
    organizer, session, _ = await setup()
    await sign_in(client, organizer.email)
    response = await client.post(
        groups_path(session.id, "/assign"), data={"min_group_size": "2", "max_group_size": "2"}
    )
    assert response.status_code == 403
    assert await GroupAssignment.count() == 0


def api_path(session_id: int, tail: str = "") -> str:
    return f"/api/sessions/{session_id}/assignment{tail}"


async def test_api_assigns_moves_and_publishes(client: httpx.AsyncClient) -> None:
    organizer, session, people = await setup()
    headers = await bearer(organizer)
    body = {"min_group_size": 2, "max_group_size": 2, "seed": 9, "mode": "tracks"}
    created = await client.post(api_path(session.id), json=body, headers=headers)
    assert created.status_code == 200
    data = created.json()
    assert (data["state"], data["mode"], data["seed"]) == ("draft", "tracks", 9)
    assert data["score"]["new_pair_ratio"] == 1.0
    assert data["score"]["random_baseline_new_pair_ratio"] is not None
    topic = next(t for t in data["topics"] if t["groups"])
    group = topic["groups"][0]
    assert group["label"] == f"{topic['title']} – グループA"
    assert set(group["reasons"]["stages"]) == {"adopted", "drafting", "not_started"}
    assert group["reasons"]["new_pairs"] == 1
    assert sorted(a["id"] for t in data["topics"] for g in t["groups"] for a in g["attendees"]) == [
        p["id"] for p in people
    ]
    fetched = await client.get(api_path(session.id), headers=headers)
    assert fetched.json() == data
    mover = group["attendees"][0]["id"]
    move = {"attendee_id": mover, "topic_id": topic["id"], "group": 2}
    moved = await client.post(api_path(session.id, "/moves"), json=move, headers=headers)
    assert moved.status_code == 200
    after = next(t for t in moved.json()["topics"] if t["id"] == topic["id"])
    assert [[a["id"] for a in g["attendees"]] for g in after["groups"]] == [
        [a["id"] for a in group["attendees"][1:]],
        [mover],
    ]
    published = await client.post(api_path(session.id, "/publish"), headers=headers)
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    assert published.json()["changed_since_publication"] == []


async def test_api_assigns_in_rounds_and_moves_within_one_round(
    client: httpx.AsyncClient,
) -> None:
    organizer, session, people = await setup()
    headers = await bearer(organizer)
    body = {"min_group_size": 2, "max_group_size": 2, "seed": 4, "mode": "rounds"}
    created = await client.post(api_path(session.id), json=body, headers=headers)
    assert created.status_code == 200
    data = created.json()
    assert data["mode"] == "rounds"
    assert [(t["round"], t["plenary"], t["unassigned"]) for t in data["topics"]] == [
        (1, False, []),
        (2, False, []),
    ]
    everyone = sorted(p["id"] for p in people)
    for topic in data["topics"]:
        assert sorted(a["id"] for g in topic["groups"] for a in g["attendees"]) == everyone
    assert data["score"]["again_in_session"] == 0
    assert data["score"]["random_baseline_again_in_session"] is not None
    first, second = data["topics"]
    mover = second["groups"][0]["attendees"][0]["id"]
    move = {"attendee_id": mover, "topic_id": second["id"], "group": 3}
    moved = await client.post(api_path(session.id, "/moves"), json=move, headers=headers)
    assert moved.status_code == 200
    after_first, after_second = moved.json()["topics"]
    assert after_first["groups"] == first["groups"]
    assert [[a["id"] for a in g["attendees"]] for g in after_second["groups"]][2] == [mover]
    wrong = await client.post(api_path(session.id), json={**body, "mode": "both"}, headers=headers)
    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": "invalid",
        "message": "リクエストの内容が正しくありません。",
        "fields": [{"field": "mode", "message": "Invalid enum value 'both'"}],
    }
    assert (await client.get(api_path(session.id), headers=headers)).json() == moved.json()


async def test_api_bad_input_gets_a_json_error_and_nothing_is_saved(
    client: httpx.AsyncClient,
) -> None:
    organizer, session, _ = await setup()
    headers = await bearer(organizer)
    body = {"min_group_size": 5, "max_group_size": 4}
    response = await client.post(api_path(session.id), json=body, headers=headers)
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "message": "グループの最小人数（5 人）が最大人数（4 人）を超えています。",
        "fields": [
            {
                "field": "min_group_size",
                "message": "グループの最小人数（5 人）が最大人数（4 人）を超えています。",
            }
        ],
    }
    missing = await client.get(api_path(session.id), headers=headers)
    assert missing.status_code == 404
    assert missing.json()["message"] == "この情報交換会にはまだグループの割り当てがありません。"
    assert await GroupAssignment.count() == 0


API_ROUTES = [
    ("POST", "", {"min_group_size": 2, "max_group_size": 2}),
    ("GET", "", None),
    ("POST", "/moves", {"attendee_id": 1, "topic_id": 1, "group": 1}),
    ("POST", "/publish", None),
]


@pytest.mark.parametrize(("method", "tail", "body"), API_ROUTES)
async def test_every_api_operation_needs_the_sessions_organizer(
    client: httpx.AsyncClient, method: str, tail: str, body: dict[str, int] | None
) -> None:
    organizer, session, _ = await setup()
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    path = api_path(session.id, tail)
    anonymous = await client.request(method, path, json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    stranger = await make_organizer()
    refused = await client.request(method, path, json=body, headers=await bearer(stranger))
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    # A signed-in browser is no bearer token.
    await sign_in(client, organizer.email)
    assert (await client.request(method, path, json=body)).status_code == 401
    assert await GroupAssignment.select(GroupAssignment.state).first() == {"state": "draft"}


async def test_api_operation_ids_are_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {
        op["operationId"]
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {"assignGroups", "getAssignment", "moveAttendee", "publishAssignment"} <= operations


async def test_publishing_twice_through_the_domain_is_quiet(client: httpx.AsyncClient) -> None:
    organizer, session, _ = await setup()
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    headers = await bearer(organizer)
    again = await client.post(api_path(session.id, "/publish"), headers=headers)
    assert again.status_code == 200
    assert await OutboxMessage.count().where(OutboxMessage.kind == "group_assigned") == 4


async def test_publishing_groups_asks_first_then_says_how_many_are_told(
    client: httpx.AsyncClient,
) -> None:
    organizer, session, _ = await setup()
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await sign_in(client, organizer.email)
    review = (await client.get(groups_path(session.id))).text
    publish = groups_path(session.id, "/publish")
    assert f'<a class="button" href="{publish}">公開して参加者に通知する</a>' in review

    question = await client.get(publish)
    assert question.status_code == 200
    assert "公開すると、4人に、入ったグループをメールでお知らせします。" in question.text

    unconfirmed = await post_form(client, publish, {})
    assert unconfirmed.status_code == 400
    assert "公開してよいか確認のうえ、チェックを入れてください。" in unconfirmed.text
    assert await OutboxMessage.count().where(OutboxMessage.kind == "group_assigned") == 0
    assignment = await GroupAssignment.select(GroupAssignment.state).first()
    assert assignment is not None and assignment["state"] == "draft"

    published = await post_form(client, publish, {"confirm": "1"})
    assert published.headers["location"] == f"{groups_path(session.id)}?notice=published&mailed=4"
    assert await OutboxMessage.count().where(OutboxMessage.kind == "group_assigned") == 4
    page = (await client.get(published.headers["location"])).text
    assert "グループを公開しました。4人に、入ったグループをメールでお知らせします（4通）。" in page

    nothing_changed = await client.get(publish)
    assert "公開してもメールは送られません。" in nothing_changed.text
