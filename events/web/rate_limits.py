"""Limits on how often one client may post forms that anyone can reach (sign-in, join requests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from litestar import Request, Response
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, get_remote_address

from events.web.errors import http_error_handler

# One store for every limit, kept in Redis when several processes serve the app.
RATE_LIMIT_STORE = "rate_limit"
DurationUnit = Literal["second", "minute", "hour", "day"]


def _client(prefix: str) -> Callable[[Request[Any, Any, Any]], str]:
    def identifier(request: Request[Any, Any, Any]) -> str:
        # The limiter keys on this alone: the prefix keeps the limits in the store apart.
        # Behind a proxy of TRUSTED_PROXIES, uvicorn has already put the forwarded address here.
        return f"{prefix}:{get_remote_address(request)}"

    return identifier


def rate_limit(prefix: str, unit: DurationUnit, count: int) -> RateLimitConfig:
    """At most `count` requests per `unit` from one address, for the handlers it is put on."""
    return RateLimitConfig(
        rate_limit=(unit, count),
        identifier_for_request=_client(prefix),
        store=RATE_LIMIT_STORE,
    )


def too_many_requests(
    request: Request[Any, Any, Any], error: TooManyRequestsException
) -> Response[Any]:
    response = http_error_handler(request, error)
    # Litestar's limiter gives the seconds until its window ends only as RateLimit-Reset.
    reset = (error.headers or {}).get("RateLimit-Reset", "60")
    response.headers["Retry-After"] = str(max(int(reset), 1))
    return response
