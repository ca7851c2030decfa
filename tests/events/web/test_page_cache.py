"""Public pages come from memory until public data changes, and set no cookie."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from litestar import Litestar, get
from litestar.exceptions import NotFoundException

from events.organizing.session_actions import transition, update_session
from events.sessions.lifecycle import Transition
from events.web.page_cache import (
    LISTS,
    NO_DELEGATIONS,
    PUBLIC_PAGE_OPT,
    PageCache,
    PublicPageCacheMiddleware,
    Subject,
)
from events.web.security_headers import HEADERS
from tests.events.reports.test_archive import published_report
from tests.factories import (
    SEED_MUNICIPALITIES,
    future_weekday,
    make_organizer,
    make_session,
    published_session,
    register_delegation,
)
from tests.helpers import asgi_transport

KOCHI = SEED_MUNICIPALITIES[-1]


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


async def test_the_public_api_is_kept_and_shows_a_new_registration_at_once(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    _, accesses = await published_session(organizer, (KOCHI,))
    path = f"/api/municipalities/{KOCHI}/network"
    before = await client.get(path)
    assert before.json()["plan_status"] is None
    assert (await client.get(path)).headers["etag"] == before.headers["etag"]
    await register_delegation(accesses[KOCHI], plan_status="adopted")
    assert (await client.get(path)).json()["plan_status"] == "adopted"


async def test_the_report_archive_api_shows_a_new_report_at_once(
    client: httpx.AsyncClient,
) -> None:
    search = {"q": "統合型校務支援"}
    assert (await client.get("/api/reports/search", params=search)).json()["total"] == 0
    assert (await client.get("/api/reports/")).json()["total"] == 0
    organizer = await make_organizer()
    report_id = await published_report(
        organizer, future_weekday(days_ahead=-30), closing="統合型校務支援の導入を検討します。"
    )
    found = (await client.get("/api/reports/search", params=search)).json()
    assert [item["report"] for item in found["items"]] == [report_id]
    assert (await client.get("/api/reports/")).json()["total"] == 1


async def test_each_language_has_its_own_copy(client: httpx.AsyncClient) -> None:
    japanese = await client.get("/", headers={"accept-language": "ja"})
    english = await client.get("/", headers={"accept-language": "en"})
    assert '<html lang="ja">' in japanese.text
    assert '<html lang="en">' in english.text


async def test_public_pages_set_no_cookie_rendered_or_kept(client: httpx.AsyncClient) -> None:
    for _ in range(2):  # rendered, then from memory
        response = await client.get("/")
        assert response.status_code == 200
        assert "set-cookie" not in response.headers
    assert "content-security-policy" in response.headers
    # A form that posts gets its CSRF cookie from its own page.
    assert "tsunagu_csrf" in (await client.get("/login")).cookies


async def test_rendered_kept_and_unchanged_answers_carry_each_security_header_once(
    client: httpx.AsyncClient,
) -> None:
    rendered = await client.get("/sessions")
    kept = await client.get("/sessions")
    unchanged = await client.get("/sessions", headers={"if-none-match": kept.headers["etag"]})
    assert (rendered.status_code, kept.status_code, unchanged.status_code) == (200, 200, 304)
    for response in (rendered, kept, unchanged):
        for name, value in HEADERS.items():
            assert response.headers.get_list(name) == [value], name


async def test_the_language_cookie_chooses_the_kept_copy(client: httpx.AsyncClient) -> None:
    for _ in range(2):  # rendered, then from memory
        english = await client.get(
            "/", headers={"accept-language": "ja", "cookie": "other=1; tsunagu_lang=en"}
        )
        assert '<html lang="en">' in english.text
    assert '<html lang="ja">' in (await client.get("/", headers={"accept-language": "ja"})).text


@pytest.mark.parametrize(
    ("found", "renders"),
    [(True, 1), (False, 5)],  # a page that is not kept (an error) is rendered for each visitor
)
async def test_visitors_asking_at_once_share_one_rendering(found: bool, renders: int) -> None:
    rendered = 0

    @get("/slow", opt=PUBLIC_PAGE_OPT)
    async def slow() -> str:
        nonlocal rendered
        rendered += 1
        await asyncio.sleep(0.05)
        if not found:
            raise NotFoundException()
        return f"render {rendered}"

    app = Litestar([slow], middleware=[PublicPageCacheMiddleware(PageCache())])
    transport = asgi_transport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tsunagu.test") as visitor:
        responses = await asyncio.gather(*(visitor.get("/slow") for _ in range(5)))
    assert rendered == renders
    if found:
        assert {response.text for response in responses} == {"render 1"}
        assert len({response.headers["etag"] for response in responses}) == 1
    else:
        assert [response.status_code for response in responses] == [404] * 5


async def test_draft_and_missing_pages_are_not_cached(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    draft = await make_session(organizer)
    assert (await client.get(f"/sessions/{draft.id}")).status_code == 404
    await transition(organizer, draft.id, Transition.PUBLISH)
    assert (await client.get(f"/sessions/{draft.id}")).status_code == 200


def test_memory_is_bounded_by_bytes_least_recently_used_first() -> None:
    cache = PageCache(max_bytes=3000)
    stamp = cache.stamp(LISTS)
    for name in ("a", "b", "c"):
        cache.put((f"/{name}", "", "ja"), [], b"x" * 1000, stamp)
    assert cache.get(("/a", "", "ja"), LISTS) is not None  # now the most recently used
    cache.put(("/d", "", "ja"), [], b"x" * 1500, stamp)
    assert [key[0] for key in cache.entries] == ["/a", "/d"]  # b, then c, made room
    assert cache.kept_bytes == 2500
    cache.put(("/d", "", "ja"), [], b"x" * 10, stamp)  # a new copy replaces the old one's bytes
    assert cache.kept_bytes == 1010


async def test_a_part_read_while_data_changed_is_not_kept() -> None:
    cache = PageCache()
    reads: list[int] = []

    async def read() -> int:
        reads.append(cache.version)
        if len(reads) == 1:
            cache.invalidate()  # a commit lands while the first read runs
        return len(reads)

    assert await cache.part("session", read) == 1
    assert await cache.part("session", read) == 2
    assert await cache.part("session", read) == 2
    assert reads == [0, 1]


async def test_the_least_recently_used_part_goes_first() -> None:
    cache = PageCache(max_parts=2)
    reads: list[str] = []
    for key in ("a", "b", "a", "c", "a", "b"):
        assert await cache.part(key, recording(reads, key)) == key
    assert reads == ["a", "b", "c", "b"]


async def test_renders_that_need_the_same_part_wait_for_one_read() -> None:
    cache = PageCache()
    reads = 0

    async def read() -> int:
        nonlocal reads
        reads += 1
        await asyncio.sleep(0.01)
        return reads

    assert await asyncio.gather(*(cache.part("session", read) for _ in range(5))) == [1] * 5
    cache.invalidate()
    assert await cache.part("session", read) == 2


async def test_a_change_of_one_session_keeps_the_parts_of_the_others() -> None:
    cache = PageCache()
    reads: list[str] = []

    async def read_all() -> None:
        await cache.part("first", recording(reads, "first"), of=Subject(session_id=1))
        await cache.part("second", recording(reads, "second"), of=Subject(session_id=2))
        await cache.part("list", recording(reads, "list"))
        await cache.part("archive", recording(reads, "archive"), of=NO_DELEGATIONS)

    await read_all()
    cache.invalidate(frozenset({1}))
    await read_all()
    assert reads == ["first", "second", "list", "archive", "first", "list"]
    cache.invalidate()
    await read_all()
    assert reads[6:] == ["first", "second", "list", "archive"]


def recording(reads: list[str], name: str) -> Callable[[], Awaitable[str]]:
    """A read of a part that notes each time it runs."""

    async def read() -> str:
        reads.append(name)
        return name

    return read


async def test_a_burst_of_registrations_makes_the_pages_listing_many_again_once_in_a_while() -> (
    None
):
    """A change of delegations shows on its session's pages at once; on the pages listing many
    the first change after a quiet spell shows at once, the next ones once `lists_settle` has
    passed since the page was last brought up to date."""
    now = 100.0
    cache = PageCache(lists_settle=2.0, clock=lambda: now)
    reads: list[str] = []

    async def read_both() -> None:
        await cache.part("list", recording(reads, "list"))
        await cache.part("session", recording(reads, "session"), of=Subject(session_id=1))

    await read_both()
    cache.invalidate(frozenset({1}))
    await read_both()
    assert reads == ["list", "session", "list", "session"]
    cache.invalidate(frozenset({1}))
    now += 1.5
    await read_both()
    assert reads[4:] == ["session"]  # the list is still the one made 1.5 s ago
    now += 0.5
    await read_both()
    assert reads[5:] == ["list"]
    cache.invalidate()  # any other change shows everywhere at once
    await read_both()
    assert reads[6:] == ["list", "session"]
