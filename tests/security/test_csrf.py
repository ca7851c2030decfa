"""Every HTML form refuses a post without the browser's own CSRF token, and changes nothing."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import httpx
import pytest

from events.app import CSRF_COOKIE
from tests.security.route_access import EXPECTATIONS
from tests.security.routes import fill, route_keys
from tests.security.test_authorisation_matrix import fingerprint
from tests.security.world import ROLES, World, act_as, browsers, build_world

# Routes without an expectation are reported by test_every_route_has_an_expectation.
# One-click unsubscribe (RFC 8058) is exempt in events.app: mail clients POST the link alone.
_KNOWN = [key for key in route_keys() if key in EXPECTATIONS and "/board/unsubscribe/" not in key]
FORM_POSTS = [key for key in _KNOWN if key.startswith("POST ") and " /api/" not in key]
PAGES = [key for key in _KNOWN if key.startswith("GET ") and " /api/" not in key]
_POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>(.*?)</form>", re.I | re.S)
_CSRF_FIELD = re.compile(r'<input type="hidden" name="_csrf_token" value="[^"]+"')


def party_allowed(key: str) -> str:
    """The strongest party allowed to use a route: its refusal can only come from CSRF."""
    allowed = EXPECTATIONS[key].allowed
    return next(role for role in ("owner", *ROLES) if role in allowed)


def target(world: World, key: str, role: str) -> str:
    expect = EXPECTATIONS[key]
    path = fill(key.split(" ", 1)[1], expect.params(world, role))
    if expect.query is not None:
        path += "?" + urlencode(expect.query(world))
    return path


def test_there_are_forms_to_check() -> None:
    assert "POST /login" in FORM_POSTS
    assert "POST /organizer/sessions/{session_id}/edit" in FORM_POSTS


async def forged_tokens(client: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    """Bodies a cross-site form could send: no token, a made-up one, another browser's."""
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await other.get("/login")
        someone_elses = other.cookies[CSRF_COOKIE]
    assert someone_elses != client.cookies[CSRF_COOKIE]
    return {
        "missing": {},
        "empty": {"_csrf_token": ""},
        "made up": {"_csrf_token": "0" * 64},
        "another browser's": {"_csrf_token": someone_elses},
    }


@pytest.mark.parametrize("key", FORM_POSTS)
async def test_form_post_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, key: str
) -> None:
    world = await build_world()
    role = party_allowed(key)
    await act_as(client, world, role)
    path = target(world, key, role)
    before = await fingerprint()
    for name, body in (await forged_tokens(client)).items():
        response = await client.post(path, data={**body, "reason": "x", "email": "x"})
        assert response.status_code == 403, f"{name}: {path} -> {response.status_code}"
    assert await fingerprint() == before, f"forged posts to {path} changed stored data"
    # Without the cookie, even a token that was once valid is refused.
    token = client.cookies[CSRF_COOKIE]
    client.cookies.delete(CSRF_COOKIE)
    response = await client.post(path, data={"_csrf_token": token})
    assert response.status_code == 403, f"no cookie: {path} -> {response.status_code}"


async def test_every_post_form_on_every_page_carries_the_token(
    client: httpx.AsyncClient,
) -> None:
    world = await build_world()
    forms_seen = 0
    async with browsers(client, world) as by_role:
        for key in PAGES:
            for role in sorted(EXPECTATIONS[key].allowed, key=ROLES.index):
                forms_seen += await check_forms(by_role[role][0], target(world, key, role))
    # The sign-in, session, invitation, group, poll and personal-link forms at least.
    assert forms_seen >= 10


async def check_forms(browser: httpx.AsyncClient, path: str) -> int:
    response = await browser.get(path)
    if "text/html" not in response.headers.get("content-type", ""):
        return 0
    forms = _POST_FORM.findall(response.text)
    for form in forms:
        assert _CSRF_FIELD.search(form), f"GET {path}: a form without the token"
    return len(forms)
