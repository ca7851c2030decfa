"""Organizer sign-in and sign-out: login cookie, rotation, CSRF, rate limit, API bearer tokens."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import httpx
import pytest
from litestar import Litestar, Request, Response
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from events.accounts import login_sessions
from events.accounts.organizers import (
    OrganizerIdentity,
    create_api_token,
    create_organizer,
    revoke_api_token,
)
from events.app import CSRF_COOKIE, create_app, stores_for
from events.lib.settings import load_settings
from events.lib.tokens import hash_token
from events.tables import LoginSession
from events.web import sign_in_backoff
from events.web.auth import (
    SESSION_COOKIE,
    BearerTokenRequired,
    SignInRequired,
    api_organizer,
    bearer_token,
    bearer_token_refused,
    organizer_from_bearer,
    redirect_to_sign_in,
    set_session_cookie,
)
from tests.factories import PASSWORD
from tests.helpers import csrf_token, sign_in

EMAIL = "kikaku@city.okayama.example.jp"
NAME = "岡山 花子"
FAILED = "メールアドレスまたはパスワードが正しくありません。"
TOO_MANY = "短時間にアクセスが集中しました。しばらくしてからお試しください。"


@pytest.fixture
async def organizer() -> OrganizerIdentity:
    return await create_organizer(EMAIL, PASSWORD, display_name=NAME)


def use_session_cookie(client: httpx.AsyncClient, token: str) -> None:
    """Put a (perhaps stale) login token back in the browser, as a replaying attacker would."""
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, token, domain="tsunagu.test")


async def test_sign_in_form_is_accessible_and_carries_the_csrf_token(client: Any) -> None:
    response = await client.get("/login", params={"next": "/organizer/sessions"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<label for="email">メールアドレス</label>' in body
    assert 'name="email" type="email" value="" autocomplete="username"' in body
    assert '<label for="password">パスワード</label>' in body
    assert 'type="password" autocomplete="current-password"' in body
    assert '<input type="hidden" name="next" value="/organizer/sessions">' in body
    assert f'name="_csrf_token" value="{client.cookies[CSRF_COOKIE]}"' in body
    assert 'role="alert"' not in body


async def test_sign_in_sets_an_http_only_cookie_and_goes_to_next(
    client: Any, organizer: OrganizerIdentity
) -> None:
    response = await sign_in(client, EMAIL, next_path="/organizer?tab=outbox")
    assert response.status_code == 303
    assert response.headers["location"] == "/organizer?tab=outbox"
    token = client.cookies[SESSION_COOKIE]
    assert response.headers.get_list("set-cookie") == [
        f"{SESSION_COOKIE}={token}; HttpOnly; Path=/; SameSite=lax"
    ]
    assert await login_sessions.organizer_for(token) == organizer


async def test_dashboard_welcomes_the_organizer_with_a_sign_out_button(
    client: Any, organizer: OrganizerIdentity
) -> None:
    await sign_in(client, EMAIL)
    response = await client.get("/organizer")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "<h1>ダッシュボード</h1>" in response.text and "ようこそ" not in response.text
    assert f'<li class="nav-organizer">{NAME}</li>' in response.text
    assert '<form class="nav-form" method="post" action="/logout">' in response.text
    assert '<a href="/organizer">ダッシュボード</a>' in response.text


async def test_public_pages_do_not_vary_with_the_signed_in_organizer(
    client: Any, organizer: OrganizerIdentity
) -> None:
    anonymous = (await client.get("/")).text
    await sign_in(client, EMAIL)
    signed_in = (await client.get("/")).text
    assert signed_in == anonymous
    assert NAME not in signed_in


async def test_sign_in_rotates_the_login_token(client: Any, organizer: OrganizerIdentity) -> None:
    await sign_in(client, EMAIL)
    first = client.cookies[SESSION_COOKIE]
    response = await sign_in(client, EMAIL)
    second = client.cookies[SESSION_COOKIE]
    assert response.status_code == 303
    assert second != first
    assert await login_sessions.organizer_for(first) is None
    assert await LoginSession.count() == 1
    use_session_cookie(client, first)
    stale = await client.get("/organizer")
    assert stale.status_code == 303
    assert stale.headers["location"] == "/login?next=%2Forganizer"


async def test_sign_in_form_sends_a_signed_in_organizer_on(
    client: Any, organizer: OrganizerIdentity
) -> None:
    await sign_in(client, EMAIL)
    response = await client.get("/login")
    assert response.status_code == 303
    assert response.headers["location"] == "/organizer"


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: Any, organizer: OrganizerIdentity
) -> None:
    wrong_password = await sign_in(client, EMAIL, password="not the password at all")
    unknown_email = await sign_in(client, "nobody@example.jp")
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert wrong_password.text.replace(EMAIL, "nobody@example.jp") == unknown_email.text
    body = wrong_password.text
    assert f'<p id="sign-in-error"><a href="#email">{FAILED}</a></p>' in body
    assert body.count('aria-invalid="true" aria-describedby="sign-in-error"') == 2
    assert '<div class="error-summary" role="alert">' in body
    assert SESSION_COOKIE not in client.cookies
    assert await LoginSession.count() == 0


@pytest.mark.parametrize(
    "form",
    [{}, {"email": EMAIL}, {"password": PASSWORD}, {"email": "x" * 300, "password": PASSWORD}],
)
async def test_incomplete_sign_in_form_is_refused(
    client: Any, organizer: OrganizerIdentity, form: dict[str, str]
) -> None:
    response = await client.post("/login", data={"_csrf_token": await csrf_token(client), **form})
    assert response.status_code == 400
    assert FAILED in response.text


async def test_sign_out_ends_the_login_session_on_the_server(
    client: Any, organizer: OrganizerIdentity
) -> None:
    await sign_in(client, EMAIL)
    token = client.cookies[SESSION_COOKIE]
    response = await client.post("/logout", data={"_csrf_token": await csrf_token(client)})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert SESSION_COOKIE not in client.cookies
    assert await login_sessions.organizer_for(token) is None
    use_session_cookie(client, token)
    replayed = await client.get("/organizer")
    assert replayed.status_code == 303
    assert replayed.headers["location"] == "/login?next=%2Forganizer"


async def test_sign_out_needs_the_csrf_token(client: Any, organizer: OrganizerIdentity) -> None:
    await sign_in(client, EMAIL)
    response = await client.post("/logout")
    assert response.status_code == 403
    assert await LoginSession.count() == 1


async def test_organizer_page_without_cookie_goes_to_sign_in(client: Any) -> None:
    response = await client.get("/organizer")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Forganizer"


async def test_organizer_page_with_expired_session_goes_to_sign_in(
    client: Any, organizer: OrganizerIdentity
) -> None:
    await sign_in(client, EMAIL)
    token = client.cookies[SESSION_COOKIE]
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await LoginSession.update({LoginSession.expires_at: past}).where(
        LoginSession.token_hash == hash_token(token)
    )
    response = await client.get("/organizer")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Forganizer"
    assert SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
async def test_sign_in_never_redirects_off_site(
    client: Any, organizer: OrganizerIdentity, target: str
) -> None:
    response = await sign_in(client, EMAIL, next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/organizer"


async def test_sign_in_without_csrf_token_is_forbidden(
    client: Any, organizer: OrganizerIdentity
) -> None:
    await csrf_token(client)
    response = await client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 403
    assert "この操作を行う権限がありません。" in response.text
    assert await LoginSession.count() == 0


async def test_sign_in_with_a_wrong_csrf_token_is_forbidden(
    client: Any, organizer: OrganizerIdentity
) -> None:
    token = await csrf_token(client)
    forged = ("0" if token[0] != "0" else "1") + token[1:]
    response = await client.post(
        "/login", data={"_csrf_token": forged, "email": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert await LoginSession.count() == 0


async def test_eleventh_sign_in_within_a_minute_is_refused(
    client: Any, organizer: OrganizerIdentity
) -> None:
    for n in range(10):  # other accounts each time: the limit of the address is counted
        guessed = f"guess{n}@city.okayama.example.jp"
        assert (
            await sign_in(client, guessed, password="not the password at all")
        ).status_code == 400
    response = await sign_in(client, EMAIL)
    assert response.status_code == 429
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert f'<p role="alert">{TOO_MANY}</p>' in response.text
    assert await LoginSession.count() == 0


async def test_rate_limit_counts_only_sign_in_attempts(
    client: Any, organizer: OrganizerIdentity
) -> None:
    for _ in range(12):
        assert (await client.get("/login")).status_code == 200
    assert (await sign_in(client, EMAIL)).status_code == 303


async def test_rate_limit_store_is_redis_when_configured() -> None:
    assert isinstance(stores_for(load_settings())["rate_limit"], MemoryStore)
    settings = dataclasses.replace(load_settings(), redis_url="redis://127.0.0.1:6379/0")
    store = stores_for(settings)["rate_limit"]
    assert isinstance(store, RedisStore)
    async with store:  # closes the client it made; nothing has connected
        assert store.namespace == "tsunagu"


async def test_account_waits_longer_after_each_failure_past_five(
    client: Any, organizer: OrganizerIdentity
) -> None:
    statuses = [
        (await sign_in(client, EMAIL, password="not the password at all")).status_code
        for _ in range(6)
    ]
    refused = await sign_in(client, EMAIL)  # the right password, during the wait

    assert statuses == [400] * 6
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= sign_in_backoff.FIRST_WAIT_SECONDS
    assert f'<p role="alert">{TOO_MANY}</p>' in refused.text
    assert await LoginSession.count() == 0


async def test_successful_sign_in_clears_the_accounts_failures(
    client: Any, organizer: OrganizerIdentity
) -> None:
    for _ in range(2):
        for _ in range(4):
            await sign_in(client, EMAIL, password="not the password at all")
        assert (await sign_in(client, EMAIL)).status_code == 303


async def test_account_failures_are_shared_through_redis() -> None:
    settings = dataclasses.replace(load_settings(), redis_url="redis://127.0.0.1:6379/0")
    email = f"redis-{dt.datetime.now(dt.UTC).timestamp()}@example.lg.jp"
    one, two = stores_for(settings)["rate_limit"], stores_for(settings)["rate_limit"]
    async with one, two:  # two processes' stores, as two app instances make them
        try:
            for _ in range(sign_in_backoff.FREE_FAILURES):
                await sign_in_backoff.record_failure(one, email)
            assert await sign_in_backoff.seconds_to_wait(two, email) == 0
            await sign_in_backoff.record_failure(one, email)
            first_wait = await sign_in_backoff.seconds_to_wait(two, email)
            await sign_in_backoff.record_failure(two, email)
            second_wait = await sign_in_backoff.seconds_to_wait(one, email)
        finally:
            await sign_in_backoff.forget(one, email)

    assert 29 <= first_wait <= 30
    assert 59 <= second_wait <= 60


def _request(path: str, headers: dict[str, str]) -> Any:
    """A request as Litestar hands it to dependencies and exception handlers."""
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "server": ("tsunagu.test", 80),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(name.encode(), value.encode()) for name, value in headers.items()],
        "litestar_app": Litestar(),
        "state": {},
    }
    return Request(scope)  # type: ignore[arg-type]  # a partial HTTPScope: what these paths read


def test_session_cookie_is_secure_when_the_site_uses_https(environment: Any) -> None:
    environment(BASE_URL="https://tsunagu.example")
    response: Response[Any] = Response(None)
    set_session_cookie(_request("/login", {}), response, "t")
    [cookie] = response.cookies
    assert (cookie.key, cookie.secure, cookie.httponly, cookie.samesite, cookie.path) == (
        SESSION_COOKIE,
        True,
        True,
        "lax",
        "/",
    )


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        ("Bearer ", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_token_reads_the_authorization_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


async def test_organizer_from_bearer_accepts_only_live_api_tokens(
    organizer: OrganizerIdentity,
) -> None:
    token_id, token = await create_api_token(EMAIL)
    assert await organizer_from_bearer(f"Bearer {token}") == organizer
    assert await organizer_from_bearer(f"Basic {token}") is None
    assert await organizer_from_bearer("Bearer " + "A" * 32) is None
    await revoke_api_token(token_id)
    assert await organizer_from_bearer(f"Bearer {token}") is None


async def test_api_organizer_comes_from_the_bearer_token(organizer: OrganizerIdentity) -> None:
    _, token = await create_api_token(EMAIL)
    request = _request("/api/sessions", {"authorization": f"Bearer {token}"})
    assert await api_organizer(request) == organizer


async def test_api_organizer_ignores_the_login_cookie(organizer: OrganizerIdentity) -> None:
    login_token = await login_sessions.start(organizer.id)
    request = _request("/api/sessions", {"cookie": f"{SESSION_COOKIE}={login_token}"})
    with pytest.raises(BearerTokenRequired):
        await api_organizer(request)


def test_missing_bearer_token_is_a_401_json_error() -> None:
    response = bearer_token_refused(_request("/api/sessions", {}), BearerTokenRequired())
    assert response.status_code == 401
    assert response.media_type == "application/json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.content == {
        "error": "unauthorized",
        "message": "有効なAPIトークンが必要です。",
        "fields": [],
    }


def test_app_maps_both_refusals_wherever_the_dependencies_are_declared() -> None:
    handlers = create_app().exception_handlers
    assert handlers[SignInRequired] is redirect_to_sign_in
    assert handlers[BearerTokenRequired] is bearer_token_refused
