"""Every GET route that reads its query string, called with hostile values in each parameter by a
party allowed to read it: the answer is a page, a file or a refusal (2xx, 3xx or 4xx), never a
server error."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import httpx
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from events.app import create_app
from tests.security.route_access import EXPECTATIONS
from tests.security.routes import route_of
from tests.security.test_authorisation_matrix import target
from tests.security.world import ROLES, browsers, build_world

HOSTILE = (
    "²",  # a digit to str.isdigit(), not to int()
    "١٢٣",  # Arabic-Indic digits, which int() accepts
    "９９",  # full-width digits
    "9" * 40,  # beyond every integer column
    "-1",
    "-" + "9" * 30,
    "1e309",
    "1_000",
    "a\x00b",
    "𠮷" * 850,  # 10 KB once percent-encoded
    "x" * 10_240,
)
# Handler arguments that are not read from the query string.
_NOT_QUERY = frozenset(
    {"self", "request", "state", "headers", "cookies", "query", "data", "scope", "body"}
)
# Parameters that handlers read from request.query_params themselves.
_READ_BY_HAND = {"GET /login": ("next",), "GET /language/{locale}": ("next",)}


def query_parameters() -> dict[str, tuple[str, ...]]:
    """Route key → the query parameters its handler takes, for every GET route that takes any."""
    found: dict[str, tuple[str, ...]] = {}
    for route in create_app().routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if "GET" not in handler.http_methods:
                continue
            names = _declared(handler, set(route.path_parameters))
            key = route_of("GET", route.path)
            names += _READ_BY_HAND.get(key, ())
            if names:
                found[key] = names
    return found


def _declared(handler: HTTPRouteHandler, path_parameters: set[str]) -> tuple[str, ...]:
    dependencies = set(handler.resolve_dependencies())
    return tuple(
        name
        for name in handler.parsed_fn_signature.parameters
        if name not in _NOT_QUERY | path_parameters | dependencies
    )


def test_the_routes_reading_query_strings_are_found() -> None:
    found = query_parameters()
    assert found["GET /reports"] == (
        "q",
        "fiscal_year",
        "region",
        "series",
        "tag",
        "municipality",
        "page",
    )
    assert found["GET /login"] == ("next",)
    assert len(found) >= 25


async def test_every_query_parameter_survives_hostile_values(client: httpx.AsyncClient) -> None:
    world = await build_world()
    failures: list[str] = []
    called = 0
    async with browsers(client, world) as by_role:
        for key, names in sorted(query_parameters().items()):
            role = min(EXPECTATIONS[key].allowed, key=ROLES.index)
            browser, headers = by_role[role]
            _, path, _ = target(world, key, role)
            base, _, valid = path.partition("?")
            for name in names:
                for value in HOSTILE:
                    query = urlencode({**dict(parse_qsl(valid)), name: value})
                    response = await browser.get(f"{base}?{query}", headers=headers)
                    called += 1
                    if response.status_code >= 500:
                        failures.append(f"{role}: GET {base}?{name}={value[:12]!r}…")
    assert not failures, "\n".join(failures)
    assert called >= 25 * len(HOSTILE)
