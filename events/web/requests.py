"""Helpers every page handler shares: the request's language, safe redirects, CSV downloads."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from events.lib.csv_export import MEDIA_TYPE, CsvDownload
from events.lib.i18n import negotiate, set_locale
from events.lib.spreadsheet import XLSX_MEDIA_TYPE, XlsxDownload
from events.web.input_safety import refuse_nul_in_url

LOCALE_COOKIE = "tsunagu_lang"


def set_request_locale(request: Request[Any, Any, Any]) -> None:
    """Pages, errors and mails of this request speak the visitor's language."""
    set_locale(
        negotiate(request.cookies.get(LOCALE_COOKIE), request.headers.get("accept-language"))
    )


async def before_request(request: Request[Any, Any, Any]) -> None:
    # Async on purpose: Litestar runs sync hooks in a thread, where the locale would be lost.
    set_request_locale(request)
    refuse_impossible_ids(request)
    refuse_nul_in_url(request)


# Ids are SERIAL (32-bit on PostgreSQL); a larger number in a path cannot name anything, and
# passing it on makes the database driver raise instead of finding nothing.
MAX_ID = 2**31 - 1


def refuse_impossible_ids(request: Request[Any, Any, Any]) -> None:
    for value in request.path_params.values():
        if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
            raise NotFoundException


def safe_next_path(candidate: str | None) -> str:
    """Only same-site paths: a `next` parameter must never send people to another host."""
    # Browsers read a backslash as "/" and drop tabs and newlines: "/\evil.example" is off-site.
    if not candidate or "\\" in candidate or not candidate.isprintable():
        return "/"
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return "/"
    return candidate


def csv_response(download: CsvDownload) -> Response[bytes]:
    """A CSV attachment; its personal data must not stay in caches."""
    return _table_attachment(download, MEDIA_TYPE)


def xlsx_response(download: XlsxDownload) -> Response[bytes]:
    """An Excel workbook attachment; its personal data must not stay in caches."""
    return _table_attachment(download, XLSX_MEDIA_TYPE)


def _table_attachment(download: CsvDownload, media_type: str) -> Response[bytes]:
    return Response(
        download.content,
        media_type=media_type,
        headers={**download.headers, "cache-control": "no-store"},
    )


def download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    """A file the browser saves rather than shows (Litestar adds charset=utf-8 to text types)."""
    return Response(
        content,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
