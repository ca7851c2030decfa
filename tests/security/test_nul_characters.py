"""NUL characters, which PostgreSQL cannot store, are refused alike on both engines."""

from __future__ import annotations

import httpx
import pytest

from events.tables import Series
from tests.helpers import csrf_token, post_form, registration_counts
from tests.security.test_authorisation_matrix import fingerprint
from tests.security.world import CODE_A, build_world


async def test_json_bodies_with_nul_are_refused_and_change_nothing(
    client: httpx.AsyncClient,
) -> None:
    world = await build_world()
    owner = {"authorization": f"Bearer {world.api_tokens['owner']}"}
    before = await fingerprint()
    series = await client.post(
        "/api/series", json={"title": "t\x00", "region": "chushikoku"}, headers=owner
    )
    person = {"name": "a\x00b", "department": "d", "position": "staff", "email": "x@ex.lg.jp"}
    registration = await client.put(
        f"/api/invitations/{world.coordinator_tokens[CODE_A]}/registration",
        json={"plan_status": "drafting", "attendees": [person]},
    )
    for response in (series, registration):
        assert response.status_code == 400
        assert response.json() == {
            "error": "invalid",
            "message": "リクエストの内容が正しくありません。",
            "fields": [],
        }
    assert await fingerprint() == before
    assert await Series.count() == 2


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/login", {"email": "a\x00@example.jp", "password": "x"}),
        (
            "/sessions/{session_id}/join",
            {"code": "350001", "contact_email": "a@b.jp", "message": "x\x00"},
        ),
    ],
)
async def test_forms_with_nul_are_refused_and_change_nothing(
    client: httpx.AsyncClient, path: str, fields: dict[str, str]
) -> None:
    world = await build_world()
    before = (await fingerprint(), await registration_counts())
    response = await post_form(client, path.format(session_id=world.session_id), fields)
    assert response.status_code == 400
    assert "リクエストの内容が正しくありません。" in response.text
    assert (await fingerprint(), await registration_counts()) == before


async def test_multipart_form_fields_with_nul_are_refused(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        files={"_csrf_token": (None, token), "email": (None, "a\x00@example.jp")},
    )
    assert response.status_code == 400


async def test_nul_in_paths_and_queries(client: httpx.AsyncClient) -> None:
    world = await build_world()
    for path in ("/municipalities/33%0001", "/api/municipalities/%00/network"):
        assert (await client.get(path)).status_code == 404, path
    for path in ("/sessions?region=%00", "/municipalities?q=%00"):
        response = await client.get(path)
        assert response.status_code == 400, path
    # Link tokens keep their own answer for every bad link.
    assert (await client.get(f"/r/{'%00' * 3}")).status_code == 404
    assert (await client.get(f"/sessions/{world.session_id}")).status_code == 200
