"""Calendar files as downloads, revalidated by ETag: unchanged files are answered with 304."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from events.calendars import entries


def calendar_download(
    request: Request[Any, Any, Any], content: bytes, filename: str
) -> Response[bytes]:
    """text/calendar as an attachment, kept by the browser alone (no shared cache)."""
    tag = entries.etag(content)
    headers = {"etag": tag, "cache-control": "private, no-cache"}
    if request.headers.get("if-none-match") == tag:
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    headers["content-disposition"] = f'attachment; filename="{filename}"'
    # Litestar adds "; charset=utf-8" to text/* types itself.
    return Response(content, media_type="text/calendar", headers=headers)
