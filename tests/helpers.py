"""Helpers that tests share: golden files, the CSRF token of the test browser, signing in, API
credentials."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import httpx
from litestar import Litestar

from events.accounts.organizers import OrganizerIdentity, create_api_token
from events.app import CSRF_COOKIE
from events.mail.building import Envelope
from events.mail.mailbox import MailboxDelivery
from events.mail.mime import build_message
from events.tables import Attendee, MailboxMessage, OutboxMessage, Registration
from tests.factories import PASSWORD, make_organizer

# Expected files (calendars, mails, reports, survey charts) that tests compare output with.
GOLDEN = Path(__file__).resolve().parent / "golden"


def asgi_transport(app: Litestar) -> httpx.ASGITransport:
    """httpx's in-process transport to `app`.

    httpx types an ASGI app's scope and messages as MutableMapping[str, Any], Litestar as the
    TypedDicts of the ASGI spec, and to mypy a TypedDict is no MutableMapping; at run time both
    pass the same plain dicts.
    """
    return httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # see the docstring


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
    """Post the sign-in form as a browser would (GET /login first for the CSRF token)."""
    form = {"_csrf_token": await csrf_token(client), "email": email, "password": password}
    return await client.post("/login", data={**form, "next": next_path})


async def signed_in_organizer(
    client: httpx.AsyncClient, *, admin: bool = False, name: str = ""
) -> OrganizerIdentity:
    """A new organizer, signed in on `client`."""
    organizer = await make_organizer(admin=admin, name=name)
    await sign_in_as(client, organizer)
    return organizer


async def post_form(
    client: httpx.AsyncClient, url: str, data: Mapping[str, str | list[str]] | None = None
) -> httpx.Response:
    """Submit a form of a page with the browser's CSRF token; a list value repeats the field."""
    return await client.post(url, data={"_csrf_token": await csrf_token(client), **(data or {})})


async def registration_counts() -> tuple[int, int, int]:
    """Registrations, attendees and outgoing mails: a refused request changes none of them."""
    return (await Registration.count(), await Attendee.count(), await OutboxMessage.count())


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one form: named inputs, selects, textareas."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        elif self.inside and tag == "input" and "name" in found:
            kind = found.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in found:
                return
            if kind not in {"submit", "button", "image", "reset"}:
                self.fields.append((found["name"], found.get("value", "on")))
        elif self.inside and tag == "select":
            self._select, self._options = found.get("name"), []
        elif self._select is not None and tag == "option":
            self._options.append((found.get("value", ""), "selected" in found))
        elif self.inside and tag == "textarea" and "name" in found:
            self._textarea, self._text = found["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop one newline right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str | list[str]]:
    """The fields the form posting to `action` would send (repeated names become lists)."""
    reader = _FormReader(action)
    reader.feed(html)
    fields: dict[str, str | list[str]] = {}
    for name, value in reader.fields:
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


async def sign_in_as(client: httpx.AsyncClient, organizer: OrganizerIdentity) -> None:
    response = await sign_in(client, organizer.email)
    assert response.status_code == 303


async def open_page(
    client: httpx.AsyncClient, method: str, path: str, data: Mapping[str, str | list[str]]
) -> httpx.Response:
    """GET a page, or POST its form with the CSRF token."""
    if method == "GET":
        return await client.get(path)
    return await post_form(client, path, data)


async def assert_organizer_only(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    data: Mapping[str, str | list[str]] | None = None,
    *,
    admin_status: int = 200,
) -> httpx.Response:
    """Anonymous: to sign-in; another organizer: 403 page; an admin: through. Returns the last."""
    data = data or {}
    anonymous = await open_page(client, method, path, data)
    assert anonymous.status_code == 303
    # Only a GET is worth repeating after sign-in.
    expected = f"/login?{urlencode({'next': path})}" if method == "GET" else "/login"
    assert anonymous.headers["location"] == expected
    await sign_in_as(client, await make_organizer())
    stranger = await open_page(client, method, path, data)
    assert stranger.status_code == 403
    assert '<p role="alert">このシリーズを操作する権限がありません。</p>' in stranger.text
    await sign_in_as(client, await make_organizer(admin=True))
    admin = await open_page(client, method, path, data)
    assert admin.status_code == admin_status
    return admin


async def bearer(organizer: OrganizerIdentity) -> dict[str, str]:
    """Headers of an API call made with a fresh token of `organizer`."""
    _, token = await create_api_token(organizer.email)
    return {"authorization": f"Bearer {token}"}


async def deliver_to_mailbox(
    *, subject: str, text: str, html: str | None, calendar: str, recipient: str
) -> int:
    """Put one message with a calendar attachment in the development mailbox; returns its id."""
    message = build_message(
        sender="Tsunagu <noreply@tsunagu.test>",
        recipient=recipient,
        reply_to=None,
        subject=subject,
        text=text,
        html=html,
        calendar=calendar.encode("utf-8"),
        calendar_method="REQUEST",
        message_id=f"<{uuid.uuid4()}@tsunagu.test>",
    )
    envelope = Envelope(sender="noreply@tsunagu.test", recipients=(recipient,), data=bytes(message))
    await MailboxDelivery().send(envelope)
    row = (
        await MailboxMessage.select(MailboxMessage.id)
        .order_by(MailboxMessage.id, ascending=False)
        .first()
    )
    assert row is not None
    return int(row["id"])
