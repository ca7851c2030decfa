"""HEAD is answered wherever GET is, with GET's status and headers and no body; a method a URL
does not answer gets 405 with an Allow header that lists HEAD beside GET."""

from __future__ import annotations

import httpx

from tests.factories import open_session


async def _urls_answered_by_get(client: httpx.AsyncClient) -> list[str]:
    _, accesses = await open_session(codes=("330001",))
    session_id = accesses["330001"].session.id
    return [
        "/",
        "/sessions",
        f"/sessions/{session_id}",
        f"/sessions/{session_id}/calendar.ics",
        "/regions/chugoku/calendar.ics",
        "/reports/feed.atom",
        "/schema",
        "/schema/openapi.json",
        "/no-such-page",
    ]


async def test_head_answers_like_get_without_the_body(client: httpx.AsyncClient) -> None:
    for url in await _urls_answered_by_get(client):
        got = await client.get(url)
        head = await client.head(url)
        assert (url, head.status_code) == (url, got.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.headers["content-length"] == str(len(got.content)), url


async def test_head_is_only_in_allow_where_get_is(client: httpx.AsyncClient) -> None:
    page = await client.delete("/sessions")
    assert page.status_code == 405
    assert page.headers["allow"] == "GET, HEAD, OPTIONS"
    form_only = await client.head("/logout")
    assert form_only.status_code == 405
    assert "HEAD" not in form_only.headers["allow"].split(", ")
