"""The one place that turns refusals into responses: HTML pages for people, JSON for the API."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from events.lib.errors import DomainError
from events.lib.i18n import gettext
from events.web.requests import set_request_locale

log = logging.getLogger(__name__)

STATUS_BY_KIND = {
    "invalid": HTTP_422_UNPROCESSABLE_ENTITY,
    "not_found": HTTP_404_NOT_FOUND,
    "conflict": HTTP_409_CONFLICT,
    "forbidden": HTTP_403_FORBIDDEN,
    "rate_limited": HTTP_429_TOO_MANY_REQUESTS,
}
KIND_BY_STATUS = {status: kind for kind, status in STATUS_BY_KIND.items()}


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def problem_messages(error: DomainError) -> list[dict[str, str | None]]:
    return [
        {"field": problem.field, "message": gettext(problem.message, **problem.params)}
        for problem in error.problems
    ]


def error_body(kind: str, message: str, fields: list[dict[str, str | None]]) -> dict[str, Any]:
    """The JSON shape of every API error: a machine code, a sentence, and per-field reasons."""
    return {"error": kind, "message": message, "fields": fields}


def error_page(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    if wants_json(request):
        kind = KIND_BY_STATUS.get(status, "error" if status >= 500 else "bad_request")
        return Response(
            error_body(kind, message, []), status_code=status, media_type=MediaType.JSON
        )
    template = {404: "errors/404.html.jinja2", 500: "errors/500.html.jinja2"}.get(
        status, "errors/error.html.jinja2"
    )
    return Template(template, context={"status": status, "message": message}, status_code=status)


def domain_error_handler(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    set_request_locale(request)
    status = STATUS_BY_KIND[error.kind]
    messages = problem_messages(error)
    if wants_json(request):
        body = error_body(error.kind, str(messages[0]["message"]), messages)
        return Response(body, status_code=status, media_type=MediaType.JSON)
    return error_page(request, status, str(messages[0]["message"]))


def validation_error_handler(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[Any]:
    """Litestar's own body/parameter validation, reshaped into our error body."""
    set_request_locale(request)
    fields = [
        {"field": item.get("key"), "message": item.get("message")}
        for item in (error.extra if isinstance(error.extra, list) else [])
        if isinstance(item, dict)
    ]
    message = gettext("リクエストの内容が正しくありません。")
    if wants_json(request):
        body = error_body("invalid", message, fields)
        return Response(body, status_code=HTTP_400_BAD_REQUEST, media_type=MediaType.JSON)
    return error_page(request, HTTP_400_BAD_REQUEST, message)


def http_error_handler(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    set_request_locale(request)
    messages = {
        404: gettext("お探しのページは見つかりませんでした。"),
        403: gettext("この操作を行う権限がありません。"),
        401: gettext("サインインが必要です。"),
        405: gettext("この方法ではアクセスできません。"),
        413: gettext("送信されたデータが大きすぎます。"),
        429: gettext("短時間にアクセスが集中しました。しばらくしてからお試しください。"),
    }
    status = error.status_code
    response = error_page(request, status, messages.get(status, str(error.detail)))
    if error.headers:
        response.headers.update(error.headers)
    return response


def internal_error_handler(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    set_request_locale(request)
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return error_page(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        gettext("システムエラーが発生しました。時間をおいて再度お試しください。"),
    )


def number_out_of_range_handler(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """A number in a query or body too large for any column (an id, a capacity): the driver
    refuses to send it (sqlite3: OverflowError; asyncpg: DataError raised before the query
    leaves), so no row can match it. Errors the server itself reports are still bugs."""
    if type(error) not in (OverflowError, asyncpg.exceptions.DataError):
        return internal_error_handler(request, error)
    return _bad_request(request)


def nested_too_deep_handler(
    request: Request[Any, Any, Any], error: RecursionError
) -> Response[Any]:
    """A JSON body nested deeper than the decoder goes (100,000 brackets): a bad request."""
    return _bad_request(request)


def _bad_request(request: Request[Any, Any, Any]) -> Response[Any]:
    set_request_locale(request)
    message = gettext("リクエストの内容が正しくありません。")
    if wants_json(request):
        body = error_body("invalid", message, [])
        return Response(body, status_code=HTTP_400_BAD_REQUEST, media_type=MediaType.JSON)
    return error_page(request, HTTP_400_BAD_REQUEST, message)


# Each handler picks the language itself: routing errors happen before the before_request hook.
EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error_handler,
    OverflowError: number_out_of_range_handler,
    asyncpg.exceptions.DataError: number_out_of_range_handler,
    RecursionError: nested_too_deep_handler,
}
