"""Public network pages and API: sessions, peers, practices, suggestions, the region picture."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest

from events.accounts.organizers import OrganizerIdentity
from events.groups.assignments import assign_groups
from events.organizing.session_actions import publish_groups, transition
from events.registrations.registrations import cancel
from events.sessions.lifecycle import Transition
from tests.factories import (
    SEED_MUNICIPALITIES,
    attendee_input,
    future_weekday,
    make_organizer,
    published_session,
    register_delegation,
)

OKAYAMA, OKAYAMA_CITY, HIROSHIMA_CITY, SHIMANE, YAMAGUCHI, KAGAWA, KOCHI = SEED_MUNICIPALITIES
ANSWER = "職員向けにUdemy Businessの講座一覧を配布\n通勤中に聴ける講座も紹介"


async def held_session(organizer: OrganizerIdentity) -> tuple[Any, list[dict[str, Any]]]:
    """岡山県 (plan adopted), 岡山市, 広島市, 島根県 met in pairs; then the session was held."""
    session, accesses = await published_session(organizer, SEED_MUNICIPALITIES[:4])
    hr = session.discussions[0].id
    item_id, _ = session.sharing_items[0]
    people: list[dict[str, Any]] = []
    for code in SEED_MUNICIPALITIES[:4]:
        person = attendee_input(code, topic_preferences=(hr,), share_contact=True)
        people += await register_delegation(
            accesses[code],
            person,
            plan_status="adopted" if code == OKAYAMA else "drafting",
            answers={item_id: ANSWER} if code == OKAYAMA else None,
        )
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    await transition(
        organizer, session.id, Transition.MARK_HELD, now=session.starts_at + dt.timedelta(hours=3)
    )
    return session, people


async def upcoming_with(organizer: OrganizerIdentity, code: str, **options: Any) -> list[Any]:
    """A later session where `code` registered, wanting the HR topic."""
    session, accesses = await published_session(
        organizer, (code,), starts_at=future_weekday(days_ahead=60)
    )
    hr = session.discussions[0].id
    return await register_delegation(
        accesses[code], attendee_input(code, topic_preferences=(hr,)), **options
    )


def assert_no_people(text: str, people: list[dict[str, Any]]) -> None:
    for person in people:
        assert person["name"] not in text
        assert person["email"] not in text


async def test_municipality_network_page_shows_sessions_peers_practices_and_no_people(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, people = await held_session(organizer)
    response = await client.get(f"/municipalities/{OKAYAMA}/network")
    assert response.status_code == 200
    body = response.text
    assert "<h1>岡山県の交流ネットワーク</h1>" in body
    assert "<dd>計画策定済</dd>" in body
    assert f'<a href="/sessions/{session.id}">第3回 情報交換会</a>' in body
    peers = re.findall(r'<a href="/municipalities/(\d{6})/network">([^<]+)</a></td>', body)
    assert len(peers) == 1
    assert peers[0][0] in SEED_MUNICIPALITIES[1:4]
    assert "<td>1 回</td>" in body
    assert "<dt>DX推進計画</dt>" in body
    assert f'<dd class="multiline">{ANSWER}</dd>' in body
    assert_no_people(body, people)


async def test_suggestions_are_unmet_peers_with_shared_topics_or_a_plan_ahead(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    _, people = await held_session(organizer)
    people += await upcoming_with(organizer, KOCHI)
    data = (await client.get(f"/api/municipalities/{OKAYAMA_CITY}/network")).json()
    # With seed 1, 岡山市 met 島根県; the others it has not met yet.
    assert [peer["code"] for peer in data["peers"]] == [SHIMANE]
    hr = ["人事部門との連携"]
    assert data["suggestions"] == [
        {
            "code": OKAYAMA,
            "name": "岡山県",
            "shared_topics": hr,
            "plan_status": "adopted",
            "is_ahead": True,
        },
        {
            "code": HIROSHIMA_CITY,
            "name": "広島県広島市",
            "shared_topics": hr,
            "plan_status": "drafting",
            "is_ahead": False,
        },
        {
            "code": KOCHI,
            "name": "高知県",
            "shared_topics": hr,
            "plan_status": "drafting",
            "is_ahead": False,
        },
    ]
    page = (await client.get(f"/municipalities/{OKAYAMA_CITY}/network")).text
    assert '<a href="/municipalities/390003/network">高知県</a>' in page
    assert "同じテーマを希望: 人事部門との連携" in page
    assert_no_people(page, people)


async def test_the_plan_stage_shown_is_the_one_given_for_the_latest_session(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    await held_session(organizer)  # 岡山県 said "adopted" there
    _, accesses = await published_session(
        organizer, (OKAYAMA,), starts_at=future_weekday(days_ahead=60)
    )
    await register_delegation(accesses[OKAYAMA], plan_status="not_started")
    page = (await client.get(f"/municipalities/{OKAYAMA}/network")).text
    assert "<dd>未着手</dd>" in page
    data = (await client.get(f"/api/municipalities/{OKAYAMA_CITY}/network")).json()
    # Now behind 岡山市 ("drafting"): a shared topic still suggests it, no longer as ahead.
    [okayama] = [s for s in data["suggestions"] if s["code"] == OKAYAMA]
    assert (okayama["plan_status"], okayama["is_ahead"]) == ("not_started", False)
    await cancel(accesses[OKAYAMA])
    page = (await client.get(f"/municipalities/{OKAYAMA}/network")).text
    assert "<dd>計画策定済</dd>" in page


async def test_municipality_network_api_is_public_and_personal_data_free(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, people = await held_session(organizer)
    response = await client.get(f"/api/municipalities/{OKAYAMA}/network")
    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["name"], data["plan_status"]) == (OKAYAMA, "岡山県", "adopted")
    assert [s["id"] for s in data["sessions"]] == [session.id]
    assert data["practices"] == [
        {
            "session_id": session.id,
            "session_title": "第3回 情報交換会",
            "item": "DX推進計画",
            "answer": ANSWER,
        }
    ]
    assert [peer["times"] for peer in data["peers"]] == [1]
    assert_no_people(response.text, people)


async def test_a_municipality_without_history_has_empty_lists(client: httpx.AsyncClient) -> None:
    data = (await client.get(f"/api/municipalities/{KOCHI}/network")).json()
    assert data == {
        "code": KOCHI,
        "name": "高知県",
        "plan_status": None,
        "sessions": [],
        "peers": [],
        "practices": [],
        "suggestions": [],
    }
    page = (await client.get(f"/municipalities/{KOCHI}/network")).text
    assert "開催済みの情報交換会への参加はまだありません。" in page


@pytest.mark.parametrize("path", ["/municipalities/123456/network", "/regions/atlantis/network"])
async def test_unknown_municipality_or_region_is_a_404_page(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 404


async def test_unknown_code_in_the_api_is_a_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/municipalities/123456/network")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_region_network_draws_an_accessible_svg_with_a_table_and_no_people(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, people = await held_session(organizer)
    response = await client.get("/regions/chushikoku/network")
    assert response.status_code == 200
    body = response.text
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" class="network" viewBox="0 0 640.0 640.0" '
        'role="img" aria-labelledby="network-title network-desc">'
    ) in body
    assert '<title id="network-title">中四国の交流ネットワーク図</title>' in body
    assert "4 団体が描かれ、同じグループになった 2 組の自治体が線で結ばれています。" in body
    assert body.count('<line class="network__link"') == 2
    assert body.count('<circle class="network__node"') == 4
    for name in ("岡山県", "岡山県岡山市", "広島県広島市", "島根県"):
        assert f">{name}</text>" in body
        assert f">{name}</a></td>" in body
    rows = re.findall(r"<tr><td><a href=\"/municipalities/\d{6}/network\">", body)
    assert len(rows) == 2
    assert re.search(
        rf'<a href="/sessions/{session.id}">第3回 情報交換会</a></td><td>[^<]+</td><td>2 組</td>',
        body,
    )
    assert_no_people(body, people)


async def test_a_region_with_no_encounters_says_so(client: httpx.AsyncClient) -> None:
    body = (await client.get("/regions/hokkaido/network")).text
    assert "この地域ではまだ交流の記録がありません。" in body
    assert "<svg" not in body


async def test_municipality_page_links_to_its_network(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"/municipalities/{OKAYAMA}")).text
    assert f'<a href="/municipalities/{OKAYAMA}/network">' in body


async def test_network_api_has_its_operation_id(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/api/municipalities/{code}/network"]["get"]
    assert operation["operationId"] == "getMunicipalityNetwork"
    assert "security" not in operation
