"""Every route of the application, read from the app itself so that new routes are included."""

from __future__ import annotations

import functools
import re

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from events.app import create_app
from events.web.page_cache import PUBLIC_PAGE

_TYPED_PARAMETER = re.compile(r"\{(\w+):\w+\}")


def _untyped(match: re.Match[str]) -> str:
    return "{" + match.group(1) + "}"


def route_keys(app: Litestar | None = None) -> list[str]:
    """ "METHOD /path/{param}" for every handler; OPTIONS answers are Litestar's own."""
    return sorted(_handlers(app or create_app()))


def public_page_keys() -> set[str]:
    """The routes whose pages are kept in memory and shared by every visitor."""
    return {key for key, handler in _handlers(create_app()).items() if handler.opt.get(PUBLIC_PAGE)}


def _handlers(app: Litestar) -> dict[str, HTTPRouteHandler]:
    return {
        f"{method} {_TYPED_PARAMETER.sub(_untyped, route.path)}": handler
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in handler.http_methods
        if method != "OPTIONS"
    }


def fill(template: str, params: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: params[match.group(1)], template)


@functools.cache
def _route_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each route key with a pattern of the paths it serves; fewest parameters first, as a
    literal path (/sessions/new) wins over a parameter (/sessions/{session_id})."""
    patterns = []
    for key in sorted(route_keys(), key=lambda key: (key.count("{"), key)):
        path_pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(key.split(" ", 1)[1]))
        patterns.append((key, re.compile(path_pattern)))
    return patterns


def route_of(method: str, path: str) -> str:
    """The route key serving `method` on `path`."""
    for key, pattern in _route_patterns():
        if key.startswith(f"{method} ") and pattern.fullmatch(path):
            return key
    raise AssertionError(f"no route serves {method} {path}")
