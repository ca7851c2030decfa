"""An attendee's contact exchange (名刺交換) from their personal link: page, CSV and vCard."""

from __future__ import annotations

from litestar import Response, get
from litestar.params import FromPath
from litestar.response import Template

from events.registrations.contacts import contacts_by_token, contacts_csv, contacts_vcard
from events.web.auth import NO_STORE
from events.web.requests import download


@get(
    "/a/{token:str}/contacts",
    name="attendee_contacts",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def contacts_page(token: FromPath[str]) -> Template:
    book = await contacts_by_token(token)
    return Template("attendee/contacts.html.jinja2", context={"book": book, "token": token})


@get(
    "/a/{token:str}/contacts.csv",
    name="attendee_contacts_csv",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def contacts_file(token: FromPath[str]) -> Response[bytes]:
    book = await contacts_by_token(token)
    return download(contacts_csv(book), "text/csv", f"contacts-session-{book.session.id}.csv")


@get(
    "/a/{token:str}/contacts.vcf",
    name="attendee_contacts_vcf",
    include_in_schema=False,
    cache_control=NO_STORE,
)
async def contacts_cards(token: FromPath[str]) -> Response[bytes]:
    book = await contacts_by_token(token)
    content = contacts_vcard(book).encode("utf-8")
    return download(content, "text/vcard", f"contacts-session-{book.session.id}.vcf")


ROUTES = [contacts_page, contacts_file, contacts_cards]
