"""Helpers every page handler shares: the request's language, safe redirects, form values."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response

from events.i18n import negotiate, set_locale

LOCALE_COOKIE = "tsunagu_lang"


def set_request_locale(request: Request[Any, Any, Any]) -> None:
    """Pages, errors and mails of this request speak the visitor's language."""
    set_locale(
        negotiate(request.cookies.get(LOCALE_COOKIE), request.headers.get("accept-language"))
    )


async def before_request(request: Request[Any, Any, Any]) -> None:
    # Async on purpose: Litestar runs sync hooks in a thread, where the locale would be lost.
    set_request_locale(request)


def safe_next_path(candidate: str | None) -> str:
    """Only same-site paths: a `next` parameter must never send people to another host."""
    # Browsers read a backslash as "/" and drop tabs and newlines: "/\evil.example" is off-site.
    if not candidate or "\\" in candidate or not candidate.isprintable():
        return "/"
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return "/"
    return candidate


def download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    """A file the browser saves rather than shows (Litestar adds charset=utf-8 to text types)."""
    return Response(
        content,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
