"""Every route, called by every kind of party: allowed or refused, and never another's data."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from piccolo.table import Table

from events import tables
from events.tables import ApiToken, LoginSession
from tests.helpers import csrf_token
from tests.security.route_access import AFTER_THE_SESSION, EXPECTATIONS
from tests.security.routes import fill, route_keys
from tests.security.world import ROLES, World, browsers, build_world

ROUTES = route_keys()
# Routes without an expectation fail test_every_route_has_an_expectation, and only that.
_KNOWN = [key for key in ROUTES if key in EXPECTATIONS]
READS = [key for key in _KNOWN if key.split(" ")[0] in {"GET", "HEAD"}]
WRITES = [key for key in _KNOWN if key not in READS]
REFUSALS = {401, 403, 404}
# Sign-in state changes while roles take turns; everything else must stay as it was.
_SKIPPED_TABLES = {LoginSession, ApiToken}


def test_every_route_has_an_expectation() -> None:
    missing = [key for key in ROUTES if key not in EXPECTATIONS]
    stale = [key for key in EXPECTATIONS if key not in ROUTES]
    assert missing == [], "add these routes to tests/security/route_access.py"
    assert stale == []


async def fingerprint() -> str:
    """A digest of every stored row (sign-in state aside)."""
    digest = hashlib.sha256()
    table_classes = [
        value
        for value in vars(tables).values()
        if isinstance(value, type) and issubclass(value, Table) and value is not Table
    ]
    for table in sorted(table_classes, key=lambda t: t._meta.tablename):
        if table in _SKIPPED_TABLES:
            continue
        rows = await table.select().order_by(table._meta.primary_key)
        digest.update(f"{table._meta.tablename}:{rows!r}".encode())
    return digest.hexdigest()


def refused(response: httpx.Response) -> bool:
    if response.status_code in REFUSALS:
        return True
    # Organizer pages send people without a login session to the sign-in form.
    return response.status_code == 303 and response.headers["location"].startswith("/login")


async def call(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str], body: Any
) -> httpx.Response:
    kwargs: dict[str, Any] = {"headers": headers}
    if path.startswith("/api/"):
        if method in {"POST", "PUT", "PATCH"}:
            kwargs["json"] = {} if body is None else body
    elif method == "POST":
        # A real CSRF token: the refusal tested here is about who calls, not the form's origin.
        kwargs["data"] = {**(body or {}), "_csrf_token": await csrf_token(client)}
    return await client.request(method, path, **kwargs)


def target(world: World, key: str, role: str) -> tuple[str, str, Any]:
    """Method, path and JSON body of `key` as `role` calls it."""
    expect = EXPECTATIONS[key]
    method, template = key.split(" ", 1)
    path = fill(template, expect.params(world, role))
    if expect.query is not None:
        path += "?" + urlencode(expect.query(world))
    return method, path, None if expect.body is None else expect.body(world)


def judge(world: World, key: str, role: str, path: str, response: httpx.Response) -> list[str]:
    """What is wrong with `role`'s answer from a route: a crash, the wrong verdict, a leak."""
    where = f"{role}: {key.split(' ')[0]} {path} -> {response.status_code}"
    if response.status_code >= 500:
        return [where]
    if (role in EXPECTATIONS[key].allowed) == refused(response):
        return [
            f"{where} (expected {'allowed' if role in EXPECTATIONS[key].allowed else 'refused'})"
        ]
    leaked = [text for text in world.hidden_from(role) if text in response.text]
    return [f"{where} shows {leaked}"] if leaked else []


async def test_reading_routes_as_every_party(client: httpx.AsyncClient) -> None:
    """Every GET, by every party, on one world; reading never changes what is stored."""
    world = await build_world()
    before = await fingerprint()
    failures: list[str] = []
    async with browsers(client, world) as by_role:
        for key in READS:
            for role in ROLES:
                browser, headers = by_role[role]
                method, path, _ = target(world, key, role)
                response = await browser.request(method, path, headers=headers)
                failures += judge(world, key, role, path, response)
    assert not failures, "\n".join(failures)
    assert await fingerprint() == before


@pytest.mark.parametrize("key", WRITES)
async def test_writing_route_as_every_party(client: httpx.AsyncClient, key: str) -> None:
    world = await build_world(held=key in AFTER_THE_SESSION)
    allowed = [role for role in ROLES if role in EXPECTATIONS[key].allowed]
    refused_roles = [role for role in ROLES if role not in allowed]
    async with browsers(client, world) as by_role:

        async def attempt(role: str) -> None:
            browser, headers = by_role[role]
            method, path, body = target(world, key, role)
            response = await call(browser, method, path, headers, body)
            failures = judge(world, key, role, path, response)
            assert not failures, failures[0]

        # Parties who may not call it go first, so that an allowed call cannot hide their effects.
        before = await fingerprint()
        for role in refused_roles:
            await attempt(role)
        assert await fingerprint() == before, f"{key} changed stored data for {refused_roles}"
        for role in allowed:
            await attempt(role)
