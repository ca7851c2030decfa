"""Numbers no row can have (beyond the 32-bit id columns) are "not found", never a crash."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import bearer, post_form, signed_in_organizer

HUGE = str(2**80)
BEYOND_INT4 = str(2**31)


@pytest.mark.parametrize("number", [HUGE, BEYOND_INT4, f"-{HUGE}"])
async def test_pages_with_impossible_ids_are_not_found(
    client: httpx.AsyncClient, number: str
) -> None:
    organizer = await signed_in_organizer(client)
    for path in (
        f"/sessions/{number}",
        f"/sessions/{number}/calendar.ics",
        f"/organizer/sessions/{number}",
        f"/organizer/polls/{number}",
        f"/organizer/sessions/{number}/groups/{number}/sheet",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "お探しのページは見つかりませんでした。" in response.text
    response = await post_form(client, f"/organizer/polls/{number}/close")
    assert response.status_code == 404
    api = await client.get(f"/api/sessions/{number}", headers=await bearer(organizer))
    assert api.status_code == 404
    assert api.json()["error"] == "not_found"


@pytest.mark.parametrize("number", [HUGE, BEYOND_INT4])
async def test_impossible_ids_in_queries_and_bodies_are_refused_cleanly(
    client: httpx.AsyncClient, number: str
) -> None:
    organizer = await signed_in_organizer(client)
    headers = await bearer(organizer)
    page = await client.get(f"/organizer/sessions/new?series={number}")
    assert page.status_code in {400, 403, 404}
    listing = await client.get(f"/api/sessions?series={number}", headers=headers)
    assert listing.status_code in {200, 400, 404}
    created = await client.post(
        "/api/sessions", headers=headers, json={"series_id": int(number), "title": "x"}
    )
    assert created.status_code in {400, 403, 404, 422}
    assert created.json()["error"]
