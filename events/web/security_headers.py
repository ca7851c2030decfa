"""Security headers on every response: a strict CSP with no inline script, no framing, HSTS."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


# Raw header pairs: added to every response by the layer below, kept pages included.
_ENCODED = tuple((name.encode(), value.encode()) for name, value in HEADERS.items())
# Browsers that once reached the site over https keep to it (sent only when BASE_URL is https).
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders:
    """Adds the headers to every HTTP response: pages, errors and the router's own 404 and
    405, which never reach a Litestar middleware. Headers a route set itself are kept."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self._app = app
        self._headers = (*_ENCODED, _HSTS) if https else _ENCODED

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Raw header pairs: this runs for every response but the kept public pages.
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in self._headers if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self._app(scope, receive, send_with_headers)
