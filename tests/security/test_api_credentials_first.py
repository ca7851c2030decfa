"""The organizer API checks credentials before it reads or judges a body."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import bearer, signed_in_organizer
from tests.security.route_access import EXPECTATIONS, ORGANIZERS, OWNER
from tests.security.routes import fill

ORGANIZER_API = [
    key
    for key, expect in EXPECTATIONS.items()
    if " /api/" in key and expect.allowed in (ORGANIZERS, OWNER)
]
PARAMS = {"session_id": "1", "poll_id": "1"}


def test_the_organizer_api_is_found() -> None:
    assert "POST /api/sessions" in ORGANIZER_API
    assert "PATCH /api/sessions/{session_id}" in ORGANIZER_API


@pytest.mark.parametrize("key", ORGANIZER_API)
async def test_a_call_without_a_token_is_unauthorised_whatever_its_body(
    client: httpx.AsyncClient, key: str
) -> None:
    method, template = key.split(" ", 1)
    path = fill(template, PARAMS)
    await signed_in_organizer(client)  # a login cookie is no API credential
    for body in (b"{not json", b'{"title": 12, "codes": "x", "slot": "?"}', b"[]"):
        response = await client.request(
            method, path, content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 401, f"{method} {path} {body!r}"
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"] == "unauthorized"


async def test_with_a_token_the_body_is_judged(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    response = await client.post(
        "/api/sessions", content=b"{not json", headers=await bearer(organizer)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
