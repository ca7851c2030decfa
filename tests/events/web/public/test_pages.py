"""The skeleton's pages: layout, directory, health, schema, errors, security headers, language."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest

from events.app import create_app
from events.lib.clock import utcnow
from events.mail import worker_poll
from events.tables import WorkerPoll
from events.worker import OutboxWorker
from tests.helpers import asgi_transport
from tests.smtp_server import SmtpServer

HTML = "text/html; charset=utf-8"


async def test_home_page_is_japanese_with_landmarks_and_empty_states(client: Any) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == HTML
    body = response.text
    assert '<html lang="ja">' in body
    assert '<a class="skip-link" href="#main">本文へ移動</a>' in body
    assert '<main id="main"' in body and "<header" in body and "<footer" in body
    assert "開催予定の情報交換会はまだありません。" in body
    assert "公開された開催レポートはまだありません。" in body


async def test_security_headers_on_every_page(client: Any) -> None:
    response = await client.get("/municipalities")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/no-such-page", 404), ("DELETE", "/healthz", 405), ("GET", "/api/nothing", 404)],
)
async def test_security_headers_on_the_routers_own_answers(
    client: Any, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)

    assert response.status_code == status
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in response.headers


async def test_https_site_asks_browsers_to_keep_to_https(environment: Any) -> None:
    environment(BASE_URL="https://tsunagu.example")
    app = create_app()
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url="https://x") as https:
        page = await https.get("/healthz")
        missing = await https.get("/no-such-page")

    for response in (page, missing):
        assert (
            response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        )


async def test_stylesheet_is_served_locally(client: Any) -> None:
    home = (await client.get("/")).text
    assert 'href="/static/tsunagu.css"' in home
    assert "http://" not in home.replace("http://tsunagu.test", "")
    assert "https://" not in home
    css = await client.get("/static/tsunagu.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


async def test_directory_search_by_reading(client: Any) -> None:
    response = await client.get("/municipalities", params={"q": "おかやま"})
    assert response.status_code == 200
    assert "2件の自治体" in response.text
    assert 'href="/municipalities/331007">岡山県岡山市</a>' in response.text


async def test_directory_filters_by_region_and_prefecture(client: Any) -> None:
    shikoku = await client.get("/municipalities", params={"region": "shikoku"})
    assert "99件の自治体" in shikoku.text
    kochi = await client.get("/municipalities", params={"prefecture": "39"})
    assert "35件の自治体" in kochi.text


async def test_directory_unknown_region_is_a_404_page(client: Any) -> None:
    response = await client.get("/municipalities", params={"region": "atlantis"})
    assert response.status_code == 404
    assert "地域が見つかりません。" in response.text


async def test_municipality_page(client: Any) -> None:
    response = await client.get("/municipalities/330001")
    assert response.status_code == 200
    assert "<h1>岡山県</h1>" in response.text
    assert "オカヤマケン" in response.text


@pytest.mark.parametrize("code", ["330002", "999999", "abc"])
async def test_municipality_page_for_bad_code_is_404(client: Any, code: str) -> None:
    response = await client.get(f"/municipalities/{code}")
    assert response.status_code == 404
    assert response.headers["content-type"] == HTML
    assert f"団体コード {code} の自治体はありません。" in response.text


async def test_unknown_page_is_an_html_404(client: Any) -> None:
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>ページが見つかりません</h1>" in response.text


async def test_unknown_api_route_is_a_json_404(client: Any) -> None:
    response = await client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "お探しのページは見つかりませんでした。",
        "fields": [],
    }


async def test_healthz_is_ok_when_the_database_takes_writes_and_a_worker_polls(
    client: Any,
) -> None:
    polled_at = utcnow() - dt.timedelta(minutes=9)
    await worker_poll.record(polled_at)

    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": "ok",
        "worker_last_poll": polled_at.isoformat(),
    }
    assert await WorkerPoll.count() == 1  # the write check left nothing behind


@pytest.mark.parametrize("minutes_ago", [None, 11])
async def test_healthz_is_503_when_no_worker_polled_lately(
    client: Any, minutes_ago: int | None
) -> None:
    polled_at = None if minutes_ago is None else utcnow() - dt.timedelta(minutes=minutes_ago)
    if polled_at is not None:
        await worker_poll.record(polled_at)

    response = await client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "worker": "silent",
        "worker_last_poll": polled_at.isoformat() if polled_at else None,
    }


async def test_worker_records_its_poll(smtp_server: SmtpServer) -> None:
    worker = OutboxWorker(smtp=smtp_server.smtp_settings())
    stop = asyncio.Event()
    running_worker = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(200):  # one pass of the loop; ten seconds at most
            if await worker_poll.last_poll() is not None:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await running_worker

    polled_at = await worker_poll.last_poll()
    assert polled_at is not None
    assert not worker_poll.is_silent(polled_at)


async def test_openapi_schema_is_json(client: Any) -> None:
    response = await client.get("/schema")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Tsunagu API"


async def test_english_from_accept_language(client: Any) -> None:
    response = await client.get("/", headers={"accept-language": "en-US,en;q=0.9,ja;q=0.5"})
    assert '<html lang="en">' in response.text


async def test_error_page_follows_the_language(client: Any) -> None:
    response = await client.get("/no-such-page", headers={"accept-language": "en"})
    assert '<html lang="en">' in response.text


async def test_language_switcher_sets_a_cookie_and_returns(client: Any) -> None:
    response = await client.get(
        "/language/en", params={"next": "/municipalities"}, follow_redirects=False
    )
    assert response.status_code in {302, 303, 307}
    assert response.headers["location"] == "/municipalities"
    page = await client.get("/municipalities", headers={"accept-language": "ja"})
    assert '<html lang="en">' in page.text


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example", "/\tx"],
)
async def test_language_switcher_never_redirects_off_site(client: Any, target: str) -> None:
    response = await client.get("/language/ja", params={"next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"
