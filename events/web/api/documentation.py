"""What the OpenAPI document says about each operation beyond its handler: who may call it
(the bearer scheme) and every refusal it can answer, all with the one error body."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from typing import Any

from litestar import Controller
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ControllerRouterHandler

from events.web.api.schemas.errors import ErrorOut
from events.web.auth import api_organizer

BEARER = "bearer"
COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            description="A token issued with `tsunagu create-api-token EMAIL`.",
        )
    }
)

REFUSALS = {
    400: "The request is malformed: a parameter or the body does not have the documented type.",
    401: "No valid bearer token (the answer carries `WWW-Authenticate: Bearer`).",
    404: "Nothing with this id or link exists, or it is not this caller's.",
    409: "The change conflicts with the current state (a closed session, a full waitlist, ...).",
    413: "The body is larger than 1 MB.",
    422: "The values are well-formed but not acceptable; `fields` says which and why.",
    429: "Too many posts in a short time.",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Handler parameters that are not read from the query string.
NOT_QUERY = {"self", "data", "request", "organizer"}


def refusals(*statuses: int) -> dict[int, ResponseSpec]:
    """The documented refusals with these statuses, for a handler's `responses`."""
    return {
        status: ResponseSpec(
            data_container=ErrorOut, description=REFUSALS[status], generate_examples=False
        )
        for status in statuses
    }


def document(routes: Iterable[ControllerRouterHandler]) -> None:
    """Give every API operation its security requirement and its refusals (before the app
    registers the routes, which copies the handlers)."""
    for handler, path, dependencies in _operations(routes):
        bearer = any(
            isinstance(provider, Provide) and provider.dependency is api_organizer
            for provider in dependencies.values()
        )
        if bearer:
            handler.security = [{BEARER: []}]
        statuses = _statuses(handler, path, set(dependencies), bearer=bearer)
        handler.responses = {**refusals(*statuses), **(handler.responses or {})}


def _statuses(
    handler: HTTPRouteHandler, path: str, dependencies: set[str], *, bearer: bool
) -> list[int]:
    """400 for any malformed request; 401 without a token; 404 for an unknown id or link;
    a write can conflict, be refused for its values, or be too large."""
    parameters = set(inspect.signature(handler.fn).parameters) - NOT_QUERY - dependencies
    path_parameters = {part.strip("{}").split(":")[0] for part in path.split("/") if "{" in part}
    writes = bool(set(handler.http_methods) & WRITES)
    statuses = [400]
    if bearer:
        statuses.append(401)
    if path_parameters or writes:
        statuses.append(404)
    if writes:
        statuses += [409, 413]
    if writes or parameters - path_parameters:
        statuses.append(422)
    return statuses


def _operations(
    routes: Iterable[ControllerRouterHandler],
) -> Iterator[tuple[HTTPRouteHandler, str, dict[str, Any]]]:
    for route in routes:
        if isinstance(route, HTTPRouteHandler):
            for path in route.paths:
                yield route, path, dict(route.dependencies or {})
        elif isinstance(route, type) and issubclass(route, Controller):
            # Read as the class declares them: Controller's own attributes are instance slots.
            declared = vars(route)
            prefix = str(declared.get("path", "")).rstrip("/")
            for value in declared.values():
                if isinstance(value, HTTPRouteHandler):
                    dependencies = {
                        **declared.get("dependencies", {}),
                        **(value.dependencies or {}),
                    }
                    for path in value.paths:
                        yield value, f"{prefix}/{path.lstrip('/')}", dependencies
