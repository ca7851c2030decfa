"""Public pages come from memory until public data changes; cookies stay per visitor."""

from __future__ import annotations

import httpx

from events.lifecycle import Transition
from events.session_actions import transition, update_session
from tests.factories import make_organizer, make_session


async def test_second_visit_is_served_with_the_same_etag(client: httpx.AsyncClient) -> None:
    first = await client.get("/municipalities")
    second = await client.get("/municipalities")
    assert first.status_code == second.status_code == 200
    assert first.headers["etag"] == second.headers["etag"]
    assert first.text == second.text


async def test_matching_etag_gets_304_without_a_body(client: httpx.AsyncClient) -> None:
    etag = (await client.get("/sessions")).headers["etag"]
    revalidated = await client.get("/sessions", headers={"if-none-match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag


async def test_a_committed_change_shows_at_once(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer, title="第1回")
    await transition(organizer, session.id, Transition.PUBLISH)
    assert "第1回" in (await client.get(f"/sessions/{session.id}")).text
    await update_session(organizer, session.id, {"title": "第1回（改題）"})
    assert "第1回（改題）" in (await client.get(f"/sessions/{session.id}")).text


async def test_each_language_has_its_own_copy(client: httpx.AsyncClient) -> None:
    japanese = await client.get("/", headers={"accept-language": "ja"})
    english = await client.get("/", headers={"accept-language": "en"})
    assert '<html lang="ja">' in japanese.text
    assert '<html lang="en">' in english.text


async def test_cached_page_still_sets_a_csrf_cookie_for_each_new_visitor() -> None:
    from events.app import create_app
    from tests.conftest import running

    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with running(app):
        for _ in range(2):
            async with httpx.AsyncClient(
                transport=transport, base_url="http://tsunagu.test"
            ) as fresh:
                response = await fresh.get("/")
                assert "tsunagu_csrf" in response.cookies


async def test_draft_and_missing_pages_are_not_cached(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    draft = await make_session(organizer)
    assert (await client.get(f"/sessions/{draft.id}")).status_code == 404
    await transition(organizer, draft.id, Transition.PUBLISH)
    assert (await client.get(f"/sessions/{draft.id}")).status_code == 200
