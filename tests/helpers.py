"""Helpers that tests of several modules share: signing in, posting forms, API credentials."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx

from events.app import CSRF_COOKIE
from events.organizers import OrganizerIdentity, create_api_token
from events.tables import Attendee, OutboxMessage, Registration
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
    client: httpx.AsyncClient, url: str, data: Mapping[str, str] | None = None
) -> httpx.Response:
    """Post a form as a browser would, with the CSRF token of this client."""
    return await client.post(url, data={"_csrf_token": await csrf_token(client), **(data or {})})


async def registration_counts() -> tuple[int, int, int]:
    """Registrations, attendees and outgoing mails: a refused request changes none of them."""
    return (await Registration.count(), await Attendee.count(), await OutboxMessage.count())
