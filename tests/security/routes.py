"""Every route of the application, read from the app itself so that new routes are included."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.routes import HTTPRoute

from events.app import create_app

_TYPED_PARAMETER = re.compile(r"\{(\w+):\w+\}")


def _untyped(match: re.Match[str]) -> str:
    return "{" + match.group(1) + "}"


def route_keys(app: Litestar | None = None) -> list[str]:
    """ "METHOD /path/{param}" for every handler; OPTIONS answers are Litestar's own."""
    app = app or create_app()
    keys = {
        f"{method} {_TYPED_PARAMETER.sub(_untyped, route.path)}"
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in handler.http_methods
        if method != "OPTIONS"
    }
    return sorted(keys)


def fill(template: str, params: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: params[match.group(1)], template)
