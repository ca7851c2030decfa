"""Helpers shared by page tests: the CSRF token, posting forms, counting what was written."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx

from events.app import CSRF_COOKIE
from events.tables import Attendee, OutboxMessage, Registration


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The double-submit token: the hidden input of the form equals the CSRF cookie."""
    if CSRF_COOKIE not in client.cookies:
        page = await client.get("/login")
        hidden = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert hidden is not None
        assert hidden.group(1) == client.cookies[CSRF_COOKIE]
    return client.cookies[CSRF_COOKIE]


async def post_form(
    client: httpx.AsyncClient, url: str, data: Mapping[str, str] | None = None
) -> httpx.Response:
    """Post a form as a browser would, with the CSRF token of this client."""
    return await client.post(url, data={"_csrf_token": await csrf_token(client), **(data or {})})


async def registration_counts() -> tuple[int, int, int]:
    """Registrations, attendees and outgoing mails: a refused request changes none of them."""
    return (await Registration.count(), await Attendee.count(), await OutboxMessage.count())
