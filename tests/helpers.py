"""Helpers that tests of several modules share: signing in through the form, API credentials."""

from __future__ import annotations

import re

import httpx

from events.app import CSRF_COOKIE
from events.organizers import OrganizerIdentity, create_api_token
from tests.factories import PASSWORD


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The double-submit token: the hidden input of the form equals the CSRF cookie."""
    if CSRF_COOKIE not in client.cookies:
        page = await client.get("/login")
        hidden = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert hidden is not None
        assert hidden.group(1) == client.cookies[CSRF_COOKIE]
    return client.cookies[CSRF_COOKIE]


async def sign_in(
    client: httpx.AsyncClient,
    email: str,
    password: str = PASSWORD,
    next_path: str = "/organizer",
) -> httpx.Response:
    form = {"_csrf_token": await csrf_token(client), "email": email, "password": password}
    return await client.post("/login", data={**form, "next": next_path})


async def bearer(organizer: OrganizerIdentity) -> dict[str, str]:
    """Headers of an API call made with a fresh token of `organizer`."""
    return {"authorization": f"Bearer {await create_api_token(organizer.email)}"}


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """A form post as the browser sends it, with the CSRF token."""
    return await client.post(path, data={"_csrf_token": await csrf_token(client), **(data or {})})
