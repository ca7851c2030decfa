"""A request whose address is too long is answered 414 before anything else reads it."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_414_REQUEST_URI_TOO_LONG
from litestar.types import ASGIApp, Receive, Scope, Send

# Real addresses here stay under 2 KB; 8 KB is what common servers and proxies accept.
MAX_TARGET_BYTES = 8192
_BODY = "アドレスが長すぎます。\n".encode()


class RequestLineLimit:
    """Refuses paths and query strings beyond MAX_TARGET_BYTES, before routing and logging
    code spends time on them."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and _target_length(scope) > MAX_TARGET_BYTES:
            response = ASGIResponse(
                body=_BODY,
                status_code=HTTP_414_REQUEST_URI_TOO_LONG,
                media_type="text/plain; charset=utf-8",
                headers={"cache-control": "no-store"},
            )
            await response(scope, receive, send)
            return
        await self._app(scope, receive, send)


def _target_length(scope: Scope) -> int:
    raw_path = scope.get("raw_path") or scope["path"].encode()
    return len(raw_path) + len(scope.get("query_string", b""))
