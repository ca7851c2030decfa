"""Refuse NUL characters in anything a request can carry into the database.

PostgreSQL text cannot hold U+0000 (asyncpg raises, the visitor got a 500), while SQLite
stores it and lets it reach CSV, iCalendar and mail. No field of ours needs it: the request is
refused as malformed on both engines, before any handler sees it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, ValidationException

NUL = "\x00"
# The forms in which a NUL travels in a body: raw, JSON-escaped, percent-encoded.
_RAW, _JSON_ESCAPED, _PERCENT_ENCODED = b"\x00", b"\\u0000", b"%00"


def _refuse() -> ValidationException:
    return ValidationException("NUL character in the request")


class NulFreeRequest(Request[Any, Any, Any]):
    """The application's request class: bodies and form fields without NUL characters."""

    async def body(self) -> bytes:
        body = await super().body()
        content_type, _ = self.content_type
        if content_type == RequestEncodingType.MULTI_PART:
            return body  # its text fields are checked in form(); files may be binary
        markers = (_RAW, _JSON_ESCAPED)
        if content_type == RequestEncodingType.URL_ENCODED:
            markers = (_RAW, _PERCENT_ENCODED)
        if any(marker in body for marker in markers):
            raise _refuse()
        return body

    async def form(self) -> FormMultiDict:
        form = await super().form()
        for key, value in form.multi_items():
            if NUL in key or (isinstance(value, str) and NUL in value):
                raise _refuse()
        return form


def refuse_nul_in_url(request: Request[Any, Any, Any]) -> None:
    """A NUL in a path names nothing (404); in a query it is a malformed request (400).

    Link tokens are left to their own shape check, which answers every bad link alike."""
    if any(
        isinstance(value, str) and NUL in value
        for name, value in request.path_params.items()
        if name != "token"
    ):
        raise NotFoundException
    if any(NUL in key or NUL in value for key, value in request.query_params.multi_items()):
        raise _refuse()
